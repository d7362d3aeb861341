"""Items per second of the path after extraction (clean -> dates -> facts -> validate ->
dedup -> store) with a large archive already stored, near-duplicate lookup included; and of
the dedup stage alone (identity, exact lookups, near-duplicate search, no writes).

    .venv/bin/python benchmarks/dedup.py --stored 50000 --measure 2000 [--keep FILE]

Items come from the synthetic site (crawler/replica/synthetic/): the same fields the
extractor returns for its pages, the rendered page as raw bytes, its reposts and
republished near-duplicates included. The first `--stored` items fill a fresh SQLite
archive (timed too). Then, on a new connection as the next crawl would open the archive,
two sets of `--measure` new items go through the dedup stage alone (the first meets an
empty SQLite page cache, the second the cache the first filled), and the second set
through the whole path. `--keep FILE` keeps the archive for benchmarks/dump.py.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crawler.replica.synthetic import SyntheticSite, date_form
from crawler.sites.haiduong import HaiDuong
from crawler.text.dates import VN_TZ
from pipelines.archive.engine import open_engine
from pipelines.archive.storage import Store
from pipelines.stages.identity import with_identity
from pipelines.stages.process import process as pipeline
from pipelines.stages.validate import problems

SITE = HaiDuong()

FETCHED = datetime(2023, 1, 1, 8, 0, tzinfo=VN_TZ)


def raw_items(site: SyntheticSite, start: int, stop: int) -> list[dict]:
    """What the spider yields for articles start..stop, before the pipelines."""
    items = []
    for i in range(start, stop):
        a = site.article(i)
        url = f"{SITE.base_url}{a.final_url}"
        items.append(
            {
                "site": SITE.name,
                "url": url,
                "fetched_at": FETCHED,
                "status": 200,
                "content_type": "text/html; charset=utf-8",
                "raw_body": site.article_html(a).encode(),
                "title": a.title,
                "published_raw": date_form(a.published, a.date_form),
                "author": a.author,
                "author_unit": a.author_unit,
                "lead": a.lead,
                "body": "\n\n".join([a.lead, *a.paragraphs]),
                "captions": [img["caption"] for img in a.images if img["caption"]],
                "images": [{"src": img["src"], "caption": img["caption"]} for img in a.images],
                "category": site.categories[a.category].name,
                "tags": list(a.tags),
                "related": [],
            }
        )
    return items


def process(store: Store, item: dict) -> str:
    """The stages as the Scrapy components run them (pipelines/process.py), without Scrapy."""
    item.update(pipeline(item, item["url"], site=SITE, fetched_at=FETCHED))
    if problems(item):
        return "dropped"
    return store.save(item).outcome


def dedup_only(store: Store, items: list[dict]) -> tuple[float, dict[str, int]]:
    """Identity, the two exact lookups and the near-duplicate search of each item
    against the stored archive, writing nothing: the dedup stage on its own."""
    outcomes: dict[str, int] = {}
    started = time.perf_counter()
    for raw in items:
        item = with_identity(raw, SITE)
        by_key, by_body = store.existing(item)
        near = store.nearest(item["body"])
        outcome = "known" if by_key else "same body" if by_body else "near" if near else "new"
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return time.perf_counter() - started, outcomes


def run(store: Store, items: list[dict]) -> tuple[float, dict[str, int]]:
    outcomes: dict[str, int] = {}
    started = time.perf_counter()
    for item in items:
        outcome = process(store, item)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    store.commit()
    return time.perf_counter() - started, outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stored", type=int, default=50_000)
    parser.add_argument("--measure", type=int, default=2_000)
    parser.add_argument("--keep", help="keep the archive at this path (for benchmarks/dump.py)")
    args = parser.parse_args(argv)
    print(f"command: benchmarks/dedup.py {' '.join(argv or sys.argv[1:])}\n", flush=True)
    site = SyntheticSite(args.stored + 2 * args.measure, seed=3)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.keep or str(Path(tmp) / "dedup.db")
        engine = open_engine(db)
        rows = []
        with Store(engine, SITE.name, 50) as store:
            chunk = 5_000
            for start in range(0, args.stored, chunk):
                stop = min(args.stored, start + chunk)
                seconds, outcomes = run(store, raw_items(site, start, stop))
                rows.append((f"fill {start:,}-{stop:,}", stop - start, seconds, outcomes))
                print(f"{rows[-1][0]}: {(stop - start) / seconds:.0f} items/s", flush=True)
        engine.dispose()
        # The measurements on a new connection, as the next crawl opens the archive.
        engine = open_engine(db)
        with Store(engine, SITE.name, 50) as store:
            # Two sets of lookups: the first meets an empty SQLite page cache, the
            # second one that the first has filled, as a running crawl finds it.
            for label, start in (("cold", args.stored + args.measure), ("warm", args.stored)):
                lookups = raw_items(site, start, start + args.measure)
                seconds, outcomes = dedup_only(
                    store,
                    [pipeline(i, i["url"], site=SITE, fetched_at=FETCHED) for i in lookups],
                )
                rows.append(
                    (
                        f"dedup stage only, {args.stored:,} stored, {label}",
                        args.measure,
                        seconds,
                        outcomes,
                    )
                )
            items = raw_items(site, args.stored, args.stored + args.measure)
            seconds, outcomes = run(store, items)
            rows.append((f"measure, {args.stored:,} stored", args.measure, seconds, outcomes))
        engine.dispose()
    print("\n| phase | items | seconds | items/s | outcomes |\n|---|---|---|---|---|")
    for label, count, seconds, outcomes in rows:
        told = ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items()))
        rate = count / seconds if seconds else 0
        print(f"| {label} | {count:,} | {seconds:.1f} | {rate:.0f} | {told} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
