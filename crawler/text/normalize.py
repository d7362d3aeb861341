"""Text normalization shared by every extractor: NFC, no invisible characters, folded spaces."""

from __future__ import annotations

import re
import unicodedata

# Zero-width and bidi marks, soft hyphens, BOMs and C0/C1 controls carry no text; editors paste
# them invisibly into Vietnamese CMS fields and they break exact matching downstream. The line
# and paragraph separators (U+2028, U+2029) are not here: they are white space, and a word
# on either side of one stays a word of its own. crawler.text.dates drops the same set.
INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u206a-\u206f\ufeff\ufff9-\ufffb]"
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
    return " ".join(nfc(strip_invisible(text)).split())


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
