"""Synthetic sites of every CMS family (`tinhuy mirror --synthetic N --family NAME`),
walked over real HTTP from the home page like a crawler that knows nothing of them.

What must hold for every family: a breadth-first walk of the links reachable from the
home page (plus the family's sitemap and feeds) reaches every servable article; listing
pages are paginated in the family's own form (and SharePoint's past page 1 not at all);
the manifest says what each URL is; the extractor reads each article page's title and
publish date and calls listing pages no articles; the site is the same articles in the
same places whatever its size.
"""

from __future__ import annotations

import http.client
import json
import re
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
import pytest

from crawler.extract import extract_article
from crawler.mirror import request_key, serve_app
from crawler.replica.synthetic import SyntheticSite, family_descriptions, parse_faults
from pipelines.stages.dates import with_dates
from tests.helpers import tinhuy

ARTICLES = 60
FAMILIES = [name for name in family_descriptions() if name != "replica"]
# Every kind a plain client can survive by retrying, the permanent 404, the redirect
# chains, the encodings and a redirect loop: the faults land on article-shaped URLs of
# each family's own scheme.
FAULTS = (
    "500=0.03,503=0.03,reset=0.02,truncate=0.02,404=0.03,redirect=0.04,"
    "cp1258=0.03,nocharset=0.02,nfd=0.03,loop=1"
)
ATTEMPTS = 4
# How each family numbers the pages of a listing past the first (written from the real
# sites, not from the generator): one pattern per family.
PAGE_FORMS = {
    "dotnetnuke": r"^/tabid/\d+/CurrentPage/\d+/Default\.aspx$",
    "dnn9": r"^/tin-tuc(?:/category/[a-z0-9-]+)?/PgrID/\d+/PageID/\d+$",
    "joomla": (
        r"^/index\.php\?option=com_content&view=category&layout=blog&id=\d+&Itemid=\d+"
        r"&start=\d+$"
    ),
    "wordpress": r"^/(?:category/[a-z0-9-]+|tin-tuc)/page/\d+/$",
    "nukeviet": r"^/news/(?:[A-Za-z0-9-]+/)?page-\d+$",
    "table3cms": r"^/tintuc/danhmuc\.asp\?id=\d+&p=\d+$",
}
ARTICLE_FORMS = {
    "dotnetnuke": r"^/tabid/\d+/ArticleID/\d+/Default\.aspx$",
    "dnn9": r"^/tin-tuc/ArtMID/\d+/ArticleID/\d+/[a-z0-9-]+$",
    "sharepoint": r"^/Pages/[a-z0-9-]+\.aspx\?ItemID=\d+$",
    "joomla": (
        r"^/index\.php\?option=com_content&view=article&id=\d+:[a-z0-9-]+&catid=\d+"
        r"&Itemid=\d+$"
    ),
    "wordpress": r"^/\d{4}/\d{2}/\d{2}/[a-z0-9-]+/$",
    "nukeviet": r"^/news/[A-Za-z0-9-]+/[a-z0-9-]+-\d+\.html$",
    "table3cms": r"^/tintuc/chitiet\.asp\?id=\d+$",
}


@dataclass
class Page:
    url: str  # where the walk asked for it
    final: str  # where it was answered (after redirects)
    status: int
    body: bytes
    content_type: str


@dataclass
class Walk:
    family: str
    base_url: str
    manifest: dict
    pages: dict[str, Page] = field(default_factory=dict)  # by the URL asked for

    def path(self, url: str) -> str:
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")


