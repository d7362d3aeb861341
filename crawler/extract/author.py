"""The author and their unit, from a byline element or the signature line ending the body."""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.extract.blocks import Block
from crawler.extract.dom import class_id
from crawler.extract.patterns import ORG_PREFIX
from crawler.text.names import MAX_NAME_WORDS, MIN_NAME_WORDS, is_surname

_BYLINE_CLASS = re.compile(
    r"author|byline|tacgia|tac-gia|tac_gia|writer|nguoiviet|nguoi-viet|signature|butdanh|"
    r"but-danh|news-?source|nguontin|nguon-tin"
)
_PREFIX = re.compile(
    r"^(?:tác giả|người viết|bút danh|(?:bài|tin)(?:\s*(?:,|và|&|\+)\s*ảnh)?|"
    r"thực hiện|nhóm thực hiện|viết bởi|đăng bởi|posted by|by)\s*:\s*|^(?:bởi|by)\s+",
    re.I,
)
_SOURCE = re.compile(r"^\(?\s*(?:nguồn(?: tin)?|source)\s*:\s*(.+?)\s*\)?\.?$", re.I)
_THEO = re.compile(r"^\(?\s*theo\s+(.+?)\s*\)?\.?$", re.I)
_REPORTER = re.compile(
    r"^(?:nhóm\s+)?(?:pv|phóng viên|ctv|cộng tác viên|btv|pv\s*-\s*ctv)$", re.I
)
_PAREN = re.compile(r"^(.+?)\s*\((.+?)\)$")
_SEPARATORS = (", ", " - ", " – ", " — ", " | ", " / ")
_LINE_MAX = 90


@dataclass
class Byline:
    """`author` None means a source or a unit alone: `Theo TTXVN`, `(Nguồn: Báo Hà Nam)`
    (`source`), or `VPTU`, `BBT` (a unit that signs for its staff)."""

    author: str | None
    unit: str | None
    block: Block | None = None
    source: bool = False

    def resolved(self) -> tuple[str | None, str | None]:
        """A page signed only by a source is authored by that source; one signed by a
        unit alone has no author, only the unit."""
        if self.author is None and self.source:
            return self.unit, None
        return self.author, self.unit


def is_person(text: str, *, strict: bool = False) -> bool:
    """2-5 capitalised words, not an organisation; `strict` wants a known surname first."""
    words = text.split()
    if not MIN_NAME_WORDS <= len(words) <= MAX_NAME_WORDS or ORG_PREFIX.match(text + " "):
        return False
    upper = all(w.isalpha() and w.isupper() for w in words)
    titled = all(w.isalpha() and w[0].isupper() and (w[1:].islower() or len(w) == 1) for w in words)
    if not (upper or titled):
        return False
    return not (strict or upper) or is_surname(words[0])


def _is_unit(text: str) -> bool:
    if not text or len(text) > 80 or len(text.split()) > 12 or text[-1] in ".!?;":
        return False
    first = text.split()[0]
    return first[0].isupper() or first[0].isdigit() or ".vn" in text or ".com" in text


def _is_abbreviation(text: str) -> bool:
    compact = text.replace(" ", "").replace("-", "").replace(".", "")
    return 2 <= len(compact) <= 12 and compact.isalnum() and compact.upper() == compact


def parse_byline(text: str, *, styled: bool = False) -> Byline | None:
    """Read `Name, UNIT`, `Name - UNIT`, `Name (UNIT)`, `UNIT - Name`, `Theo X`, `PV`, `(Nguồn: X)`.

    `styled` (bold, italic, right-aligned or in a byline element) lets a bare name or a
    bare unit count; in plain text only a name with a known surname does.
    """
    line = text.strip().rstrip(".").strip()
    if not line or len(line) > _LINE_MAX:
        return None
    line = _PREFIX.sub("", line).strip()
    if match := _SOURCE.match(line):
        return Byline(None, match.group(1).strip(), source=True)
    if match := _THEO.match(line):
        source = match.group(1).strip()
        return Byline(None, source, source=True) if _is_unit(source) else None
    if _REPORTER.match(line):
        return Byline(line, None)
    if (match := _PAREN.match(line)) and (is_person(match[1]) or _REPORTER.match(match[1])):
        return Byline(match[1].strip(), match[2].strip())
    for sep in _SEPARATORS:
        if sep not in line:
            continue
        first, second = (p.strip() for p in line.split(sep, 1))
        if is_person(first) or _REPORTER.match(first):
            if is_person(second) and not _is_abbreviation(second):
                return Byline(line, None)  # two authors
            if _is_unit(second):
                return Byline(first, second)
        if (_is_abbreviation(first) or ORG_PREFIX.match(first + " ")) and is_person(second):
            return Byline(second, first)
    if is_person(line, strict=not styled):
        return Byline(line, None)
    if styled and ORG_PREFIX.match(line + " "):
        return Byline(None, line)
    if styled and _is_abbreviation(line):
        # One run of initials (VPTU, BBT) is a unit signing for its staff; several
        # capitalised syllables (HẢI MINH) are a pen name printed in capitals.
        words = line.split()
        return Byline(line, None) if len(words) > 1 else Byline(None, line)
    return None


def _byline_element(block: Block) -> bool:
    el = block.el
    for _ in range(4):
        if el is None:
            return False
        if _BYLINE_CLASS.search(class_id(el)) or el.get("itemprop") == "author":
            return True
        el = el.getparent()
    return False


def byline_from_elements(blocks: list[Block]) -> Byline | None:
    """A byline element (class author/byline/tacgia...) anywhere in the article region."""
    for block in blocks:
        if block.text and _byline_element(block):
            found = parse_byline(block.text, styled=True)
            if found:
                found.block = block
                return found
    return None


def byline_from_tail(paragraphs: list[Block]) -> tuple[Byline | None, list[Block]]:
    """The signature at the end of the body: up to three short lines, read bottom-up.

    A person's line wins over source lines (`Nguồn tin: ...` names the publishing office,
    not the author's unit); the source lines are removed from the body all the same.
    """
    name: Byline | None = None
    source: Byline | None = None
    used: list[Block] = []
    for block in reversed(paragraphs[-3:]):
        found = parse_byline(block.text, styled=block.emphasized or block.right)
        if found is None:
            break
        used.append(block)
        if found.author:
            name = found
            break
        source = source or found
    return name or source, used
