"""Words and organisation phrases: where an issuer or a position ends and a name begins.

A pattern cannot see where `Ban Thường vụ Tỉnh ủy` ends and `Trần Đức Thắng` begins, so the
few words right after each hit are walked as typed tokens, never the whole text. Documents
walk an issuer (`của Ủy ban nhân dân tỉnh`), officials a position and the name after it.
"""

from __future__ import annotations

import re

from crawler.extract.facts.lexicon import DOC_TYPES, HEAD, ROMAN
from crawler.text.names import MAX_NAME_WORDS, MIN_NAME_WORDS, SURNAMES

# A line break is a token of its own: no phrase runs from one paragraph into the next.
_TOKEN = re.compile(r"[^\W\d_]+|\d+|[^\w\s]|\n")
_WINDOW = 120
_ISSUER_WINDOW = 80
# No name, position or issuer runs past a sentence, a quotation or a line.
_WINDOW_END = re.compile(r"[;!?\n“”\"]|[.:](?=\s|$)")


def words(text: str) -> frozenset[str]:
    """A set of words written as one string, the way the word lists here are kept."""
    return frozenset(text.split())


# Abbreviations printed with a dot and a space before what they abbreviate (`TP. Chí
# Linh`, `TS. Nguyễn Văn A`): that dot ends no sentence.
_DOTTED = words("TP Tp TX GS PGS TS ThS Ths BS KS")


# Lowercase syllables that never continue an organisation name: function words and the
# verbs that follow a subject in news prose.
_STOP = words("""
    về và ngày năm để đã đến trong tại theo với cho là được có sẽ đang việc nhằm số này đó
    các những như từ thì mà vừa đều cũng khi sau trước gồm của do bởi vào ra lên cùng nhưng
    hoặc làm phát nhấn chủ dự thăm trao tặng chúc đề khẳng yêu báo nêu nói ghi đánh kết chỉ
    tham đi biểu giao thay lãnh trả cảm gửi mong tiếp đọc công bố quán triệt tới nhiệm ký
    đồng_chí ông bà cán chiều sáng tối trưa
""")
# Second syllables of capitalized compounds in organisation and position names (Tỉnh ủy,
# Chấp hành, Chính trị): after a capitalized word they continue it whatever follows.
_TAIL = words("""
    ủy uỷ viên thư tịch trưởng hành vụ trị tướng phủ hội ương chức giáo vận tra phòng bộ
    đồng ban quốc trận niên nữ dân binh an sự tế dục tạo trường nghệ tư nghiệp thương dựng
    tải pháp chính động lịch thao hóa hoá khoa viện cục lâm thuế sát án đốc lợi lực bạc
    hiểm khối điện đoàn sản nguyên mại giới huy khu nghị đạo xuất thông giao lý đội luận tộc
""")
# Lowercase words that belong inside organisation names (UBND tỉnh, Hội đồng nhân dân).
_ORG_WORDS = words("tỉnh huyện xã phường quận nước thôn khối")
_ORG_PAIRS = frozenset({
    ("thành", "phố"), ("thị", "xã"), ("thị", "trấn"), ("nhân", "dân"), ("đại", "biểu"),
    ("quốc", "gia"), ("nông", "thôn"), ("thường", "trực"), ("dự", "khuyết"),
    ("chuyên", "trách"), ("dân", "phố"), ("trung", "ương"), ("cộng", "sản"), ("khu", "vực"),
    ("vận", "tải"), ("cán", "sự"), ("tổ", "chức"), ("tuyên", "giáo"), ("dân", "vận"),
    ("thứ", "nhất"), ("nhân", "sự"), ("cơ", "quan"), ("doanh", "nghiệp"),
    ("thường", "vụ"), ("chấp", "hành"), ("chỉ", "đạo"), ("tỉnh", "ủy"), ("tỉnh", "uỷ"),
    ("huyện", "ủy"), ("huyện", "uỷ"), ("thành", "ủy"), ("thành", "uỷ"), ("đảng", "ủy"),
    ("đảng", "uỷ"), ("quận", "ủy"), ("quận", "uỷ"), ("thị", "ủy"), ("thị", "uỷ"),
    ("chính", "trị"), ("khoa", "học"),
})
_TERM = frozenset({"khóa", "khoá"})
_STEERED_MAX = 12
# Surnames so common that two capitalized syllables starting with one, right after an
# organisation, are a name rather than a place (`Tỉnh ủy Nguyễn Chín`); the place names
# that start with a surname start with others (`Trần Đề`, `Lê Chân`, `Vũ Quang`).
_COMMON_SURNAMES = words("Nguyễn Phạm Đặng Bùi Đỗ Đinh Trịnh")
# Provinces whose names start with a surname (`thành phố Hồ Chí Minh`, `tỉnh Hà Giang`):
# a name run that begins with one is a place followed, perhaps, by a person.
_PROVINCES = tuple(tuple(p.split("_")) for p in words("""
    Hồ_Chí_Minh Hà_Nội Hà_Giang Hà_Nam Hà_Tĩnh Lâm_Đồng Cao_Bằng Đồng_Nai Đồng_Tháp
    Kiên_Giang Hậu_Giang Tiền_Giang An_Giang Bắc_Giang Ninh_Bình Ninh_Thuận Thái_Bình
    Thái_Nguyên Mai_Châu Quảng_Ninh Quảng_Nam Vĩnh_Long Long_An Bạc_Liêu"""))
