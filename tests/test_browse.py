"""`tinhuy browse`: the crawled replica in Datasette, as an analyst's browser shows it."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
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


@pytest.fixture(scope="module")
def browsing(crawled, tmp_path_factory) -> Iterator[str]:
    """`tinhuy browse` on the crawled replica; yields the database's base URL."""
    port = free_port()
    log = tmp_path_factory.mktemp("browse") / "browse.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "browse", "--db", str(crawled.db),
         "--port", str(port)],
        cwd=ROOT,
        stdout=log.open("w"),  # a file, not a pipe: a full pipe would block the server
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own group: Datasette runs as its child
    )  # fmt: skip
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
        yield f"{base}/{Path(crawled.db).stem}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


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
