"""The legal and Party documents a text cites, grouped by a normalized id.

Decisions a reader of the output should know:

* ``doc_id`` groups spelling variants: spaces and dash forms inside a code are dropped,
  numbers below 10 take the leading zero both the Party's and the State's rules on
  document formatting prescribe (``5-CT/TW`` and ``05-CT/TW`` are one directive), and
  ``TƯ`` is written ``TW``. ``number`` is that normalized number; ``code`` is the rest,
  so ``number + ("-" or "/") + code`` rebuilds the id (``30`` + ``2020/NĐ-CP``).
* Codes are read however they are printed: ``số:`` with a colon, the number glued to
  ``số`` (``số31-QĐ/TW``), slashes in the type part (``646/QĐ/QUTW``,
  ``183/2010/TTLT/BTC-BNN``), ``&`` and spaced hyphens (``473/TTr - NN&PTNT`` is
  ``473/TTr-NN&PTNT``), a number with a letter (``30c/NQCP``), a glued ``ngày`` or next
  law (``70-TB/TWngày``, ``32/2009/QH12Luật``). A code of the National Assembly
  (``68/2014/QH13``) with no type printed before it is a law.
* A number without a code (``Chỉ thị số 35``, ``Quy định 213``) is a document of the type
  printed before it, with the id ``<type> <number>``; ``Quyết định số 528 và
  529-QĐNS/TW`` is two documents sharing the code.
* Laws, codes, ordinances, the Constitution and charters (``Luật Đất đai năm 2024``,
  ``Bộ luật Hình sự``, ``Điều lệ Đảng``, ``Luật sửa đổi, bổ sung một số điều của ...``)
  are recognized by their name; their id is ``<type> <name>`` with ``năm <year>`` when a
  year is printed in the name or in the date after it, abbreviations spelled out
  (``HĐND`` -> ``Hội đồng nhân dân``). A bill (``Dự án Luật``, ``dự thảo Luật``) is not a
  document.
* Unnumbered Party resolutions that analysts count all the same are documents with a
  readable id: congress resolutions (``Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XVII``,
  ``Nghị quyết Đại hội XIII của Đảng``) and Central Committee plenum resolutions and
  conclusions (``Nghị quyết Trung ương 4 (khóa XI)``, ``Nghị quyết T.Ư 4, khóa XI``,
  ``nghị quyết hội nghị lần thứ 11 Ban Chấp hành Trung ương Đảng khóa 13``), with ids
  built from the level, the plenum and the term (``Nghị quyết Trung ương 4 khóa XI``).
"""

from __future__ import annotations

import re

from crawler.extract.facts.lexicon import DOC_TYPES, ROMAN, UP
from crawler.extract.facts.phrases import TYPE_START, org_span, word_start, words
from crawler.text.dates import search_dates
from crawler.text.normalize import nfc

