"""Vietnamese date strings -> ISO 8601 in Vietnam's time (+07:00).

Layered like trafilatura's extraction: a few compiled patterns read every form that
Vietnamese government, Party and news sites print, and dateparser is only asked
about strings none of them recognise. A date mention is read in three steps:

1. a *core* (``01/04/2021``, ``22 tháng 4 năm 2021``, ``2021-04-01T02:15:00Z``,
   ``01 Apr 2021``, ``3 ngày trước``, ``Cách đây 2 ngày``, ``hôm qua``, ``Sáng nay``,
   ``Vừa xong``) found anywhere in the text;
2. a *prefix* read backwards from the core: label (``Cập nhật lúc``), part of the
   day (``Chiều``, ``Sáng nay (``), time (``09:15 -``, ``10:05'``, ``04:30 GMT+7,``),
   weekday (``Thứ Năm,``), ``ngày`` (``ngày hôm nay (``, ``ngày mai``);
3. a *suffix* after it: time (``| 09:15``, ``lúc 9h15``, ``2:30 CH``) and zone
   (``(GMT+7)``, ``+0700``).

A wrong date is worse than none: impossible dates give ``None`` rather than a
shifted value; so does a possible date with an impossible time (``01/04/2021 25:61``),
since a garbled time casts doubt on the whole stamp and a date-only answer would
pass for a page that printed no time. Numbers are day-first; a full date whose second
number cannot be a month but whose first can (``4/27/2021``) is the US month-first
order. A 24-hour time with an AM/PM mark (``21:15 PM``) keeps its hour.

What a string leaves open is never guessed: a day/month without a year (``Sáng 15-3``)
is only completed from ``context_year``, and relative dates (``2 giờ trước``,
``Sáng nay``, ``Vừa xong``) only from ``now``; without them the answer is None.
Forms that look like numbers as often as dates count only where something marks them
as a date: a day-month with a dash after a part of the day, a time or ``ngày``
(``1-3`` is a range otherwise), a day.month.yy (``2.1.10`` is a version), a date
set apart by spaces alone (``22 08 2022``) and ``Vừa xong`` only so marked or alone in
the string.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from crawler.text.normalize import INVISIBLE

__all__ = [
    "VN_TZ", "DateMatch", "calendar_shape", "normalize_date", "now_local", "parse_date",
    "search_dates",
]

# Vietnam has kept +07:00 without DST since 1975. A fixed offset rather than
# ZoneInfo("Asia/Ho_Chi_Minh"): the tz database gives Saigon's +08:00 for 1959-1975
# and +08/+09 in the 1940s, so historical dates would break the `+07:00` contract.
VN_TZ = timezone(timedelta(hours=7), "+07:00")
# The same fixed offset by name, for PostgreSQL sessions (POSIX names invert the sign).
VN_TZ_NAME = "Etc/GMT-7"


def now_local() -> datetime:
    """Now, in the archive's one time zone."""
    return datetime.now(VN_TZ)

_POD = r"sáng|trưa|chiều|tối|đêm"
_WEEKDAY = r"""
    (?:thứ\s*(?:hai|ba|tư|bốn|năm|sáu|bảy|[2-7])|chủ\s*nhật|cn|t[2-7]
      |mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?
      |fri(?:day)?|sat(?:urday)?|sun(?:day)?)(?!\w)"""
_MONTH_EN = r"""
    (?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?
      |sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?!\w)"""
_NO_DATE_AHEAD = r"(?!\s*,?\s*(?:ngày\s+)?\d{1,2}[/.-]\d)"
# `nay`, `qua`, `kia`, `mai` after a part of the day or `ngày` (`Sáng nay (01.8)`,
# `ngày hôm nay 21-5`, `ngày mai 16/3`): the printed date that follows decides.
_REL = r"(?:hôm\s+)?(?:nay|qua|kia|mai)(?!\w)"