def _fetch(url: str) -> Page:
    """GET with the retries a crawler makes: transient failures are tried again."""
    for attempt in range(ATTEMPTS):
        try:
            with urllib.request.urlopen(url, timeout=10) as reply:
                body = reply.read()
                return Page(url, reply.geturl(), reply.status, body, reply.headers["Content-Type"])
        except urllib.error.HTTPError as err:
            if err.code < 500 or attempt == ATTEMPTS - 1:
                return Page(url, url, err.code, b"", "")
        except (http.client.HTTPException, ConnectionError, urllib.error.URLError):
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _links(page: Page, base_url: str) -> list[str]:
    """The same-site links of an HTML page (`<a href>`, `<link rel=alternate>`) or of a
    feed or sitemap (`<link>`, `<loc>`)."""
    if not page.body or not re.search("html|xml", page.content_type):
        return []
    if "xml" in page.content_type:
        root = lxml.etree.fromstring(page.body)
        found = [
            e.text or "" for e in root.iter() if lxml.etree.QName(e).localname in ("link", "loc")
        ]
    else:
        root = lxml.html.fromstring(page.body)
        found = root.xpath("//a/@href") + root.xpath("//link[@rel='alternate']/@href")
    out = []
    for href in found:
        href = href.strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        url = urljoin(page.final, href).split("#")[0]
        if url.startswith(base_url + "/"):
            out.append(url)
    return out


def _walk(family: str, base_url: str, manifest: dict) -> Walk:
    walk = Walk(family, base_url, manifest)
    starts = ["/", *manifest["feeds"], *([manifest["sitemap"]] if manifest["sitemap"] else [])]
    queue = deque(base_url + s for s in starts)
    seen = set(queue)
    while queue:
        url = queue.popleft()
        page = walk.pages[url] = _fetch(url)
        for link in _links(page, base_url):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return walk


@pytest.fixture(scope="module", params=FAMILIES)
def walked(request) -> Walk:
    site = SyntheticSite(
        ARTICLES, seed=5, faults=parse_faults(FAULTS), family=request.param, log_requests=False
    )
    with serve_app(site) as base_url:
        site.base_url = base_url
        with urllib.request.urlopen(base_url + "/__manifest__.json") as reply:
            manifest = json.loads(reply.read())
        return _walk(request.param, base_url, manifest)


def _article_ids(walk: Walk) -> dict[str, str]:
    """request key of every article URL in the manifest -> the article's id."""
    pages = walk.manifest["pages"]
    return {request_key(p["url"]): p["article_id"] for p in pages if p["kind"] == "article"}


def _answered_articles(walk: Walk) -> dict[str, Page]:
    """id -> one page of each article the walk got answered."""
    ids = _article_ids(walk)
    out = {}
    for page in walk.pages.values():
        article_id = ids.get(request_key(walk.path(page.final)))
        if page.status == 200 and article_id:
            out.setdefault(article_id, page)
    return out


def test_the_walk_reaches_every_servable_article_and_no_gone_one(walked):
    articles = walked.manifest["articles"]
    servable = {a["id"] for a in articles if a["servable"]}
    assert len(servable) >= ARTICLES * 0.9
    assert set(_answered_articles(walked)) == servable
    # The faults were there: gone articles answered 404 and redirect chains were followed.
    statuses = {request_key(walked.path(p.url)): p.status for p in walked.pages.values()}
    gone = [a for a in articles if not a["servable"]]
    assert gone and all(statuses.get(request_key(a["urls"][0])) == 404 for a in gone)
    moved = [a for a in articles if a["fault"] == "redirect"]
    assert moved
    finals = {request_key(walked.path(p.final)) for p in walked.pages.values()}
    assert all(request_key(a["urls"][0]) in finals for a in moved)


def test_articles_are_linked_in_the_familys_url_shape(walked):
    shape = re.compile(ARTICLE_FORMS[walked.family])
    for article in walked.manifest["articles"]:
        listed = (article["linked_urls"] or article["urls"])[0]
        assert shape.match(listed), listed


def test_listings_are_paginated_in_the_familys_form(walked):
    listings = [p for p in walked.manifest["pages"] if p["kind"] == "listing"]
    reached = {request_key(walked.path(p.url)) for p in walked.pages.values() if p.status == 200}
    # Every listing page with an address is linked from the site and answers.
    assert {request_key(p["url"]) for p in listings} <= reached
    later = [p["url"] for p in listings if p["page"] > 1]
    summary = walked.manifest["listings"]
    assert any(s["pages"] > 1 for s in summary)
    if walked.family == "sharepoint":
        # Past page 1 the pager only posts the form back: no address, nothing to follow.
        assert later == []
        assert all(s["followable_pages"] == 1 for s in summary)
        first = walked.pages[walked.base_url + listings[0]["url"]]
        assert b"javascript:__doPostBack(" in first.body
        assert b"Trang sau" in first.body
        return
    assert later and all(re.match(PAGE_FORMS[walked.family], url) for url in later)
    assert all(s["followable_pages"] == s["pages"] for s in summary)


