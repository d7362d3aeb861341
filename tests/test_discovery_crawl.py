"""`tinhuy crawl --base-url` on sites no class describes: a synthetic site of each CMS
family, with faults, served over HTTP and crawled by the real engine with discovery
(`--site` left out, so the crawl finds which site it is, or that it is none). Each crawl
must store every servable article and nothing else, and a later crawl after 1% new
articles must cost under 3% of the first one's requests."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from crawler.mirror import serve_app
from crawler.replica.synthetic import SyntheticSite, family_descriptions, parse_faults
from tests.helpers import selected, tinhuy

ARTICLES = 80
# Every fault kind a crawler survives by retrying, gone pages, encodings, redirect chains
# and a loop, more often than `--faults default`: discovery reads through them as a crawl
# does. The incremental cost is measured at the default rates (DEFAULT_RATES): each page
# gone for good is asked for again by the next crawls (README, Reliability), a cost of
# its own; the default's slow answers are left out, since each holds a crawl 30 s.
FAULTS = parse_faults(
    "500=0.02,503=0.01,reset=0.01,truncate=0.01,404=0.02,cp1258=0.03,nfd=0.03,"
    "redirect=0.02,loop=1"
)
DEFAULT_RATES = {kind: rate for kind, rate in parse_faults("default").items() if kind != "slow"}


@contextmanager
def served(
    family: str, articles: int, port: int = 0, faults: dict[str, float] = FAULTS
) -> Iterator[tuple[str, dict]]:
    site = SyntheticSite(articles, seed=11, faults=faults, family=family, log_requests=False)
    with serve_app(site, port=port) as base_url:
        site.base_url = base_url
        manifest = json.loads(b"".join(site.manifest_chunks()))
        yield base_url, manifest


def crawl(base_url: str, db: Path, summary: Path) -> dict:
    tinhuy("crawl", "--base-url", base_url, "--db", str(db), "--fast",
           "--summary-json", str(summary))  # fmt: skip
    return json.loads(summary.read_text(encoding="utf-8"))


def stored_titles(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [title for (title,) in conn.execute("SELECT title FROM articles")]


@dataclass(frozen=True)
class FamilyCrawl:
    manifest: dict
    summary: dict
    titles: list[str]


def crawl_family(family: str, tmp: Path) -> FamilyCrawl:
    with served(family, ARTICLES) as (base_url, manifest):
        summary = crawl(base_url, tmp / "a.db", tmp / "a.json")
    return FamilyCrawl(manifest, summary, stored_titles(tmp / "a.db"))


@pytest.fixture(scope="module")
def family_crawls(request, tmp_path_factory) -> Iterator[dict[str, Future[FamilyCrawl]]]:
    """The crawl of each family the session tests, two at a time: a crawl keeps about
    one core busy, and each family is its own site on its own port."""
    with ThreadPoolExecutor(2) as pool:
        crawls = {
            family: pool.submit(crawl_family, family, tmp_path_factory.mktemp(family))
            for family in selected(request, "family")
        }
        yield crawls
        pool.shutdown(cancel_futures=True)


@pytest.mark.parametrize("family", sorted(family_descriptions()))
def test_a_crawl_of_an_unknown_site_stores_its_articles_and_nothing_else(family, family_crawls):
    done = family_crawls[family].result()
    manifest, summary, titles = done.manifest, done.summary, done.titles
    servable = {a["title"] for a in manifest["articles"] if a["servable"]}
    every = {a["title"] for a in manifest["articles"]}
    assert servable <= set(titles), f"not stored: {sorted(servable - set(titles))[:5]}"
    assert set(titles) <= every, f"not articles: {sorted(set(titles) - every)[:5]}"
    if family != "replica":  # the replica's shapes are the registered site's
        assert summary["discovered"]["article_templates"], summary["discovered"]


def test_a_later_crawl_after_one_percent_new_costs_under_three_percent(tmp_path):
    with served("wordpress", 700, faults=DEFAULT_RATES) as (base_url, _):
        first = crawl(base_url, tmp_path / "w.db", tmp_path / "1.json")
        port = int(base_url.rsplit(":", 1)[1])
    with served("wordpress", 707, port=port, faults=DEFAULT_RATES) as (again, manifest):
        assert again == base_url
        second = crawl(base_url, tmp_path / "w.db", tmp_path / "2.json")
    assert second["new"] == 7
    assert second["requests"] < 0.03 * first["requests"], (second["requests"], first["requests"])
    servable = {a["title"] for a in manifest["articles"] if a["servable"]}
    assert servable <= set(stored_titles(tmp_path / "w.db"))
