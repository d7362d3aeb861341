"""`tinhuy extract FILE|URL`: one page through the extractor and the pipelines, as JSON."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from crawler.commands.common import EXIT_OK, UsageError

# Internal bookkeeping of the pipelines, not fields of the article.
HIDDEN = ("raw_body", "weekday_mismatch")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("extract", help="print one page's article fields as JSON")
    p.add_argument("source", metavar="FILE|URL", help="a saved page or a URL to fetch")
    p.add_argument("--url", help="the page's address when SOURCE is a file (chooses the site)")
    p.set_defaults(func=main)


def read_source(source: str, url: str | None) -> tuple[bytes, str, dict[str, str]]:
    """(bytes, page URL, response headers) of a file or a URL; UsageError if unreadable."""
    from crawler.commands.fetch import fetch

    if source.startswith(("http://", "https://")):
        try:
            data, headers = fetch(source)
        except OSError as exc:
            raise UsageError(f"cannot fetch {source}: {exc}") from None
        return data, url or source, headers
    path = Path(source)
    if not path.is_file():
        raise UsageError(f"no such file: {source}")
    return path.read_bytes(), url or path.resolve().as_uri(), {}


def extracted(data: bytes, url: str, headers: dict[str, str]) -> dict[str, Any]:
    from crawler.extract import extract_article
    from crawler.sites import site_for_url
    from crawler.text.dates import now_local
    from pipelines.stages.process import process

    site = site_for_url(url)
    fields = extract_article(data, url, site=site, headers=headers)
    item = process(fields, url, site=site, fetched_at=now_local())
    return {k: v for k, v in item.items() if k not in HIDDEN}


def main(args: argparse.Namespace) -> int:
    data, url, headers = read_source(args.source, args.url)
    print(json.dumps(extracted(data, url, headers), ensure_ascii=False, indent=2))
    return EXIT_OK
