"""Facts analysts count: cited documents, named officials and the date an event happened.

Pure functions over plain text (an article's lead and body), no Scrapy. Everything is
read with compiled patterns found by one scan each; the few phrase boundaries that a
pattern cannot see (where an organisation ends and a person's name begins) are settled
by a short walk over the words right after each hit, never over the whole text.

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
* Academic titles and ranks (``TS.``, ``PGS.TS``, ``Đại tá``) are dropped from names so
  that one person is counted once whatever the title printed that day.
* A person is an official when the text says so: ``đồng chí`` + name, or a name joined
  to a position (``ông/bà``, a title or a bare name followed by ``, <position>``, or a
  position followed by the name). ``ông X`` alone is a citizen, not an official.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from datetime import date

from crawler.text.dates import search_dates

__all__ = ["cited_documents", "count_facts", "event_date", "officials"]

# Vietnamese capitals (Latin-1, Latin Extended-A/B and Vietnamese blocks): `[A-Z]` misses
# Đ, Ư, Ô and every accented capital, and re has no \p{Lu}.
_UP = "[" + "".join(
    c for r in ((0x41, 0x5B), (0xC0, 0x250), (0x1E00, 0x1F00)) for c in map(chr, range(*r))
    if c.isupper()
) + "]"


def _ci(word: str) -> str:
    """A word whose first letter may be either case (`Nghị quyết` / `nghị quyết`)."""
    head, rest = word[0], re.escape(word[1:]).replace(r"\ ", r"\s+")
    return f"[{head.upper()}{head.lower()}]{rest}"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _word_start(text: str, i: int) -> bool:
    """Whether text[i] starts a word; patterns check this here rather than with a
    look-behind, which would keep re from skipping ahead to the pattern's first letters."""
    return i == 0 or not text[i - 1].isalnum()


def _nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


# --------------------------------------------------------------------------- documents

