"""Crawls of sites no class describes: for each synthetic CMS family, a site of N articles
with faults is crawled by `tinhuy crawl --base-url` (discovery), then N/100 articles are
added and it is crawled again. Prints article recall (of the servable articles), the
share of stored rows that are no article of the site, requests, and the second crawl's
requests as a share of the first's.

    .venv/bin/python benchmarks/discovery.py --articles 2000 --faults default
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from crawler.mirror import serve_app
from crawler.replica.synthetic import SyntheticSite, family_descriptions, parse_faults

CLI = [sys.executable, "-m", "crawler.cli"]


def crawl(base_url: str, db: Path, summary: Path) -> dict:
    done = subprocess.run(
        [*CLI, "crawl", "--base-url", base_url, "--db", str(db), "--fast",
         "--summary-json", str(summary)],
        capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"crawl of {base_url} exited {done.returncode}:\n{done.stderr[-2000:]}")
    return json.loads(summary.read_text(encoding="utf-8"))


def one_family(family: str, articles: int, faults: str, folder: Path) -> dict:
    db = folder / f"{family}.db"
    runs = []
    port = 0
    for n in (articles, articles + articles // 100):
        site = SyntheticSite(n, seed=3, faults=parse_faults(faults), family=family,
                             log_requests=False)  # fmt: skip
        with serve_app(site, port=port) as base_url:
            site.base_url = base_url
            port = int(base_url.rsplit(":", 1)[1])
            manifest = json.loads(b"".join(site.manifest_chunks()))
            started = time.monotonic()
            runs.append((crawl(base_url, db, folder / f"{family}.{n}.json"),
                         time.monotonic() - started))  # fmt: skip
    servable = {a["title"] for a in manifest["articles"] if a["servable"]}
    every = {a["title"] for a in manifest["articles"]}
    with sqlite3.connect(db) as conn:
        titles = [t for (t,) in conn.execute("SELECT title FROM articles")]
    (first, first_s), (second, _) = runs
    return {
        "family": family,
        "recall": len(servable & set(titles)) / len(servable),
        "non_article_rows": sum(1 for t in titles if t not in every) / max(len(titles), 1),
        "rows": len(titles),
        "requests": first["requests"],
        "seconds": first_s,
        "second_requests": second["requests"],
        "second_share": second["requests"] / first["requests"],
        "new_found": second["new"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--faults", default="default")
    parser.add_argument("--families", default=",".join(family_descriptions()))
    args = parser.parse_args()
    print(f"{args.articles} articles, faults {args.faults}, +1% for the second crawl\n")
    print("| family | recall | non-article rows | rows | requests | s | 2nd crawl requests "
          "| 2nd / 1st | new found |")
    print("|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for family in args.families.split(","):
            r = one_family(family, args.articles, args.faults, Path(tmp))
            print(f"| {r['family']} | {r['recall']:.4f} | {r['non_article_rows']:.2%} | "
                  f"{r['rows']} | {r['requests']} | {r['seconds']:.0f} | "
                  f"{r['second_requests']} | {r['second_share']:.2%} | {r['new_found']} |",
                  flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
