"""The officials a text names, each with the fullest position any mention gives.

Decisions a reader of the output should know:

* Academic titles and ranks (``TS.``, ``PGS, TS``, ``Đại tá``) are dropped from names so
  that one person is counted once whatever the title printed that day; the title printed
  before the name is kept apart in ``title``.
* A person is an official when the text gives them a position: a name joined to a
  position after it (``đồng chí``, ``ông/bà``, a title or a bare name followed by ``,`` or
  ``-`` and the position) or before it (``Tổng Bí thư Tô Lâm``, ``Bí thư Tỉnh ủy, đồng
  chí ...``). ``đồng chí X`` or ``ông X`` with no position anywhere in the text is not.
* The position is the whole chain printed with the name, its parts joined as printed
  (``Ủy viên Bộ Chính trị, Chủ tịch Quốc hội``, ``TUV - Bí thư huyện ủy``); a chain split
  around the name is joined with ``, `` in page order.
* Not officials: a person honoured for long Party membership (``Huy hiệu 55 năm tuổi
  Đảng tặng đồng chí ...``), a person commemorated (``kỷ niệm 110 năm ngày sinh đồng chí
  ...``), and the author (``exclude``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from crawler.extract.facts.lexicon import HEAD, HEAD_ALT, UP
from crawler.extract.facts.phrases import (
    Tok,
    org_span,
    run_length,
    scan_org,
    tokens,
    tokens_between,
    word_start,
    words,
)
from crawler.text.names import (
    MAX_NAME_WORDS,
    MIN_NAME_WORDS,
    RANK_GRADES,
    RANK_TIERS,
    SURNAMES,
    TITLES,
)
from crawler.text.normalize import nfc

_NAME_WINDOW = 48
# First syllables that start organisation names, never a person's (`đồng chí Thường trực`).
_NOT_NAME = words("""
    Tỉnh Huyện Thành Ban Sở Đảng Trường Bệnh Hội Ủy Uỷ Bộ Cục Chi Phòng Viện Nhà Thường
    Trung Văn Ngân Công Đài Báo Tổng Liên Mặt Quân Bảo Kho Thanh Tòa Toà Học Xã Quốc
