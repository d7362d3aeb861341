"""Text normalization shared by every extractor: NFC, no invisible characters, folded spaces."""

from __future__ import annotations

import re
import unicodedata

# Zero-width and bidi marks, soft hyphens, BOMs and C0/C1 controls carry no text; editors paste
# them invisibly into Vietnamese CMS fields and they break exact matching downstream. The line
# and paragraph separators (U+2028, U+2029) are not here: they are white space, and a word
# on either side of one stays a word of its own. crawler.text.dates drops the same set.
INVISIBLE_RANGES: tuple[tuple[int, int], ...] = (
    (0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F), (0x7F, 0x9F), (0xAD, 0xAD), (0x180E, 0x180E),
    (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x2064), (0x206A, 0x206F), (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
)  # fmt: skip
INVISIBLE = re.compile(
    "[" + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in INVISIBLE_RANGES) + "]"
)
_WORD = re.compile(r"\w+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def strip_invisible(text: str) -> str:
    return INVISIBLE.sub("", text)


def clean_text(text: str | None) -> str:
    """One line of text: NFC, invisible characters dropped, every whitespace run one space."""
    if not text:
        return ""
    # str.split() treats NBSP, the Unicode spaces and line breaks as whitespace. NFC after
    # dropping: a character dropped between a letter and its combining mark (a soft hyphen
    # in windows-1258 text) would otherwise keep the two apart.
    return fold(strip_invisible(text))


def fold(text: str) -> str:
    """clean_text for a text known to hold no invisible character: NFC, spaces folded."""
    return " ".join(nfc(text).split())


def clean_or_none(text: str | None) -> str | None:
    cleaned = clean_text(text)
    return cleaned or None


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens, the unit of every similarity score here."""
    return _WORD.findall(text.lower())


def token_f1(reference: str, candidate: str) -> float:
    """Bag-of-words F1 between two texts; 1.0 when both are empty."""
    ref, cand = tokens(reference), tokens(candidate)
    if not ref and not cand:
        return 1.0
    if not ref or not cand:
        return 0.0
    counts: dict[str, int] = {}
    for tok in ref:
        counts[tok] = counts.get(tok, 0) + 1
    common = 0
    for tok in cand:
        if counts.get(tok, 0) > 0:
            counts[tok] -= 1
            common += 1
    if not common:
        return 0.0
    precision, recall = common / len(cand), common / len(ref)
    return 2 * precision * recall / (precision + recall)