_CANONICAL_TYPE = {t.lower(): t for t in DOC_TYPES}
# The abbreviation in a code names the kind of document (Party and State formatting rules).
_TYPE_OF_ABBR = {
    "NQ": "Nghị quyết", "NQLT": "Nghị quyết liên tịch", "QĐ": "Quyết định", "QĐi": "Quy định",
    "CT": "Chỉ thị", "KL": "Kết luận", "KH": "Kế hoạch", "HD": "Hướng dẫn", "QC": "Quy chế",
    "QCh": "Quy chế", "TB": "Thông báo", "CV": "Công văn", "CĐ": "Công điện",
    "NĐ": "Nghị định", "TT": "Thông tư", "TTLT": "Thông tư liên tịch", "CTr": "Chương trình",
    "ĐA": "Đề án", "TTr": "Tờ trình", "BC": "Báo cáo", "PL": "Pháp lệnh",
}
# A code word: a capital, then letters, digits or `&` (`NN&PTNT`, `TTg`, `QĐi`). A word
# glued on after a code (`TB/TWngày`, `QH12Luật`) is cut off afterwards (`_GLUED`): a
# look-ahead at every letter here would make the scan five times slower.
_CW = rf"{UP}[\w&]*"
_CODE = re.compile(
    rf"""(?P<num>\d{{1,5}}[a-z]?)\s?(?:
        [-–]\s?(?P<pabbr>{_CW})\s?/\s?(?P<porg>{_CW}(?:[-/]{_CW})*)
      | /\s?(?:(?P<year>(?:19|20)\d\d)\s?/\s?)?(?P<sabbr>{_CW})
        (?P<sorg>(?:\s?[-–/]\s?{_CW})*)
    )(?![\w/&])""",
    re.VERBOSE,
)
# `ngày`, or after a digit a capital and three lowercase letters, which no code has.
_GLUED = re.compile(rf"ngày|(?<=\d){UP}(?:(?!{UP})[^\W\d_]){{3}}")
# Types a bare number may follow (`Chỉ thị số 35`, `Quy định 213`), capitalized as in a
# citation; plans, programmes and reports are left out (`Kế hoạch 5 năm`, `Chương trình 135`).
_BARE_TYPES = (
    "Nghị quyết", "Quyết định", "Chỉ thị", "Kết luận", "Hướng dẫn", "Quy định", "Thông báo",
    "Công văn", "Công điện", "Nghị định", "Thông tư", "Văn bản",
)
_BARE_ALT = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in _BARE_TYPES)
_BARE = re.compile(
    rf"(?P<type>{_BARE_ALT})\s+(?:số\s*:?\s*)?"
    r"(?P<num>\d{1,5})(?![\w/.,-]\d|[\w/-]|\s*%|\s+(?:năm|tháng|điều|khoản|lần|nội\s+dung"
    r"|nhiệm\s+vụ|giải\s+pháp|chỉ\s+tiêu|mục\s+tiêu|người|xã|huyện|tỉnh|đồng|triệu|tỷ)(?!\w))"
)
_NEXT_CODE = re.compile(r"\s*(?:,|và|,\s*và)\s*(?:số\s*)?")
def _ci(word: str) -> str:
    """A word whose first letter may be either case (`Nghị quyết` / `nghị quyết`)."""
    head, rest = word[0], re.escape(word[1:]).replace(r"\ ", r"\s+")
    return f"[{head.upper()}{head.lower()}]{rest}"


_TYPE_BEFORE = re.compile(
    rf"(?<!\w)(?P<type>{'|'.join(_ci(t) for t in DOC_TYPES)})"
    r"(?:\s+(?:liên\s+tịch|hành\s+động|chuyên\s+đề))?\s*\(?\s*(?:số\s*:?\s*)?\Z"
)
# A code right after another document (`Nghị quyết số 18-NQ/TW, 19-NQ/TW`) shares its type.
_LIST_GAP = re.compile(r"\s*(?:,|;|và|,\s*và)\s*(?:số\s*)?\Z")
# What may stand between a code and its date: `705/QĐ-TTg, ngày`, `ban hành ngày`.
_DATE_GAP = re.compile(r"[\s,(]*(?:(?:được\s+)?(?:ban\s+hành|ký(?:\s+ban\s+hành)?)\s+)?\Z")
_OF = re.compile(r"[\s,]*(?:của|do)\s+(?=\S)")
# `ngày` glued to its date (`ngày22 tháng 7`, `ngày26/11/2003`) or spaced.
_DATE_LEAD = re.compile(
    r"[\s,(]*(?:(?:được\s+)?(?:ban\s+hành|ký(?:\s+ban\s+hành)?)\s+)?(?:ngày\s*)?"
)
# A day and month without a year (`ngày 20/5`) gives no date but may stand before `của`.
_YEARLESS = re.compile(r"[\s,]*ngày\s*\d{1,2}\s*[/.-]\s*\d{1,2}(?![/.-]?\d)")
_DATE_WINDOW = 40
# How far before a date a document code may stand and still own the date.
_CODE_WINDOW = 80

