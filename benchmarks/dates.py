"""Accuracy and speed of `crawler.text.dates.normalize_date` against dateparser-vi.

The mix is what the normalizer meets on pages, in fixed proportions:

- every string of tests/data/dates_real.tsv, copied from real Vietnamese news, Party
  and government pages: date lines, leads that open with a date, and the numbers that
  sit beside dates (view counts, phone numbers, document numbers, scores);
- as many lines with no digit (a menu item, a title, a caption, a byline) as there are
  real strings, taken at an even stride from the short blocks (<= 240 characters, the
  extractor's meta-line limit) of the pages in fixtures/pages; all of them have no date.

Both parsers read the same strings with the same `now`; dateparser, which has no
`context_year`, gets that year through RELATIVE_BASE (mid-year), so both know as much.
A result counts when it equals the expected value at the expected precision (a date,
or a date and time in +07:00), and None when None is expected. The rule table
tests/data/date_cases.tsv is reported beside it.

Time: each string is timed call by call, several times, the two parsers in turn so that
both see the same load on the shared machine; its time is the median of its calls (a
load spike moves one call, not the median). The table gives the mean and the median of
those per-string times, and the ratio of means. The whole measurement is repeated RUNS
times; the summary gives the median and half the spread.

Run: .venv/bin/python benchmarks/dates.py
"""

from __future__ import annotations

import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import dateparser  # noqa: E402

from crawler.extract.blocks import linearize  # noqa: E402
from crawler.extract.decode import decode_html  # noqa: E402
from crawler.extract.dom import parse  # noqa: E402
from crawler.text.dates import VN_TZ, normalize_date  # noqa: E402
from tests.test_dates import load_cases, load_real  # noqa: E402

COMMAND = ".venv/bin/python benchmarks/dates.py"
RUNS = 3
DATEPARSER_PASSES = 5
OURS_PER_PASS = 4  # ours is fast: more samples for the same wall time
META_LINE_MAX = 240
VI_SETTINGS = {
    "DATE_ORDER": "DMY",
    "TIMEZONE": "Asia/Ho_Chi_Minh",
    "RETURN_AS_TIMEZONE_AWARE": True,
}


class Item:
    """One string of the mix, as both parsers are asked about it."""

    __slots__ = ("context_year", "expected", "kind", "now", "text")

    def __init__(
        self,
        text: str,
        expected: str | None,
        now: datetime | None,
        context_year: int | None,
        kind: str,
    ) -> None:
        self.text, self.expected, self.now = text, expected, now
        self.context_year, self.kind = context_year, kind


Parser = Callable[[Item], str | datetime | None]


