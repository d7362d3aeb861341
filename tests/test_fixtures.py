"""Every saved page in fixtures/pages extracts to its reviewed expected output."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from crawler.extract.decode import decode_html
from crawler.extract.dom import parse
from crawler.extract.selectors import select
from crawler.replica.fixtures import compare, format_diffs, load_fixtures, run_fixture
from crawler.sites import SITES, Selectors

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


def _layout_pages(site, layout) -> list:
    return [
        f for f in FIXTURES
        if f.meta.site == site.name and site.layout_at(f.meta.fetched_at) is layout
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("site", "layout"),
    [(site, layout) for site in SITES.values() for layout in site.layouts],
    ids=lambda v: getattr(v, "name", str(v)),
)
def test_every_registered_layout_has_fixture_pages_exercising_its_selectors(site, layout):
    pages = _layout_pages(site, layout)
    assert pages, f"no fixture page of site {site.name} fetched while layout {layout.name} held"
    roots = [parse(decode_html(f.read_html(), None)) for f in pages]
    for spec in fields(Selectors):
        if layout.selectors.get(spec.name) is None:
            continue
        assert any(select(root, layout, spec.name) for root in roots), (
            f"{site.name}/{layout.name}: selector {spec.name} matches no fixture page"
        )
