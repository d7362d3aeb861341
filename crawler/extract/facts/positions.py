"""The officials a text names, each with the fullest position any mention gives.

Decisions a reader of the output should know:

* Academic titles and ranks (``TS.``, ``PGS.TS``, ``Đại tá``) are dropped from names so
  that one person is counted once whatever the title printed that day.
* A person is an official when the text says so: ``đồng chí`` + name, or a name joined
  to a position (``ông/bà``, a title or a bare name followed by ``, <position>``, or a
  position followed by the name). ``ông X`` alone is a citizen, not an official.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from crawler.extract.facts.lexicon import HEAD, HEAD_ALT, UP
from crawler.extract.facts.phrases import (
    Tok,
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
_PLACE_NOUNS = frozenset({"tỉnh", "huyện", "xã", "phường", "quận", "phố", "trấn", "thôn"})
# Heads that name a post by themselves; the others need an organisation (`Bí thư Tỉnh ủy`).
_STANDALONE = frozenset({
    "Tổng Bí thư", "Thủ tướng", "Đại biểu Quốc hội", "Tỉnh ủy viên", "Tỉnh uỷ viên",
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
    rf"(?:đồng\s+chí|Đồng\s+chí|đ/c|Đ/c|ông|Ông|bà|Bà|{_TITLE_WORDS}|{HEAD_ALT})(?!\w)"
)
_AFTER_ANCHOR = re.compile(rf"\s*:?\s*(?:{_TITLES}|{_RANKS})?")
_LIST_SEP = re.compile(r"\s*(?:[,;]|và|,\s*và)\s*")
_PLURAL = re.compile(r"[Cc]ác\s+\Z")
_HEAD_PREFIX = re.compile(r"(?:(?:[Nn]guyên\s+)?(?:Phó|Quyền)\s+|[Nn]guyên\s+)\Z")
_INTRODUCED = re.compile(
    rf"\s*(?:(?:[Đđ]ồng\s+chí|[Ôô]ng|[Bb]à)\s+(?:{_TITLES}|{_RANKS})?|{_TITLES}|{_RANKS})"
)
_SENTENCE_START = re.compile(r"(?:^|[.:;!?\n“\"(]\s*)\Z")


def officials(text: str, *, exclude: Iterable[str] = ()) -> list[dict]:
    """The officials a text names, one per name in order of first mention.

    Each dict has `name` and `position` (None when no mention gives one); a later
    mention replaces the position only when it says more (`Bí thư Tỉnh ủy` ->
    `Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy`). `exclude` takes the author's name(s).

    >>> officials("đồng chí Lê Văn Hiệu, Phó Bí thư Thường trực Tỉnh ủy làm việc")
    [{'name': 'Lê Văn Hiệu', 'position': 'Phó Bí thư Thường trực Tỉnh ủy'}]
    """
    if not text:
        return []
    text = nfc(text)
    skip = {_key(name) for name in exclude if name}
    people: dict[str, dict] = {}
    covered = 0
    for m in _TRIGGER.finditer(text):
        start = m.start()
        if start < covered or not word_start(text, start):
            continue
        word = m.group()
        if word.lower().startswith(("đồng", "đ/")) or word in ("ông", "Ông", "bà", "Bà"):
            plural = _PLURAL.search(text, max(0, start - 6), start) is not None
            pos = _AFTER_ANCHOR.match(text, m.end()).end()
            honor = not word.lower().startswith("đ")
            found, end = _after_anchor(text, pos, plural=plural, honor=honor)
        elif _IS_TITLE.fullmatch(word):
            title = _TITLE.match(text, start)
            if title is None:
                continue
            found, end = _name_first(text, title.end(), need_position=True)
        else:
            prefix = _HEAD_PREFIX.search(text, max(0, start - 16), start)
            head_start = prefix.start() if prefix else start
            run = _run_before(text, head_start, covered)
            found, end = _listed(text, run, head_start) if run else ([], 0)
            if not found:
                found, end = _position_first(text, head_start, m)
        for name, position in found:
            if _key(name) not in skip:
                _merge(people, name, position)
        if found:
            covered = end
    return list(people.values())


def _key(name: str) -> str:
    return " ".join(nfc(name).split()).casefold()


def _merge(people: dict[str, dict], name: str, position: str | None) -> None:
    seen = people.get(name)
    if seen is None:
        people[name] = {"name": name, "position": position}
    elif position and (not seen["position"] or (
            seen["position"] in position and len(position) > len(seen["position"]))):
        seen["position"] = position


def _after_anchor(text: str, pos: int, *, plural: bool, honor: bool) -> tuple[list, int]:
    """`đồng chí X, <position>`, `ông X, <position>`, `các đồng chí: X, ...; Y, ...`."""
    if not plural:
        return _name_first(text, pos, need_position=honor)
    people: list = []
    end = pos
    while True:
        found, stop = _name_first(text, pos, need_position=honor)
        if not found:
            return people, end
        people += found
        end = stop
        sep = _LIST_SEP.match(text, stop)
        if not sep:
            return people, end
        pos = sep.end()


def _name_first(text: str, pos: int, *, need_position: bool) -> tuple[list, int]:
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
    return [(name, position)], end


def _name_at(toks: list[Tok], j: int) -> tuple[int, int] | None:
    """The token span of a person's name starting exactly at toks[j]."""
    r = run_length(toks, j)
    if r < MIN_NAME_WORDS or toks[j].text in _NOT_NAME:
        return None
    if toks[j].text not in SURNAMES and r < 3:
        return None
    return j, j + min(r, MAX_NAME_WORDS)


