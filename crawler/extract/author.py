"""The author, their unit and the publication credited, from a byline element or the
signature ending the body."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

from crawler.extract.blocks import Block
from crawler.extract.dom import Element, class_id, tag_of
from crawler.extract.literals import Literals
from crawler.extract.patterns import CHROME_LINE, ORG_PREFIX, related_heading
from crawler.text.names import MAX_NAME_WORDS, MIN_NAME_WORDS, is_surname, strip_titles
from crawler.text.normalize import clean_text

_BYLINE_CLASS = Literals((
    "author", "byline", "tacgia", "tac-gia", "tac_gia", "writer", "nguoiviet", "nguoi-viet",
    "signature", "butdanh", "but-danh", "newssource", "news-source", "nguontin", "nguon-tin",
))  # fmt: skip
# What introduces the author's own name: `Tác giả bài viết:`, `Bài và ảnh:`, `Tin, ảnh:`.
_PREFIX = re.compile(
    r"^(?:tác giả(?: bài viết)?|người viết|bút danh|"
    r"(?:bài|tin)(?: viết)?(?:\s*(?:,|và|&|\+|-)\s*ảnh)?|"
    r"nhóm thực hiện|thực hiện|viết bởi|by)\s*:\s*|^(?:bởi|by)\s+",
    re.I,
)
# Labels a reader can trust outside a byline element, for fields printed below the body.
_LABELLED = re.compile(r"^(?:tác giả(?: bài viết)?|người viết|bút danh|nguồn tin)\s*:", re.I)
# The CMS user who posted the page is an account, not the author (`Người đăng: admin`).
_ACCOUNT_LABEL = re.compile(
    r"^(?:người đăng(?: tin)?|đăng bởi|người cập nhật|cập nhật bởi|posted by|submitted by)\b",
    re.I,
)
_ACCOUNTS = frozenset(
    ("admin", "administrator", "super user", "superuser", "webmaster", "root", "editor",
     "quản trị", "quản trị viên", "quantri", "biên tập viên", "user")
)
# Credits of other roles under a signature (`Ảnh: ...`, `Kỹ thuật: ...`): part of the
# signature, never its author.
_CREDIT = re.compile(
    r"^(?:ảnh|kỹ thuật|kĩ thuật|đồ họa|đồ hoạ|video|quay phim|dựng phim|biên tập(?: viên)?|"
    r"trình bày|thiết kế|minh họa|minh hoạ|âm thanh)\s*:",
    re.I,
)
_SOURCE = re.compile(r"^(?:nguồn(?: tin)?|source)\b(\s*:)?\s*(.*)$", re.I)
_THEO = re.compile(r"^theo\s+(.+)$", re.I)
_URL_END = re.compile(r"[:\s]*(?:https?://|www\.)\S*$")
# An anonymous reporter signs as such; the line stays the author as printed (`PV`, `Nhóm PV`).
_REPORTER = re.compile(
    r"^(?:nhóm\s+)?(?:p\.?\s?v\.?|phóng viên(?: điện tử| thường trú)?|ctv|cộng tác viên|btv|"
    r"pv\s*[-–/]\s*ctv)$",
    re.I,
)
# A unit's name has no verb nor sentence glue; a short line of prose that starts with an
# organisation's word has (`Hội nghị đã thành công tốt đẹp`, `Ban chỉ đạo do ... làm trưởng
# ban`). `các` and `không` stay out: units have them (`Đảng ủy Khối các cơ quan`, `Không
# quân`). `Hội nghị`, `Hội thi`... are events, not the `Hội` of an association.
_PROSE_WORDS = frozenset(
    ("đã", "đang", "sẽ", "được", "bị", "là", "do", "tại", "lúc", "cho", "với", "này", "đó",
     "có", "vừa", "đến", "nhằm", "nhưng", "thì", "mà", "để", "khi")
)
_EVENT = re.compile(r"^hội (?:nghị|thảo|thi|diễn|chợ|trại|báo|xuân|làng|khỏe|khoẻ)\b", re.I)
_STOP = re.compile(r"[.!?…]\s+\S")
# The closing mark of Vietnamese official writing, `./.`, however it is spaced.
_CLOSING_MARK = r"\.\s*/\s*\."
_CLOSING = re.compile(_CLOSING_MARK)
_PAREN = re.compile(r"^(.+?)\s*\((.+?)\)$")
_LAST_PAREN = re.compile(r"\s*\(([^()]*)\)$")
# Between co-authors, or a name and its unit: commas and slashes, and dashes or bars with
# a space on at least one side (`VOV-TP HCM` and `HĐND-UBND` are one unit).
_SEPARATOR = re.compile(r"\s*[,;/]\s*|\s+[-–—|]\s*|\s*[-–—|]\s+")
_SEPARATOR_MARKS = frozenset(",;/-–—|")  # one of which each separator holds
_GLUED_DASH = re.compile(r"(?<=\w)[-–](?=\w)")
_INITIAL = re.compile(r"^(?:[^\W\d_]\.)+$")
_AFTER_DOT = re.compile(r"(?<=\.)(?=[^\W\d_])")
_ACRONYM_JOINS = re.compile(r"[-&./]")
# Vietnamese vowels are these letters once NFD has split their marks off (`Ư` is U+horn).
_VOWEL = re.compile(r"[aeiouy]", re.I)
_ENDS_INITIAL = re.compile(r"(?:^|[\s.])[^\W\d_]\.$")
# A closing mark or a sentence end, then a short run closing the paragraph: a signature
# glued to the last paragraph (`... trong tỉnh./. Thu Hà`).
_GLUED = re.compile(rf"({_CLOSING_MARK}|[.!?…][\"”’)]*)\s+([^.!?…]{{2,80}})$")
_PROSE_END = re.compile(rf"(?:[.!?…:]|{_CLOSING_MARK})[\"”’)]*$")
_EMPHASIS_TAGS = frozenset(("strong", "b", "em", "i"))
_LINE_MAX = 120
_PERSON_INITIALS = 2
_FIELD_SEPARATOR = re.compile(r"\s+\|\s+")
_CREDIT_MAX = 60
_UNIT_MAX = 90
_UNIT_WORDS = 16
_TAIL_LINES = 4
# Lines already read, with what they read as (see `_read_line`).
_READ_CACHE = 4096


@dataclass
class Byline:
    """Who signed the page. `author` None means a unit or a source alone: `VPTU`, `BBT` (a
    unit that signs for its staff) or `Theo TTXVN`, `(Nguồn: Báo Hà Nam)` (`source`, the
    publication the page is taken from); all None is a CMS account (`Người đăng: admin`)."""

    author: str | None
    unit: str | None
    block: Block | None = None
    source: str | None = None
    # The text `block` keeps once a signature glued to its end is cut off; None when the
    # signature was a block of its own.
    rest: str | None = None


def is_account(name: str) -> bool:
    """A CMS account name (`admin`, `Quản trị viên`) standing where an author would."""
    return name.strip().casefold() in _ACCOUNTS


def _name_words(text: str) -> list[str]:
    # `N.HƯNG` is an initial and a name: two words.
    return _AFTER_DOT.sub(" ", text).split() if "." in text else text.split()


def is_person(text: str, *, strict: bool = False) -> bool:
    """2-5 capitalised words or initials (`N.HƯNG`), not an organisation nor a heading;
    `strict` wants a known surname first."""
    # Every test below refuses on its own, so they run cheapest first: the string methods
    # on the words before the patterns, which most lines that are no name never reach.
    words = _name_words(text)
    if not MIN_NAME_WORDS <= len(words) <= MAX_NAME_WORDS:
        return False
    initials: list[str] = []
    names: list[str] = []
    for w in words:
        # An initial ends with its full stop: the pattern only runs on words that do.
        (initials if w[-1] == "." and _INITIAL.match(w) else names).append(w)
    if any(not w[0].isupper() for w in initials):
        return False
    upper = all(w.isalpha() and w.isupper() for w in names)
    titled = all(w.isalpha() and w[0].isupper() and (w[1:].islower() or len(w) == 1) for w in names)
    if not (upper or titled):
        return False
    # Every syllable of a name has a vowel: `BCĐ TỈNH` is a unit's initials and a word.
    if not all(_VOWEL.search(unicodedata.normalize("NFD", w)) for w in names):
        return False
    # A school is `Trường` and its kind and name (`Trường THCS Lê Lợi`); `Trường Giang`
    # alone is a person.
    school_like = len(words) == 2 and text.casefold().startswith("trường ")
    if (
        (ORG_PREFIX.match(text + " ") and not school_like)
        or related_heading(text) or CHROME_LINE.match(text)
    ):
        return False
    if strict:
        return not initials and is_surname(names[0])
    return True


def _is_prose(text: str) -> bool:
    """Two sentences, or one closed by `./.`: a word's full stop, not an abbreviation's
    (`Báo Công an TP. Hồ Chí Minh` is one name)."""
    if _CLOSING.search(text):
        return True
    return any(m.start() > 0 and text[m.start() - 1].islower() for m in _STOP.finditer(text))


def _is_unit(text: str) -> bool:
    if not text or len(text) > _UNIT_MAX or text[-1] in ".!?;":
        return False
    words = text.split()
    if len(words) > _UNIT_WORDS:
        return False
    # The word tests before the patterns: each refuses on its own.
    first = words[0]
    if not (first[0].isupper() or first[0].isdigit() or ".vn" in text or ".com" in text):
        return False
    return not (
        not _PROSE_WORDS.isdisjoint(text.casefold().split()) or _EVENT.match(text)
        or _is_prose(text)
    )


def _is_abbreviation(text: str) -> bool:
    compact = text.replace(" ", "").replace("-", "").replace(".", "")
    return 2 <= len(compact) <= 12 and compact.isalnum() and compact.upper() == compact


def _opens_with_acronym(text: str) -> bool:
    """Capitals opening with initials no syllable reads (`TTVH-TT&TT`, `BCĐ`): every
    Vietnamese syllable has a vowel, and a pen name in capitals (`HẢI MINH`) has them."""
    first = text.split()[0]
    letters = _ACRONYM_JOINS.sub("", first)
    return (
        len(text.split()) > 1 and letters.isalpha() and letters.isupper()
        and not _VOWEL.search(unicodedata.normalize("NFD", letters))
    )


def _co_author(part: str) -> bool:
    # After the first name, one capitalised word is a co-author's one-word name (`Piên`);
    # one in capitals is a unit's initials (`VPTU`).
    return is_person(part) or (part.isalpha() and part.istitle() and len(part) > 1)


def _people(text: str, *, strict: bool) -> bool:
    """One person, or co-authors joined by commas, dashes or slashes; a dash without
    spaces joins two full names too (`Đức Nguyên-Hiệp Thương`), never a unit's parts
    (`VOV-TP HCM`), which are no names."""
    parts = _separated(text)
    if len(parts) == 1:
        return _glued_names(text) or is_person(text, strict=strict)
    return is_person(parts[0]) and all(_co_author(p) for p in parts[1:])


def _glued_names(text: str) -> bool:
    """Full names joined by a dash without spaces (`Đức Nguyên-Hiệp Thương`)."""
    # Without a dash there is nothing to split: the pattern runs only on lines with one.
    return (
        ("-" in text or "–" in text) and len(names := _GLUED_DASH.split(text)) > 1
        and all(is_person(n) for n in names)
    )


def _separated(text: str, maxsplit: int = 0) -> list[str]:
    """`_SEPARATOR.split`: the pattern tries every position of the line, and runs only on
    a line holding one of the marks a separator needs."""
    if _SEPARATOR_MARKS.isdisjoint(text):
        return [text]
    return _SEPARATOR.split(text, maxsplit)


def _clean(text: str) -> str:
    # Footnote stars and the punctuation a signature line ends with are not part of it,
    # save the full stop of a closing initial (`B.B.`).
    text = text.strip().rstrip(",;:*").strip()
    # The initial is the last three characters at most (a space or dot, a letter, a dot);
    # the pattern's `^` stands for that space when the text is two characters long.
    return text if _ENDS_INITIAL.search(text[-3:]) else text.rstrip(".").strip()


def _without_role_note(line: str) -> str:
    # A lower-case note closing the line says what the author did, not who they are:
    # `M.K./VOV.VN(biên dịch)`.
    # The note's `)` closes the line (or comes before a final line break, which `$` allows):
    # the pattern, which tries every position, runs only then.
    match = _LAST_PAREN.search(line) if ")" in line[-2:] else None
    if match and match[1][:1].islower():
        return line[:match.start()]
    return line


def _credited(value: str) -> Byline | None:
    """The publication a `Theo ...`/`Nguồn: ...` line credits; a reporter of it may come
    first (`Theo Thái Sơn/Báo QĐND`), and a full name alone is a person."""
    value = _clean(_URL_END.sub("", value))
    if any(part[:1].islower() for part in value.split(", ")[1:]):
        return None  # a sentence: `Theo Bộ Y tế, số ca mắc giảm`
    if is_person(value, strict=True):
        return Byline(value, None)
    parts = _separated(value, maxsplit=1)
    if len(parts) == 2 and is_person(parts[0]) and _is_unit(parts[1]):
        return Byline(parts[0], None, source=parts[1])
    return Byline(None, None, source=value) if _is_unit(value) else None


def _person_and_unit(line: str, *, strict: bool) -> tuple[str, str | None] | None:
    # The pattern ends with `\)$`, before at most a final line break; it runs only then.
    if ")" in line[-2:] and (match := _PAREN.match(line)) and (
        _people(match[1], strict=False) or _REPORTER.match(match[1])
    ):
        return match[1].strip(), match[2].strip()
    parts = _separated(line, maxsplit=1)
    if len(parts) == 2:
        # What `_people(line)` and `_people(first)` read, each part once: `first` ends
        # where the first separator starts, so it holds none and is the first of the
        # line's parts; and `_people` reads a line of several parts alike, strict or not.
        first, rest = parts
        named = is_person(first)
        if named and all(_co_author(p) for p in _separated(line)[1:]):
            return line, None
        if (named or _glued_names(first) or _REPORTER.match(first)) and _is_unit(rest):
            return first, rest
        if (_is_abbreviation(first) or ORG_PREFIX.match(first + " ")) and is_person(rest):
            return rest, first
        return None
    if _people(line, strict=strict):
        return line, None
    return None


def parse_byline(text: str, *, styled: bool = False) -> Byline | None:
    """Read `Name, UNIT`, `Name - UNIT`, `Name/UNIT`, `Name (UNIT)`, `UNIT - Name`,
    `ThS. Name`, `Tin, ảnh: Name`, `Theo X`, `(Nguồn: X)`, `(X/Y)`, `PV`, `Người đăng: ...`.

    `styled` (bold, italic, right-aligned, in a byline element or ending the body) lets a
    bare name or a bare unit count; in plain text only a name with a known surname does.
    """
    if len(text) > _LINE_MAX:
        return _read(text, styled)
    found = _read_line(text, styled)
    return None if found is None else Byline(found[0], found[1], source=found[2])


@lru_cache(maxsize=_READ_CACHE)
def _read_line(text: str, styled: bool) -> tuple[str | None, str | None, str | None] | None:
    """What `_read` finds in a line no longer than a signature, remembered: a page reads
    some lines twice (a tail line as a signature, then as the line over a unit's) and a
    site prints the same signatures on every page. The fields only, so that every caller
    gets a Byline of its own."""
    found = _read(text, styled)
    return None if found is None else (found.author, found.unit, found.source)


def _read(text: str, styled: bool) -> Byline | None:
    line = _clean(text)
    if not line or len(line) > _LINE_MAX or related_heading(line) or CHROME_LINE.match(line):
        return None
    if _ACCOUNT_LABEL.match(line) or is_account(line):
        return Byline(None, None)
    bracketed = line.startswith("(") and line.endswith(")") and line.count("(") == 1
    if bracketed:
        line = _clean(line[1:-1])
    line = _PREFIX.sub("", line).strip()
    if match := _SOURCE.match(line):
        # Without a colon only a web address makes it a credit (`Nguồn Nhân Dân: www...`),
        # not a sentence (`Nguồn vốn được huy động...`).
        if match[1] or _URL_END.search(match[2]):
            return _credited(match[2])
        return None
    if match := _THEO.match(line):
        return _credited(match[1])
    if _REPORTER.match(line):
        return Byline(line, None)
    line = _clean(_without_role_note(strip_titles(line)))
    if found := _person_and_unit(line, strict=not styled):
        return Byline(*found)
    # A line of prose ends with its full stop; a unit signing alone does not.
    unit_only = _is_unit(line) and not text.rstrip().endswith(".")
    if bracketed and unit_only:
        # `(TTXVN/Vietnam+)` closing an article credits the agencies it comes from.
        return Byline(None, None, source=line)
    if styled and unit_only and ORG_PREFIX.match(line + " "):
        return Byline(None, line)
    if styled and unit_only and _opens_with_acronym(line):
        # `TTVH-TT&TT HÀM TÂN`: a unit's initials and its place, in capitals.
        return Byline(None, line)
    if styled and _is_abbreviation(line):
        # One run of initials (VPTU, BBT) is a unit signing for its staff; several
        # capitalised syllables (HẢI MINH) are a pen name printed in capitals, and two
        # letters alone (TQ) a reporter's initials.
        person = len(line.split()) > 1 or len(line) == _PERSON_INITIALS
        return Byline(line, None) if person else Byline(None, line)
    return None


def _byline_element(el: Element | None, classed: dict[Element, bool]) -> bool:
    """`el` or one of its three nearest ancestors classed as a byline (or `itemprop` author).

    `classed` remembers each element's own answer: the blocks of one box share their
    ancestors, and each element is tested once, however many blocks climb through it.
    """
    for _ in range(4):
        if el is None:
            return False
        found = classed.get(el)
        if found is None:
            found = classed[el] = _byline_classed(el)
        if found:
            return True
        el = el.getparent()
    return False


def _byline_classed(el: Element) -> bool:
    """`el`'s class or id holds a byline word, or its `itemprop` is `author`."""
    # Both read words in attribute values, so an element none of whose values holds one
    # (most elements, all those without attributes) is ruled out by one test: the words
    # are ASCII without spaces, the ASCII letters lower-casing makes of a character do
    # not depend on its neighbours, and `author` is a word.
    values = el.values()
    if not values or not _BYLINE_CLASS.occurs_in(" ".join(values).lower()):
        return False
    return _BYLINE_CLASS.occurs_in(class_id(el)) or el.get("itemprop") == "author"


def _with_parts(person: Byline | None, parts: list[tuple[Byline, Block]]) -> Byline | None:
    """A signature's lines put together: the person's line, then the unit and the source
    printed on lines of their own (`NAME` / `Trường Chính trị tỉnh`, `Tên` / `Theo TTXVN`)."""
    unit = person.unit if person else None
    source = person.source if person else None
    for found, block in parts:
        if found.unit and unit is None:
            unit = found.unit
        if found.source and source is None:
            # A bare `(Đoàn Không quân Sao Đỏ)` under a name is the person's unit; alone,
            # `(TTXVN/Vietnam+)`, it is the source.
            if person is not None and unit is None and block.text.startswith("("):
                unit = found.source
            else:
                source = found.source
    if person is None and unit is None and source is None:
        return None
    if person is None:
        return Byline(None, unit, block=parts[0][1], source=source)
    return replace(person, unit=unit, source=source)


def _labelled_field(text: str) -> str | None:
    """The labelled field of a line (`Tác giả: X`), also among the `|`-separated fields of
    a meta line (`Lượt xem: 456 | Tác giả: X`)."""
    # A labelled field holds its colon: most lines have none, and skip the split.
    if len(text) > _LINE_MAX * 2 or ":" not in text:
        return None
    return next((f for f in _FIELD_SEPARATOR.split(text) if _LABELLED.match(f)), None)


def byline_from_elements(blocks: list[Block]) -> Byline | None:
    """A byline element (class author/byline/tacgia...) or a labelled field (`Tác giả:`,
    `Nguồn tin:`) anywhere in the article region; a person's line wins over a source's."""
    person: Byline | None = None
    parts: list[tuple[Byline, Block]] = []
    classed: dict[Element, bool] = {}
    for block in blocks:
        if not block.text:
            continue
        text = _labelled_field(block.text)
        if text is None and _byline_element(block.el, classed):
            text = block.text
        if text is None:
            continue
        found = parse_byline(text, styled=True)
        if found is None:
            continue
        if found.author and person is None:
            person = replace(found, block=block)
        elif found.unit or found.source:
            parts.append((found, block))
    return _with_parts(person or _signature_above(blocks), parts)


def _signature_above(blocks: list[Block]) -> Byline | None:
    """A signature printed between the title and the first paragraph, set apart as a
    signature is (right-aligned and bold or italic): `TS. Name`, then maybe the post or
    unit on the line under it (`Tỉnh ủy viên, Hiệu trưởng`)."""
    person: Byline | None = None
    for block in blocks:
        if len(block.text) > _LINE_MAX:
            break  # the first paragraph
        set_apart = block.right and block.emphasized
        if person is not None:
            text = _clean(block.text)
            return replace(person, unit=text) if set_apart and _is_unit(text) else person
        found = parse_byline(block.text, styled=True) if set_apart else None
        if found is not None and found.author:
            person = replace(found, block=block)
    return person


def _emphasized_end(block: Block) -> str | None:
    """The bold or italic run the block's text ends with, when it is not the whole block."""
    found = None
    for el in block.el.iter():
        if el is block.el or tag_of(el) not in _EMPHASIS_TAGS:
            continue
        text = clean_text(el.text_content())
        if text and len(text) < len(block.text) and block.text.endswith(text):
            found = text
    return found


def _glued(block: Block) -> Byline | None:
    """A signature closing the last paragraph: a bold run (`... trong tỉnh. <b>Tên, ĐV</b>`)
    or the words after its closing mark (`... ./. Tên`)."""
    text = block.text
    emphasized = _emphasized_end(block)
    rest = text[:len(text) - len(emphasized)].rstrip() if emphasized else ""
    # The run must follow the end of the prose: `của đồng chí <b>Nguyễn Văn A</b>` is not one.
    if emphasized and _PROSE_END.search(rest):
        found = parse_byline(emphasized, styled=True)
        if found is not None and (found.author or found.source or found.unit):
            return replace(found, block=block, rest=rest)
    match = _GLUED.search(text)
    if match is None:
        return None
    tail = match[2].strip()
    closing = "/" in match[1]
    # After `./.` the words are set apart as a signature is; after a plain full stop only
    # a label (`Thực hiện: ...`, `Theo ...`) or a full name with a known surname is one.
    labelled = bool(_PREFIX.match(tail) or _THEO.match(tail) or _SOURCE.match(tail))
    found = parse_byline(tail, styled=closing or labelled)
    if found is None or not (found.author or found.source):
        return None
    if not (closing or labelled or (found.unit is None and is_person(tail, strict=True))):
        return None
    return replace(found, block=block, rest=text[:match.start(2)].rstrip())


def _signature_line(block: Block) -> Byline | None:
    return parse_byline(block.text, styled=True) if len(block.text) <= _LINE_MAX else None


def _unit_under_name(block: Block, above: Block) -> bool:
    """A unit or post on the line under a bare name (`ThS. Mai Thị Thu Hiền` /
    `Giảng viên khoa Lý luận cơ sở`), which alone would not read as a unit."""
    if not _is_unit(_clean(block.text)):
        return False
    person = _signature_line(above)
    return person is not None and bool(person.author) and person.unit is None


def byline_from_tail(paragraphs: list[Block]) -> tuple[Byline | None, list[Block]]:
    """The signature at the end of the body: up to four short lines, read bottom-up, or a
    signature glued to the end of the last paragraph of prose.

    Ending the body sets a line apart as bold or right alignment do, and so does a
    signature line below it. Unit, source and credit lines are removed from the body with
    the person's line; a glued signature is cut from its paragraph (`Byline.rest`).
    """
    parts: list[tuple[Byline, Block]] = []
    used: list[Block] = []
    credits: list[Block] = []
    result: Byline | None = None
    tail = paragraphs[-_TAIL_LINES:]
    for i in range(len(tail) - 1, -1, -1):
        block = tail[i]
        if len(block.text) <= _CREDIT_MAX and _CREDIT.match(block.text):
            credits.append(block)
            continue
        # The bottom line, and any line over a signature line, is in a signature's place.
        found = _signature_line(block)
        if found is None and i > 0 and _unit_under_name(block, tail[i - 1]):
            found = Byline(None, _clean(block.text))
        if found is None:
            result = _with_parts(_glued(block), parts)
            break
        used.append(block)
        if found.author:
            result = _with_parts(replace(found, block=block), parts)
            break
        parts.append((found, block))
    else:
        result = _with_parts(None, parts)
    # A credit line (`Ảnh: ...`) is the signature's only under one; alone it may caption
    # the last photo, and stays.
    return result, [*used, *credits] if result is not None else used