TYPE_START = re.compile(rf"(?:{'|'.join(re.escape(t) for t in DOC_TYPES)})(?!\w)")
_DOC_CITED = re.compile(rf"(?:{'|'.join(re.escape(t) for t in DOC_TYPES)})\s+(?:về|số|\d)")
# Nouns that open the name of a body (`Đoàn`, `Ban`, `Sở`).
_ORG_NOUNS = words("Đoàn Ban Bộ Sở Ủy Uỷ Hội Đảng Tỉnh Huyện Thành Văn Cục Vụ Viện")


class Tok:
    """A word, number or punctuation mark with its offsets and kind: D digits, P
    punctuation, L lowercase, T capitalized, A acronym (UBND, XVII), M mixed (TTg, ThS)."""

    __slots__ = ("end", "kind", "start", "text")

    def __init__(self, m: re.Match[str]) -> None:
        t = self.text = m.group()
        self.start, self.end = m.span()
        if t[0].isdigit():
            self.kind = "D"
        elif not t[0].isalpha():
            self.kind = "P"
        elif t.islower():
            self.kind = "L"
        elif len(t) == 1 or t[1:].islower():
            self.kind = "T"
        elif t.isupper():
            self.kind = "A"
        else:
            self.kind = "M"


def word_start(text: str, i: int) -> bool:
    """Whether text[i] starts a word; patterns check this here rather than with a
    look-behind, which would keep re from skipping ahead to the pattern's first letters."""
    return i == 0 or not text[i - 1].isalnum()


def tokens_between(text: str, start: int, end: int) -> list[Tok]:
    return [Tok(m) for m in _TOKEN.finditer(text, start, end)]


def tokens(text: str, pos: int, width: int = _WINDOW) -> list[Tok]:
    """The words from `pos` to the end of the sentence (or `width` characters)."""
    end = min(len(text), pos + width)
    for stop in _WINDOW_END.finditer(text, pos, end):
        if stop.group() != "." or _word_before(text, stop.start()) not in _DOTTED:
            end = stop.end()
            break
    return tokens_between(text, pos, end)


def _word_before(text: str, end: int) -> str:
    start = end
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    return text[start:end]


def _lower(toks: list[Tok], j: int) -> str:
    return toks[j].text.lower() if j < len(toks) else ""


def _org_pair(toks: list[Tok], j: int) -> bool:
    return j + 1 < len(toks) and (_lower(toks, j), _lower(toks, j + 1)) in _ORG_PAIRS


def _compounds(toks: list[Tok], j: int, text: str) -> bool:
    """Whether lowercase toks[j] continues the capitalized word before it (`Tỉnh ủy`)."""
    word = toks[j].text
    if word in _TAIL:
        return True  # before the stops: `Ngoại giao` is a name, `giao` alone a verb
    if word in _STOP or word in _ORG_WORDS or _org_pair(toks, j) or word in _TERM:
        return False
    if j + 1 == len(toks):
        return True
    after = toks[j + 1]
    if after.text == "và":
        return _continues(toks, j + 2, text)
    return after.kind in "TAM" or after.text in ",;.:)" or after.text in _ORG_WORDS


def _is_term(tok: Tok) -> bool:
    """`XIV` or `14` after `khóa`."""
    return tok.kind == "D" or (tok.kind in "AT" and re.fullmatch(ROMAN, tok.text) is not None)


def scan_org(toks: list[Tok], j: int, text: str, *, names: bool) -> tuple[int, tuple | None]:
    """Walk an organisation phrase from toks[j]; returns the index past it and, when
    `names` is set, the (start, end) token span of a person's name that ends it."""
    n = len(toks)
    start = j
    while j < n:
        tok = toks[j]
        if tok.kind in "TAM":
            if j > start and _DOC_CITED.match(text, tok.start):
                break  # `của Chính phủ Quy định về ...`: the document's subject begins
            if names and tok.kind == "T":
                found = _name_in_run(toks, j, start)
                if found:
                    return found[0], found
            j += 1
            if tok.kind == "T" and j < n and toks[j].kind == "L" and (
                    _compounds(toks, j, text) or _org_pair(toks, j - 1)):
                j += 1
                if tok.text == "Chỉ" and toks[j - 1].text == "đạo":
                    j = _steered(toks, j)
            continue
        if tok.kind == "L":
            if _org_pair(toks, j):
                j += 2
                if tok.text == "chỉ" and toks[j - 1].text == "đạo":
                    j = _steered(toks, j)
            elif tok.text in _ORG_WORDS:
                j += 1
            elif tok.text in _TERM and j + 1 < n and _is_term(toks[j + 1]):
                j += 2
            elif tok.text == "và" and ((_continues(toks, j + 1, text) and not (
                    names and toks[j + 1].text in _ORG_NOUNS)) or _acronyms(toks, j)):
                # `Ban Tuyên giáo và Dân vận`, `Đoàn ĐBQH và HĐND tỉnh` go on; in a
                # position, `và Đoàn đại biểu Quốc hội` is a second body, not the first's.
                j += 1
            else:
                break
            continue
        # `Quân khu 3`, `Hội nghị Trung ương 4`
        if tok.kind == "D" and j > start and (
                toks[j - 1].kind == "T" or _lower(toks, j - 1) in _TAIL):
            j += 1
            continue
        if tok.kind == "P":
            if (tok.text == "(" and j + 3 < n and toks[j + 1].text.lower() in _TERM
                    and _is_term(toks[j + 2]) and toks[j + 3].text == ")"):
                j += 4
                continue
            # `T.Ư`, `TP.HCM`, `TP. Chí Linh`: a dot inside an abbreviation
            if (tok.text == "." and j > start and j + 1 < n and toks[j - 1].kind in "TAM"
                    and toks[j - 1].end == tok.start and toks[j + 1].kind in "TAM"
                    and (toks[j + 1].start == tok.end or toks[j - 1].text in _DOTTED)):
                j += 1
                continue
            # `Đảng ủy khối cơ quan – doanh nghiệp`
            if tok.text in "-–" and j > start and _org_pair(toks, j + 1):
                j += 1
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