_DOC_TYPES = (
    "Nghị quyết liên tịch", "Thông tư liên tịch", "Nghị quyết", "Quyết định", "Chỉ thị",
    "Kết luận", "Kế hoạch", "Hướng dẫn", "Quy định", "Quy chế", "Thông báo", "Công văn",
    "Công điện", "Nghị định", "Thông tư", "Pháp lệnh", "Đề án", "Chương trình", "Tờ trình",
    "Báo cáo", "Điều lệ", "Luật",
)
_CANONICAL_TYPE = {t.lower(): t for t in _DOC_TYPES}
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
        [-–]\s?(?P<pabbr>{_UP}{_W}*)\s?/\s?(?P<porg>{_UP}{_W}*(?:[-/]{_UP}{_W}*)*)
      | /\s?(?:(?P<year>(?:19|20)\d\d)\s?/\s?)?(?P<sabbr>{_UP}{_W}*)
        (?P<sorg>(?:\s?[-–]\s?{_UP}{_W}*)*)
    )(?![\w/])""",
    re.VERBOSE,
)
_TYPE_BEFORE = re.compile(
    rf"(?<!\w)(?P<type>{'|'.join(_ci(t) for t in _DOC_TYPES)})"
    r"(?:\s+(?:liên\s+tịch|hành\s+động|chuyên\s+đề))?\s+(?:số\s*:?\s*)?\Z"
)
# A code right after another document (`Nghị quyết số 18-NQ/TW, 19-NQ/TW`) shares its type.
_LIST_GAP = re.compile(r"\s*(?:,|;|và|,\s*và)\s*(?:số\s*)?\Z")
# What may stand between a code and its date: `705/QĐ-TTg, ngày`, `ban hành ngày`.
_DATE_GAP = re.compile(r"[\s,(]*(?:(?:được\s+)?(?:ban\s+hành|ký(?:\s+ban\s+hành)?)\s+)?\Z")
_OF = re.compile(r"[\s,]*(?:của|do)\s+(?=\S)")
_DATE_WINDOW = 40

_LAW_STOP = (
    "năm|số|được|đã|của|do|sẽ|thì|là|ngày|đang|vừa|này|đó|khi|theo|tại|trong|qua|từ|đến|"
    "cho|để|các|những|nhằm|nhưng|về|mới|hiện|cũng|đều|không"
)
_LAW = re.compile(
    rf"(?P<type>Bộ\s+luật|Luật|Pháp\s+lệnh|Hiến\s+pháp)"
    rf"(?P<name>(?:\s+(?!(?:{_LAW_STOP})(?!\w))[^\W\d_]+|,\s+(?!(?:{_LAW_STOP})(?!\w))"
    rf"[a-zà-ỹđ]+){{0,16}}?)\s+(?:năm\s+)?(?P<year>(?:19|20)\d\d)(?![\w/-])"
)
_ROMAN = r"[IVXLC]+"
_CONGRESS = re.compile(
    rf"Nghị\s+quyết\s+Đại\s+hội\s+(?:đại\s+biểu\s+)?"
    rf"(?:(?P<scope>Đảng\s+bộ\s+(?P<level>tỉnh|thành\s+phố|huyện|thị\s+xã|quận|xã|phường)"
    rf"(?:\s+{_UP}[^\W\d_]*){{0,3}}|(?:Đảng\s+)?toàn\s+quốc)\s+)?"
    rf"(?:lần\s+thứ\s+)?(?P<n>{_ROMAN})(?!\w)(?P<party>\s+của\s+Đảng(?!\s+bộ))?"
)
_ORDINALS = {
    "nhất": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8,
    "chín": 9, "mười": 10,
}
_PLENUM = re.compile(
    rf"Nghị\s+quyết\s+(?:Hội\s+nghị\s+)?(?:lần\s+thứ\s+(?P<ord>\w+)\s+Ban\s+Chấp\s+hành\s+)?"
    rf"Trung\s+ương(?:\s+Đảng)?(?:\s+(?P<n>\d{{1,2}}))?\s*[,(]?\s*kh(?:óa|oá)\s+(?P<k>{_ROMAN})"
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
    text = _nfc(text)
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
        if not _word_start(text, m.start()):
            continue
        doc_type = re.sub(r"\s+", " ", m.group("type"))
        name = m.group("name").strip()
        if doc_type != "Hiến pháp" and (not name or not name[0].isupper()):
            continue
        doc_id = _canonical_name(f"{doc_type} {name} năm {m.group('year')}".replace("  ", " "))
        found.append(_named_doc(text, m, doc_type, doc_id))
    for m in _CONGRESS.finditer(text):
        if not _word_start(text, m.start()):
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
        if not _word_start(text, m.start()):
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
            span = _org_span(text, of.end())
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


# ------------------------------------------------------------ words and organisation phrases

# A line break is a token of its own: no phrase runs from one paragraph into the next.
_TOKEN = re.compile(r"[^\W\d_]+|\d+|[^\w\s]|\n")
_WINDOW = 120
_NAME_WINDOW = 48
_ISSUER_WINDOW = 80
# No name, position or issuer runs past a sentence, a quotation or a line.
_WINDOW_END = re.compile(r"[;!?\n“”\"]|[.:](?=\s|$)")

# Lowercase syllables that never continue an organisation name: function words and the
# verbs that follow a subject in news prose.
_STOP = _words("""
    về và ngày năm để đã đến trong tại theo với cho là được có sẽ đang việc nhằm số này đó
    các những như từ thì mà vừa đều cũng khi sau trước gồm của do bởi vào ra lên cùng nhưng
    hoặc làm phát nhấn chủ dự thăm trao tặng chúc đề khẳng yêu báo nêu nói ghi đánh kết chỉ
    tham đi biểu giao thay lãnh trả cảm gửi mong tiếp đọc công bố quán triệt tới nhiệm ký
    đồng_chí ông bà cán chiều sáng tối trưa
""")
# Second syllables of capitalized compounds in organisation and position names (Tỉnh ủy,
# Chấp hành, Chính trị): after a capitalized word they continue it whatever follows.
_TAIL = _words("""
    ủy uỷ viên thư tịch trưởng hành vụ trị tướng phủ hội ương chức giáo vận tra phòng bộ
    đồng ban quốc trận niên nữ dân binh an sự tế dục tạo trường nghệ tư nghiệp thương dựng
    tải pháp chính động lịch thao hóa hoá khoa viện cục lâm thuế sát án đốc lợi lực bạc
    hiểm khối điện đoàn sản nguyên mại giới huy khu nghị đạo xuất
