"""Redirects and meta refreshes: only the site's own scheme, host and port are the site.

A synthetic site where some articles send the crawl elsewhere: to another port of the
same host (another local service), to another host, to `file:`, by a 302 or by a meta
refresh. None may be followed; each must be named in the summary's `offsite_redirects`
with the article that led there, and the article listed in its failures with the reason
and recorded for the next crawl. An on-site redirect is still followed.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

import pytest

from crawler.mirror import Reply, serve_app
from crawler.replica.synthetic import SyntheticSite
from crawler.replica.synthetic.content import ID_BASE
from tests.helpers import ROOT

HTML = "text/html; charset=utf-8"


@dataclass
class Recorder:
    """Another service on this machine, or a proxy standing for the outside world:
    it answers, and remembers every request that reached it."""

    requests: list[str] = field(default_factory=list)

    def respond(self, target: str) -> Reply:
        self.requests.append(target)
        return Reply(200, b"<html><body>not the site</body></html>", HTML)


def _meta_refresh(url: str) -> bytes:
    return (
        f'<html><head><meta http-equiv="refresh" content="0; url={url}"></head>'
        "<body><p>Đang chuyển trang...</p></body></html>"
    ).encode()


@dataclass
class Redirecting:
    """The synthetic site, with a few articles answering by sending the crawl away."""

    site: SyntheticSite
    other_service: str
    answers: dict[int, Reply] = field(default_factory=dict)

    def __post_init__(self) -> None:
        on_site = f"/news/Pages/new.aspx?ItemID={ID_BASE + 20}"
        self.answers = {
            3: Reply(302, b"", HTML, headers=(("Location", f"{self.other_service}/admin"),)),
            4: Reply(302, b"", HTML, headers=(("Location", "http://outside.example/x"),)),
            5: Reply(200, _meta_refresh(f"{self.other_service}/meta"), HTML),
            6: Reply(200, _meta_refresh("file:///etc/passwd"), HTML),
            7: Reply(302, b"", HTML, headers=(("Location", on_site),)),
        }

    def respond(self, target: str) -> Reply:
        item = dict(parse_qsl(urlsplit(target).query)).get("ItemID", "")
        index = int(item) - ID_BASE if item.isdigit() else -1
        if index in self.answers:
            return self.answers[index]
        return self.site.respond(target)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("redirects")
    other, outside = Recorder(), Recorder()
    with serve_app(other) as other_url, serve_app(outside) as proxy:
        app = Redirecting(SyntheticSite(40, seed=3, log_requests=False), other_url)
        with serve_app(app) as base_url:
            summary = tmp / "summary.json"
            done = subprocess.run(
                [sys.executable, "-m", "crawler.cli", "crawl", "--base-url", base_url,
                 "--db", str(tmp / "r.db"), "--fast", "--summary-json", str(summary)],
                cwd=ROOT, capture_output=True, text=True, timeout=300,
                env={**os.environ, "http_proxy": proxy, "no_proxy": "127.0.0.1"},
            )  # fmt: skip
    assert done.returncode in (0, 3), done.stderr[-2000:]
    return other_url, json.loads(summary.read_text()), tmp / "r.db", other, outside


def test_nothing_off_the_site_is_requested(crawled) -> None:
    _other_url, _summary, _db, other, outside = crawled
    assert other.requests == []
    assert outside.requests == []


def test_each_offsite_redirect_is_named_with_the_article_that_led_there(crawled) -> None:
    other_url, summary, _db, _other, _outside = crawled
    pairs = {(p["from"], p["to"]) for p in summary["offsite_redirects"]}
    targets = {to for _from, to in pairs}
    assert targets == {
        f"{other_url}/admin",
        "http://outside.example/x",
        f"{other_url}/meta",
        "file:///etc/passwd",
    }
    for origin, _to in pairs:
        assert item_index(origin) in (3, 4, 5, 6)


def item_index(url: str) -> int:
    return int(dict(parse_qsl(urlsplit(url).query))["ItemID"]) - ID_BASE


def test_the_lost_articles_are_failures_with_their_reason_and_retried_later(crawled) -> None:
    _other_url, summary, db, _other, _outside = crawled
    failures = {item_index(f["url"]): f["reason"] for f in summary["failures"]}
    for index in (3, 4, 5, 6):
        assert "redirected off the site to" in failures[index], failures
    with sqlite3.connect(db) as conn:
        recorded = {item_index(url) for (url,) in conn.execute("SELECT url FROM failed_fetches")}
        stored = {key for (key,) in conn.execute("SELECT article_key FROM articles")}
    assert {3, 4, 5, 6} <= recorded
    assert not {f"id:{ID_BASE + i}" for i in (3, 4, 5, 6)} & stored


def test_an_onsite_redirect_is_followed(crawled) -> None:
    _other_url, _summary, db, _other, _outside = crawled
    with sqlite3.connect(db) as conn:
        urls = {
            url
            for (url,) in conn.execute(
                "SELECT u.url FROM article_urls u JOIN articles a ON a.id = u.article_id "
                "WHERE a.article_key = ?",
                (f"id:{ID_BASE + 20}",),
            )
        }
    # The redirecting article's listed URL is recorded as a spelling of its target.
    assert any(item_index(u) == 7 for u in urls), urls