""")
# Words before a place: its kind or a preposition (`huyện Kim Thành`, `tại Hà Nội`).
_PLACE_NOUNS = words("tỉnh huyện xã phường quận phố trấn thôn tại ở về đến từ tới")
# Heads that name a post by themselves; the others need an organisation (`Bí thư Tỉnh ủy`).
_STANDALONE = frozenset({
    "Tổng Bí thư", "Tổng bí thư", "Thường trực Ban Bí thư", "Thủ tướng", "Đại biểu Quốc hội",
    "Tỉnh ủy viên", "Tỉnh uỷ viên", "Thành ủy viên", "Thành uỷ viên", "Huyện ủy viên",
    "Huyện uỷ viên", "Quận ủy viên", "Khu ủy viên", "Khu uỷ viên", "Đảng ủy viên", "Bộ trưởng",
    "Thứ trưởng", "Tổng Thư ký", "Tổng thư ký", "TUV", "HUV",
})
_TITLES = (
    rf"(?:(?:{'|'.join(TITLES)})"
    rf"(?:\.\s*|\s*,\s*|\s+)(?={UP}))+"
)
_RANKS = rf"(?:{'|'.join(RANK_GRADES)})\s+(?:{'|'.join(RANK_TIERS)})\s+"
_TITLE = re.compile(rf"{_TITLES}|{_RANKS}")
_TITLE_WORDS = "|".join(
    (*TITLES, *(f"{grade}\\s+{tier}" for grade in RANK_GRADES for tier in RANK_TIERS))
)
_IS_TITLE = re.compile(_TITLE_WORDS)
# One scan finds every place a mention of an official can start. It is a plain alternation
# of words, which re can skip ahead to; groups or classes here would make it ten times
# slower. Which word was hit is read afterwards.
_TRIGGER = re.compile(
    rf"(?:đồng\s+chí|Đồng\s+chí|đ/c|Đ/c|ông|Ông|bà|Bà|{_TITLE_WORDS}|{HEAD_ALT}"
    rf"|Phó|Quyền)(?!\w)"
)
_AFTER_ANCHOR = re.compile(rf"\s*:?\s*(?:{_TITLES}|{_RANKS})?")
_LIST_SEP = re.compile(r"\s*(?:[,;]|và|,\s*và)\s*")
_PLURAL = re.compile(r"[Cc]ác\s+\Z")
_HEAD_PREFIX = re.compile(r"(?:(?:[Nn]guyên\s+)?(?:Phó|Quyền)\s+|[Nn]guyên\s+)\Z")
_INTRODUCED = re.compile(
    rf"\s*(?:(?:[Đđ]ồng\s+chí|[Ôô]ng|[Bb]à)\s+(?:{_TITLES}|{_RANKS})?|{_TITLES}|{_RANKS})"
)
_SENTENCE_START = re.compile(r"(?:^|[.:;!?\n“\"(]\s*)\Z")
# What joins the parts of a chain of positions (`Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh`,
# `TUV - Bí thư huyện ủy`; `;` only when a position follows).
_CHAIN_SEP = re.compile(r"\s*(?:,|;|\s[-–]|[-–]\s)\s*")
_SEP_BEFORE = re.compile(r"\s*(?:,|\s[-–])\s*\Z")
# The body a position belongs to, printed after it (`Phó Vụ trưởng Vụ Địa phương I, Ban Tổ
# chức Trung ương`).
_PARENT_ORG = re.compile(r"(?:Ban|Bộ|Tổng\s+cục|Học\s+viện|Văn\s+phòng|Ủy\s+ban|Uỷ\s+ban)\s")
# A position of a national body printed with `của` (`Chủ tịch Hội đồng Dân tộc của Quốc hội`).
_OF_BODY = re.compile(r"\s+của\s+(?:Đảng|Quốc\s+hội|Chính\s+phủ|Nhà\s+nước)(?![\w\s]*bộ)(?!\w)")
_CLAUSE_END_AHEAD = re.compile(r"\s*(?:[.;,)]|$)")
_CHAIN_WINDOW = 100
# A name after `là` or `:` takes the position printed before (`các đồng chí nguyên Tỉnh ủy
# viên, ... là A, B, C`).
_NAMES_LEAD = re.compile(r"\s*(?:là|gồm|:|gồm\s*:)\s*")
# Persons honoured, not acting: the rest of a sentence after a Party membership badge, and a
# name after `ngày sinh` (`kỷ niệm 110 năm ngày sinh đồng chí ...`).
_BADGE = re.compile(r"(?:Huy|huy)\s+hiệu\s+\d+\s+(?:năm\s+)?tuổi\s+[Đđ]ảng")
_CLAUSE_END = re.compile(r"[;!?\n]|\.(?=\s|$)")
_BIRTHDAY = re.compile(r"(?:[Nn]gày|[Nn]ăm)\s*sinh\s+(?:của\s+)?(?:cố\s+)?\Z")



def officials(text: str, *, exclude: Iterable[str] = ()) -> list[dict]:
    """The officials a text names, one per name in order of first mention.

    Each dict has `name`, `position` and `title` (the academic title or rank printed
    before the name, or None); a later mention replaces the position only when it says
    more (`Bí thư Tỉnh ủy` -> `Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy`). A name no mention
    gives a position is left out. `exclude` takes the author's name(s).

    >>> officials("đồng chí Lê Văn Hiệu, Phó Bí thư Thường trực Tỉnh ủy làm việc")
    [{'name': 'Lê Văn Hiệu', 'position': 'Phó Bí thư Thường trực Tỉnh ủy', 'title': None}]
    """
    if not text:
        return []
    text = nfc(text)
    skip = {_key(name) for name in exclude if name}
    honoured = _honoured_spans(text)
    people: dict[str, dict] = {}
    covered = 0
    for m in _TRIGGER.finditer(text):
        start = m.start()
        if start < covered or not word_start(text, start):
            continue
        word = m.group()
        if word in ("Phó", "Quyền"):
            # `Phó chủ tịch`: a head in lowercase, which only a deputy's title allows;
            # a capitalized head after `Phó` is a trigger of its own.
            m = HEAD.match(text, start)
            if m is None or not m.group("head")[0].islower():
                continue
            word = m.group()
        if word.lower().startswith(("đồng", "đ/")) or word in ("ông", "Ông", "bà", "Bà"):
            plural = _PLURAL.search(text, max(0, start - 6), start) is not None
            after = _AFTER_ANCHOR.match(text, m.end())
            honor = not word.lower().startswith("đ")
            found, end = _after_anchor(text, after.end(), plural=plural, honor=honor,
                                       title=_title(text, after))
        elif _IS_TITLE.fullmatch(word):
            title = _TITLE.match(text, start)
            if title is None:
                continue
            found, end = _name_first(text, title.end(), need_position=True,
                                     title=_title(text, title))
        else:
            prefix = _HEAD_PREFIX.search(text, max(0, start - 16), start)
            head_start = prefix.start() if prefix else start
            run = _run_before(text, head_start, covered)
            found, end = _listed(text, run, head_start) if run else ([], 0)
            if not found:
                found, end = _position_first(text, head_start, m, covered)
        if not found:
            continue
        covered = end
        if _BIRTHDAY.search(text, max(0, start - 24), start) or any(
                a <= start < b for a, b in honoured):
            continue
        for name, position, title in found:
            if _key(name) not in skip:
                _merge(people, name, position, title)
    return [person for person in people.values() if person["position"]]


def _honoured_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for badge in _BADGE.finditer(text):
        end = _CLAUSE_END.search(text, badge.end())
        spans.append((badge.start(), end.start() if end else len(text)))
    return spans


def _title(text: str, m: re.Match[str]) -> str | None:
    """The title as printed (`PGS, TS`, `Thiếu tướng`), without the joints after it."""
    title = text[m.start():m.end()].strip().rstrip(",.:").strip()
    return " ".join(title.split()) or None


def _key(name: str) -> str:
    return " ".join(nfc(name).split()).casefold()


def _merge(people: dict[str, dict], name: str, position: str | None, title: str | None) -> None:
    seen = people.get(name)
    if seen is None:
        people[name] = {"name": name, "position": position, "title": title}
        return
    if position and (not seen["position"] or (
            seen["position"] in position and len(position) > len(seen["position"]))):
        seen["position"] = position
    seen["title"] = seen["title"] or title


def _after_anchor(text: str, pos: int, *, plural: bool, honor: bool,
                  title: str | None) -> tuple[list, int]:
    """`đồng chí X, <position>`, `các đồng chí: X, ...; Y, ...`, `các đồng chí <position>
    là X, Y`."""
    if not plural:
        return _name_first(text, pos, need_position=honor, title=title)
    people: list = []
    end = pos
    if HEAD.match(text, pos):
        return _names_after_position(text, pos)
    while True:
        found, stop = _name_first(text, pos, need_position=honor, title=None)
        if not found:
            return people, end
        people += found
        end = stop
        sep = _LIST_SEP.match(text, stop)
        if not sep:
            return people, end
        pos = sep.end()


def _names_after_position(text: str, pos: int) -> tuple[list, int]:
    """`<positions> là A, B và C`: each name holds the positions."""
    found = _positions(text, pos)
    if found is None:
        return [], pos
    position, end = found
    lead = _NAMES_LEAD.match(text, end)
    if not lead or lead.end() == end:
        return [], pos
    names, end = _name_list(text, lead.end())
    return [(name, position, None) for name in names], end


def _name_list(text: str, pos: int) -> tuple[list[str], int]:
    """Names joined by `,` or `và` from `pos`."""
    names: list[str] = []
    end = pos
    while True:
        toks = tokens(text, pos, _NAME_WINDOW)
        r = 0
        while r < len(toks) and toks[r].kind == "T":
            r += 1
        # The whole capitalized run: `Nguyễn Công Thanh đồng chủ trì` is no `Hội đồng`.
        if not (MIN_NAME_WORDS <= r <= MAX_NAME_WORDS and toks[0].text in SURNAMES):
            return names, end
        names.append(_join(toks, 0, r))
        end = toks[r - 1].end
        sep = _LIST_SEP.match(text, end)
        if not sep:
            return names, end
        pos = sep.end()


def _name_first(text: str, pos: int, *, need_position: bool,
                title: str | None) -> tuple[list, int]:
    toks = tokens(text, pos, _NAME_WINDOW)
    span = _name_at(toks, 0)
    if span is None:
        return [], pos
    name = _join(toks, *span)
    j = span[1]
    position, end = None, toks[j - 1].end
    if j < len(toks) and toks[j].text in ",-–(":
        found = _positions(text, toks[j].end)
        if found:
            position, end = found
    if position is None and need_position:
        return [], pos
    return [(name, position, title)], end


def _name_at(toks: list[Tok], j: int) -> tuple[int, int] | None:
    """The token span of a person's name starting exactly at toks[j]."""
    r = run_length(toks, j)
    if r < MIN_NAME_WORDS or toks[j].text in _NOT_NAME:
        return None
    if toks[j].text not in SURNAMES and r < 3:
        return None
    return j, j + min(r, MAX_NAME_WORDS)


