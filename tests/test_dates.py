"""crawler.text.dates: the table of real-world strings, round trips, and search in text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.text.dates import VN_TZ, DateMatch, normalize_date, parse_date, search_dates
from crawler.text.normalize import strip_invisible
from pipelines.stages.dates import with_dates

CASES_FILE = Path(__file__).parent / "data" / "date_cases.tsv"
REAL_FILE = Path(__file__).parent / "data" / "dates_real.tsv"


@dataclass(frozen=True)
class Case:
    text: str
    expected: str | None
    now: datetime | None
    context_year: int | None
    tags: frozenset[str]


def load_cases(path: Path = CASES_FILE) -> list[Case]:
    """The table; the benchmark reads it too, so both measure the same strings."""
    cases = []
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    for line in lines[1:]:  # after the header
        text, expected, now, year, tags = line.split("\t")
        text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
        tag_set = frozenset(tags.split())
        if "nfd" in tag_set:
            text = unicodedata.normalize("NFD", text)
        cases.append(
            Case(
                text=text,
                expected=None if expected == "-" else expected,
                now=datetime.fromisoformat(now) if now else None,
                context_year=int(year) if year else None,
                tags=tag_set,
            )
        )
    return cases


CASES = load_cases()


@dataclass(frozen=True)
class RealCase:
    text: str
    expected: str | None
    now: datetime | None
    context_year: int | None
    known_miss: bool
    source: str


def load_real(path: Path = REAL_FILE) -> list[RealCase]:
    """Strings copied from real pages; the benchmark reads them too."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    cases = []
    for line in lines[1:]:  # after the header
        text, expected, now, year, miss, source = line.split("\t")
        cases.append(
            RealCase(
                text=text,
                expected=None if expected == "-" else expected,
                now=datetime.fromisoformat(now) if now else None,
                context_year=int(year) if year else None,
                known_miss=miss == "miss",
                source=source,
            )
        )
    return cases


REAL = load_real()


def test_table_is_large_and_varied():
    assert len(CASES) >= 150
    assert sum(c.expected is None for c in CASES) >= 30
    assert sum("common" in c.tags for c in CASES) >= 50


@pytest.mark.parametrize("case", CASES, ids=lambda c: repr(c.text)[:60])
def test_table(case: Case):
    got = normalize_date(case.text, now=case.now, context_year=case.context_year)
    assert got == case.expected


def test_real_set_is_large_and_varied():
    assert len(REAL) >= 150
    assert sum(c.expected is None for c in REAL) >= 40
    assert sum(c.now is not None for c in REAL) >= 10
    assert len({c.source for c in REAL}) >= 80
    assert sum(c.known_miss for c in REAL) <= 0.02 * len(REAL)


@pytest.mark.parametrize("case", REAL, ids=lambda c: repr(c.text)[:60])
def test_real_strings(case: RealCase):
    got = normalize_date(case.text, now=case.now, context_year=case.context_year)
    # A known miss must stay a miss, not turn into a wrong date.
    want = None if case.known_miss else case.expected
    assert got == want, f"{case.text!r}: expected {case.expected!r}, got {got!r} ({case.source})"


# --- the forms of issue 17, each needing what the string leaves open ------------------

NOW = datetime(2021, 4, 6, 10, 30, tzinfo=VN_TZ)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sáng 15-3", "2021-03-15"),
        ("Sáng 15-3, các đồng chí lãnh đạo tỉnh", "2021-03-15"),
        ("Tối ngày 2-9", "2021-09-02"),
        ("Ngày 9-4, tại Hội trường Tỉnh ủy", "2021-04-09"),
        ("trước ngày 30-6.", "2021-06-30"),
        ("Sáng nay (01.8)", "2021-08-01"),
        ("Sáng nay 4-7, tại Hội trường", "2021-07-04"),
        ("vào ngày hôm nay (20/5).", "2021-05-20"),
        ("ngày mai 16/3", "2021-03-16"),
        ("Sáng 28.5, HĐND tỉnh khai mạc", "2021-05-28"),
        ("bắt đầu từ 21 giờ tối 2-9.", "2021-09-02T21:00:00+07:00"),
    ],
)
def test_day_month_after_part_of_day_or_ngay(text: str, expected: str):
    assert normalize_date(text, context_year=2021) == expected
    assert normalize_date(text) is None  # no year is guessed
    assert search_dates(text, context_year=2021)[0].iso == expected


