"""`tinhuy extract --explain`: which layer answered each field, by which rule, from which
element, among which candidates; and the fields are extract_article's own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.extract import extract_article
from crawler.extract.article import extract_traced
from crawler.extract.dom import parse
from crawler.extract.explain import FIELDS, Explanation, css_path, explain_article
from crawler.replica.fixtures import Fixture, load_fixtures
from crawler.sites import get_site
from tests.helpers import tinhuy

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = [
    *load_fixtures(ROOT / "fixtures" / "pages"),
    *load_fixtures(ROOT / "fixtures" / "incoming"),
]
BY_NAME = {f.name: f for f in FIXTURES}
LAYERS = {"site selector", "JSON-LD", "meta tag", "microdata", "heuristic", "none"}


def _explain(fixture: Fixture) -> Explanation:
    site = get_site(fixture.meta.site) if fixture.meta.site else None
    return explain_article(
        fixture.read_html(), fixture.url, site=site, fetched_at=fixture.meta.fetched_at
    )


def _cli(name: str, *extra: str) -> str:
    fixture = BY_NAME[name]
    return tinhuy("extract", str(fixture.html_path), "--url", fixture.url, "--explain",
                  *extra).stdout  # fmt: skip


def _paragraph(output: str, field: str) -> str:
    """The lines the text explanation prints for one field."""
    return next(p for p in output.split("\n\n") if p.startswith(f"{field}: "))


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.name for f in FIXTURES])
def test_explained_fields_are_extract_articles(fixture: Fixture) -> None:
    site = get_site(fixture.meta.site) if fixture.meta.site else None
    fields = extract_article(
        fixture.read_html(), fixture.url, site=site, fetched_at=fixture.meta.fetched_at
    )
    explained = _explain(fixture)
    assert explained.fields == fields
    assert set(explained.why) == set(FIELDS)
    assert {why.layer for why in explained.why.values()} <= LAYERS


def test_the_crawlers_path_builds_no_trace_and_a_tracer_sees_one_page() -> None:
    fixture = BY_NAME["haiduong_replica_seed"]
    seen = []
    traced = extract_traced(fixture.read_html(), fixture.url, seen.append,
                            fetched_at=fixture.meta.fetched_at)  # fmt: skip
    assert len(seen) == 1 and seen[0].fields is traced
    assert extract_traced("", fixture.url, seen.append) == extract_article("", fixture.url)
    assert len(seen) == 1  # nothing readable: nothing traced


def test_cli_shows_the_site_selector_for_a_registered_sites_title() -> None:
    output = _cli("haiduong_replica_seed")
    title = _paragraph(output, "title")
    assert title.startswith("title: site selector | title = 'h1.news-title'")
    assert "at div.content-left > div.news-detail > h1.news-title  'Đồng chí" in title
    assert "the heuristic alone would choose the same" in title
    published = _paragraph(output, "published")
    assert published.startswith("published: site selector | published = '.news-meta .news-date'")
    assert "'Thứ Năm 01/04/2021 09:15'" in published


def test_cli_shows_the_declared_layer_of_a_generic_pages_date() -> None:
    published = _paragraph(_cli("wordpress_tinhdoan_jsonld_utc"), "published")
    assert published.startswith("published: JSON-LD | declared date (JSON-LD)")
    assert 'at script[type="application/ld+json"] datePublished' in published

    meta = _explain(BY_NAME["wordpress_phunu_meta_only_date"]).why["published"]
    assert meta.layer == "meta tag" and meta.element is not None
    assert meta.element.path == 'meta[property="article:published_time"]'

    microdata = _explain(BY_NAME["joomla_namsach_microdata"]).why["published"]
    assert microdata.layer == "microdata" and "more precise" in microdata.rule
    # The printed line of the same day is the candidate it refined, and leaves the body.
    assert [c.chosen for c in microdata.candidates] == [True, False]


def test_a_heuristic_title_lists_its_runner_ups_with_their_scores() -> None:
    title = _explain(BY_NAME["table_laocai_date_above_nguon"]).why["title"]
    assert title.layer == "heuristic"
    assert title.rule.startswith("heading nearest above the body's first paragraph")
    first, second = title.candidates[:2]
    assert first.chosen and first.text == "Lào Cai sẵn sàng cho ngày bầu cử 22/5"
    assert not second.chosen and second.text.startswith("Chỉ còn một tuần nữa")
    assert {"f1", "vs", "tag", "above_body", "rule"} <= set(first.scores)
    assert first.scores["above_body"] > second.scores["above_body"]
    never = [c for c in title.candidates if c.scores["rule"].startswith("never chosen")]
    assert any("below the body's start" in c.scores["rule"] for c in never)


def test_body_candidates_carry_their_scores_the_chosen_one_best() -> None:
    body = _explain(BY_NAME["liferay_trieuphong_ban_bien_tap"]).why["body"]
    assert body.layer == "heuristic"
    chosen = [c for c in body.candidates if c.chosen]
    assert body.candidates[0] is chosen[0] and len(body.candidates) > 1
    assert {"score", "prose", "chars", "link_density", "class_weight"} <= set(chosen[0].scores)
    assert [c.scores["score"] for c in body.candidates] == sorted(
        (c.scores["score"] for c in body.candidates), reverse=True
    )
    assert chosen[0].path.endswith("div.article-body")


def test_a_signature_shows_which_lines_were_read_and_why_the_others_are_none() -> None:
    explained = _explain(BY_NAME["liferay_trieuphong_ban_bien_tap"]).why
    author, unit = explained["author"], explained["author_unit"]
    # A unit signs alone: the unit is answered, the author is not.
    assert unit.layer == "heuristic" and "signature ending the body" in unit.rule
    assert unit.element is not None and unit.element.text == "Ban Biên tập"
    assert author.layer == "none" and author.rule == "the byline names no author"
    assert author.notes[0].startswith("byline: heuristic, the signature ending the body")
    signed = [c for c in author.candidates if c.chosen]
    assert [c.text for c in signed] == ["Ban Biên tập"]
    assert signed[0].scores["read as"] == "unit 'Ban Biên tập'"
    prose = [c for c in author.candidates if not c.chosen]
    assert prose and all(c.scores["read as"].startswith("not a signature") for c in prose)
    assert explained["source"].layer == "none"


def test_json_form_parses_and_holds_every_field() -> None:
    data = json.loads(_cli("wordpress_tinhdoan_jsonld_utc", "--json"))
    assert set(data["explain"]) == set(FIELDS)
    for why in data["explain"].values():
        assert why["layer"] in LAYERS and why["rule"]
        assert set(why) == {"layer", "rule", "element", "candidates", "notes"}
    fixture = BY_NAME["wordpress_tinhdoan_jsonld_utc"]
    assert data["fields"] == extract_article(fixture.read_html(), fixture.url)
    assert data["explain"]["author"]["layer"] == "JSON-LD"
    assert data["explain"]["tags"]["element"]["path"].endswith("span.tags-links")


def test_json_needs_explain() -> None:
    done = tinhuy("extract", str(BY_NAME["haiduong_replica_seed"].html_path), "--json",
                  check=False)  # fmt: skip
    assert done.returncode == 2 and "--explain" in done.stderr


def test_css_path_names_the_element_and_two_ancestors() -> None:
    root = parse('<div id="main"><div class="news-detail x y"><h1 class="title">T</h1></div></div>')
    assert root is not None
    h1 = root.find(".//h1")
    assert css_path(h1) == "div#main > div.news-detail.x > h1.title"
    assert css_path(root.find("body")) == "body"
