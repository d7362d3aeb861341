"""Bytes to text: BOM, then UTF-8, then the HTTP or <meta> charset or windows-1258,
whichever reads the bytes cleanly."""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterator, Mapping

from crawler.extract.thresholds import THRESHOLDS as T
from crawler.text.normalize import nfc

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_BOM_PREFIXES = tuple(bom for bom, _ in _BOMS)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
# Browsers read these labels as windows-1252 (WHATWG encoding standard), and so do we.
_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252"}
# The code page of Vietnamese Windows, and so of old Vietnamese CMSs: what a page whose label
# does not fit is in, when it is not UTF-8. Not charset-normalizer's guess: it read 1 of 35
# saved pages re-encoded in windows-1258 as cp1250, and such pages with one stray byte as
# iso8859-2; and GBK, EUC-KR or cp1251 bytes read as windows-1258 without an error anyway.
_VIETNAMESE = "cp1258"
_REPLACEMENT = "\ufffd"


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


def _utf8(data: bytes) -> str | None:
    """The UTF-8 reading of the bytes, unless they are in another encoding.

    A cut or a stray byte in a UTF-8 page leaves a few invalid sequences (read as U+FFFD)
    among many valid ones; a single-byte encoding's letters are nearly all invalid UTF-8."""
    text = data.decode("utf-8", "replace")
    # A U+FFFD the page itself spells in valid UTF-8 is no decoding error.
    invalid = text.count(_REPLACEMENT) - data.count(_REPLACEMENT.encode())
    if not invalid:
        return text
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return text if 1 - invalid / non_ascii >= T.utf8_min_valid_share else None


def _read(data: bytes, codec: str | None) -> str | None:
    """The bytes read with `codec`, undecodable bytes as U+FFFD; None for no text codec."""
    if codec is None:
        return None
    try:
        return data.decode(codec, "replace")
    # Codecs that are no text encoding (base64), or that take no "replace" (idna).
    except (LookupError, UnicodeError):
        return None