def _steered(toks: list[Tok], j: int) -> int:
    """`Ban Chỉ đạo phòng, chống dịch COVID-19 tỉnh`: a steering committee's subject, in
    lowercase, runs to the place it serves; without that place it is left out."""
    for k in range(j, min(len(toks), j + _STEERED_MAX)):
        tok = toks[k]
        if tok.kind == "L" and tok.text in _ORG_WORDS and k > j:
            return k + 1
        if (tok.kind == "L" and tok.text in _STOP) or (tok.kind == "P" and tok.text not in ",-–"):
            break
    return j


def _acronyms(toks: list[Tok], j: int) -> bool:
    """`ĐBQH và HĐND`: `và` between two acronyms."""
    return 0 < j < len(toks) - 1 and toks[j - 1].kind == "A" and toks[j + 1].kind == "A"


def _continues(toks: list[Tok], j: int, text: str) -> bool:
    """Whether a capitalized word after `và`, `-` or `,` goes on with the same name."""
    if j >= len(toks) or toks[j].kind != "T":
        return False
    if HEAD.match(text, toks[j].start) or TYPE_START.match(text, toks[j].start):
        return False
    return not (toks[j].text in SURNAMES and j + 1 < len(toks) and toks[j + 1].kind == "T")


def org_span(text: str, pos: int) -> int | None:
    """End offset of the organisation phrase (an issuer) starting at `pos`, if any."""
    toks = tokens(text, pos, _ISSUER_WINDOW)
    if not toks or toks[0].kind not in "TA":
        return None
    j, _ = scan_org(toks, 0, text, names=False)
    return toks[j - 1].end if j else None


def run_length(toks: list[Tok], j: int) -> int:
    """Capitalized syllables from toks[j], less a last one that starts a compound."""
    k = j
    while k < len(toks) and toks[k].kind == "T" and k - j < 8:
        k += 1
    if k < len(toks) and k > j and toks[k].kind == "L" and toks[k].text in _TAIL:
        k -= 1
    return k - j


def _name_in_run(toks: list[Tok], j: int, org_start: int) -> tuple[int, int] | None:
    """A name at the end of the capitalized run at toks[j], after the organisation
    (`Tỉnh ủy Trần Đức Thắng`, `Huyện ủy Kinh Môn Nguyễn Văn Bình`); the last surname
    that leaves three syllables or more starts it (`Nguyễn Thị Mai Hương`)."""
    r = run_length(toks, j)
    if r < MIN_NAME_WORDS:
        return None
    run = [t.text for t in toks[j:j + r]]
    first = 0
    for province in _PROVINCES:
        if tuple(run[:len(province)]) == province:
            first = len(province)
            break
    before = toks[j - 1] if j > org_start else None
    dotted = j - 2 >= org_start and toks[j - 2].text == "."
    if before is not None and before.kind in "TAM" and not dotted:
        # `Trường THPT Nguyễn Trãi`: an eponym, not a person; after a dotted place
        # (`Thành ủy TP.HCM Tất Thành Cang`) a name may start.
        first = max(first, 1)
    # Two capitalized syllables after an organisation are far more often a place
    # (`Huyện ủy Kim Thành`) than a two-syllable name, so a name here has three or more.
    starts = [i for i in range(first, r) if run[i] in SURNAMES and 3 <= r - i <= MAX_NAME_WORDS]
    if not starts and r == 2 and first == 0 and run[0] in SURNAMES and (
            j == org_start or _lower(toks, j - 1) == "nước" or run[0] in _COMMON_SURNAMES):
        # ... unless nothing stands between the position and the name (`Tổng Bí thư Tô
        # Lâm`, `Chủ tịch nước Lương Cường`) or the surname is one no place name starts with.
        return j, j + 2
    if not starts:
        return None
    return j + starts[-1], j + r
