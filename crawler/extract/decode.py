"""Bytes to text: BOM, then the HTTP or <meta> charset, then UTF-8, then detection."""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping

from crawler.text.normalize import nfc

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
# Browsers read these labels as windows-1252 (WHATWG encoding standard), and so do we.
_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252"}
_DETECT_SAMPLE = 64 * 1024


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def declared_charset(data: bytes, headers: Mapping[str, str] | None = None) -> str | None:
    """The charset named by the Content-Type header, else by the page's first <meta> tags."""
    for key, value in (headers or {}).items():
        if key.lower() == "content-type":
            match = _HEADER_CHARSET.search(value or "")
            if match and (codec := _codec(match.group(1))):
                return codec
    match = _META_CHARSET.search(data[:4096])
    if match:
        return _codec(match.group(1).decode("ascii", "ignore"))
    return None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _detect(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:_DETECT_SAMPLE]).best()
    return _codec(best.encoding) if best else None


def decode_html(data: bytes, headers: Mapping[str, str] | None = None) -> str:
    """Decode an HTML page to NFC text; undecodable bytes become U+FFFD, never an error."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return nfc(data[len(bom):].decode(codec, "replace"))
    declared = declared_charset(data, headers)
    # Vietnamese CMSs often declare iso-8859-1 while sending UTF-8; valid multi-byte UTF-8 is
    # practically never a single-byte encoding by accident, so it outranks such a label.
    utf8_wins = declared is None or declared.startswith("utf") or not data.isascii()
    if utf8_wins and _is_utf8(data):
        return nfc(data.decode("utf-8"))
    codec = declared or _detect(data) or "cp1252"
    try:
        text = data.decode(codec, "replace")
    except LookupError:
        text = data.decode("cp1252", "replace")
    # windows-1258 writes tones as combining marks: NFC folds them into precomposed letters.
    return nfc(text)