def decode_html(data: bytes, headers: Mapping[str, str] | None = None) -> str:
    """Decode an HTML page to NFC text; undecodable bytes become U+FFFD, never an error.

    A declared charset that does not read the bytes cleanly is wrong (Vietnamese pages that
    declare utf-8 are often windows-1258), so windows-1258 reads them if it reads them
    cleanly; when nothing does, the reading with the fewest U+FFFD wins."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return nfc(data[len(bom):].decode(codec, "replace"))
    declared = declared_charset(data, headers)
    # Vietnamese CMSs often declare iso-8859-1 while sending UTF-8; valid multi-byte UTF-8 is
    # practically never a single-byte encoding by accident, so it outranks such a label.
    utf8_wins = declared is None or declared.startswith("utf") or not data.isascii()
    if utf8_wins and (text := _utf8(data)) is not None:
        return nfc(text)
    readings = [text for c in (declared, _VIETNAMESE) if (text := _read(data, c)) is not None]
    # min() keeps the first of equals: the declared charset when both read the bytes cleanly.
    best = min(readings, key=lambda text: text.count(_REPLACEMENT))
    # windows-1258 writes tones as combining marks: NFC folds them into precomposed letters.
    return nfc(best)


# UTF-8 lead bytes of U+0300-U+037F: the combining accents (and a few Greek letters). Bytes
# without them hold no Vietnamese letter written decomposed.
_COMBINING_LEADS = (b"\xcc", b"\xcd")
# Where a character NFC may change or that may change its neighbour starts, in UTF-8: all
# but ASCII, U+0080-U+02FF (Latin with most Vietnamese letters), Cyrillic but U+0480-U+04BF,
# U+1E00-U+1EFF (the rest of Vietnamese) and U+2002-U+20CF (punctuation, currency). Those
# have canonical combining class 0 and NFC quick check Yes: nothing composes with them or
# moves past them from before; tests/test_decode.py checks every code point. One byte class
# first, then conditions on the bytes around it: the regex engine then skips in C to the
# next lead byte that may start one (an alternation of byte sequences tries every byte).
_MAY_CHANGE = re.compile(
    rb"[\xcc-\xcf\xd2\xd4-\xff]"
    rb"(?:(?<=\xe1)(?![\xb8-\xbb])"  # U+1000-U+1FFF but U+1E00-U+1EFF
    rb"|(?<=\xe2)(?=\x80[\x80\x81]|\x83[\x90-\xbf]|[\x84-\xbf])"  # U+2000-U+2001, U+20D0-U+2FFF
    rb"|(?<![\xe1\xe2]))"
)
_ASCII = re.compile(rb"[\x00-\x7f]")
# Bytes composed past the first character that may change; each later piece twice as long,
# so a page dense with such characters is composed in a few long pieces.
_FIRST_SPAN = 256
# Bytes checked as UTF-8 at a time: each slice's text stays in the cache.
_CHECK_SIZE = 8192
# Bytes tested as ASCII at a time before `_MAY_CHANGE` looks for a lead byte among them.
_ASCII_SIZE = 1024


def _non_ascii(data: bytes) -> Iterator[tuple[int, int]]:
    """(start, end) of the runs of `_ASCII_SIZE` slices that hold a byte past ASCII: the regex
    engine tests each byte it passes (a few ns), isascii() eight at a time."""
    size = len(data)
    start = None
    for at in range(0, size, _ASCII_SIZE):
        if data[at:at + _ASCII_SIZE].isascii():
            if start is not None:
                yield start, at
                start = None
        elif start is None:
            start = at
    if start is not None:
        yield start, size


def nfc_utf8(data: bytes) -> bytes:
    """The NFC of valid UTF-8 bytes, composed only where a character may change: NFC of a
    200 KB page is milliseconds, and the pages that need it (a few decomposed accents) hold
    a handful of such characters.

    NFC of a text is the NFC of its pieces cut before ASCII characters (nothing composes
    with one from before, nothing is reordered past one), and the identity on a piece of
    characters `_MAY_CHANGE` does not find."""
    pieces: list[bytes] = []
    done = 0
    span = _FIRST_SPAN
    for first, last in _non_ascii(data):
        # The search may end with the run: a character that starts in it ends in it (its
        # continuation bytes are no ASCII), so the pattern's lookahead reads inside it.
        while (hit := _MAY_CHANGE.search(data, max(done, first), last)) is not None:
            # Cut before the last space or `>` (the commonest ASCII, found without a loop)
            # since the last piece, and before an ASCII character `span` bytes on.
            before = hit.start()
            start = max(done, data.rfind(b" ", done, before), data.rfind(b">", done, before))
            after = _ASCII.search(data, hit.end() + span)
            end = after.start() if after else len(data)
            piece = unicodedata.normalize("NFC", data[start:end].decode("utf-8"))
            pieces += (data[done:start], piece.encode("utf-8"))
            done = end
            span *= 2
    if not pieces:
        return data
    pieces.append(data[done:])
    return b"".join(pieces)


def utf8_html(data: bytes, headers: Mapping[str, str] | None = None) -> bytes:
    """The page as the parser reads it: decode_html's text as UTF-8 bytes, read from the
    bytes themselves when they already are UTF-8 (valid, the page's reading, no BOM), which
    most pages are: no copy, no NFC pass over the page unless it holds a combining accent.
    Every field read from the tree is NFC-cleaned anyway; composing here is for the
    patterns that read the tree's raw text."""
    declared = declared_charset(data, headers)
    utf8_wins = declared is None or declared.startswith("utf") or not data.isascii()
    if utf8_wins and not data.startswith(_BOM_PREFIXES) and _is_utf8(data):
        # decode_html's reading of valid UTF-8 is its NFC, composed here in bytes.
        if any(lead in data for lead in _COMBINING_LEADS):
            return nfc_utf8(data)
        return data
    return decode_html(data, headers).encode("utf-8", "replace")


def _is_utf8(data: bytes) -> bool:
    """Whether the bytes are valid UTF-8, read in slices: a text of the page's size, made
    only to be thrown away, costs more than the reading (fresh memory, out of the cache).
    A slice may end inside a character: the next one starts where the reading stopped."""
    view = memoryview(data)
    size = len(data)
    at = 0
    try:
        while at < size:
            end = at + _CHECK_SIZE
            at += codecs.utf_8_decode(view[at:end], "strict", end >= size)[1]
    except UnicodeDecodeError:
        return False
    return True