def _time(pod_guard: str, hour: str = r"\d{1,2}") -> str:
    """A clock time. `9g15` is common on Vietnamese sites, but a bare `5g` is more often
    "5G" than a time; some sites mark minutes with an apostrophe (`10:05'`, `15h30'`).
    A part of the day on the same line makes a 12-hour clock (`3 giờ chiều`);
    `pod_guard` lets a time after a date refuse a part of the day that opens the next
    date (`09:15 Chiều 31/3`); `hour` narrows what counts as an hour."""
    return rf"""
    (?<![\d:.,/])(?P<hour>{hour})
    (?:
        :(?P<minute>\d{{2}})(?::(?P<second>\d{{2}})(?:[.,]\d+)?)?(?!\d)
      | h(?:(?P<minute_h>\d{{2}})(?!\d)|(?!\w))
      | g(?P<minute_g>\d{{2}})(?!\d)
      | \s*giờ(?:\s*(?P<minute_w>\d{{1,2}})(?!\d)(?:\s*phút)?
          (?:\s*(?P<second_w>\d{{1,2}})(?!\d)\s*giây)?)?(?!\w)
    )['’′]?
    (?:[^\S\r\n]*(?P<meridiem>sa|ch|am|pm|a\.m\.|p\.m\.|(?:{_POD}){pod_guard})(?!\w))?"""


_ZONE = r"""
    \(?\s*(?P<zone>(?:gmt|utc|ut)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?|\+\d{2}:?\d{2}|-\d{4})
    (?!\w)\s*\)?"""
_LABEL = r"""
    (?:ngày\s+(?:đăng|cập\s+nhật|ban\s+hành|xuất\s+bản|tạo|giờ)|cập\s+nhật(?:\s+lúc)?
      |đăng\s+(?:ngày|lúc)|xuất\s+bản|thời\s+gian|hôm\s+nay|published|updated|posted(?:\s+on)?)
    (?:\s*:\s*|\s+)"""

# `Hôm nay: Thứ hai, 21/09/2020` (a site header) and `Sáng nay (01.8)` name the day
# the printed date that follows gives; `Hôm nay: 312` is a visit counter.
_EXPLICIT_DATE_AHEAD = rf"\s*[:,]?\s*\(?\s*(?:{_WEEKDAY}|ngày|\d{{1,2}}[/.-]\d)"
_NOT_A_DAY_AHEAD = rf"(?!{_EXPLICIT_DATE_AHEAD})(?!\s*:\s*\d)"
_AGO_UNIT = r"giây|phút|giờ|tiếng|ngày|tuần|tháng|năm"

_FLAGS = re.IGNORECASE | re.VERBOSE