def no_digit_lines(count: int) -> list[str]:
    """`count` digit-free short blocks of the fixture pages, at an even stride."""
    lines = []
    for path in sorted((ROOT / "fixtures" / "pages").glob("*.html")):
        root = parse(decode_html(path.read_bytes()))
        if root is None:
            continue
        lines += [
            b.text
            for b in linearize(root)
            if b.text and len(b.text) <= META_LINE_MAX and not any(c.isdigit() for c in b.text)
        ]
    stride = max(1, len(lines) // count)
    return lines[::stride][:count]


def the_mix() -> list[Item]:
    real = load_real()
    items = [
        Item(
            c.text, c.expected, c.now, c.context_year, "real, " + ("date" if c.expected else "none")
        )
        for c in real
    ]
    items += [Item(t, None, None, None, "no digit") for t in no_digit_lines(len(real))]
    return items


def the_table() -> list[Item]:
    return [Item(c.text, c.expected, c.now, c.context_year, "table") for c in load_cases()]


def ours(item: Item) -> str | None:
    return normalize_date(item.text, now=item.now, context_year=item.context_year)


def _base(item: Item) -> dict:
    # dateparser wants a naive RELATIVE_BASE in the zone it assumes for the text.
    if item.now is not None:
        now = item.now.astimezone(VN_TZ) if item.now.tzinfo else item.now
        return {"RELATIVE_BASE": now.replace(tzinfo=None)}
    if item.context_year is not None:
        return {"RELATIVE_BASE": datetime(item.context_year, 7, 1)}
    return {}


def dateparser_vi(item: Item) -> datetime | None:
    return dateparser.parse(item.text, languages=["vi"], settings=VI_SETTINGS | _base(item))


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


def wrong(parser: Parser, items: list[Item]) -> list[Item]:
    return [i for i in items if as_iso(parser(i), i.expected) != i.expected]


def per_string_us(items: list[Item]) -> tuple[list[float], list[float]]:
    """Each string's median time per call, in microseconds, for ours and dateparser.

    The two are timed in turn on each string, so that both see the same load."""
    ours_times: list[list[float]] = [[] for _ in items]
    dp_times: list[list[float]] = [[] for _ in items]
    clock = time.perf_counter_ns
    for _ in range(DATEPARSER_PASSES):
        for k, item in enumerate(items):
            start = clock()
            dateparser_vi(item)
            dp_times[k].append((clock() - start) / 1000)
            for _ in range(OURS_PER_PASS):
                start = clock()
                ours(item)
                ours_times[k].append((clock() - start) / 1000)
    return [statistics.median(t) for t in ours_times], [statistics.median(t) for t in dp_times]


def main() -> None:
    mix, table = the_mix(), the_table()
    for item in mix + table:  # warm-up: dateparser loads its language data lazily
        ours(item)
        dateparser_vi(item)

    kinds = ["real, date", "real, none", "no digit"]
    print(f"Command: `{COMMAND}`")
    print(
        f"Python {platform.python_version()}, dateparser {dateparser.__version__}, "
        f"{platform.machine()}; mix of {len(mix)} strings ("
        + ", ".join(f"{sum(i.kind == k for i in mix)} {k}" for k in kinds)
        + f"); {RUNS} runs; in each, every string is timed {DATEPARSER_PASSES} times with "
        f"dateparser and {DATEPARSER_PASSES * OURS_PER_PASS} times with ours, in turn.\n"
    )
    print("Accuracy:\n")
    print("| parser | mix | " + " | ".join(kinds) + " | rule table |")
    print("|---|---:|" + "---:|" * len(kinds) + "---:|")
    for name, parser in (("normalize_date", ours), ("dateparser vi", dateparser_vi)):
        missed = wrong(parser, mix)
        cells = [f"{len(mix) - len(missed)}/{len(mix)}"]
        for kind in kinds:
            of_kind = [i for i in mix if i.kind == kind]
            cells.append(f"{len(of_kind) - sum(i.kind == kind for i in missed)}/{len(of_kind)}")
        cells.append(f"{len(table) - len(wrong(parser, table))}/{len(table)}")
        print(f"| {name} | " + " | ".join(cells) + " |")

    print("\nTime per call on the mix, µs:\n")
    print("| run | normalize_date mean | median | dateparser vi mean | median | ratio of means |")
    print("|---:|---:|---:|---:|---:|---:|")
    ratios, our_means, our_medians, dp_means, dp_medians = [], [], [], [], []
    for run in range(1, RUNS + 1):
        our_times, dp_times = per_string_us(mix)
        our_means.append(statistics.fmean(our_times))
        our_medians.append(statistics.median(our_times))
        dp_means.append(statistics.fmean(dp_times))
        dp_medians.append(statistics.median(dp_times))
        ratios.append(dp_means[-1] / our_means[-1])
        print(
            f"| {run} | {our_means[-1]:,.1f} | {our_medians[-1]:,.1f} | {dp_means[-1]:,.0f} "
            f"| {dp_medians[-1]:,.0f} | {ratios[-1]:,.0f}x |"
        )

    def summary(values: list[float], digits: int) -> str:
        half_spread = (max(values) - min(values)) / 2
        return f"{statistics.median(values):,.{digits}f} (±{half_spread:,.{digits}f})"

    print(
        f"| median (± half spread) | {summary(our_means, 1)} | {summary(our_medians, 1)} "
        f"| {summary(dp_means, 0)} | {summary(dp_medians, 0)} | {summary(ratios, 0)}x |"
    )

    missed = wrong(ours, mix)
    for item in missed:
        print(f"MISSED by normalize_date: {item.text!r} -> {ours(item)!r}, want {item.expected!r}")
    if wrong(ours, table):
        sys.exit(1)


if __name__ == "__main__":
    main()