def _positions(text: str, pos: int) -> tuple[str, int] | None:
    """Comma-joined positions starting at `pos` (`Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy`)."""
    start = None
    end = pos
    while True:
        m = HEAD.match(text, _skip_space(text, pos))
        if not m:
            break
        toks = tokens(text, m.end())
        j, name = scan_org(toks, 0, text, names=True)
        if j == 0 and m.group("head") not in _STANDALONE and not m.group(0).startswith("Phó"):
            break
        if start is None:
            start = m.start()
        end = toks[j - 1].end if j else m.end()
        if name or j >= len(toks) or toks[j].text != ",":
            break
        pos = toks[j].end
    if start is None:
        return None
    return " ".join(text[start:end].split()), end


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _position_first(text: str, start: int, m: re.Match[str]) -> tuple[list, int]:
    """`Bí thư Tỉnh ủy Trần Đức Thắng`, `Bí thư Tỉnh ủy, đồng chí Trần Đức Thắng`."""
    if text[max(0, start - 4):start].rstrip().endswith("Ban"):
        return [], m.end()  # `Ban Bí thư`: the Secretariat, not a secretary
    toks = tokens(text, m.end())
    j, span = scan_org(toks, 0, text, names=True)
    head = " ".join(m.group().split())
    if j == 0 and head not in _STANDALONE and text[start:m.start()].strip() != "Phó":
        return [], m.end()
    position = " ".join(text[start:toks[j - 1].end if j else m.end()].split())
    if span is None and j < len(toks) and toks[j].text == ",":
        # `Bí thư Tỉnh ủy, đồng chí Phạm Xuân Thăng`, `Giám đốc Bệnh viện, BSCKII Lê Hùng`
        introduced = _INTRODUCED.match(text, toks[j].end)
        if introduced:
            found, end = _name_first(text, introduced.end(), need_position=False)
            return [(name, position) for name, _ in found], end
    if span is None:
        return [], m.end()
    return [(_join(toks, *span), position)], toks[span[1] - 1].end


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
        return [], 0  # `huyện Kim Thành, Bí thư ...`: a place, then a post
    found = _positions(text, head_start)
    if found is None:
        return [], 0
    return [(_join(toks, i, r), found[0])], found[1]


def _join(toks: list[Tok], i: int, j: int) -> str:
    return " ".join(t.text for t in toks[i:j])
