"""The extractor on the synthetic CMS families' article pages, layouts it was not written for.

    .venv/bin/python benchmarks/families.py [--articles N] [--seed S] [--faults SPEC]

For each family (`tinhuy mirror --families`): every servable article page as the site
answers it (encoding faults included when `--faults` has them), read by
`crawler.extract.extract_article` with no site class; per field, how many pages give
the manifest's value: is_article, title (exact), published (to the minute, after the
crawl's date normalization), author (exact, None when the page names nobody), source,
and the mean body token F1 against the lead and paragraphs. Then how many of the pages
that are no articles (home, listings, contact and document index) are called articles.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crawler.extract import extract_article
from crawler.mirror import Reply
from crawler.replica.synthetic import SyntheticSite, family_descriptions, parse_faults
from crawler.text.normalize import token_f1
from pipelines.stages.dates import with_dates

BASE = "http://127.0.0.1:8000"


def measure(family: str, n: int, seed: int, faults: str) -> dict[str, float]:
    site = SyntheticSite(n, seed=seed, faults=parse_faults(faults), family=family)
    manifest = json.loads(b"".join(site.manifest_chunks()))
    counts = dict.fromkeys(("pages", "is_article", "title", "published", "author", "source"), 0)
    f1 = 0.0
    for entry in manifest["articles"]:
        if not entry["servable"]:
            continue
        article = site.article(int(entry["id"]) - int(manifest["articles"][0]["id"]))
        url = entry["urls"][0]
        reply = _answer(site, url)
        item = extract_article(
            reply.body, BASE + url, site=None, headers={"Content-Type": reply.content_type}
        )
        counts["pages"] += 1
        counts["is_article"] += bool(item["is_article"])
        counts["title"] += item["title"] == entry["title"]
        counts["published"] += with_dates(item)["published"] == entry["published"]
        counts["author"] += item["author"] == entry["author"]
        # The replica's manifest predates sources: its `Theo ...` lines are counted as none.
        counts["source"] += item["source"] == entry.get("source", item["source"])
        f1 += token_f1("\n\n".join((article.lead, *article.paragraphs)), item["body"] or "")
    others = ("home", "listing", "other")
    listings = [p["url"] for p in manifest["pages"] if p["kind"] in others]
    wrong = sum(
        bool(extract_article(_answer(site, url).body, BASE + url, site=None)["is_article"])
        for url in listings
    )
    return {
        **counts,
        "body_f1": f1 / max(1, counts["pages"]),
        "listings": len(listings),
        "listing_as_article": wrong,
    }


def _answer(site: SyntheticSite, url: str) -> Reply:
    """The page at `url` once its transient faults have passed, after its redirects."""
    for _ in range(10):
        reply = site.respond(url)
        location = dict(reply.headers).get("Location")
        if location:
            url = location
        elif reply.status < 500 and reply.action is None:
            return reply
    raise RuntimeError(f"no answer at {url}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--faults", default="none")
    args = parser.parse_args()
    print(
        f"{'family':<11} {'pages':>5} {'is_art':>6} {'title':>6} {'date':>6} "
        f"{'author':>6} {'source':>6} {'body F1':>7}  other pages called articles"
    )
    for family in family_descriptions():
        r = measure(family, args.articles, args.seed, args.faults)
        print(
            f"{family:<11} {r['pages']:>5} {r['is_article']:>6} {r['title']:>6} "
            f"{r['published']:>6} {r['author']:>6} {r['source']:>6} {r['body_f1']:>7.3f}  "
            f"{r['listing_as_article']}/{r['listings']}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
