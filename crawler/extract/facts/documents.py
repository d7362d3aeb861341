"""The legal and Party documents a text cites, grouped by a normalized id.

Decisions a reader of the output should know:

* ``doc_id`` groups spelling variants: spaces and dash forms inside a code are dropped,
  numbers below 10 take the leading zero both the Party's and the State's rules on
  document formatting prescribe (``5-CT/TW`` and ``05-CT/TW`` are one directive), and
  ``TƯ`` is written ``TW``. ``number`` is that normalized number; ``code`` is the rest,
  so ``number + ("-" or "/") + code`` rebuilds the id (``30`` + ``2020/NĐ-CP``).
* Laws, codes and ordinances (``Luật Bầu cử ... năm 2015``, ``Bộ luật Lao động 2019``)
  are recognized by their name and year; their id is ``<type> <name> năm <year>`` with
  abbreviations spelled out (``HĐND`` -> ``Hội đồng nhân dân``). A law named without a
  year is too vague to count and is left out.
* Unnumbered Party resolutions that analysts count all the same are recognized: congress
  resolutions (``Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XVII``, ``Nghị quyết Đại hội
  XIII của Đảng``) and Central Committee plenum resolutions (``Nghị quyết Trung ương 4
  khóa XII``), with ids built from the level, the plenum and the term.
"""

from __future__ import annotations

import re

from crawler.extract.facts.lexicon import DOC_TYPES, ROMAN, UP
from crawler.extract.facts.phrases import org_span, word_start
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
_W = r"[^\W_]"  # a letter or digit, Unicode-aware
_CODE = re.compile(
    rf"""(?P<num>\d{{1,5}})\s?(?:
        [-–]\s?(?P<pabbr>{UP}{_W}*)\s?/\s?(?P<porg>{UP}{_W}*(?:[-/]{UP}{_W}*)*)
      | /\s?(?:(?P<year>(?:19|20)\d\d)\s?/\s?)?(?P<sabbr>{UP}{_W}*)
        (?P<sorg>(?:\s?[-–]\s?{UP}{_W}*)*)
    )(?![\w/])""",
    re.VERBOSE,
)


def _ci(word: str) -> str:
    """A word whose first letter may be either case (`Nghị quyết` / `nghị quyết`)."""
    head, rest = word[0], re.escape(word[1:]).replace(r"\ ", r"\s+")
    return f"[{head.upper()}{head.lower()}]{rest}"


_TYPE_BEFORE = re.compile(
    rf"(?<!\w)(?P<type>{'|'.join(_ci(t) for t in DOC_TYPES)})"
    r"(?:\s+(?:liên\s+tịch|hành\s+động|chuyên\s+đề))?\s+(?:số\s*:?\s*)?\Z"
)
# A code right after another document (`Nghị quyết số 18-NQ/TW, 19-NQ/TW`) shares its type.
_LIST_GAP = re.compile(r"\s*(?:,|;|và|,\s*và)\s*(?:số\s*)?\Z")
# What may stand between a code and its date: `705/QĐ-TTg, ngày`, `ban hành ngày`.
_DATE_GAP = re.compile(r"[\s,(]*(?:(?:được\s+)?(?:ban\s+hành|ký(?:\s+ban\s+hành)?)\s+)?\Z")
_OF = re.compile(r"[\s,]*(?:của|do)\s+(?=\S)")
_DATE_WINDOW = 40
# How far before a date a document code may stand and still own the date.
_CODE_WINDOW = 80

_LAW_STOP = (
    "năm|số|được|đã|của|do|sẽ|thì|là|ngày|đang|vừa|này|đó|khi|theo|tại|trong|qua|từ|đến|"
    "cho|để|các|những|nhằm|nhưng|về|mới|hiện|cũng|đều|không"
)
_LAW = re.compile(
    rf"(?P<type>Bộ\s+luật|Luật|Pháp\s+lệnh|Hiến\s+pháp)"
    rf"(?P<name>(?:\s+(?!(?:{_LAW_STOP})(?!\w))[^\W\d_]+|,\s+(?!(?:{_LAW_STOP})(?!\w))"
    rf"[a-zà-ỹđ]+){{0,16}}?)\s+(?:năm\s+)?(?P<year>(?:19|20)\d\d)(?![\w/-])"
)
_CONGRESS = re.compile(
    rf"Nghị\s+quyết\s+Đại\s+hội\s+(?:đại\s+biểu\s+)?"
    rf"(?:(?P<scope>Đảng\s+bộ\s+(?P<level>tỉnh|thành\s+phố|huyện|thị\s+xã|quận|xã|phường)"
    rf"(?:\s+{UP}[^\W\d_]*){{0,3}}|(?:Đảng\s+)?toàn\s+quốc)\s+)?"
    rf"(?:lần\s+thứ\s+)?(?P<n>{ROMAN})(?!\w)(?P<party>\s+của\s+Đảng(?!\s+bộ))?"
)
_ORDINALS = {
    "nhất": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8,
    "chín": 9, "mười": 10,
}
_PLENUM = re.compile(
    rf"Nghị\s+quyết\s+(?:Hội\s+nghị\s+)?(?:lần\s+thứ\s+(?P<ord>\w+)\s+Ban\s+Chấp\s+hành\s+)?"
    rf"Trung\s+ương(?:\s+Đảng)?(?:\s+(?P<n>\d{{1,2}}))?\s*[,(]?\s*kh(?:óa|oá)\s+(?P<k>{ROMAN})"
    rf"(?!\w)\)?"
)
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
        seen = grouped.get(mention["doc_id"])
        if seen is None:
            grouped[mention["doc_id"]] = mention | {"count": 1}
            continue
        seen["count"] += 1
        for key in ("date", "issuer"):
            if seen[key] is None:
                seen[key] = mention[key]
    return list(grouped.values())