def _positions(text: str, pos: int, *, before_name: bool = True) -> tuple[str, int] | None:
    """The chain of positions starting at `pos` (`Ủy viên Trung ương Đảng, Bí thư Tỉnh
    ủy`), up to a position that ends in a name, which is someone else's; when such a
    position ends the chain and not `before_name`, the whole chain is theirs (None)."""
    start = None
    end = pos
    while True:
        m = HEAD.match(text, _skip_space(text, pos))
        if not m:
            break
        toks = tokens(text, m.end())
        j, name = scan_org(toks, 0, text, names=True)
        if name:
            # `..., Chủ tịch UBND tỉnh Lê Trí Thanh`: the next person's position
            if not before_name:
                return None
            break
        deputy = m.group(0).lstrip().startswith(("Phó", "Quyền", "nguyên Phó", "Nguyên Phó"))
        if j == 0 and m.group("head") not in _STANDALONE and not deputy:
            break
        if start is None:
            start = m.start()
        end = _parent_org(text, toks[j - 1].end if j else m.end())
        if of := _OF_BODY.match(text, end):
            end = of.end()
        sep = _CHAIN_SEP.match(text, end)
        if not sep or not HEAD.match(text, sep.end()):
            break
        pos = sep.end()
    if start is None:
        return None
    return " ".join(text[start:end].split()), end