""")
# Lowercase words that belong inside organisation names (UBND tỉnh, Hội đồng nhân dân).
_ORG_WORDS = _words("tỉnh huyện xã phường quận nước thôn")
_ORG_PAIRS = frozenset({
    ("thành", "phố"), ("thị", "xã"), ("thị", "trấn"), ("nhân", "dân"), ("đại", "biểu"),
    ("quốc", "gia"), ("nông", "thôn"), ("thường", "trực"), ("dự", "khuyết"),
    ("chuyên", "trách"), ("dân", "phố"), ("trung", "ương"), ("cộng", "sản"), ("khu", "vực"),
})
_TERM = frozenset({"khóa", "khoá"})
_PLACE_NOUNS = frozenset({"tỉnh", "huyện", "xã", "phường", "quận", "phố", "trấn", "thôn"})


class _Tok:
    __slots__ = ("end", "kind", "start", "text")

    def __init__(self, m: re.Match[str]) -> None:
        self.text, self.start, self.end = m.group(), m.start(), m.end()
        t = self.text
        if t[0].isdigit():
            self.kind = "D"
        elif not t[0].isalpha():
            self.kind = "P"
        elif t.islower():
            self.kind = "L"
        elif len(t) == 1 or t[1:].islower():
            self.kind = "T"  # a capitalized syllable
        elif t.isupper():
            self.kind = "A"  # an acronym: UBND, HĐND, XVII
        else:
            self.kind = "M"  # mixed: TTg, ThS


def _tokens(text: str, pos: int, width: int = _WINDOW) -> list[_Tok]:
    """The words from `pos` to the end of the sentence (or `width` characters)."""
    end = min(len(text), pos + width)
    stop = _WINDOW_END.search(text, pos, end)
    if stop:
        end = stop.end()
    return [_Tok(m) for m in _TOKEN.finditer(text, pos, end)]


def _lower(toks: list[_Tok], j: int) -> str:
    return toks[j].text.lower() if j < len(toks) else ""


def _org_pair(toks: list[_Tok], j: int) -> bool:
    return j + 1 < len(toks) and (_lower(toks, j), _lower(toks, j + 1)) in _ORG_PAIRS


def _compounds(toks: list[_Tok], j: int, text: str) -> bool:
    """Whether lowercase toks[j] continues the capitalized word before it (`Tỉnh ủy`)."""
    word = toks[j].text
    if word in _STOP or word in _ORG_WORDS or _org_pair(toks, j) or word in _TERM:
        return False
    if word in _TAIL:
        return True
    if j + 1 == len(toks):
        return True
    after = toks[j + 1]
    if after.text == "và":
        return _continues(toks, j + 2, text)
    return after.kind in "TAM" or after.text in ",;.:)" or after.text in _ORG_WORDS


def _is_roman(tok: _Tok) -> bool:
    return tok.kind in "AT" and re.fullmatch(_ROMAN, tok.text) is not None


def _scan_org(toks: list[_Tok], j: int, text: str, *, names: bool) -> tuple[int, tuple | None]:
    """Walk an organisation phrase from toks[j]; returns the index past it and, when
    `names` is set, the (start, end) token span of a person's name that ends it."""
    n = len(toks)
    start = j
    while j < n:
        tok = toks[j]
        if tok.kind in "TAM":
            if names and tok.kind == "T":
                found = _name_in_run(toks, j, start)
                if found:
                    return found[0], found
            j += 1
            if tok.kind == "T" and j < n and toks[j].kind == "L" and _compounds(toks, j, text):
                j += 1
            continue
        if tok.kind == "L":
            if _org_pair(toks, j):
                j += 2
            elif tok.text in _ORG_WORDS:
                j += 1
            elif tok.text in _TERM and j + 1 < n and _is_roman(toks[j + 1]):
                j += 2
            elif tok.text == "và" and _continues(toks, j + 1, text):
                j += 1
            else:
                break
            continue
        # `Quân khu 3`, `Hội nghị Trung ương 4`
        if tok.kind == "D" and j > start and (
                toks[j - 1].kind == "T" or _lower(toks, j - 1) == "ương"):
            j += 1
            continue
        if tok.kind == "P":
            if (tok.text == "(" and j + 3 < n and toks[j + 1].text.lower() in _TERM
                    and _is_roman(toks[j + 2]) and toks[j + 3].text == ")"):
                j += 4
                continue
            # `Lao động - Thương binh và Xã hội`, `Văn hóa, Thể thao và Du lịch`
            if tok.text in "-–" and _continues(toks, j + 1, text):
                j += 1
                continue
            if (tok.text == "," and _continues(toks, j + 1, text) and j + 3 < n
                    and toks[j + 3].text == "và"):
                j += 1
                continue
        break
    return j, None