def follows_document(text: str, start: int) -> bool:
    """Whether the date at `start` belongs to a document code just before it
    (`Kế hoạch số 12-KH/TU ngày 5/3/2021`)."""
    for m in _CODE.finditer(text, max(0, start - _CODE_WINDOW), start):
        if _DATE_GAP.fullmatch(text, m.end(), start):
            return True
    return False


def _numbered(text: str) -> list[dict]:
    found: list[dict] = []
    previous_type, previous_end = None, -1
    for m in _CODE.finditer(text):
        start = m.start()
        if start and (text[start - 1].isalnum() or text[start - 1] in "/.,-"):
            continue
        before = _TYPE_BEFORE.search(text, max(0, start - 40), start)
        abbr = m.group("pabbr") or m.group("sabbr")
        if before:
            doc_type = _CANONICAL_TYPE[re.sub(r"\s+", " ", before.group("type")).lower()]
            start = before.start()
        elif abbr in _TYPE_OF_ABBR:
            doc_type = _TYPE_OF_ABBR[abbr]
        elif previous_type and _LIST_GAP.fullmatch(text, previous_end, start):
            doc_type = previous_type
        else:
            continue
        number = _number(m.group("num"))
        if m.group("pabbr"):
            code = f"{_squash(m.group('pabbr'))}/{_squash(m.group('porg')).replace('TƯ', 'TW')}"
            doc_id = f"{number}-{code}"
        else:
            year = f"{m.group('year')}/" if m.group("year") else ""
            code = f"{year}{_squash(m.group('sabbr') + m.group('sorg'))}"
            doc_id = f"{number}/{code}"
        end, doc_date, issuer = _details(text, m.end())
        found.append({
            "type": doc_type, "number": number, "code": code, "date": doc_date,
            "issuer": issuer, "text": text[start:end], "doc_id": doc_id,
            "_start": start, "_end": end,
        })
        previous_type, previous_end = doc_type, end
    return found


def _named(text: str) -> list[dict]:
    found: list[dict] = []
    for m in _LAW.finditer(text):
        if not word_start(text, m.start()):
            continue
        doc_type = re.sub(r"\s+", " ", m.group("type"))
        name = m.group("name").strip()
        if doc_type != "Hiến pháp" and (not name or not name[0].isupper()):
            continue
        doc_id = _canonical_name(f"{doc_type} {name} năm {m.group('year')}".replace("  ", " "))
        found.append(_named_doc(text, m, doc_type, doc_id))
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
        found.append(_named_doc(text, m, "Nghị quyết", doc_id))
    for m in _PLENUM.finditer(text):
        if not word_start(text, m.start()):
            continue
        plenum = m.group("n") or _ORDINALS.get((m.group("ord") or "").lower())
        if plenum is None:
            continue
        doc_id = f"Nghị quyết Trung ương {int(plenum)} khóa {m.group('k')}"
        found.append(_named_doc(text, m, "Nghị quyết", doc_id))
    return found


def _named_doc(text: str, m: re.Match[str], doc_type: str, doc_id: str) -> dict:
    end, doc_date, issuer = _details(text, m.end())
    return {
        "type": doc_type, "number": None, "code": None, "date": doc_date, "issuer": issuer,
        "text": text[m.start():end], "doc_id": doc_id, "_start": m.start(), "_end": end,
    }


def _details(text: str, end: int) -> tuple[int, str | None, str | None]:
    """The date and issuer printed right after a document reference, in either order."""
    doc_date = issuer = None
    for _ in range(2):
        if doc_date is None:
            window = text[end:end + _DATE_WINDOW]
            dates = search_dates(window) if "ngày" in window or "tháng" in window else []
            if dates and _DATE_GAP.fullmatch(window, 0, dates[0].start):
                doc_date, end = dates[0].iso[:10], end + dates[0].end
                continue
        if issuer is None and (of := _OF.match(text, end)):
            span = org_span(text, of.end())
            if span:
                issuer, end = text[of.end():span].rstrip(), span
                continue
        break
    return end, doc_date, issuer


def _number(digits: str) -> str:
    return f"{int(digits):02d}"


def _squash(code: str) -> str:
    return re.sub(r"\s+", "", code).replace("–", "-")


def _canonical_name(name: str) -> str:
    for pattern, replacement in _EXPANSIONS:
        name = pattern.sub(replacement, name)
    return name.strip()
