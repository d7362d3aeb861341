"""Every saved page in fixtures/pages extracts to its reviewed expected output."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.replica.fixtures import compare, format_diffs, load_fixtures, run_fixture

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"
FIXTURES = load_fixtures(PAGES)


# An empty corpus must fail loudly, never pass as zero skipped tests.
@pytest.mark.parametrize(
    "fixture", FIXTURES or [None], ids=[f.name for f in FIXTURES] or ["no-fixtures"]
)
def test_page_extracts_as_expected(fixture):
    assert fixture is not None, f"no NAME.html fixtures in {PAGES}"
    diffs = compare(fixture.expected, run_fixture(fixture))
    assert not diffs, "\n" + format_diffs(fixture.name, diffs)