# The lookaheads on the first character only save time: the pattern is tried at every
# word start of every block of a page, and most words cannot open a date.
_CORE = re.compile(
    rf"""
    (?<![\w./])(?:
        (?=\d)(?:
            (?P<iso_y>\d{{4}})(?P<iso_sep>[-/.])(?P<iso_m>\d{{1,2}})(?P=iso_sep)(?P<iso_d>\d{{1,2}})
            (?!\d)
            (?:T(?P<iso_h>\d{{2}}):(?P<iso_min>\d{{2}})(?::(?P<iso_s>\d{{2}})(?:[.,]\d+)?)?
               (?P<iso_z>Z|[+-]\d{{2}}(?::?\d{{2}})?)?)?
          | (?P<d>\d{{1,2}})(?P<sep>[/.-]|[ ](?=\d{{1,2}}[ ]\d{{4}}(?!\d)))(?P<m>\d{{1,2}})(?!\d)
            (?:(?P=sep)(?P<y>\d{{4}}|\d{{2}})(?!\d))?
          | (?P<w_d>\d{{1,2}})\s+tháng\s+(?P<w_m>\d{{1,2}})(?!\d)
            (?:\s*(?:,|năm|/)\s*(?P<w_y>\d{{4}})(?!\d)|\s+(?P<w_y2>(?:19|20)\d\d)(?!\d))?
          | (?P<e_d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<e_mon>{_MONTH_EN})\.?,?\s+
            (?P<e_y>\d{{4}})(?!\d)
        )
      | (?=[jfmasond])(?P<e_mon2>{_MONTH_EN})\.?\s+(?P<e_d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+
        (?P<e_y2>\d{{4}})(?!\d)
      | (?P<ago_pre>cách\s+đây\s+)?(?P<ago_n>\d{{1,3}})\s*(?P<ago_u>{_AGO_UNIT})
        (?(ago_pre)(?:\s+trước)?|\s+trước)
      | (?=[hstcđv])(?:
            hôm\s+(?P<rel>nay|qua|kia)(?!\w){_NOT_A_DAY_AHEAD}
          | (?P<rel_pod>{_POD})\s+(?P<rel_p>nay|qua)(?!\w){_NOT_A_DAY_AHEAD}
          | (?P<just>vừa\s+xong)
        )
    )(?!\w)
    """,
    _FLAGS,
)
# Before a date only a real hour is a time: `Điểm tin 24 giờ - 24/11/2015` is a name.
_CLOCK_HOUR = r"[01]?\d|2[0-3]"
# Read backwards from a core: the leftmost start that reaches the core is the longest prefix.
# Every part opens with a digit or one of these letters; the lookahead only saves time.
_PREFIX = re.compile(
    rf"""
    (?<!\w)(?=[\dncđxthpusmwf]|\Z)
    (?P<label>{_LABEL})?
    (?:(?P<pod>{_POD})(?!\w)(?:\s+{_REL})?(?:\s*\(\s*|\s*,?\s*))?
    (?:{_time(pod_guard="", hour=_CLOCK_HOUR)}(?:\s*{_ZONE})?\s*(?:[,|–—-]\s*)?)?
    (?:(?P<weekday>{_WEEKDAY})\s*[,.|–—-]?\s*)?
    (?:(?P<day_word>ngày|hôm|mùng|mồng)(?:\s+{_REL})?(?:\s*\(\s*|\s*:\s*|\s+))?
    \Z
    """,
    _FLAGS,
)
_SUFFIX = re.compile(
    rf"""
    \s*(?:[,|–—-]\s*)?(?:(?:vào\s+)?lúc\s*:?\s*)?\(?{_time(pod_guard=_NO_DATE_AHEAD)}\)?(?:\s*{_ZONE})?
    """,
    _FLAGS,
)
_PREFIX_WINDOW = 64
# A day/month followed by more of a number is a code (`05/2020/TT-BTC`) or a range.
_YEARLESS_TAIL = re.compile(r"[/.-]\d")
_FULL_TAIL = re.compile(r"[/.]\w")
_LUNAR_TAIL = re.compile(r"\s*\(?\s*(?:âm\s+lịch|âl)(?!\w)", re.IGNORECASE)
# `1-3/4/2021` and `1 - 3/4`: a range of days, whose end is not the date meant.
_RANGE_BEFORE = re.compile(r"(?<![\w:])\d{1,2}\s*[–—-]\s*\Z")
_ZONE_PARTS = re.compile(r"([+-])\s*(\d{1,2})(?::?(\d{2}))?")
_EDGE_NOISE = " \t\r\n,.;:|()[]-–—"