# Laws and charters by name. The name runs over words, and over `, ` before a lowercase
# word (`Luật Cán bộ, công chức`), to a year, a date or a word that ends it.
# Scanned over whole texts: plain alternatives, which re skips ahead to (no classes).
_LAW_TYPE = re.compile(
    r"(?:Bộ\s+luật|Bộ\s+Luật|Luật|luật|Pháp\s+lệnh|Hiến\s+pháp|Điều\s+lệ)(?!\w)"
)
_LAW_STOP = words("""
    năm số được đã của do sẽ thì là ngày đang vừa này đó khi theo tại trong qua từ đến cho để
    các những nhằm nhưng về mới hiện cũng đều không hết và tiếp
""")
# Two-word stops: the verbs that follow a law's name (`Bộ luật Hình sự quy định`).
_LAW_STOP_PAIRS = frozenset({
    ("quy", "định"), ("hướng", "dẫn"), ("thi", "hành"), ("hiệu", "lực"), ("sửa", "đổi"),
    ("có", "hiệu"),
    ("ban", "hành"), ("thông", "qua"),
})
_LAW_WORD = re.compile(r"\s+((?:(?!ngày)[^\W\d_])+)|,\s+([^\W\d_]+)(?=\s)")
# `và` joins two names (`Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân`) unless a second
# law or document follows (`Luật Cán bộ, công chức và Luật Viên chức`).
_AND_NAME = re.compile(rf"\s+và(?=\s+(?!(?:Bộ\s+)?[Ll]uật|{'|'.join(DOC_TYPES)}|các\s|những\s))")
_LAW_YEAR = re.compile(r"\s+(?:năm\s+)?((?:19|20)\d\d)(?![\w/-])")
_NOT_LAW_BEFORE = re.compile(r"(?:[Pp]háp|[Dd]ự\s+án|[Dd]ự\s+thảo|[Cc]ác)\s+\Z")
# `Luật sửa đổi, bổ sung một số điều của Luật A, Luật B và Luật C năm 2019`
_AMENDMENT = re.compile(r"\s+[Ss]ửa\s+đổi,?\s+bổ\s+sung\s")
_AMENDMENT_END = re.compile(
    r"\s+(?:năm\s+)?(?P<year>(?:19|20)\d\d)(?![\w/-])|\s*(?:ngày|[;.:\n“”\"(])"
    r"|\s+(?:được|đã|đang|sẽ|vừa|có\s+hiệu|quy\s+định|hướng\s+dẫn|thì|là)(?!\w)"
)
_LAW_MAX_WORDS = 14
_AMENDMENT_MAX = 400
_TERM = re.compile(r"(?:\s*,\s*|\s+)nhiệm\s+kỳ\s+(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d")
_CONGRESS = re.compile(
    rf"(?:Nghị|nghị)\s+quyết\s+Đại\s+hội\s+(?:[Đđ]ại\s+biểu\s+)?"
    rf"(?:(?P<scope>Đảng\s+bộ\s+(?P<level>tỉnh|thành\s+phố|huyện|thị\s+xã|quận|xã|phường)"
    rf"(?:\s+{UP}[^\W\d_]*){{0,3}}|(?:Đảng\s+)?toàn\s+quốc)\s+)?"
    rf"(?:lần\s+thứ\s+)?(?P<n>{ROMAN})(?!\w)(?P<party>\s+của\s+Đảng(?!\s+bộ))?"
)
_ORDINALS = {
    "nhất": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8,
    "chín": 9, "mười": 10,
}
_CENTRAL = r"(?:Trung\s+ương|T\.\s?Ư|TƯ|TW)"
# A plenum's resolution or conclusion: `Nghị quyết Trung ương 4 (khóa XI)`, `Nghị quyết
# T.Ư 4, khóa XI`, `nghị quyết hội nghị lần thứ 11 Ban Chấp hành Trung ương Đảng khóa 13`;
# without the term only when the plenum is numbered (`nghị quyết hội nghị Trung ương 11`).
_PLENUM = re.compile(
    rf"(?P<type>Nghị\s+quyết|nghị\s+quyết|Kết\s+luận|kết\s+luận)\s+(?:[Hh]ội\s+nghị\s+)?"
    rf"(?:lần\s+thứ\s+(?P<ord>\w+)\s+Ban\s+Chấp\s+hành\s+)?"
    rf"{_CENTRAL}(?:\s+Đảng)?(?:\s+(?:lần\s+thứ\s+)?(?P<n>\d{{1,2}}))?"
    rf"(?:\s*[,(]?\s*kh(?:óa|oá)\s+(?P<k>{ROMAN}|\d{{1,2}})(?!\w)\)?)?"
)
_ROMAN_DIGITS = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
_EXPANSIONS = (
    (re.compile(r"(?<!\w)HĐND(?!\w)"), "Hội đồng nhân dân"),
    (re.compile(r"(?<!\w)UBND(?!\w)"), "Ủy ban nhân dân"),
    (re.compile(r"(?<!\w)MTTQ(?!\w)"), "Mặt trận Tổ quốc"),
    (re.compile(r"(?<!\w)ĐBQH(?!\w)"), "đại biểu Quốc hội"),
    (re.compile(r"uỷ"), "ủy"),
    (re.compile(r"Uỷ"), "Ủy"),
    (re.compile(r"khoá"), "khóa"),
    (re.compile(r"\s+"), " "),
)