def _continues(toks: list[_Tok], j: int, text: str) -> bool:
    """Whether a capitalized word after `và`, `-` or `,` goes on with the same name."""
    if j >= len(toks) or toks[j].kind != "T":
        return False
    if _HEAD.match(text, toks[j].start) or _TYPE_START.match(text, toks[j].start):
        return False
    return not (toks[j].text in _SURNAMES and j + 1 < len(toks) and toks[j + 1].kind == "T")


def _org_span(text: str, pos: int) -> int | None:
    """End offset of the organisation phrase (an issuer) starting at `pos`, if any."""
    toks = _tokens(text, pos, _ISSUER_WINDOW)
    if not toks or toks[0].kind not in "TA":
        return None
    j, _ = _scan_org(toks, 0, text, names=False)
    return toks[j - 1].end if j else None


# ----------------------------------------------------------------------------- officials

_SURNAMES = _words("""
    Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Triệu Đinh Lương
    Mai Trịnh Đào Cao Lâm Đoàn Tạ Hà Tô Thái Quách Chu Lưu Vương Phùng Kiều Nông Lục Lò Hầu
    Giàng Sùng Vàng Thào Mùa Lầu Tăng Khúc Lại Nghiêm Mạc La Tống Khổng Diệp Âu Bạch Doãn
    Giang Kim Lã Mẫn Ninh Phí Quản Thân Thạch Tiêu Từ Ưng Vi Bế Hứa Bạc Cù Đàm Đồng Hàn
    Khương Khuất Lạc Nhữ Quan Tôn Trương Uông Văn Vy Y Đoàn Đàm Lường Lô Hoàng Viên Ma
""")
# First syllables that start organisation names, never a person's (`đồng chí Thường trực`).
_NOT_NAME = _words("""
    Tỉnh Huyện Thành Ban Sở Đảng Trường Bệnh Hội Ủy Uỷ Bộ Cục Chi Phòng Viện Nhà Thường
    Trung Văn Ngân Công Đài Báo Tổng Liên Mặt Quân Bảo Kho Thanh Tòa Toà Học Xã Quốc
""")
# Provinces whose names start with a surname (`thành phố Hồ Chí Minh`, `tỉnh Hà Giang`):
# a name run that begins with one is a place followed, perhaps, by a person.
_PROVINCES = tuple(tuple(p.split("_")) for p in _words("""
    Hồ_Chí_Minh Hà_Nội Hà_Giang Hà_Nam Hà_Tĩnh Lâm_Đồng Cao_Bằng Đồng_Nai Đồng_Tháp
    Kiên_Giang Hậu_Giang Tiền_Giang An_Giang Bắc_Giang Ninh_Bình Ninh_Thuận Thái_Bình
    Thái_Nguyên Mai_Châu Quảng_Ninh Quảng_Nam Vĩnh_Long Long_An"""))