_WEEKDAYS = {
    word: number
    for number, words in enumerate(
        ("hai 2 mon", "ba 3 tue", "tư bốn 4 wed", "năm 5 thu", "sáu 6 fri", "bảy 7 sat", "sun")
    )
    for word in words.split()
}
_MONTHS_EN = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_AGO_SECONDS = {"giây": 1, "phút": 60, "giờ": 3600, "tiếng": 3600, "ngày": 86400, "tuần": 604800}
# Every core, and every string dateparser is asked about, holds a digit or one of these
# words (unaccented, so the same in NFD); text with neither, most blocks of a page, is
# answered without the NFC pass and the big pattern, unless an invisible mark could be
# hiding a word.
_DIGIT_OR_MARK = re.compile(r"[\d" + INVISIBLE.pattern[1:])  # one scan for both
_CORE_WORDS = ("nay", "qua", "kia", "xong")
_CORE_WORD = re.compile(rf"(?<!\w)(?:{'|'.join(_CORE_WORDS)})(?!\w)", re.IGNORECASE)
# Without `now` only a calendar date has a value (the relative cores resolve to None), and
# every calendar core holds a digit followed by a separator and a digit (day/month/year, ISO),
# by `tháng` or a month name (`22 tháng 4`, `1st Apr 2021`) or by a four-digit year
# (`Apr 1, 2021`): most lines with digits (counters, scores, phone numbers) hold none, and
# are answered without the big pattern. This one opens with a digit: it is tried at digits.
_CALENDAR_HINT = re.compile(
    rf"""\d(?:[/.\- ]\d|(?:st|nd|rd|th)?(?:,?\s+\d{{4}}|\s+(?:tháng|{_MONTH_EN})))""", _FLAGS
)

# Fallback gate: a month in words, a four-digit year and another number. The patterns
# read every numeric form, so only a month name (`Tháng Tư 1, 2021`) can need
# dateparser; bare times, weekdays and `tháng 6/2019`, which it would complete from
# today, never reach it, and neither does text without a date, which it is slow to refuse.
_FALLBACK_MONTH = re.compile(
    rf"tháng\s+(?:giêng|một|hai|ba|tư|bốn|năm|sáu|bảy|tám|chín|mười|chạp)(?!\w)|(?<!\w){_MONTH_EN}",
    _FLAGS,
)
_FALLBACK_YEAR = re.compile(r"(?<!\d)(?:1[89]|2[01])\d\d(?!\d)")
_FALLBACK_DAY = re.compile(r"(?<!\d)\d{1,2}(?!\d)")
_FALLBACK_STRIP = re.compile(rf"(?<!\w)(?:{_WEEKDAY}|{_LABEL})", _FLAGS)
_FALLBACK_MAX_LEN = 80


@dataclass(frozen=True, slots=True)
class DateMatch:
    """One date mention; `start`/`end` index the text as it was passed in."""

    start: int
    end: int
    text: str
    iso: str
    part_of_day: str | None
    has_time: bool
    weekday_mismatch: bool


class _Invalid(Exception):
    """A date was printed but cannot be (31/02, 25:61) or cannot be completed."""


def normalize_date(
    text: str, *, now: datetime | None = None, context_year: int | None = None
) -> str | None:
    """ISO 8601 for a string holding one date: `YYYY-MM-DDTHH:MM:SS+07:00` or `YYYY-MM-DD`.

    None when it holds no valid date, or one that needs `context_year` (`Sáng 15-3`) or
    `now` (`Sáng nay`, `Vừa xong`) and was not given it.

    >>> normalize_date("Thứ Năm 01/04/2021 09:15")
    '2021-04-01T09:15:00+07:00'
    >>> normalize_date("Chiều 31/3", context_year=2021)
    '2021-03-31'
    """
    if not text or not _may_hold_date(text):
        return None
    # parse_date without building a DateMatch: this runs on every date field of a crawl.
    norm, _ = _prepare(text)
    for _, _, result, _ in _mentions(norm, _anchor(now), context_year, whole=True):
        return result[0] if result else None
    match = _fallback(text, norm)
    return match.iso if match else None


def parse_date(
    text: str, *, now: datetime | None = None, context_year: int | None = None
) -> DateMatch | None:
    """The date of a string that is essentially one date (a byline, a label, a feed field).

    The first mention decides: if it is impossible or incomplete the answer is None,
    never a later or a guessed date. dateparser is asked only when no pattern matched.
    """
    if not text or not _may_hold_date(text):
        return None
    norm, offsets = _prepare(text)
    anchor = _anchor(now)
    for start, end, result, _ in _mentions(norm, anchor, context_year, whole=True):
        if result is None:
            return None
        return _to_match(text, offsets, start, end, result)
    return _fallback(text, norm)