def _parent_org(text: str, end: int) -> int:
    """`Phó Vụ trưởng Vụ Địa phương I, Ban Tổ chức Trung ương`: the body after a comma."""
    if not text.startswith(",", end):
        return end
    pos = _skip_space(text, end + 1)
    if not _PARENT_ORG.match(text, pos):
        return end
    span = org_span(text, pos)
    # Only at the end of a clause: `Bí thư Tỉnh ủy, Ban Thường vụ Tỉnh ủy đã họp` goes on
    # with the subject of the sentence.
    return span if span and _CLAUSE_END_AHEAD.match(text, span) else end


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _position_first(text: str, start: int, m: re.Match[str], floor: int) -> tuple[list, int]:
    """`Bí thư Tỉnh ủy Trần Đức Thắng`, `Ủy viên Bộ Chính trị, Chủ tịch Quốc hội Vương Đình
    Huệ`, `Bí thư Tỉnh ủy, đồng chí Trần Đức Thắng`, `các Phó Chủ tịch HĐND tỉnh A, B`."""
    if text[max(0, start - 4):start].rstrip().endswith("Ban") and "Thường" not in m.group():
        return [], m.end()  # `Ban Bí thư`: the Secretariat, not a secretary
    toks = tokens(text, m.end())
    j, span = scan_org(toks, 0, text, names=True)
    head = " ".join(m.group().split())
    deputy = text[start:m.start()].strip() in ("Phó", "Quyền") or head.startswith(("Phó", "Quyền"))
    if j == 0 and head not in _STANDALONE and not deputy:
        return [], m.end()
    first = _chain_before(text, start, floor)
    position = " ".join(text[first:toks[j - 1].end if j else m.end()].split())
    if span is None and j < len(toks) and toks[j].text == ",":
        # `Bí thư Tỉnh ủy, đồng chí Phạm Xuân Thăng`, `Giám đốc Bệnh viện, BSCKII Lê Hùng`
        introduced = _INTRODUCED.match(text, toks[j].end)
        if introduced:
            title = _TITLE.search(text, introduced.start(), introduced.end() + 1)
            found, end = _name_first(text, introduced.end(), need_position=False,
                                     title=_title(text, title) if title else None)
            return [(name, _joined(position, more), t) for name, more, t in found], end
    if span is None:
        return [], m.end()
    name, end = _join(toks, *span), toks[span[1] - 1].end
    people = [(name, position, None)]
    if _PLURAL.search(text, max(0, first - 6), first):
        sep = _LIST_SEP.match(text, end)
        if sep:
            names, after = _name_list(text, sep.end())
            if names:
                people += [(other, position, None) for other in names]
                end = after
        return people, end
    sep = _CHAIN_SEP.match(text, end)
    if sep and sep.group().strip() != ";":
        more = _positions(text, sep.end(), before_name=False)
        if more:
            return [(name, _joined(position, more[0]), None)], more[1]
    return people, end