def cited_documents(text: str) -> list[dict]:
    """The legal and Party documents a text cites, one per `doc_id` in order of first mention.

    Each dict has `type`, `number`, `code`, `date` (ISO), `issuer`, `text` (the first
    mention as written), `doc_id` and `count` (mentions in the text); the date and the
    issuer come from whichever mention gives them.

    >>> [d["doc_id"] for d in cited_documents("theo Quyết định 705/QĐ-TTg ngày 7.6.2019")]
    ['705/QĐ-TTg']
    """
    if not text:
        return []
    text = nfc(text)
    mentions = sorted(_numbered(text) + _named(text), key=lambda m: (m["_start"], -m["_end"]))
    grouped: dict[str, dict] = {}
    covered = -1
    for mention in mentions:
        if mention["_start"] < covered:
            continue
        covered = mention.pop("_end")
        del mention["_start"]
        seen = grouped.get(_earlier_id(grouped, mention))
        if seen is None:
            grouped[mention["doc_id"]] = mention | {"count": 1}
            continue
        seen["count"] += 1
        for key in ("date", "issuer"):
            if seen[key] is None:
                seen[key] = mention[key]
    return list(grouped.values())


def _earlier_id(grouped: dict[str, dict], mention: dict) -> str:
    """The id a mention takes: its own, or that of a fuller earlier mention it shortens
    (`Quy định 213` after `Quy định số 213-QĐ/TW`, `Luật Hộ tịch` after `Luật Hộ tịch năm
    2014`)."""
    doc_id = mention["doc_id"]
    if doc_id in grouped or mention["code"] is not None:
        return doc_id
    for seen in grouped.values():
        if mention["number"] is not None:
            if (seen["number"] == mention["number"] and seen["type"] == mention["type"]):
                return seen["doc_id"]
        elif seen["number"] is None and seen["doc_id"].startswith(doc_id + " năm "):
            return seen["doc_id"]
    return doc_id


def follows_document(text: str, start: int) -> bool:
    """Whether the date at `start` belongs to a document code just before it
    (`Kế hoạch số 12-KH/TU ngày 5/3/2021`)."""
    for m in _CODE.finditer(text, max(0, start - _CODE_WINDOW), start):
        if _DATE_GAP.fullmatch(text, _code_end(m), start):
            return True
    return False


def _numbered(text: str) -> list[dict]:
    codes = [m for m in _CODE.finditer(text) if _code_start(text, m.start())]
    bare = [m for m in _BARE.finditer(text) if word_start(text, m.start())]
    coded_at = {m.start("num") for m in codes}
    found: list[dict] = []
    previous_type, previous_end = None, -1
    for m in sorted(codes + [b for b in bare if b.start("num") not in coded_at],
                    key=lambda m: m.start()):
        bare_number = m.re is _BARE
        mention = _bare(text, m) if bare_number else _coded(text, m, previous_type, previous_end)
        if mention is None:
            continue
        found.append(mention)
        previous_type, previous_end = mention["type"], mention["_end"]
    return found


def _code_start(text: str, start: int) -> bool:
    """A code starts a word, or follows `số` it is glued to (`số31-QĐ/TW`)."""
    if not start:
        return True
    if text[start - 1].isalnum():
        return text.endswith("số", 0, start) and word_start(text, start - 2)
    return text[start - 1] not in "/.,-"