@pytest.mark.parametrize(
    "text",
    ["1-3", "từ 1-3/4/2021", "nhiệt độ 18-20 độ C", "tỷ số 2-1", "Quốc khánh 2-9", "cấp 2-3"],
)
def test_dashes_without_a_day_marker_stay_ranges(text: str):
    assert normalize_date(text, context_year=2021) is None
    assert search_dates(text, context_year=2021) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vừa xong", "2021-04-06T10:30:00+07:00"),
        ("Sáng nay", "2021-04-06"),
        ("Sáng nay, Thường trực Tỉnh ủy đã nghe báo cáo", "2021-04-06"),
        ("Chiều qua, hội nghị khai mạc", "2021-04-05"),
        ("hôm qua", "2021-04-05"),
        ("hôm kia", "2021-04-04"),
        ("Cách đây 2 ngày", "2021-04-04"),
        ("cách đây 3 giờ", "2021-04-06T07:30:00+07:00"),
        ("4 giờ trước", "2021-04-06T06:30:00+07:00"),
        ("3 tuần trước", "2021-03-16"),
    ],
)
def test_relative_phrases_count_back_from_now(text: str, expected: str):
    assert normalize_date(text, now=NOW) == expected
    assert normalize_date(text, context_year=2021) is None  # no `now`, no date


def test_relative_phrases_give_way_to_the_printed_date():
    assert normalize_date("Chiều nay (ngày 19/8/2025), sẽ diễn ra", now=NOW) == "2025-08-19"
    assert normalize_date("Hôm nay: Thứ hai, 21/09/2020", now=NOW) == "2020-09-21"


def test_just_now_counts_only_as_a_timestamp():
    assert search_dates("Hội nghị vừa xong, các đại biểu ra về", now=NOW) == []
    assert normalize_date("Cập nhật: Vừa xong", now=NOW) == "2021-04-06T10:30:00+07:00"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cập nhật: 10:05' 06/04/2021", "2021-04-06T10:05:00+07:00"),
        ("06/04/2021 15h30'", "2021-04-06T15:30:00+07:00"),
        ("15h30' 06/04/2021", "2021-04-06T15:30:00+07:00"),
        ("06/04/2021 21:15 PM", "2021-04-06T21:15:00+07:00"),
        ("21:15 PM 06/04/2021", "2021-04-06T21:15:00+07:00"),
        ("06/04/2021 00:15 AM", "2021-04-06T00:15:00+07:00"),
        ("06/04/2021 09:15 PM", "2021-04-06T21:15:00+07:00"),
        ("4/27/2021 3:45:12 PM", "2021-04-27T15:45:12+07:00"),
        ("10-22-2021, 12:22 PM", "2021-10-22T12:22:00+07:00"),
        ("12/13/2021", "2021-12-13"),
        ("7.6.19", "2019-06-07"),
        ("ngày 7.6.19", "2019-06-07"),
        ("vào hồi 20 giờ 21 phút 39 giây ngày 21/10/2021", "2021-10-21T20:21:39+07:00"),
        ("04:30 GMT+7, Thứ Ba, 27/9/2022", "2022-09-27T04:30:00+07:00"),
        ("Điểm tin 24 giờ - 24/11/2015", "2015-11-24"),
    ],
)
def test_printed_times_and_orders(text: str, expected: str):
    assert normalize_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "06/04/2021 21:15 AM",  # a 24-hour time that says morning: garbled
        "4/27/2021 25:00",
        "13/13/2021",
        "15h30'",
        "21:15 PM",
    ],
)
def test_contradictions_and_bare_times_give_none(text: str):
    assert normalize_date(text, now=NOW, context_year=2021) is None


def test_two_digit_dotted_years_need_a_marker_in_running_text():
    assert search_dates("phiên bản 2.1.10 đã phát hành") == []
    assert [m.iso for m in search_dates("Quyết định ký ngày 7.6.19 của UBND")] == ["2019-06-07"]


