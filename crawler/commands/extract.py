"""`tinhuy extract FILE|URL`: one page through the extractor and the pipelines, as JSON;
with `--explain`, why each field came out so."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler.commands.common import EXIT_OK, UsageError

if TYPE_CHECKING:
    from crawler.extract.explain import Explanation, Why

# Internal bookkeeping of the pipelines, not fields of the article.
HIDDEN = ("raw_body", "weekday_mismatch")
# Field name to the extractor's key, where they differ.
_RAW = {"published": "published_raw"}
_VALUE_MAX = 90


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("extract", help="print one page's article fields as JSON")
    p.add_argument("source", metavar="FILE|URL", help="a saved page or a URL to fetch")
    p.add_argument("--url", help="the page's address when SOURCE is a file (chooses the site)")
    p.add_argument(
        "--explain", action="store_true",
        help="for each field: the layer that answered, its rule, the element, the runner-ups",
    )  # fmt: skip
    p.add_argument("--json", action="store_true", help="with --explain: the explanation as JSON")
    p.set_defaults(func=main)


def read_source(source: str, url: str | None) -> tuple[bytes, str, dict[str, str]]:
    """(bytes, page URL, response headers) of a file or a URL; UsageError if unreadable
    or not a web page at all."""
    from crawler.commands.fetch import fetch

    if source.startswith(("http://", "https://")):
        try:
            data, headers = fetch(source)
        except OSError as exc:
            raise UsageError(f"cannot fetch {source}: {exc}") from None
        page_url = url or source
    else:
        path = Path(source)
        if not path.is_file():
            raise UsageError(f"no such file: {source}")
        data, page_url, headers = path.read_bytes(), url or path.resolve().as_uri(), {}
    why = not_a_page(data, headers)
    if why:
        raise UsageError(f"{source} is not a web page: {why}")
    return data, page_url, headers


# The start of a file read to tell text from binary, and the C0 control bytes that no
# page's text holds (tab, newline, form feed and carriage return are text).
_SNIFF = 64 * 1024
_CONTROLS = frozenset(range(32)) - {9, 10, 12, 13}
_MAX_CONTROL_SHARE = 0.01


def not_a_page(data: bytes, headers: dict[str, str]) -> str | None:
    """Why `data` cannot be a web page (an image, a PDF, an archive: the extractor would
    read its bytes as text and make a body of them), or None. UTF-16 and UTF-32 pages
    hold NUL bytes and start with their byte-order mark."""
    media = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    media = media.partition(";")[0].strip().lower()
    if media and not (media.startswith("text/") or "html" in media or "xml" in media):
        return f"Content-Type {media}"
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return None
    head = data[:_SNIFF]
    if b"\x00" in head:
        return "binary data (NUL bytes)"
    controls = sum(1 for byte in head if byte in _CONTROLS)
    if head and controls / len(head) > _MAX_CONTROL_SHARE:
        return f"binary data ({controls} control bytes in the first {len(head)})"
    return None


def extracted(data: bytes, url: str, headers: dict[str, str]) -> dict[str, Any]:
    from crawler.extract import extract_article
    from crawler.sites import site_for_url
    from crawler.text.dates import now_local
    from pipelines.stages.process import process

    site = site_for_url(url)
    fields = extract_article(data, url, site=site, headers=headers)
    item = process(fields, url, site=site, fetched_at=now_local())
    return {k: v for k, v in item.items() if k not in HIDDEN}


def _value(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= _VALUE_MAX else text[: _VALUE_MAX - 1] + "…"


def _scores(scores: dict[str, Any]) -> str:
    return ", ".join(f"{k} {v}" for k, v in scores.items() if v is not None)


def _field_lines(name: str, why: Why, value: Any) -> list[str]:
    lines = [f"{name}: {why.layer} | {why.rule}", f"  = {_value(value)}"]
    if why.element is not None:
        lines.append(f"  at {why.element.path}  {why.element.text!r}")
    if why.candidates:
        lines.append("  candidates:")
        lines += [
            f"    {'*' if c.chosen else ' '} {c.path}  {c.text!r}  {_scores(c.scores)}".rstrip()
            for c in why.candidates
        ]
    lines += [f"  - {note}" for note in why.notes]
    return lines


def render(explanation: Explanation) -> str:
    """The explanation as a reader scans it: one paragraph per field, the chosen
    candidate starred."""
    site = f"site {explanation.site}, layout {explanation.layout}" if explanation.site else (
        "no registered site: generic layers only"
    )
    lines = [f"{explanation.url} ({site})", ""]
    for name, why in explanation.why.items():
        lines += [*_field_lines(name, why, explanation.fields.get(_RAW.get(name, name))), ""]
    return "\n".join(lines)


def explained(data: bytes, url: str, headers: dict[str, str]) -> Explanation:
    from crawler.extract.explain import explain_article

    return explain_article(data, url, headers=headers)


def main(args: argparse.Namespace) -> int:
    if args.json and not args.explain:
        raise UsageError("--json goes with --explain (the fields are printed as JSON anyway)")
    data, url, headers = read_source(args.source, args.url)
    if not args.explain:
        print(json.dumps(extracted(data, url, headers), ensure_ascii=False, indent=2))
    elif args.json:
        print(json.dumps(explained(data, url, headers).as_json(), ensure_ascii=False, indent=2))
    else:
        print(render(explained(data, url, headers)))
    return EXIT_OK