def _coded(text: str, m: re.Match[str], previous_type: str | None,
           previous_end: int) -> dict | None:
    start = m.start()
    before = _TYPE_BEFORE.search(text, max(0, start - 40), start)
    group = "pabbr" if m.group("pabbr") else "sabbr"
    abbr = text[m.start(group):min(m.end(group), _code_end(m))]
    if before:
        doc_type = _CANONICAL_TYPE[re.sub(r"\s+", " ", before.group("type")).lower()]
        start = before.start()
    elif abbr in _TYPE_OF_ABBR:
        doc_type = _TYPE_OF_ABBR[abbr]
    elif previous_type and _LIST_GAP.fullmatch(text, previous_end, start):
        doc_type = previous_type
    elif re.fullmatch(r"QH\d+", abbr):
        doc_type = "Luật"  # a resolution of the Assembly is always printed as one
    else:
        return None
    number, code, doc_id = _code_parts(m)
    end, doc_date, issuer = _details(text, _code_end(m))
    return {
        "type": doc_type, "number": number, "code": code, "date": doc_date,
        "issuer": issuer, "text": text[start:end], "doc_id": doc_id,
        "_start": start, "_end": end,
    }


def _code_end(m: re.Match[str]) -> int:
    """Where a code ends, before a word glued to it (`70-TB/TWngày`)."""
    glued = _GLUED.search(m.string, m.start(), m.end())
    return glued.start() if glued else m.end()


def _code_parts(m: re.Match[str]) -> tuple[str, str, str]:
    """(number, code, doc_id) of a code match."""
    end = _code_end(m)

    def part(group: str) -> str:
        return m.string[m.start(group):min(m.end(group), end)] if m.group(group) else ""

    number = _number(m.group("num"))
    if m.group("pabbr"):
        code = f"{_squash(part('pabbr'))}/{_squash(part('porg')).replace('TƯ', 'TW')}"
        return number, code, f"{number}-{code}"
    year = f"{m.group('year')}/" if m.group("year") else ""
    code = f"{year}{_squash(part('sabbr') + part('sorg'))}"
    return number, code, f"{number}/{code}"


def _bare(text: str, m: re.Match[str]) -> dict:
    """`Chỉ thị số 35 ngày 30/5/2019 của Bộ Chính trị`; `Quyết định số 528 và 529-QĐNS/TW`
    (the first number takes the second's code, date and issuer)."""
    doc_type = re.sub(r"\s+", " ", m.group("type"))
    number = _number(m.group("num"))
    gap = _NEXT_CODE.match(text, m.end())
    shared = _CODE.match(text, gap.end()) if gap else None
    if shared:
        _, code, _ = _code_parts(shared)
        doc_id = f"{number}{'-' if shared.group('pabbr') else '/'}{code}"
        _, doc_date, issuer = _details(text, _code_end(shared))
        end = m.end()
    else:
        code, doc_id = None, f"{doc_type} {number}"
        end, doc_date, issuer = _details(text, m.end())
    return {
        "type": doc_type, "number": number, "code": code, "date": doc_date,
        "issuer": issuer, "text": text[m.start():end], "doc_id": doc_id,
        "_start": m.start(), "_end": end,
    }


def _named(text: str) -> list[dict]:
    found: list[dict] = []
    for m in _LAW_TYPE.finditer(text):
        if word_start(text, m.start()):
            law = _law(text, m)
            if law:
                found.append(law)
    for m in _CONGRESS.finditer(text):
        if not word_start(text, m.start()):
            continue
        if m.group("level"):
            scope = "Đảng bộ " + " ".join(m.group("level").split()) + " "
        elif m.group("scope") or m.group("party"):
            scope = "Đảng toàn quốc "
        else:
            scope = ""
        doc_id = f"Nghị quyết Đại hội {scope}lần thứ {m.group('n')}"
        term = _TERM.match(text, m.end())
        found.append(_named_doc(text, m.start(), term.end() if term else m.end(),
                                "Nghị quyết", doc_id))
    for m in _PLENUM.finditer(text):
        if not word_start(text, m.start()):
            continue
        ordinal = (m.group("ord") or "").lower()
        plenum = m.group("n") or (ordinal if ordinal.isdigit() else _ORDINALS.get(ordinal))
        if plenum is None or (m.group("k") is None and m.group("n") is None):
            continue
        doc_type = m.group("type").capitalize()
        term = m.group("k") or ""
        if term.isdigit():
            term = _roman(int(term))
        doc_id = f"{doc_type} Trung ương {int(plenum)}" + (f" khóa {term}" if term else "")
        found.append(_named_doc(text, m.start(), m.end(), doc_type, doc_id))
    return found