@pytest.mark.parametrize(
    "text",
    [
        "Thống kê truy cập  Hôm nay: 312 Hôm qua: 587 Tất cả: 1.204.",
        "Hôm qua: 587",
        "Lượt xem: 7370",
        "HOTLINE: 0903.343.439 - HOTLINE Phát hành: 0819.123.127",
        "Số: 25/QĐ-UBND",
        "quý II/2024",
        "nhiệm kỳ 2015-2020",
        "Thu nhập bình quân đầu người đạt 93,78 triệu đồng.",
        "tại tọa độ 14.859 độ vĩ Bắc, 108.243 độ kinh Đông",
        "Nằm trên công báo: 59 + 60 | 61 + 62",
        "5/5 - (133 bình chọn)",
        "8h00: Đồng chí Bí thư Tỉnh ủy quán triệt",
        "Tố Tuấn",
    ],
)
def test_no_date_beside_dates(text: str):
    assert normalize_date(text, now=NOW, context_year=2021) is None
    assert search_dates(text, now=NOW, context_year=2021) == []


# --- the pipeline stage: now and the publish year passed through -----------------------


def test_stage_completes_dates_from_fetch_time_and_publish_year():
    fetched = datetime(2021, 1, 5, 9, 0, tzinfo=VN_TZ)
    row = with_dates({"published_raw": "Sáng 28-12", "updated_raw": "10:05 4/1"}, now=fetched)
    # Printed without a year, after the fetch date: the year before.
    assert row["published"] == "2020-12-28"
    # The update completes from the publish year, not the fetch year.
    assert row["updated"] == "2020-01-04T10:05:00+07:00"
    row = with_dates({"published_raw": "Chiều 3/1", "updated_raw": "10:05 4/1"}, now=fetched)
    assert (row["published"], row["updated"]) == ("2021-01-03", "2021-01-04T10:05:00+07:00")
    row = with_dates({"published_raw": "2 giờ trước"}, now=fetched)
    assert row["published"] == "2021-01-05T07:00:00+07:00"
    row = with_dates({"published_raw": "Thứ Năm 01/04/2021 09:15"}, now=fetched)
    assert row["published"] == "2021-04-01T09:15:00+07:00"  # a printed year is kept
    assert with_dates({"published_raw": "Sáng 28-12"})["published"] is None


# --- round trips -----------------------------------------------------------------------

WEEKDAY_VI = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]
WEEKDAY_SHORT = ["T2", "T3", "T4", "T5", "T6", "T7", "CN"]
MONTH_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DAY_EN = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def _wd(t: datetime, *, short: bool = False) -> str:
    return (WEEKDAY_SHORT if short else WEEKDAY_VI)[t.weekday()]


def _rfc822(t: datetime, zone: str) -> str:
    return f"{DAY_EN[t.weekday()]}, {t:%d} {MONTH_EN[t.month - 1]} {t:%Y %H:%M:%S} {zone}"


def _h12(dt: datetime, am: str, pm: str) -> str:
    return f"{(dt.hour % 12) or 12}:{dt.minute:02d} {pm if dt.hour >= 12 else am}"


# Each format renders a local (+07:00) datetime to the unit it prints: day, minute or second.
FORMATS = {
    "dd/mm/yyyy": (lambda t: f"{t:%d/%m/%Y}", "day"),
    "d/m/yyyy": (lambda t: f"{t.day}/{t.month}/{t.year}", "day"),
    "d.m.yyyy": (lambda t: f"{t.day}.{t.month}.{t.year}", "day"),
    "dd-mm-yyyy": (lambda t: f"{t:%d-%m-%Y}", "day"),
    "ngày d tháng m năm yyyy": (lambda t: f"ngày {t.day} tháng {t.month} năm {t.year}", "day"),
    "d tháng m, yyyy": (lambda t: f"{t.day} tháng {t.month}, {t.year}", "day"),
    "weekday, ngày d/m/yyyy": (lambda t: f"{_wd(t)}, ngày {t.day}/{t.month}/{t.year}", "day"),
    "Chiều d/m/yyyy": (lambda t: f"Chiều {t.day}/{t.month}/{t.year}", "day"),
    "weekday dd/mm/yyyy HH:MM": (lambda t: f"{_wd(t)} {t:%d/%m/%Y %H:%M}", "minute"),
    "Tn, dd/mm/yyyy - HH:MM": (lambda t: f"{_wd(t, short=True)}, {t:%d/%m/%Y - %H:%M}", "minute"),
    "dd/mm/yyyy HH:MM:SS": (lambda t: f"{t:%d/%m/%Y %H:%M:%S}", "second"),
    "HH:MM | dd/mm/yyyy": (lambda t: f"{t:%H:%M | %d/%m/%Y}", "minute"),
    "HH:MM ngày d/m/yyyy": (lambda t: f"{t:%H:%M} ngày {t.day}/{t.month}/{t.year}", "minute"),
    "d/m/yyyy lúc HhMM": (lambda t: f"{t.day}/{t.month}/{t.year} lúc {t.hour}h{t:%M}", "minute"),
    "H giờ M phút, ngày d tháng m năm yyyy": (
        lambda t: f"{t.hour} giờ {t.minute} phút, ngày {t.day} tháng {t.month} năm {t.year}",
        "minute",
    ),
    "dd/mm/yyyy h:MM SA/CH": (lambda t: f"{t:%d/%m/%Y} {_h12(t, 'SA', 'CH')}", "minute"),
    "dd/mm/yyyy h:MM AM/PM": (lambda t: f"{t:%d/%m/%Y} {_h12(t, 'AM', 'PM')}", "minute"),
    "dd/mm/yyyy HH:MM (GMT+7)": (lambda t: f"{t:%d/%m/%Y %H:%M} (GMT+7)", "minute"),
    "ISO +07:00": (lambda t: t.isoformat(timespec="seconds"), "second"),
    "ISO Z": (lambda t: f"{t.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}", "second"),
    "RFC 822 +0700": (lambda t: _rfc822(t, "+0700"), "second"),
    "RFC 822 GMT": (lambda t: _rfc822(t.astimezone(UTC), "GMT"), "second"),
}