def search_dates(
    text: str, *, now: datetime | None = None, context_year: int | None = None
) -> list[DateMatch]:
    """Every valid date mention in a longer text, in order.

    A day/month without a year counts only when `context_year` is given and the
    mention is anchored (`ngày 4/7`, `Chiều 31/3`, `31/3 lúc 9h`), so that scores
    (`3/5`) and document numbers (`30/2020/NĐ-CP`) are never read as dates.
    """
    found, yearless = _search(text, now, None)
    if yearless and context_year is not None:
        found, _ = _search(text, now, context_year)
    return list(found)


def calendar_shape(text: str) -> bool:
    """Whether `text` may hold a calendar date. When False, search_dates(text) without `now`
    is empty whatever the context year, and no digit in the text is followed by a `/`, `.`,
    `-` or space and a digit: most lines with digits (counters, scores, phone numbers) are
    answered so, without the search's cache, the big pattern or the list it returns."""
    if _CALENDAR_HINT.search(text):
        return True
    # The search reads the text composed and without invisible marks: so is the hint.
    return not _plain(text) and _CALENDAR_HINT.search(_prepare(text)[0]) is not None


@lru_cache(maxsize=2048)
def _search(
    text: str, now: datetime | None, context_year: int | None
) -> tuple[tuple[DateMatch, ...], bool]:
    """search_dates, read once per line: a page prints the same date under every teaser, a
    site the same footer on every page, and several steps of an extraction ask about the
    same lines. A tuple, so that no caller can change what the next one is handed.

    Also whether a mention lacked a year: the context year is read for those alone, so a
    line without one is read once (with None) for every context year the steps pass."""
    if not text or not _may_hold_date(text):
        return (), False
    norm, offsets = _prepare(text)
    if now is None and not _CALENDAR_HINT.search(norm):
        return (), False
    found = []
    yearless = False
    for start, end, result, no_year in _mentions(norm, _anchor(now), context_year, whole=False):
        yearless = yearless or no_year
        if result is not None:
            found.append(_to_match(text, offsets, start, end, result))
    return tuple(found), yearless


def _may_hold_date(text: str) -> bool:
    if _DIGIT_OR_MARK.search(text):
        return True
    folded = text.lower()
    # A substring test first, the word test (not `quan`, `quang`) only when it hits.
    return any(word in folded for word in _CORE_WORDS) and _CORE_WORD.search(text) is not None


def _prepare(text: str) -> tuple[str, list[int] | None]:
    """NFC text without invisible marks, and the source index of each of its characters.

    The map is None when nothing changes, the common case; otherwise text is composed
    one base character (with its combining marks) at a time so spans map back.
    """
    if _plain(text):
        return text, None
    chars: list[str] = []
    offsets: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        for ch in unicodedata.normalize("NFC", text[i:j]):
            if not INVISIBLE.match(ch):
                chars.append(ch)
                offsets.append(i)
        i = j
    offsets.append(n)
    return "".join(chars), offsets


def _plain(text: str) -> bool:
    """The text as _prepare leaves it: composed, no invisible marks."""
    return unicodedata.is_normalized("NFC", text) and not INVISIBLE.search(text)


def _anchor(now: datetime | None) -> datetime | None:
    if now is None:
        return None
    if now.tzinfo is None:
        return now.replace(tzinfo=VN_TZ, microsecond=0)
    return now.astimezone(VN_TZ).replace(microsecond=0)


_Result = tuple[str, bool, str | None, bool]  # iso, has_time, part_of_day, weekday_mismatch