def _law(text: str, m: re.Match[str]) -> dict | None:
    """A law, code, ordinance, constitution or charter cited by its name."""
    if _NOT_LAW_BEFORE.search(text, max(0, m.start() - 8), m.start()):
        return None
    doc_type = " ".join(m.group().split())
    lowercase = doc_type[0].islower()
    doc_type = doc_type[0].upper() + doc_type[1:].replace("Luật", "luật")
    year = None
    if (amendment := _AMENDMENT.match(text, m.end())):
        stop = _AMENDMENT_END.search(text, amendment.end(), m.end() + _AMENDMENT_MAX)
        if stop is None:
            return None
        end = stop.start()
        year = stop.group("year")
        name_end = stop.end() if year else end
    else:
        end, name = _law_name(text, m.end())
        after = _LAW_YEAR.match(text, end)
        if after:
            year, name_end = after.group(1), after.end()
        else:
            name_end = end
        dated = year or _DATE_LEAD.match(text, name_end).group().rstrip().endswith("ngày")
        free = doc_type in ("Hiến pháp", "Bộ luật")
        if (not name and doc_type != "Hiến pháp") or (lowercase and not dated) or (
                not free and not name[0][0].isupper() and not dated):
            return None
        if re.match(r"\s+số\s*:?\s*\d", text[name_end:name_end + 12]):
            return None  # `Luật Doanh nghiệp số 68/2014/QH13`: the code names it
    name = text[m.end():end]
    detail_end, doc_date, issuer = _details(text, name_end)
    year = year or (doc_date[:4] if doc_date else None)
    doc_id = _canonical_name(f"{doc_type}{name}" + (f" năm {year}" if year else ""))
    return {
        "type": doc_type, "number": None, "code": None, "date": doc_date, "issuer": issuer,
        "text": text[m.start():detail_end], "doc_id": doc_id,
        "_start": m.start(), "_end": detail_end,
    }


def _law_name(text: str, pos: int) -> tuple[int, list[str]]:
    """End offset and words of a law's name starting at `pos`."""
    name: list[str] = []
    while len(name) < _LAW_MAX_WORDS:
        joined = _AND_NAME.match(text, pos) if name else None
        w = _LAW_WORD.match(text, joined.end() if joined else pos)
        if not w:
            break
        word = w.group(1) or w.group(2)
        after = _LAW_WORD.match(text, w.end())
        pair = (word, (after.group(1) or "").lower() if after else "")
        if (word.lower() in _LAW_STOP or pair in _LAW_STOP_PAIRS
                or TYPE_START.match(text, w.end() - len(word))):
            break
        if w.group(2) and not word[0].islower():
            break  # `, Luật ...`: a list of laws, not one name
        name.append(word)
        pos = w.end()
    return pos, name


def _named_doc(text: str, start: int, end: int, doc_type: str, doc_id: str) -> dict:
    end, doc_date, issuer = _details(text, end)
    return {
        "type": doc_type, "number": None, "code": None, "date": doc_date, "issuer": issuer,
        "text": text[start:end], "doc_id": doc_id, "_start": start, "_end": end,
    }


def _details(text: str, end: int) -> tuple[int, str | None, str | None]:
    """The date and issuer printed right after a document reference, in either order."""
    doc_date = issuer = None
    for _ in range(2):
        if doc_date is None:
            lead = _DATE_LEAD.match(text, end)
            window = text[lead.end():lead.end() + _DATE_WINDOW]
            if window[:1].isdigit():
                dates = search_dates(window)
                if dates and dates[0].start == 0:
                    doc_date, end = dates[0].iso[:10], lead.end() + dates[0].end
                    continue
            if yearless := _YEARLESS.match(text, end):
                end = yearless.end()
        if issuer is None and (of := _OF.match(text, end)):
            span = org_span(text, of.end())
            if span:
                issuer, end = text[of.end():span].rstrip(), span
                continue
        break
    return end, doc_date, issuer


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN_DIGITS:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _number(digits: str) -> str:
    """`5` -> `05`; a letter stays (`30c`)."""
    suffix = digits.lstrip("0123456789")
    return f"{int(digits[:len(digits) - len(suffix)]):02d}{suffix}"


def _squash(code: str) -> str:
    return re.sub(r"\s+", "", code).replace("–", "-")


def _canonical_name(name: str) -> str:
    for pattern, replacement in _EXPANSIONS:
        name = pattern.sub(replacement, name)
    return name.strip()