local_datetimes = st.datetimes(
    min_value=datetime(1901, 1, 1), max_value=datetime(2099, 12, 31)
).map(lambda t: t.replace(microsecond=0, tzinfo=VN_TZ))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(moment=local_datetimes, name=st.sampled_from(sorted(FORMATS)), spelling=st.integers(0, 3))
def test_every_format_round_trips(moment: datetime, name: str, spelling: int):
    render, unit = FORMATS[name]
    if unit == "minute":
        moment = moment.replace(second=0)
    text = render(moment)
    # The same string as pages deliver it: upper case, decomposed, non-breaking spaces.
    if spelling == 1:
        text = text.upper()
    elif spelling == 2:
        text = unicodedata.normalize("NFD", text)
    elif spelling == 3:
        text = text.replace(" ", "\u00a0")
    day, seconds = moment.date().isoformat(), moment.isoformat(timespec="seconds")
    assert normalize_date(text) == (day if unit == "day" else seconds)


@settings(max_examples=200, deadline=None)
@given(moment=st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2069, 12, 31)))
def test_two_digit_years_round_trip(moment: datetime):
    assert normalize_date(f"{moment.day}-{moment.month}-{moment:%y}") == moment.date().isoformat()


@settings(max_examples=200, deadline=None)
@given(
    moment=local_datetimes,
    minutes=st.integers(1, 59),
    hours=st.integers(1, 23),
    days=st.integers(1, 6),
)
def test_relative_dates_count_back_from_now(moment: datetime, minutes: int, hours: int, days: int):
    assert normalize_date(f"{minutes} phút trước", now=moment) == (
        moment - timedelta(minutes=minutes)
    ).isoformat(timespec="seconds")
    assert normalize_date(f"{hours} giờ trước", now=moment) == (
        moment - timedelta(hours=hours)
    ).isoformat(timespec="seconds")
    assert (
        normalize_date(f"{days} ngày trước", now=moment)
        == (moment - timedelta(days=days)).date().isoformat()
    )


# Fragments of date forms, so that arbitrary text also reaches the deeper paths.
DATE_FRAGMENTS = (
    *"0123456789/.-:,|()+ hgTZ\u00a0\u200b\u0301",
    *("ngày ", "tháng ", "năm ", "Thứ Năm ", "T5 ", "CN ", "Chiều ", "lúc ", "giờ ", "phút "),
    *("trước ", "hôm qua", "SA", "CH", "GMT+7", "Apr ", "2021", "âm lịch"),
)
DATEISH = st.lists(st.sampled_from(DATE_FRAGMENTS), max_size=25).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(max_size=60), DATEISH), year=st.none() | st.integers(1900, 2100))
def test_arbitrary_text_never_raises(text: str, year: int | None):
    now = datetime(2021, 4, 1, 9, 20, tzinfo=VN_TZ)
    iso = normalize_date(text, now=now, context_year=year)
    assert iso is None or re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d\+07:00)?", iso)
    previous_end = 0
    for match in search_dates(text, now=now, context_year=year):
        assert previous_end <= match.start < match.end <= len(text)
        assert text[match.start : match.end] == match.text
        previous_end = match.end