def _mentions(
    norm: str, now: datetime | None, context_year: int | None, *, whole: bool
) -> Iterator[tuple[int, int, _Result | None, bool]]:
    """Yield (start, end, result, yearless) for each mention; result is None when it is
    invalid. `yearless` mentions (`15/3`) alone read `context_year`."""
    previous_end = 0
    for core in _CORE.finditer(norm):
        start, end = core.span()
        if start < previous_end:
            continue
        window_start = max(previous_end, start - _PREFIX_WINDOW)
        prefix = _PREFIX.search(norm, window_start, start) if window_start < start else None
        if prefix and prefix.start() < start:
            start = prefix.end("label") if prefix.group("label") else prefix.start()
        else:
            prefix = None
        suffix = _SUFFIX.match(norm, end)
        if suffix:
            end = suffix.end()

        day, year = core.group("d", "y")
        yearless = (day is not None and year is None) or (
            core.group("w_d") is not None and not (core.group("w_y") or core.group("w_y2"))
        )
        if not _plausible(norm, core, start, day, yearless, prefix):
            continue
        sep = core.group("sep")
        weak = (
            yearless
            or sep == " "
            or (sep == "." and year is not None and len(year) == 2)
            or (day is None and core.group("just") is not None)
        )
        if weak and not (suffix or prefix) and not (whole and _alone(norm, start, end)):
            continue
        try:
            result = _resolve(core, prefix, suffix, now, context_year)
        except _Invalid:
            result = None
        previous_end = end
        yield start, end, result, yearless


def _plausible(
    norm: str,
    core: re.Match[str],
    start: int,
    day: str | None,
    yearless: bool,
    prefix: re.Match[str] | None,
) -> bool:
    """Reject numbers that only look like dates: codes, ranges, lunar dates."""
    end = core.end()
    if day is not None:
        if yearless and (
            (core.group("sep") == "-" and not _marks_a_day(prefix))
            or _YEARLESS_TAIL.match(norm, end)
        ):
            return False
        if not yearless and _FULL_TAIL.match(norm, end):
            return False
        if _LUNAR_TAIL.match(norm, end):
            return False
        if start == core.start() and _RANGE_BEFORE.search(norm, max(0, start - 8), start):
            return False
    elif core.group("w_d") is not None and _LUNAR_TAIL.match(norm, end):
        return False
    return True


def _marks_a_day(prefix: re.Match[str] | None) -> bool:
    """A part of the day, a time or `ngày` before `15-3` makes it a day, not a range."""
    return prefix is not None and any(prefix.group("pod", "hour", "day_word"))


def _alone(norm: str, start: int, end: int) -> bool:
    return not norm[:start].strip(_EDGE_NOISE) and not norm[end:].strip(_EDGE_NOISE)


def _resolve(
    core: re.Match[str],
    prefix: re.Match[str] | None,
    suffix: re.Match[str] | None,
    now: datetime | None,
    context_year: int | None,
) -> _Result:
    pod = prefix.group("pod") if prefix else None
    zone = clock = None
    d, m, y = core.group("d", "m", "y")
    if d is not None:  # day-first numbers, by far the most common form: asked first
        # `4/27/2021 3:45:12 PM`: a full date that can only be month-first.
        if y is not None and len(m) == 2 and m > "12" and int(d) <= 12:
            d, m = m, d
        day = _completed(y, m, d, context_year)
    else:
        pod = pod or core.group("rel_pod")
        if core.group("just") is not None:
            if now is None:
                raise _Invalid
            return now.isoformat(timespec="seconds"), True, None, False
        if core.group("ago_n") is not None:
            iso, has_time = _ago(int(core.group("ago_n")), core.group("ago_u").lower(), now)
            return iso, has_time, pod.lower() if pod else None, False
        if core.group("iso_y") is not None:
            day = _date(core.group("iso_y"), core.group("iso_m"), core.group("iso_d"))
            if core.group("iso_h") is not None:
                clock = _clock(*core.group("iso_h", "iso_min", "iso_s"), None)
                zone = core.group("iso_z")
        else:
            day = _word_date(core, now, context_year)
    if clock is None and suffix:
        clock = _time_of(suffix)
        zone = suffix.group("zone")
    if clock is None and prefix and prefix.group("hour") is not None:
        clock = _time_of(prefix)
        zone = prefix.group("zone")

    part_of_day = pod.lower() if pod else None
    mismatch = False
    if prefix and prefix.group("weekday"):
        mismatch = _weekday(prefix.group("weekday")) != day.weekday()
    if clock is None:
        return day.isoformat(), False, part_of_day, mismatch
    moment = datetime(day.year, day.month, day.day, *clock, tzinfo=_tz(zone))
    return moment.astimezone(VN_TZ).isoformat(timespec="seconds"), True, part_of_day, mismatch


