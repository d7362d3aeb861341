"""The offline replica in fixtures/site: up to date, self-consistent, and faithful to the seed."""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
import urllib.robotparser
from datetime import date, datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import lxml.html
import pytest

from crawler.replica import build, render
from crawler.sites.haiduong import HaiDuong

HAIDUONG = HaiDuong()
SITE = Path(__file__).resolve().parents[1] / "fixtures" / "site"
SEED_COPY = SITE / "source" / "seed-article-text.txt"
SEED_SHARED = Path("/work/shared/seed/article-text.txt")
SNAPSHOT_LINE = "Thứ năm, ngày 22/4/2021"
DATE_LINE = re.compile(
    r"^(Thứ Hai|Thứ Ba|Thứ Tư|Thứ Năm|Thứ Sáu|Thứ Bảy|Chủ nhật) "
    r"(\d{2})/(\d{2})/(\d{4}) (\d{2}):(\d{2})$"
)


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads((SITE / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pages(manifest: dict) -> dict[str, dict]:
    return {page["url"]: page for page in manifest["pages"]}


@pytest.fixture(scope="module")
def articles(manifest: dict) -> dict[str, dict]:
    return {article["id"]: article for article in manifest["articles"]}


def read(page: dict) -> bytes:
    return (SITE / page["file"]).read_bytes()


def parse(page: dict) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(read(page).decode("utf-8"))


def html_pages(manifest: dict) -> list[dict]:
    return [p for p in manifest["pages"] if p["content_type"].startswith("text/html")]


def article_page(manifest: dict, article_id: str) -> dict:
    return next(p for p in manifest["pages"] if p.get("article_id") == article_id)


def visible(element: lxml.html.HtmlElement) -> str:
    return element.text_content().strip()


def tree_bytes(root: Path) -> dict[str, bytes]:
    files = sorted((root / "html").rglob("*"))
    found = {str(p.relative_to(root)): p.read_bytes() for p in files if p.is_file()}
    found["manifest.json"] = (root / "manifest.json").read_bytes()
    return found


# --- the build ------------------------------------------------------------


def test_build_is_deterministic_and_committed_output_is_up_to_date(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    build.build(SITE / "source", first)
    build.build(SITE / "source", second)
    assert tree_bytes(first) == tree_bytes(second)
    committed, fresh = tree_bytes(SITE), tree_bytes(first)
    assert sorted(committed) == sorted(fresh), "run: python -m crawler.replica.build"
    stale = [name for name in fresh if committed[name] != fresh[name]]
    assert not stale, f"stale files {stale[:5]}; run: python -m crawler.replica.build"


def test_every_manifest_page_file_exists_with_a_known_kind(manifest: dict) -> None:
    kinds = {"home", "listing", "article", "contact", "sitemap", "document", "robots"}
    for page in manifest["pages"]:
        assert (SITE / page["file"]).is_file(), page
        assert page["kind"] in kinds
        assert ("article_id" in page) == (page["kind"] == "article")
        if page["kind"] == "article":
            assert HAIDUONG.article_id(page["url"]) == page["article_id"]
    assert len({p["url"] for p in manifest["pages"]}) == len(manifest["pages"])
    assert {p["kind"] for p in manifest["pages"]} == kinds


def test_html_is_nfc_utf8_and_every_page_has_the_snapshot_today_line(manifest: dict) -> None:
    for page in html_pages(manifest):
        raw = read(page).decode("utf-8")
        assert unicodedata.is_normalized("NFC", raw), page["url"]
        assert '<meta charset="utf-8">' in raw
        root = lxml.html.fromstring(raw)
        assert [visible(e) for e in root.cssselect(".top-bar .today")] == [SNAPSHOT_LINE]
        assert root.cssselect(f".footer a[href='{render.CONTACT}']")
        assert root.cssselect(f".footer a[href='{render.SITEMAP}']")


# --- links ----------------------------------------------------------------


def strip_tracking(url: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in HAIDUONG.tracking_params]
    return parts.path + (f"?{urlencode(query)}" if query else "")


def test_every_internal_link_resolves_to_a_manifest_url(manifest: dict, pages: dict) -> None:
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(read(pages["/robots.txt"]).decode().splitlines())
    site_host = urlsplit(HAIDUONG.base_url).hostname
    tracked = {u for a in manifest["articles"] for u in a["linked_urls"]}
    external_hosts = set()
    for page in html_pages(manifest):
        for href in parse(page).xpath("//a/@href"):
            if href.startswith(("javascript:", "mailto:")):
                continue
            absolute = urljoin(HAIDUONG.base_url + page["url"], href)
            parts = urlsplit(absolute)
            if parts.hostname != site_host:
                assert parts.scheme == "https", href
                external_hosts.add(parts.hostname)
                continue
            linked = parts.path + (f"?{parts.query}" if parts.query else "")
            if not robots.can_fetch("*", absolute):
                continue  # search and tag pages: the crawler never fetches them
            if strip_tracking(linked) != linked:
                assert linked in tracked, f"{page['url']} links {linked} unrecorded"
            assert strip_tracking(linked) in pages, f"{page['url']} links {href}"
    assert {
        "dangcongsan.vn",
        "tapchicongsan.org.vn",
        "chinhphu.vn",
        "baohaiduong.vn",
        "haiduong.gov.vn",
    } <= external_hosts


def test_every_manifest_url_is_linked_from_some_page(manifest: dict) -> None:
    linked = {"/robots.txt", "/"}
    for page in html_pages(manifest):
        linked.update(strip_tracking(h) for h in parse(page).xpath("//a/@href"))
    assert {p["url"] for p in manifest["pages"]} <= linked


# --- listings -------------------------------------------------------------


def listing_items(manifest: dict, pages: dict, path: str) -> list[tuple[str, datetime]]:
    items, page_number = [], 1
    while (url := render.listing_url(path, page_number)) in pages:
        root = parse(pages[url])
        rows = root.cssselect(".list-news .item")
        assert 1 <= len(rows) <= build.PER_PAGE
        for row in rows:
            stamp = visible(row.cssselect(".date")[0])
            items.append(
                (row.cssselect("h3 a")[0].get("href"), datetime.strptime(stamp, "%d/%m/%Y %H:%M"))
            )
        page_number += 1
    return items


def test_categories_have_three_pages_of_articles_newest_first(manifest: dict, pages: dict) -> None:
    by_url = {u: a for a in manifest["articles"] for u in a["urls"]}
    for category in HAIDUONG.categories:
        items = listing_items(manifest, pages, category.path)
        if category.slug == "gioi-thieu":
            assert len(items) == len(manifest["cases"]["introduction_pages"])
            continue
        assert len(items) >= 2 * build.PER_PAGE + 1, category.slug
        assert f"{category.path}&Page=3" in pages
        stamps = [stamp for _, stamp in items]
        assert stamps == sorted(stamps, reverse=True), category.slug
        for url, stamp in items:
            assert url.startswith(f"{category.path}&ItemID=")
            article = by_url[url]
            assert datetime.fromisoformat(article["published"]).replace(tzinfo=None) == stamp
    assert 45 <= len(manifest["articles"]) <= 55


def test_pager_links_every_page_and_the_last(pages: dict) -> None:
    root = parse(pages["/news/Pages/new.aspx?CateID=1&Page=2"])
    pager = root.cssselect(".pager")[0]
    assert visible(pager.cssselect(".current")[0]) == "2"
    assert [a.get("href") for a in pager.cssselect("a")] == [
        "/news/Pages/new.aspx?CateID=1",
        "/news/Pages/new.aspx?CateID=1&Page=3",
        "/news/Pages/new.aspx?CateID=1&Page=3",
    ]


# --- articles -------------------------------------------------------------


def test_seed_article_reads_exactly_like_the_seed_text(manifest: dict) -> None:
    seed = [line for line in SEED_COPY.read_text(encoding="utf-8").split("\n") if line]
    if SEED_SHARED.exists():
        assert SEED_SHARED.read_text(encoding="utf-8") == SEED_COPY.read_text(encoding="utf-8")
    root = parse(article_page(manifest, manifest["cases"]["seed"]))
    shown = [
        visible(root.cssselect(".top-bar .today")[0]),
        visible(root.cssselect("h1.news-title")[0]),
        visible(root.cssselect(".news-meta .news-date")[0]),
        root.cssselect(".news-tools .font-size")[0].text.strip(),
        visible(root.cssselect(".news-sapo")[0]),
        *(visible(e) for e in root.cssselect(".news-content .image-caption")),
        *(e.text_content() for e in root.cssselect(".news-content p")),
        visible(root.cssselect(".other-news .title")[0]),
    ]
    assert shown == seed
    # The seed's quirks survive: a no-break space before a space, typos, mixed quotes.
    assert "UBND tỉnh.\xa0 Việc" in shown[6]
    assert "“Đổi mới , nâng cao" in shown[6] and 'Thủ tg Chính phủ".' in shown[6]


def test_article_pages_match_the_manifest(manifest: dict, articles: dict) -> None:
    for page in (p for p in manifest["pages"] if p["kind"] == "article"):
        article = articles[page["article_id"]]
        assert page["url"] in article["urls"]
        root = parse(page)
        assert visible(root.cssselect(HAIDUONG.layout_at().selectors.title)[0]) == article["title"]
        assert visible(root.cssselect(HAIDUONG.layout_at().selectors.lead)[0]) == article["lead"]
        captions = [visible(e) for e in root.cssselect(HAIDUONG.layout_at().selectors.captions)]
        assert captions == article["captions"]
        paragraphs = root.cssselect(".news-content p")
        byline = 1 if article["author_line"] else 0
        assert len(paragraphs) == article["body_paragraphs"] + byline
        if byline:
            assert visible(paragraphs[-1]) == article["author_line"]
            assert paragraphs[-1].get("style") == "text-align: right;"
        crumbs = [visible(a) for a in root.cssselect(HAIDUONG.layout_at().selectors.category)]
        assert crumbs == ["Trang chủ", article["category"]]
        related = root.cssselect(HAIDUONG.layout_at().selectors.related)
        assert len(related) <= build.RELATED


def test_publish_lines_name_the_right_weekday_and_time(manifest: dict, articles: dict) -> None:
    for page in (p for p in manifest["pages"] if p["kind"] == "article"):
        line = visible(parse(page).cssselect(HAIDUONG.layout_at().selectors.published)[0])
        match = DATE_LINE.match(line)
        assert match, line
        weekday, day, month, year, hour, minute = match.groups()
        when = datetime(int(year), int(month), int(day), int(hour), int(minute))
        assert render.WEEKDAYS[when.weekday()] == weekday, line
        published = datetime.fromisoformat(articles[page["article_id"]]["published"])
        assert published.replace(tzinfo=None) == when
        assert published.utcoffset().total_seconds() == 7 * 3600
        # The introduction pages were written in 2018, the news in 2021.
        assert date(2018, 3, 1) <= when.date() <= date(2021, 4, 22)


def test_texts_are_not_repeated_across_articles_except_the_deliberate_duplicates(
    articles: dict,
) -> None:
    source = json.loads((SITE / "source" / "articles.json").read_text(encoding="utf-8"))
    copies = {a["id"] for a in source["articles"] if a.get("same_as") or a.get("near_duplicate_of")}
    seen: dict[str, str] = {}
    for article in source["articles"]:
        if article["id"] in copies:
            continue
        for paragraph in article["paragraphs"]:
            assert paragraph not in seen, (article["id"], seen.get(paragraph))
            seen[paragraph] = article["id"]


# --- the deliberate cases ---------------------------------------------------


def test_one_article_under_two_category_urls(manifest: dict, pages: dict, articles: dict) -> None:
    article = articles[manifest["cases"]["two_category_urls"]]
    first, second = (u for u in article["urls"] if "CateID=" in u)
    assert read(pages[first]) == read(pages[second])
    own = {url for url, _ in listing_items(manifest, pages, listing_of(first))}
    other = {url for url, _ in listing_items(manifest, pages, listing_of(second))}
    assert cate_id(first) != cate_id(second)
    assert first in own and second in other


def cate_id(url: str) -> str:
    return dict(parse_qsl(urlsplit(url).query))["CateID"]


def listing_of(url: str) -> str:
    return f"{urlsplit(url).path}?CateID={cate_id(url)}"


def test_articles_are_linked_with_and_without_category_and_in_both_path_cases(
    manifest: dict, pages: dict
) -> None:
    urls = [u for a in manifest["articles"] for u in a["urls"]]
    assert any("CateID=" in u and "ItemID=" in u for u in urls)
    assert any(u.startswith("/news/Pages/new.aspx?ItemID=") for u in urls)
    assert any(u.startswith("/news/pages/new.aspx?ItemID=") for u in urls)
    for url in urls:
        assert url in pages


def test_tracking_parameters_on_a_home_page_link(
    manifest: dict, pages: dict, articles: dict
) -> None:
    article = articles[manifest["cases"]["tracking_params"]]
    (tracked,) = article["linked_urls"]
    assert tracked == article["urls"][0] + "&utm_source=facebook&utm_medium=social"
    assert tracked in parse(pages["/"]).xpath("//a/@href")
    assert tracked not in pages


def body_text(manifest: dict, article_id: str) -> str:
    root = parse(article_page(manifest, article_id))
    return "\n".join(
        visible(p) for p in root.cssselect(".news-content p[style='text-align: justify;']")
    )


def test_exact_repost_has_the_same_title_and_body_under_another_id(
    manifest: dict, articles: dict
) -> None:
    case = manifest["cases"]["exact_repost"]
    copy, original = articles[case["id"]], articles[case["same_as"]]
    assert copy["same_as"] == original["id"] and copy["category"] != original["category"]
    assert (copy["title"], copy["lead"]) == (original["title"], original["lead"])
    assert body_text(manifest, copy["id"]) == body_text(manifest, original["id"])


def test_near_duplicate_is_mostly_the_same_body_under_a_new_title(
    manifest: dict, articles: dict
) -> None:
    case = manifest["cases"]["near_duplicate"]
    copy, original = articles[case["id"]], articles[case["near_duplicate_of"]]
    assert copy["near_duplicate_of"] == original["id"] and copy["title"] != original["title"]
    a, b = body_text(manifest, copy["id"]), body_text(manifest, original["id"])
    assert a != b
    assert difflib.SequenceMatcher(None, a, b).ratio() >= 0.9


def test_two_party_committee_sessions_share_wording_but_are_not_duplicates(manifest: dict) -> None:
    first, second = manifest["cases"]["same_template_not_duplicate"]
    a, b = body_text(manifest, first), body_text(manifest, second)
    assert a[:60] == b[:60]
    assert difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() < 0.6


def test_author_lines_come_in_the_site_s_forms(manifest: dict, articles: dict) -> None:
    forms = {a["author_line"]: (a["author"], a["author_unit"]) for a in articles.values()}
    sources = {a["author_line"]: a["source"] for a in articles.values()}
    assert forms["Phạm Thị Hoài, VPTU"] == ("Phạm Thị Hoài", "VPTU")
    assert forms["Minh Ngọc - Ban Tuyên giáo"] == ("Minh Ngọc", "Ban Tuyên giáo")
    assert forms["Nguyễn Văn Tuấn (Ban Dân vận Tỉnh ủy)"] == (
        "Nguyễn Văn Tuấn",
        "Ban Dân vận Tỉnh ủy",
    )
    # A source credited is no author (`source`, fixtures/pages/README.md).
    assert forms["Theo Báo Hải Dương"] == (None, None)
    assert sources["Theo Báo Hải Dương"] == "Báo Hải Dương"
    assert forms["Thanh Hương - Ban Tổ chức Tỉnh ủy"] == ("Thanh Hương", "Ban Tổ chức Tỉnh ủy")
    assert forms["PV"] == ("PV", None)
    # A unit alone signs for its staff: no person.
    assert forms["VPTU"] == (None, "VPTU")
    assert forms["BBT"] == (None, "BBT")
    assert forms["Đức Anh"] == ("Đức Anh", None)
    assert [a["id"] for a in articles.values() if a["author_line"] is None] == [
        manifest["cases"]["no_author"]
    ]
    assert forms[None] == (None, None)


def test_images_with_and_without_captions(manifest: dict, articles: dict) -> None:
    for article_id in manifest["cases"]["multi_image"]:
        root = parse(article_page(manifest, article_id))
        assert 2 <= len(root.cssselect(".news-content img")) <= 3
        assert len(articles[article_id]["captions"]) == len(root.cssselect(".news-content img"))
    bare = parse(article_page(manifest, manifest["cases"]["image_without_caption"]))
    assert len(bare.cssselect(".news-content img")) == 1
    assert not bare.cssselect(".news-content .image-caption")


# --- other files ------------------------------------------------------------


def test_documents_are_valid_pdfs(manifest: dict) -> None:
    documents = [p for p in manifest["pages"] if p["kind"] == "document"]
    assert documents
    for page in documents:
        data = read(page)
        assert page["content_type"] == "application/pdf"
        assert data.startswith(b"%PDF-1.") and data.rstrip().endswith(b"%%EOF")
        xref = int(data.rsplit(b"startxref", 1)[1].split()[0])
        assert data[xref:].startswith(b"xref")
        entries = data[xref:].split(b"\n")[3:]
        for number, entry in enumerate(entries, start=1):
            if not entry.endswith(b" n "):
                break
            offset = int(entry.split()[0])
            assert data[offset:].startswith(f"{number} 0 obj".encode())


def test_robots_allows_crawling_but_not_admin_or_search(pages: dict) -> None:
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(read(pages["/robots.txt"]).decode().splitlines())
    base = HAIDUONG.base_url
    assert robots.can_fetch("*", base + "/news/Pages/new.aspx?CateID=1&Page=2")
    assert robots.can_fetch("*", base + "/upload/van-ban/ke-hoach-12-kh-tu.pdf")
    assert not robots.can_fetch("*", base + "/_layouts/15/Authenticate.aspx")
    assert not robots.can_fetch("*", base + "/Search/Pages/results.aspx?k=COVID-19")


def test_contact_page_gives_address_phone_and_email(pages: dict) -> None:
    root = parse(pages[render.CONTACT])
    assert "Hải Dương" in visible(root.cssselect(".address")[0])
    assert re.search(r"\d{4}\.\d{4}\.\d{3}", visible(root.cssselect(".phone")[0]))
    assert root.cssselect(".email a")[0].get("href").startswith("mailto:")