# --- one date, with what the pipeline logs ----------------------------------------------


def test_weekday_contradicting_the_date_is_flagged_not_fatal():
    match = parse_date("Thứ Hai, 01/04/2021 09:15")
    assert match is not None
    assert match.iso == "2021-04-01T09:15:00+07:00"
    assert match.weekday_mismatch
    assert not parse_date("Thứ Năm, 01/04/2021").weekday_mismatch
    assert not parse_date("Thu, 01 Apr 2021 09:15:00 +0700").weekday_mismatch


def test_parse_date_reports_time_and_part_of_day():
    match = parse_date("Chiều 31/3/2021")
    assert match == DateMatch(0, 15, "Chiều 31/3/2021", "2021-03-31", "chiều", False, False)
    assert parse_date("Cập nhật: 01/04/2021 09:15").has_time
    assert parse_date("Lượt xem: 7370") is None


def test_first_mention_decides():
    assert normalize_date("31/02/2021, sửa ngày 01/03/2021") is None
    assert normalize_date("Thứ Năm 01/04/2021 09:15, Thứ Sáu 02/04/2021") == (
        "2021-04-01T09:15:00+07:00"
    )


def test_now_naive_means_local_time():
    naive = datetime(2021, 4, 1, 9, 20)
    aware = datetime(2021, 4, 1, 2, 20, tzinfo=UTC)
    assert normalize_date("hôm nay", now=naive) == normalize_date("hôm nay", now=aware)


# --- dates in running text ---------------------------------------------------------------

LEAD = (
    "Chiều 31/3/2021, đồng chí Lê Văn Hiệu, Phó Bí thư Thường trực Tỉnh ủy làm việc với "
    "Trường Chính trị tỉnh theo Quyết định 705/QĐ-TTg ngày 7.6.2019 của Thủ tướng Chính phủ"
)


def test_lead_gives_event_date_and_cited_date():
    found = search_dates(LEAD)
    assert [(m.text, m.iso, m.part_of_day) for m in found] == [
        ("Chiều 31/3/2021", "2021-03-31", "chiều"),
        ("ngày 7.6.2019", "2019-06-07", None),
    ]
    assert LEAD[found[1].start : found[1].end] == "ngày 7.6.2019"


def test_event_date_without_year_needs_context_year():
    lead = "Chiều 31/3, đồng chí Lê Văn Hiệu làm việc với Trường Chính trị tỉnh"
    assert search_dates(lead) == []
    [match] = search_dates(lead, context_year=2021)
    assert (match.text, match.iso, match.part_of_day) == ("Chiều 31/3", "2021-03-31", "chiều")


def test_codes_ranges_scores_and_counters_are_not_dates():
    text = (
        "Thực hiện Nghị định số 30/2020/NĐ-CP và Quyết định 705/QĐ-TTg, giai đoạn 2021-2025, "
        "đạt 3/5 tiêu chí, Lượt xem: 7370, ĐT: 0220.3852.123, từ 1-3/4/2021, "
        "ngày 20/2 âm lịch, phiên bản 2.1.10"
    )
    assert search_dates(text, context_year=2021) == []


def test_citations_each_give_their_date():
    body = (
        "Thực hiện Chỉ thị số 45-CT/TW ngày 20/6/2020 của Bộ Chính trị, Thông tư số "
        "1/2021/TT-BNV ngày 11/1/2021 của Bộ Nội vụ và Kế hoạch số 212-KH/TU, ngày 10/12/2020; "
        "cuộc bầu cử diễn ra vào Chủ nhật, ngày 23/5/2021 (15/10/1930 - 15/10/2019)."
    )
    assert [m.iso for m in search_dates(body)] == [
        "2020-06-20",
        "2021-01-11",
        "2020-12-10",
        "2021-05-23",
        "1930-10-15",
        "2019-10-15",
    ]


def test_anchored_day_month_in_text():
    text = "Hôm 4/7, tỉnh tổ chức hội nghị; tối thứ Sáu, 5/7 lúc 20h diễn ra lễ bế mạc."
    found = search_dates(text, context_year=2024)
    assert [(m.iso, m.part_of_day) for m in found] == [
        ("2024-07-04", None),
        ("2024-07-05T20:00:00+07:00", "tối"),
    ]