def _ago(n: int, unit: str, now: datetime | None) -> tuple[str, bool]:
    """`3 ngày trước` from `now`; units of a day or more give a date without a time."""
    if now is None:
        raise _Invalid
    if unit in ("tháng", "năm"):
        months = n if unit == "tháng" else 12 * n
        year, month0 = divmod(now.year * 12 + now.month - 1 - months, 12)
        # A month back from 31 March is the last day of February, not 3 March.
        day = min(now.day, calendar.monthrange(year, month0 + 1)[1])
        return _date(year, month0 + 1, day).isoformat(), False
    moment = now - timedelta(seconds=n * _AGO_SECONDS[unit])
    if unit in ("ngày", "tuần"):
        return moment.date().isoformat(), False
    return moment.isoformat(timespec="seconds"), True


def _word_date(core: re.Match[str], now: datetime | None, context_year: int | None) -> date:
    """The date of a core in words: relative, `22 tháng 4`, `01 Apr 2021`, `Apr 1, 2021`."""
    rel = core.group("rel") or core.group("rel_p")
    if rel is not None:
        if now is None:
            raise _Invalid
        back = {"nay": 0, "qua": 1, "kia": 2}[_ascii_lower(rel)]
        return now.date() - timedelta(days=back)
    if core.group("w_d") is not None:
        d, m = core.group("w_d", "w_m")
        y = core.group("w_y") or core.group("w_y2")
    elif core.group("e_d") is not None:
        d, y = core.group("e_d", "e_y")
        m = _MONTHS_EN[_ascii_lower(core.group("e_mon")[:3])]
    else:
        d, y = core.group("e_d2", "e_y2")
        m = _MONTHS_EN[_ascii_lower(core.group("e_mon2")[:3])]
    return _completed(y, m, d, context_year)


def _completed(y: str | None, m: int | str, d: str, context_year: int | None) -> date:
    if y is None:
        if context_year is None:
            raise _Invalid
        return _date(context_year, m, d)
    if len(y) == 2:
        # Two-digit years: 00-69 are this century, 70-99 the last one.
        return _date(int(y) + (2000 if int(y) < 70 else 1900), m, d)
    return _date(y, m, d)


def _date(y: int | str, m: int | str, d: int | str) -> date:
    y, m, d = int(y), int(m), int(d)
    if not 1000 <= y <= 2999:  # `01/04/0220` is a misprint, not a date in antiquity
        raise _Invalid
    try:
        return date(y, m, d)
    except ValueError:
        raise _Invalid from None


def _time_of(m: re.Match[str]) -> tuple[int, int, int]:
    minute = m.group("minute") or m.group("minute_h") or m.group("minute_g") or m.group("minute_w")
    second = m.group("second") or m.group("second_w")
    return _clock(m.group("hour"), minute, second, m.group("meridiem"))