def test_feeds_and_sitemaps_list_articles_with_their_dates(walked):
    manifest = walked.manifest
    by_id = {a["id"]: a for a in manifest["articles"]}
    ids = _article_ids(walked)
    if manifest["sitemap"]:
        page = walked.pages[walked.base_url + manifest["sitemap"]]
        root = lxml.etree.fromstring(page.body)
        ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
        dated = {
            ids[request_key(walked.path(u.findtext("s:loc", namespaces=ns)))]: u.findtext(
                "s:lastmod", namespaces=ns
            )
            for u in root.findall("s:url", ns)
            if request_key(walked.path(u.findtext("s:loc", namespaces=ns))) in ids
        }
        assert set(dated) == set(by_id)
        assert all(dated[i] == by_id[i]["published"] for i in dated)
    for url in manifest["feeds"]:
        page = walked.pages[walked.base_url + url]
        assert page.content_type.startswith("application/rss+xml")
        items = lxml.etree.fromstring(page.body).findall("channel/item")
        assert items
        for item in items:
            article = by_id[ids[request_key(walked.path(item.findtext("link")))]]
            published = datetime.strptime(item.findtext("pubDate"), "%a, %d %b %Y %H:%M:%S %z")
            assert published == datetime.fromisoformat(article["published"])
    if walked.family in ("wordpress", "nukeviet", "joomla"):
        assert manifest["feeds"]
        home_or_listing = [p for p in walked.pages.values() if b"application/rss+xml" in p.body]
        assert home_or_listing


def test_the_manifest_says_what_every_answered_url_is(walked):
    kinds = {request_key(p["url"]): p["kind"] for p in walked.manifest["pages"]}
    specials = {request_key(u) for s in walked.manifest["special"] for u in s["urls"]}
    for page in walked.pages.values():
        key = request_key(walked.path(page.url))
        if page.status == 200 and key not in specials:
            assert key in kinds or request_key(walked.path(page.final)) in kinds, page.url
    assert {"home", "listing", "article", "other", "robots"} <= set(kinds.values())


def test_the_extractor_reads_title_and_date_of_every_article_page(walked):
    by_id = {a["id"]: a for a in walked.manifest["articles"]}
    answered = _answered_articles(walked)
    for article_id, page in answered.items():
        truth = by_id[article_id]
        item = extract_article(
            page.body, page.final, site=None, headers={"Content-Type": page.content_type}
        )
        assert item["is_article"], page.final
        assert item["title"] == truth["title"], page.final
        assert with_dates(item)["published"] == truth["published"], page.final


def test_listing_home_and_other_pages_are_no_articles(walked):
    kinds = ("listing", "home", "other")
    pages = [p["url"] for p in walked.manifest["pages"] if p["kind"] in kinds]
    # The document index and the contact page are among them, and were linked.
    assert sum(p["kind"] == "other" for p in walked.manifest["pages"]) == 2
    for url in pages:
        page = walked.pages[walked.base_url + url]
        item = extract_article(page.body, page.final, site=None)
        assert not item["is_article"], url


@pytest.mark.parametrize("family", FAMILIES)
def test_a_bigger_site_is_the_same_articles_at_the_same_addresses(family):
    small, big = (
        json.loads(b"".join(SyntheticSite(n, seed=2, family=family).manifest_chunks()))
        for n in (40, 50)
    )
    assert big["articles"][:40] == small["articles"]
    later = {a["id"] for a in big["articles"][40:]}
    assert len(later) == 10 and not later & {a["id"] for a in small["articles"]}


def test_mirror_lists_the_families():
    out = tinhuy("mirror", "--families").stdout
    listed = [line.split()[0] for line in out.splitlines() if line.strip()]
    assert listed == ["replica", *FAMILIES]
    assert len(FAMILIES) >= 6