_HEADS = (
    "Tổng Bí thư", "Bí thư", "Chủ tịch", "Ủy viên", "Uỷ viên", "Tỉnh ủy viên", "Tỉnh uỷ viên",
    "Trưởng ban", "Trưởng đoàn", "Trưởng phòng", "Trưởng khoa", "Trưởng", "Giám đốc",
    "Tổng Giám đốc", "Chánh Văn phòng", "Chánh văn phòng", "Chánh án", "Chánh Thanh tra",
    "Chánh thanh tra", "Viện trưởng", "Đại biểu Quốc hội", "Bộ trưởng", "Thứ trưởng",
    "Hiệu trưởng", "Chủ nhiệm", "Thủ tướng", "Tư lệnh", "Chính ủy", "Chính uỷ",
    "Chỉ huy trưởng", "Tổng Thư ký", "Tổng thư ký", "Cục trưởng", "Vụ trưởng",
    "Tổng cục trưởng", "Chi cục trưởng", "Kiểm toán trưởng",
)
# Heads that name a post by themselves; the others need an organisation (`Bí thư Tỉnh ủy`).
_STANDALONE = frozenset({
    "Tổng Bí thư", "Thủ tướng", "Đại biểu Quốc hội", "Tỉnh ủy viên", "Tỉnh uỷ viên",
})
_HEAD_ALT = "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in sorted(_HEADS, key=len)[::-1])
_HEAD = re.compile(
    rf"(?:[Nn]guyên\s+)?(?:(?:Phó|Quyền)\s+)?(?P<head>{_HEAD_ALT})(?!\w)"
)
_TYPE_START = re.compile(rf"(?:{'|'.join(re.escape(t) for t in _DOC_TYPES)})(?!\w)")
_TITLES = (
    r"(?:(?:GS|PGS|TSKH|TS|ThS|BSCKII|BSCKI|BSCK|BS|DS|KS|LS|NGND|NGƯT|NSND|NSƯT)"
    rf"(?:\.\s*|\s*,\s*|\s+)(?={_UP}))+"
)
_RANKS = r"(?:Đại|Thượng|Trung|Thiếu)\s+(?:tướng|tá|úy|uý)\s+"
_TITLE = re.compile(rf"{_TITLES}|{_RANKS}")
_TITLE_WORDS = (
    "GS|PGS|TSKH|TS|ThS|BSCKII|BSCKI|BSCK|BS|DS|KS|LS|NGND|NGƯT|NSND|NSƯT|"
    + "|".join(f"{grade}\\s+{rank}" for grade in ("Đại", "Thượng", "Trung", "Thiếu")
               for rank in ("tướng", "tá", "úy", "uý"))
)
_IS_TITLE = re.compile(_TITLE_WORDS)
# One scan finds every place a mention of an official can start. It is a plain alternation
# of words, which re can skip ahead to; groups or classes here would make it ten times
# slower. Which word was hit is read afterwards.
_TRIGGER = re.compile(
    rf"(?:đồng\s+chí|Đồng\s+chí|đ/c|Đ/c|ông|Ông|bà|Bà|{_TITLE_WORDS}|{_HEAD_ALT})(?!\w)"
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
    text = _nfc(text)
    skip = {_key(name) for name in exclude if name}
    people: dict[str, dict] = {}
    covered = 0
    for m in _TRIGGER.finditer(text):
        start = m.start()
        if start < covered or not _word_start(text, start):
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
    return " ".join(_nfc(name).split()).casefold()


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
    toks = _tokens(text, pos, _NAME_WINDOW)
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


def _name_at(toks: list[_Tok], j: int) -> tuple[int, int] | None:
    """The token span of a person's name starting exactly at toks[j]."""
    r = _run_length(toks, j)
    if r < 2 or toks[j].text in _NOT_NAME:
        return None
    if toks[j].text not in _SURNAMES and r < 3:
        return None
    return j, j + min(r, 5)


def _run_length(toks: list[_Tok], j: int) -> int:
    """Capitalized syllables from toks[j], less a last one that starts a compound."""
    k = j
    while k < len(toks) and toks[k].kind == "T" and k - j < 8:
        k += 1
    if k < len(toks) and k > j and toks[k].kind == "L" and toks[k].text in _TAIL:
        k -= 1
    return k - j


def _name_in_run(toks: list[_Tok], j: int, org_start: int) -> tuple[int, int] | None:
    """A name at the end of the capitalized run at toks[j], after the organisation
    (`Tỉnh ủy Trần Đức Thắng`, `Huyện ủy Kinh Môn Nguyễn Văn Bình`); the last surname
    that leaves three syllables or more starts it (`Nguyễn Thị Mai Hương`)."""
    r = _run_length(toks, j)
    if r < 2:
        return None
    run = [t.text for t in toks[j:j + r]]
    first = 0
    for province in _PROVINCES:
        if tuple(run[:len(province)]) == province:
            first = len(province)
            break
    before = toks[j - 1] if j > org_start else None
    if before is not None and before.kind in "TAM":
        first = max(first, 1)  # `Trường THPT Nguyễn Trãi`: an eponym, not a person
    # Two capitalized syllables after an organisation are far more often a place
    # (`Huyện ủy Kim Thành`) than a two-syllable name, so a name here has three or more.
    starts = [i for i in range(first, r) if run[i] in _SURNAMES and 3 <= r - i <= 5]
    if not starts:
        return None
    return j + starts[-1], j + r


def _positions(text: str, pos: int) -> tuple[str, int] | None:
    """Comma-joined positions starting at `pos` (`Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy`)."""
    start = None
    end = pos
    while True:
        m = _HEAD.match(text, _skip_space(text, pos))
        if not m:
            break
        toks = _tokens(text, m.end())
        j, name = _scan_org(toks, 0, text, names=True)
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
    toks = _tokens(text, m.end())
    j, span = _scan_org(toks, 0, text, names=True)
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


def _run_before(text: str, head_start: int, floor: int) -> list[_Tok] | None:
    """The capitalized words followed by `,` or `-` right before a position, if any."""
    toks = [_Tok(m) for m in _TOKEN.finditer(text, max(floor, head_start - 64), head_start)]
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


def _listed(text: str, toks: list[_Tok], head_start: int) -> tuple[list, int]:
    """`Nguyễn Văn A, Bí thư Huyện ủy`: a bare name introduced by its position."""
    r = len(toks)
    starts = [i for i in range(r) if toks[i].text in _SURNAMES and 2 <= r - i <= 5]
    if not starts:
        return [], 0
    i = starts[0]
    # `Theo Nguyễn Văn An, Giám đốc ...`: one sentence-initial word before the name.
    opener = i == 1 and toks[0].text not in _SURNAMES and toks[0].text not in _NOT_NAME
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


def _join(toks: list[_Tok], i: int, j: int) -> str:
    return " ".join(t.text for t in toks[i:j])


# ---------------------------------------------------------------------------- event date

_CLAUSE_START = re.compile(r"[,;:.]\s*")
_SENTENCE_END = re.compile(rf"[.!?](?=\s+{_UP}|\s*$)")
# Words allowed between a clause's start and its date: `Vào sáng 31/3`, `Tối qua, ngày 2/9`.
_MAX_WORDS_BEFORE = 2


def event_date(lead: str, *, published: str | None = None) -> tuple[str | None, str | None]:
    """(ISO date, part of day) of the event a lead reports on.

    The date must open a clause of the lead's first sentence (`Chiều 31/3/2021, đồng
    chí ...`, `Thực hiện Kế hoạch ..., sáng 20/3, ...`) and not belong to a cited
    document (`Kế hoạch số 12-KH/TU ngày 5/3/2021`). A day and month without a year
    take the publish year, or the year before when that would put the event after
    publication (`Ngày 30/12` published on 2 January).

    >>> event_date("Chiều 31/3/2021, đồng chí Lê Văn Hiệu làm việc với Trường Chính trị tỉnh")
    ('2021-03-31', 'chiều')
    """
    if not lead:
        return None, None
    lead = _nfc(lead)
    published_day = _published_day(published)
    year = published_day.year if published_day else None
    sentence = _SENTENCE_END.search(lead)
    limit = sentence.start() if sentence else len(lead)
    for match in search_dates(lead[:limit], context_year=year):
        clause = 0
        for boundary in _CLAUSE_START.finditer(lead, 0, match.start):
            clause = boundary.end()
        if (len(lead[clause:match.start].split()) > _MAX_WORDS_BEFORE
                or _follows_document(lead, match.start)):
            continue
        iso = match.iso[:10]
        if year is not None and published_day and iso > published_day.isoformat():
            earlier = [d for d in search_dates(lead[:limit], context_year=year - 1)
                       if d.start == match.start]
            if earlier:
                iso = earlier[0].iso[:10]
        return iso, match.part_of_day
    return None, None


def _published_day(published: str | None) -> date | None:
    if not published:
        return None
    found = search_dates(published)
    if not found:
        return None
    return date.fromisoformat(found[0].iso[:10])


def _follows_document(text: str, start: int) -> bool:
    window_start = max(0, start - 80)
    for m in _CODE.finditer(text, window_start, start):
        if _DATE_GAP.fullmatch(text, m.end(), start):
            return True
    return False


# ------------------------------------------------------------------------------ counting


def count_facts(articles: Iterable[dict], kind: str) -> list[tuple[str, int]]:
    """How many articles cite each document (`kind="documents"`, by doc_id) or name each
    official (`kind="officials"`, by name), most frequent first.

    An article is a dict with a `documents` or `officials` list as stored; one without it
    is read from its `body` (plus `lead` when the body lacks it) and `author`.
    """
    if kind not in ("documents", "officials"):
        raise ValueError(f"kind must be 'documents' or 'officials', not {kind!r}")
    key = "doc_id" if kind == "documents" else "name"
    counts: Counter[str] = Counter()
    for article in articles:
        facts = article.get(kind)
        if facts is None:
            facts = _facts_of(article, kind)
        counts.update({fact[key] for fact in facts if fact.get(key)})
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _facts_of(article: dict, kind: str) -> list[dict]:
    body = article.get("body") or ""
    lead = article.get("lead") or ""
    if lead and lead not in body:
        body = f"{lead}\n\n{body}"
    if kind == "documents":
        return cited_documents(body)
    author = article.get("author")
    return officials(body, exclude=[author] if author else ())