def _joined(before: str, after: str | None) -> str:
    return f"{before}, {after}" if after else before


def _chain_before(text: str, start: int, floor: int) -> int:
    """Where a chain of positions ending at `start` begins (`Ủy viên Trung ương Đảng, `)."""
    while True:
        sep = _SEP_BEFORE.search(text, max(floor, start - 4), start)
        if not sep:
            return start
        earliest = None
        for h in HEAD.finditer(text, max(floor, sep.start() - _CHAIN_WINDOW), sep.start()):
            if not word_start(text, h.start()):
                continue
            prefix = _HEAD_PREFIX.search(text, max(0, h.start() - 16), h.start())
            toks = tokens_between(text, h.end(), sep.start())
            j, name = scan_org(toks, 0, text, names=True)
            if name is None and j == len(toks) and (j or h.group("head") in _STANDALONE):
                earliest = prefix.start() if prefix else h.start()
                break
        if earliest is None or earliest < floor:
            return start
        start = earliest


def _run_before(text: str, head_start: int, floor: int) -> list[Tok] | None:
    """The capitalized words followed by `,` or `-` right before a position, if any."""
    toks = tokens_between(text, max(floor, head_start - 64), head_start)
    if len(toks) < 3 or toks[-1].text not in ",-–":
        return None
    i = len(toks) - 1
    while i > 0 and toks[i - 1].kind == "T" and len(toks) - i < 9:
        i -= 1
    if i > 0 and toks[i - 1].kind in "AM":
        return None  # `Trường THPT Nguyễn Trãi,`: part of a longer proper name
    if i == 0 and toks[0].start and text[toks[0].start - 1].isalnum():
        i = 1  # the window cut a word
    return toks[i:-1] if len(toks) - 1 - i >= 2 else None


def _listed(text: str, toks: list[Tok], head_start: int) -> tuple[list, int]:
    """`Nguyễn Văn A, Bí thư Huyện ủy`: a bare name introduced by its position."""
    r = len(toks)
    starts = [i for i in range(r)
              if toks[i].text in SURNAMES and MIN_NAME_WORDS <= r - i <= MAX_NAME_WORDS]
    if not starts:
        return [], 0
    i = starts[0]
    # `Theo Nguyễn Văn An, Giám đốc ...`: one sentence-initial word before the name.
    opener = i == 1 and toks[0].text not in SURNAMES and toks[0].text not in _NOT_NAME
    if i > 0 and not (opener and _SENTENCE_START.search(text, max(0, toks[0].start - 3),
                                                       toks[0].start)):
        return [], 0
    before = text[max(0, toks[0].start - 12):toks[0].start].split()
    if before and before[-1] in _PLACE_NOUNS:
        return [], 0  # `huyện Kim Thành, Bí thư ...`, `tại Hà Nội, Chủ tịch nước ...`
    found = _positions(text, head_start)
    if found is None:
        return [], 0
    return [(_join(toks, i, r), found[0], None)], found[1]


def _join(toks: list[Tok], i: int, j: int) -> str:
    return " ".join(t.text for t in toks[i:j])
