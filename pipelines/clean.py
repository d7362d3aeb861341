"""Text hygiene for every stored field: NFC, folded whitespace, no page chrome.

The extractor already returns clean text; this stage holds the same promise for
items from any source (a re-extraction, a future spider), so storage never
sees decomposed Unicode, stray control characters or widget labels.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

# Zero-width and bidi marks that copy-paste from Word and CMS editors leave behind.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\ufeff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\s*\n\s*\n\s*")

# Labels of page widgets that must never reach a stored body, whatever the layout.
CHROME_LINES = frozenset(
    s.casefold()
    for s in (
        "Xem với cỡ chữ",
        "In bài viết",
        "Gửi email",
        "Gửi bài viết",
        "Chia sẻ",
        "Bản in",
        "Quay lại",
        "Lên đầu trang",
        "CÁC BÀI VIẾT KHÁC:",
        "CÁC BÀI VIẾT KHÁC",
        "Các tin khác",
        "Tin liên quan",
        "Tin cùng chuyên mục",
    )
)

TEXT_FIELDS = ("title", "author", "author_unit", "lead", "category", "published_raw", "updated_raw")
LIST_FIELDS = ("captions", "tags")


def clean_line(text: str) -> str:
    """One line of text: NFC, no invisible or control characters, single spaces."""
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    return _SPACES.sub(" ", text.replace("\n", " ")).strip()


def clean_paragraphs(text: str) -> str:
    """A body: paragraphs separated by one blank line, chrome labels dropped."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = (clean_line(p) for p in _BLANK_LINES.split(text))
    return "\n\n".join(p for p in paragraphs if p and p.casefold() not in CHROME_LINES)


def _clean_list(values: Iterable[str] | None) -> list[str]:
    cleaned = (clean_line(v) for v in values or () if isinstance(v, str))
    return list(dict.fromkeys(v for v in cleaned if v))


def clean_fields(item: Mapping[str, Any]) -> dict[str, Any]:
    """Return a copy of `item` with every text field cleaned; empty strings become None."""
    out = dict(item)
    for key in TEXT_FIELDS:
        value = out.get(key)
        if isinstance(value, str):
            out[key] = clean_line(value) or None
    if isinstance(out.get("body"), str):
        out["body"] = clean_paragraphs(out["body"]) or None
    for key in LIST_FIELDS:
        if key in out:
            out[key] = _clean_list(out[key])
    if out.get("images"):
        out["images"] = [
            {
                "src": img.get("src"),
                "caption": clean_line(img["caption"]) if img.get("caption") else None,
            }
            for img in out["images"]
        ]
    return out
