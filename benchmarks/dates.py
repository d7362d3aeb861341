"""Accuracy and speed of `crawler.text.dates.normalize_date` against dateparser.

Every parser reads the strings of tests/data/date_cases.tsv (the test table) with the
same `now`; a result counts as correct when it equals the expected value at the
expected precision (a date, or a date and time in +07:00), and None when None is
expected. "common" is the subset tagged so: numeric day-first dates with or without
weekday and time, the forms that make up almost every page.

Run: .venv/bin/python benchmarks/dates.py
"""

from __future__ import annotations

import platform
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import dateparser  # noqa: E402

from crawler.text.dates import VN_TZ, normalize_date  # noqa: E402
from tests.test_dates import Case, load_cases  # noqa: E402

COMMAND = ".venv/bin/python benchmarks/dates.py"
REPEATS = 5
VI_SETTINGS = {
    "DATE_ORDER": "DMY",
    "TIMEZONE": "Asia/Ho_Chi_Minh",
    "RETURN_AS_TIMEZONE_AWARE": True,
}

Parser = Callable[[Case], str | datetime | None]


def _relative(case: Case) -> dict:
    # dateparser wants a naive RELATIVE_BASE in the zone it assumes for the text.
    if case.now is None:
        return {}
    now = case.now.astimezone(VN_TZ) if case.now.tzinfo else case.now
    return {"RELATIVE_BASE": now.replace(tzinfo=None)}


def ours(case: Case) -> str | None:
    return normalize_date(case.text, now=case.now, context_year=case.context_year)


def dateparser_default(case: Case) -> datetime | None:
    return dateparser.parse(case.text, settings=_relative(case) or None)


def dateparser_vi(case: Case) -> datetime | None:
    return dateparser.parse(case.text, languages=["vi"], settings=VI_SETTINGS | _relative(case))


def dateparser_vi_strict(case: Case) -> datetime | None:
    settings = VI_SETTINGS | {"REQUIRE_PARTS": ["day", "month", "year"]} | _relative(case)
    return dateparser.parse(case.text, languages=["vi"], settings=settings)


PARSERS: dict[str, tuple[Parser, str]] = {
    "normalize_date": (ours, "patterns, dateparser fallback"),
    "dateparser default": (dateparser_default, "`dateparser.parse(text)`"),
    "dateparser vi": (dateparser_vi, "`languages=['vi']`, DMY, Asia/Ho_Chi_Minh"),
    "dateparser vi strict": (dateparser_vi_strict, "same + `REQUIRE_PARTS` day/month/year"),
}


def as_iso(value: str | datetime | None, expected: str | None) -> str | None:
    """A parser's answer at the precision of the expected value."""
    if value is None or isinstance(value, str):
        return value
    if expected is not None and "T" not in expected:
        # The date as read, before any conversion: dateparser's Asia/Ho_Chi_Minh is
        # +08:00 before 1975, which would move a midnight to the previous day.
        return value.date().isoformat()
    local = value.astimezone(VN_TZ) if value.tzinfo else value.replace(tzinfo=VN_TZ)
    return local.isoformat(timespec="seconds")


def accuracy(parser: Parser, cases: list[Case]) -> tuple[int, list[Case]]:
    wrong = [c for c in cases if as_iso(parser(c), c.expected) != c.expected]
    return len(cases) - len(wrong), wrong


def microseconds_per_call(parser: Parser, cases: list[Case], passes: int) -> float:
    """Best of REPEATS runs of `passes` passes over the cases (the least disturbed run,
    as timeit recommends: other processes only ever add time)."""
    parser_calls = [(parser, c) for c in cases]
    runs = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        for _ in range(passes):
            for call, case in parser_calls:
                call(case)
        runs.append((time.perf_counter() - start) / (passes * len(cases)))
    return min(runs) * 1e6


def main() -> None:
    cases = load_cases()
    common = [c for c in cases if "common" in c.tags]
    for parser, _ in PARSERS.values():  # warm-up: dateparser loads its language data lazily
        for case in cases:
            parser(case)

    rows = []
    results = {}
    for name, (parser, how) in PARSERS.items():
        passes = 100 if parser is ours else 1
        right_all, wrong = accuracy(parser, cases)
        right_common, _ = accuracy(parser, common)
        speed_all = microseconds_per_call(parser, cases, passes)
        speed_common = microseconds_per_call(parser, common, passes)
        results[name] = (speed_common, wrong)
        rows.append(
            f"| {name} | {how} | {right_all}/{len(cases)} | {right_common}/{len(common)} "
            f"| {speed_all:,.1f} | {speed_common:,.1f} |"
        )

    print(f"Command: `{COMMAND}`")
    print(
        f"Python {platform.python_version()}, dateparser {dateparser.__version__}, "
        f"{platform.machine()}; {len(cases)} strings, {len(common)} common; "
        f"best of {REPEATS} runs.\n"
    )
    print("| parser | settings | correct, all | correct, common | µs/call, all | µs/call, common |")
    print("|---|---|---:|---:|---:|---:|")
    print("\n".join(rows))
    ours_common, ours_wrong = results["normalize_date"]
    for name in PARSERS:
        if name != "normalize_date":
            ratio = results[name][0] / ours_common
            print(f"\nnormalize_date is {ratio:,.0f}x faster than {name} on common forms.", end="")
    print()
    for case in ours_wrong:
        print(f"WRONG normalize_date: {case.text!r} -> {ours(case)!r}, expected {case.expected!r}")
    sample = results["dateparser vi"][1][:8]
    if sample:
        print("\nSome strings dateparser vi gets wrong:")
        for case in sample:
            got = as_iso(dateparser_vi(case), case.expected)
            print(f"- `{case.text}` -> `{got}`, expected `{case.expected}`")
    if ours_wrong:
        sys.exit(1)


if __name__ == "__main__":
    main()