def test_spans_index_the_original_text_even_when_decomposed():
    text = unicodedata.normalize("NFD", "Đăng lúc: Thứ Năm\u00a001/04/2021\u200b 09:15 | Lượt xem")
    [match] = search_dates(text)
    assert match.iso == "2021-04-01T09:15:00+07:00"
    assert text[match.start : match.end] == match.text
    assert unicodedata.normalize("NFC", match.text).replace("\u200b", "") == (
        "Thứ Năm\u00a001/04/2021 09:15"
    )


@pytest.mark.parametrize("mark", ["\u00ad", "\u200b", "\u2060", "\ufeff", "\u180e", "\x03"])
def test_dates_drop_the_marks_clean_text_drops(mark: str):
    assert strip_invisible(mark) == ""
    text = f"01/{mark}04/2021"
    [match] = search_dates(text)
    assert (match.iso, match.start, match.end) == ("2021-04-01", 0, len(text))


def test_a_line_separator_reads_as_a_space():
    assert strip_invisible("\u2028") == "\u2028"
    assert normalize_date("01/04/2021\u202809:15") == "2021-04-01T09:15:00+07:00"


def test_byline_and_header_lines():
    page = "Thứ năm, ngày 22/4/2021\nĐồng chí ...\nThứ Năm 01/04/2021 09:15\nPhạm Thị Hoài, VPTU"
    assert [m.iso for m in search_dates(page)] == ["2021-04-22", "2021-04-01T09:15:00+07:00"]


def test_part_of_day_opening_the_lead_does_not_turn_the_timestamp_into_pm():
    page = "21/04/2021 08:45 Chiều 20/4, đồng chí Phạm Xuân Thăng"
    found = search_dates(page, context_year=2021)
    assert [(m.iso, m.part_of_day) for m in found] == [
        ("2021-04-21T08:45:00+07:00", None),
        ("2021-04-20", "chiều"),
    ]
    assert normalize_date("01/04/2021 lúc 3 giờ chiều") == "2021-04-01T15:00:00+07:00"


def test_site_header_today_line():
    assert normalize_date("Hôm nay: Thứ hai, 21/09/2020") == "2020-09-21"
    [match] = search_dates("Hôm nay: Thứ hai, 21/09/2020")
    assert match.text == "Thứ hai, 21/09/2020"


def test_pattern_forms_never_reach_dateparser(monkeypatch):
    def refuse():
        raise AssertionError("dateparser called")

    monkeypatch.setattr("crawler.text.dates._fallback_parser", refuse)
    for case in CASES:
        if "fallback" not in case.tags and case.expected is not None:
            got = normalize_date(case.text, now=case.now, context_year=case.context_year)
            assert got == case.expected


def test_text_without_a_month_name_never_reaches_dateparser(monkeypatch):
    def refuse():
        raise AssertionError("dateparser called")

    monkeypatch.setattr("crawler.text.dates._fallback_parser", refuse)
    # Every real string (dates and the numbers beside them) and every no-date case.
    for case in [*REAL, *CASES]:
        if "fallback" not in getattr(case, "tags", ()):
            normalize_date(case.text, now=case.now, context_year=case.context_year)
    for text in ("Tin tức nổi bật trong tháng 3/2025", "hồi tháng 5-2019", "sinh năm 1986, 2 con"):
        assert normalize_date(text) is None


@pytest.mark.parametrize(
    ("odd", "plain"),
    [
        ("ſep 1, 2021", "Sep 1, 2021"), ("1 ſeptember 2021", "1 September 2021"),
        ("Frıday, 5 Feb 2021", "Friday, 5 Feb 2021"), ("FRİDAY, 5 Feb 2021", "FRIDAY, 5 Feb 2021"),
        ("hôm \u212aia", "hôm kia"),
    ],
)  # fmt: skip
def test_letters_ignorecase_reads_as_ascii_give_the_ascii_spelling_s_date(odd, plain):
    """IGNORECASE lets ſ, ı, İ and the Kelvin sign match s, i and k: such a word is read,
    never a KeyError that would empty the whole page's extraction."""
    now = datetime(2021, 2, 6, 10, 0, tzinfo=VN_TZ)
    assert [m.iso for m in search_dates(odd, now=now)] == [
        m.iso for m in search_dates(plain, now=now)
    ]
    assert normalize_date(odd, now=now) == normalize_date(plain, now=now)
