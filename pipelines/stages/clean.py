"""Text hygiene for every stored field: NFC, folded whitespace, no page chrome.

The extractor already returns clean text; this stage holds the same promise for
items from any source (a re-extraction, a future spider), so storage never
sees decomposed Unicode, stray control characters or widget labels.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from crawler.extract.body import is_chrome_line
from crawler.extract.patterns import RELATED_HEADING
from crawler.model import FIELDS
from crawler.text.normalize import clean_text

_BLANK_LINES = re.compile(r"\s*\n\s*\n\s*")


def _is_chrome(paragraph: str) -> bool:
    """A widget label or the heading of a related list, by the extractor's own rules;
    a related heading only when it is the whole paragraph, since the stage has no page
    around the text to tell a heading from a short paragraph."""
    return (
        is_chrome_line(paragraph) or RELATED_HEADING.fullmatch(paragraph.rstrip(" :")) is not None
    )


TEXT_FIELDS = tuple(f.name for f in FIELDS if f.extracted and f.kind == "text")
LIST_FIELDS = tuple(f.name for f in FIELDS if f.extracted and f.kind == "texts")


def clean_paragraphs(text: str) -> str:
    """A body: paragraphs separated by one blank line, chrome labels dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = (clean_text(p) for p in _BLANK_LINES.split(text))
    return "\n\n".join(p for p in paragraphs if p and not _is_chrome(p))


def _clean_list(values: Iterable[str] | None) -> list[str]:
    cleaned = (clean_text(v) for v in values or () if isinstance(v, str))
    return list(dict.fromkeys(v for v in cleaned if v))


def clean_fields(item: Mapping[str, Any]) -> dict[str, Any]:
    """Return a copy of `item` with every text field cleaned; empty strings become None."""
    out = dict(item)
    for key in TEXT_FIELDS:
        value = out.get(key)
        if isinstance(value, str):
            out[key] = clean_text(value) or None
    if isinstance(out.get("body"), str):
        out["body"] = clean_paragraphs(out["body"]) or None
    for key in LIST_FIELDS:
        if key in out:
            out[key] = _clean_list(out[key])
    if out.get("images"):
        out["images"] = [
            {
                "src": img.get("src"),
                "caption": clean_text(img["caption"]) if img.get("caption") else None,
            }
            for img in out["images"]
        ]
    return out