def _clock(h: str, mi: str | None, s: str | None, meridiem: str | None) -> tuple[int, int, int]:
    hour, minute, second = int(h), int(mi or 0), int(s or 0)
    if meridiem:
        meridiem = meridiem.lower().replace(".", "")
        afternoon = meridiem in ("pm", "ch")
        if meridiem in ("am", "sa", "pm", "ch"):
            # A 24-hour time with a redundant mark (`21:15 PM`, `00:15 AM`) keeps its hour.
            if (afternoon and 13 <= hour <= 23) or (not afternoon and hour == 0):
                pass
            elif not 1 <= hour <= 12:
                raise _Invalid
            else:
                hour = hour % 12 + (12 if afternoon else 0)
        elif hour < 12 and (
            meridiem in ("chiều", "tối")
            or (meridiem == "trưa" and hour <= 3)
            or (meridiem == "đêm" and hour >= 6)
        ):
            hour += 12
    if hour > 23 or minute > 59 or second > 59:
        raise _Invalid
    return hour, minute, second


def _tz(zone: str | None) -> timezone:
    if not zone:
        return VN_TZ
    parts = _ZONE_PARTS.search(zone)
    if not parts:  # Z, or a bare GMT/UTC/UT
        return UTC
    sign, hours, minutes = parts.groups()
    offset = timedelta(hours=int(hours), minutes=int(minutes or 0))
    if offset > timedelta(hours=14):
        raise _Invalid
    return timezone(-offset if sign == "-" else offset)


# The letters IGNORECASE lets stand for ASCII ones (`ſep`, `Frıday`, the Kelvin sign):
# a word the patterns matched is looked up by the ASCII spelling.
_IGNORECASE_ASCII = str.maketrans({"ſ": "s", "ı": "i", "İ": "i", "\u212a": "k"})


def _ascii_lower(word: str) -> str:
    return word.translate(_IGNORECASE_ASCII).lower()


def _weekday(word: str) -> int:
    key = re.sub(r"\s+", "", _ascii_lower(word))
    if key in ("chủnhật", "cn"):
        return 6
    if key.startswith("thứ"):
        return _WEEKDAYS[key[3:]]
    if key[0] == "t" and key[1:].isdigit():
        return _WEEKDAYS[key[1:]]
    return _WEEKDAYS[key[:3]]


def _to_match(
    text: str, offsets: list[int] | None, start: int, end: int, result: _Result
) -> DateMatch:
    if offsets is not None:
        start, end = offsets[start], offsets[end]
    iso, has_time, part_of_day, mismatch = result
    return DateMatch(start, end, text[start:end], iso, part_of_day, has_time, mismatch)


def _fallback(text: str, norm: str) -> DateMatch | None:
    """dateparser for forms the patterns do not know (`Tháng Tư 1, 2021`), safely gated."""
    if (
        len(norm) > _FALLBACK_MAX_LEN
        or not _FALLBACK_YEAR.search(norm)
        or not _FALLBACK_MONTH.search(norm)
    ):
        return None
    # dateparser's Vietnamese data misreads weekdays (`Thứ Năm 01/04` loses a digit).
    cleaned = _FALLBACK_STRIP.sub(" ", norm)
    if not _FALLBACK_DAY.search(cleaned):
        return None
    data = _fallback_parser().get_date_data(cleaned)
    if data.date_obj is None:
        return None
    moment = data.date_obj.astimezone(VN_TZ)
    has_time = data.period == "time"
    iso = moment.isoformat(timespec="seconds") if has_time else moment.date().isoformat()
    return DateMatch(0, len(text), text, iso, None, has_time, False)


@lru_cache(maxsize=1)
def _fallback_parser() -> Any:
    # Imported here: dateparser costs ~0.5 s to import and most runs never need it.
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["vi", "en"],
        settings={
            "DATE_ORDER": "DMY",
            "TIMEZONE": "+0700",
            "TO_TIMEZONE": "+0700",
            "RETURN_AS_TIMEZONE_AWARE": True,
            "REQUIRE_PARTS": ["day", "month", "year"],
            "PARSERS": ["absolute-time"],
            "RETURN_TIME_AS_PERIOD": True,
        },
    )
