"""The parser's bytes (crawler/extract/decode.py utf8_html): decode_html's reading, taken
from the bytes themselves when they are UTF-8, and composed to NFC only around the
characters that may change."""

from __future__ import annotations

import random
import sys
import unicodedata
from pathlib import Path

import pytest

from crawler.extract.decode import _MAY_CHANGE, decode_html, nfc_utf8, utf8_html

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
# Hangul syllables compose by the algorithm of Unicode's chapter 3, not by a decomposition
# in the character database: a leading consonant with these vowels, a syllable with these
# trailing consonants.
HANGUL_VOWELS = range(0x1161, 0x1176)
HANGUL_TRAILS = range(0x11A8, 0x11C3)
# Characters that compose, reorder or stand in for others, among ones that do not.
ALPHABET = [
    *"aeouyAEOUD <>/=\"'\n", "ệ", "ư", "ơ", "Đ", "й", "и", "가", "か", "Ω", "ก", "“", "😀", "ا",
    "\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b", "\u0316",
    "\u0305", "\u0338", "\u0344", "\u0345", "\u0483", "\u0488", "\u0b47", "\u0b3e", "\u0e38",
    "\u0f73", "\u1100", "\u1161", "\u11a8", "\u1dc0", "\u1e9b", "\u1fee", "\u2000", "\u20d0",
    "\u2126", "\u212b", "\u2de0", "\u3099",
]


def _composed_seconds() -> set[int]:
    """Every character that composes with one before it under NFC (and a few more: the
    second of any two-character canonical decomposition)."""
    seconds = {*HANGUL_VOWELS, *HANGUL_TRAILS}
    for code in range(sys.maxunicode + 1):
        mapping = unicodedata.decomposition(chr(code)).split()
        if len(mapping) == 2 and not mapping[0].startswith("<"):
            seconds.add(int(mapping[1], 16))
    return seconds


def test_every_character_nfc_utf8_skips_is_left_as_it_is_by_nfc_wherever_it_stands():
    seconds = _composed_seconds()
    skipped = 0
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:  # surrogates: no UTF-8
            continue
        char = chr(code)
        if _MAY_CHANGE.match(char.encode()):
            continue
        skipped += 1
        assert unicodedata.combining(char) == 0, hex(code)
        assert unicodedata.normalize("NFC", char) == char, hex(code)
        assert code not in seconds, hex(code)
    # Vietnamese text is all skipped: a page's few decomposed accents are composed alone.
    vietnamese = "ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
    for char in vietnamese + vietnamese.upper() + "“”‘’–—…":
        assert not _MAY_CHANGE.match(char.encode()), char
    assert skipped > 1000


def test_nfc_utf8_is_nfc_on_random_texts_short_and_long():
    rng = random.Random(16)
    for size in [*range(0, 40)] * 500 + [rng.randrange(1000, 20000) for _ in range(40)]:
        weights = [20 if c.isascii() else 1 for c in ALPHABET]
        text = "".join(rng.choices(ALPHABET, weights, k=size))
        assert nfc_utf8(text.encode()) == unicodedata.normalize("NFC", text).encode(), text


def _fixture_pages() -> list[bytes]:
    return [path.read_bytes() for path in sorted(PAGES.glob("*.html"))[:40]]


@pytest.mark.parametrize("form", ["as saved", "decomposed", "decomposed in places"])
def test_utf8_html_is_decode_html_as_utf8(form):
    for data in _fixture_pages():
        text = data.decode("utf-8", "replace")
        if form == "decomposed":
            data = unicodedata.normalize("NFD", text).encode()
        elif form == "decomposed in places":
            middle = len(text) // 2
            data = (text[:middle] + unicodedata.normalize("NFD", text[middle:][:300])
                    + text[middle + 300:]).encode()
        assert utf8_html(data) == decode_html(data).encode("utf-8", "replace")


@pytest.mark.parametrize("at", [8190, 8191, 8192, 8193, 16384])
def test_utf8_is_checked_whole_across_the_slices_it_is_read_in(at):
    letter = "ệ".encode()  # three bytes, straddling a slice's end for some `at`
    page = b"<p>" + b"a" * (at - 3)
    whole = page + letter + b" cu\xcc\x81 </p>"
    assert utf8_html(whole) == (page + letter + " cú </p>".encode())
    # Cut short at the end of a slice, or broken across one: not UTF-8, read as decode_html
    # reads it (one replacement character, or windows-1258).
    for broken in (page + letter[:2], page + letter[:2] + b"</p>", page + b"\xff" + letter):
        assert utf8_html(broken) == decode_html(broken).encode("utf-8", "replace")
        assert utf8_html(broken) != broken


# Characters NFC changes, each with the ASCII letter before it that it may compose with.
CHANGED = ["e\u0301", "\u2000", "\u212b", "\u0344", "\u1fee", "\u0958", "\u1100\u1161"]


@pytest.mark.parametrize("at", [0, 1, 1022, 1023, 1024, 1025, 3000, 4095, 4096, 8190, 8192])
def test_nfc_utf8_finds_what_may_change_among_ascii_slices_wherever_it_stands(at):
    # Long ASCII stretches (skipped a slice at a time) around characters NFC changes, the
    # first of them starting at byte `at`, near a slice's edge; spaces around each, so that
    # a piece composed for one does not take in another.
    for first, second in zip(CHANGED, CHANGED[1:] + CHANGED[:1], strict=True):
        lead = len(first) - len(first.lstrip("e"))
        text = f"{'a' * (at - lead)}{first} {'b' * 3000} {second} {'d' * 5000} {first}"
        assert nfc_utf8(text.encode()) == unicodedata.normalize("NFC", text).encode(), first


@pytest.mark.parametrize("at", [0, 100, 8191, 8192, 8193, 20000])
def test_a_combining_accent_is_composed_among_ascii_and_quoted_stretches(at):
    # ASCII slices before and after the one holding the accent, and non-ASCII ones without
    # a character NFC changes (quotes).
    text = "“x”" + "a" * at + "Nguye\u0302\u0303n" + "“b”" * 3000 + "c" * 9000
    data = text.encode()
    assert utf8_html(data) == decode_html(data).encode()
    assert utf8_html(data) != data
    plain = ("“x”" + "a" * at + "Nguyễn" + "“b”" * 3000).encode()
    assert utf8_html(plain) is plain
