"""Everyday mistakes, each answered by one `tinhuy:` line on stderr and the right exit
code, with nothing created or lost: a file that is no database, a missing archive, a
reader that goes away, special output paths, bad settings, unwritable files, binary
input and no network. All run the real command line in a subprocess; no network is a
closed local port or a name that cannot resolve (`.invalid`)."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from crawler.mirror import REPLICA, serve
from tests.helpers import ROOT, free_port, tinhuy

NOT_A_DATABASE = b"id,title\n1,this is a CSV file, not an archive\n" * 20
SEED_PATH = "/news/Pages/new.aspx?CateID=1&ItemID=3523"
PDF_PATH = "/upload/van-ban/ke-hoach-12-kh-tu.pdf"


def run(*args: str, cwd: Path = ROOT, **kwargs) -> subprocess.CompletedProcess:
    """The real `tinhuy` in `cwd`, with no TINHUY_DB from the caller's environment."""
    env = {k: v for k, v in os.environ.items() if k != "TINHUY_DB"}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=300,
        check=False,
        **kwargs,
    )


def one_line(done: subprocess.CompletedProcess, code: int, message: str) -> None:
    assert done.returncode == code, done.stderr
    lines = done.stderr.splitlines()
    assert lines == [lines[0]] and lines[0].startswith("tinhuy: "), done.stderr
    assert message in lines[0], lines[0]



def listing(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() if p.is_file() else b""
        for p in sorted(folder.rglob("*"))
    }


READERS = [
    ["search", "truong"],
    ["dump", "--out", "-"],
    ["facts", "--top", "documents"],
    ["reextract"],
    ["db", "upgrade"],
    ["browse", "--port", "0"],
]
CLOSED = f"http://127.0.0.1:{free_port()}"


# -- the database -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "command", [*READERS, ["crawl", "--base-url", CLOSED], ["demo"]], ids=" ".join
)
def test_a_file_that_is_no_database_is_one_line_and_left_alone(command, tmp_path) -> None:
    db = tmp_path / "articles.csv"
    db.write_bytes(NOT_A_DATABASE)
    before = listing(tmp_path)
    done = run(*command, "--db", str(db), cwd=tmp_path)
    one_line(done, 2, f"cannot open database {db}: file is not a database")
    assert listing(tmp_path) == before, "nothing created, nothing changed"


@pytest.mark.parametrize("command", READERS, ids=" ".join)
def test_a_missing_archive_is_one_line_and_nothing_is_created(command, tmp_path) -> None:
    db = tmp_path / "no" / "such" / "folder" / "x.db"
    done = run(*command, "--db", str(db), cwd=tmp_path)
    one_line(done, 2, f"no archive at {db} (run tinhuy crawl first, or pass --db)")
    assert done.stdout == ""
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", READERS, ids=" ".join)
def test_the_default_archive_missing_from_another_folder(command, tmp_path) -> None:
    done = run(*command, cwd=tmp_path)
    one_line(done, 2, f"no archive at {tmp_path / 'data' / 'tinhuy.db'}")
    assert list(tmp_path.iterdir()) == [], "no data/ folder, no empty archive"


# -- output -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "read"),
    [
        (["dump", "--format", "jsonl", "--out", "-"], 800),
        (["dump", "--format", "csv", "--out", "-"], 0),
        (["search", "tinh uy", "--limit", "50"], 0),
    ],
    ids=["dump | head -c 800", "dump | true", "search | true"],
)
def test_a_reader_that_goes_away_is_a_quiet_end(crawled, command, read) -> None:
    """`| head -c 800` reads a little and closes; `| true` closes before anything comes."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", *command, "--db", str(crawled.db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=env,
    )
    assert process.stdout is not None and process.stderr is not None
    head = process.stdout.read(read) if read else b""
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 0, stderr
    assert stderr == ""
    assert len(head) == read


def test_out_dev_stdout_writes_to_stdout_and_leaves_the_link(crawled, tmp_path) -> None:
    link = os.readlink("/dev/stdout")
    piped = run("dump", "--out", "/dev/stdout", "--db", str(crawled.db))
    assert piped.returncode == 0, piped.stderr
    rows = [json.loads(line) for line in piped.stdout.splitlines()]
    expected = run("dump", "--out", "-", "--db", str(crawled.db)).stdout
    assert piped.stdout == expected and len(rows) > 40
    # Redirected to a file by the shell: the same file gets the rows, nothing replaces it.
    target = tmp_path / "redirected.jsonl"
    with target.open("w") as handle:
        inode = os.fstat(handle.fileno()).st_ino
        done = subprocess.run(
            [sys.executable, "-m", "crawler.cli", "dump", "--out", "/dev/stdout",
             "--db", str(crawled.db)],
            stdout=handle, stderr=subprocess.PIPE, text=True, cwd=ROOT, check=False,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert target.stat().st_ino == inode and target.read_text("utf-8") == expected
    assert os.path.islink("/dev/stdout") and os.readlink("/dev/stdout") == link
    assert not Path("/dev/stdout.manifest.json").exists()
    assert list(tmp_path.iterdir()) == [target]


def test_out_a_fifo_is_written_in_place(crawled, tmp_path) -> None:
    fifo = tmp_path / "rows.csv"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    done = run("dump", "--format", "csv", "--out", str(fifo), "--db", str(crawled.db))
    reader.join(timeout=60)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert list(tmp_path.iterdir()) == [fifo], "no temporary file, no manifest"
    regular = tmp_path / "regular.csv"
    run("dump", "--format", "csv", "--out", str(regular), "--db", str(crawled.db))
    assert received == [regular.read_bytes()]


def test_out_a_link_to_a_file_keeps_the_link(crawled, tmp_path) -> None:
    real = tmp_path / "archive" / "2021.jsonl"
    real.parent.mkdir()
    link = tmp_path / "latest.jsonl"
    link.symlink_to(real)
    done = run("dump", "--out", str(link), "--db", str(crawled.db))
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and link.resolve() == real
    assert real.read_text("utf-8") == run("dump", "--out", "-", "--db", str(crawled.db)).stdout


# -- crawl options checked before the crawl --------------------------------------------


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("DOWNLOAD_DELAY=abc", "--set DOWNLOAD_DELAY=abc: DOWNLOAD_DELAY takes a number"),
        ("CONCURRENT_REQUESTS=2.5", "CONCURRENT_REQUESTS takes a whole number"),
        ("ROBOTSTXT_OBEY=maybe", "ROBOTSTXT_OBEY takes true or false"),
        ("TINHUY_BATCH_SIZE=fifty", "TINHUY_BATCH_SIZE takes a whole number"),
        ("DOWNLOADER_MIDDLEWARES={oops", "DOWNLOADER_MIDDLEWARES takes a JSON object"),
    ],
)
def test_a_bad_setting_is_refused_before_the_crawl(replica, tmp_path, override, message) -> None:
    base_url, site = replica
    before = len(site.requests)
    done = run("crawl", "--base-url", base_url, "--db", str(tmp_path / "x.db"),
               "--set", override, cwd=tmp_path)  # fmt: skip
    one_line(done, 2, message)
    assert len(site.requests) == before and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("option", "path", "reason"),
    [
        ("--summary-json", "/proc/x.json", "No such file or directory"),
        ("--log-file", "{tmp}/missing/crawl.log", "No such file or directory"),
        ("--summary-json", "{tmp}", "is a directory"),
    ],
)
def test_an_unwritable_file_is_refused_before_the_crawl(
    replica, tmp_path, option, path, reason
) -> None:
    base_url, site = replica
    before = len(site.requests)
    path = path.format(tmp=tmp_path)
    done = run("crawl", "--base-url", base_url, "--db", str(tmp_path / "x.db"),
               option, path, cwd=tmp_path)  # fmt: skip
    one_line(done, 2, f"{option}: cannot write {path}: {reason}")
    assert len(site.requests) == before and list(tmp_path.iterdir()) == []


def test_a_writable_summary_and_log_are_written_and_the_console_logs(replica, tmp_path) -> None:
    """The check opens the files as the crawl will and leaves none of its own; a site that
    answers gets its log lines on the console (held only until its first answer)."""
    summary, log = tmp_path / "run.json", tmp_path / "crawl.log"
    done = run("crawl", "--base-url", replica[0], "--db", str(tmp_path / "x.db"), "--fast",
               "--summary-json", str(summary), "--log-file", str(log),
               "--log-level", "INFO")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(summary.read_text("utf-8"))["new"] > 40
    for text in (done.stderr, log.read_text("utf-8")):
        assert "[provincial] INFO: listing /news/Pages/new.aspx?CateID=1 stops at page" in text


# -- extract ----------------------------------------------------------------------------


def test_extract_refuses_binary_input(tmp_path) -> None:
    image = tmp_path / "download.html"
    image.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    done = run("extract", str(image))
    one_line(done, 2, f"{image} is not a web page: binary data (NUL bytes)")
    assert done.stdout == ""
    added = run("fixture", "add", str(image), "--name", "photo", "--dir", str(tmp_path))
    one_line(added, 2, "is not a web page")
    assert list(tmp_path.iterdir()) == [image]


def test_extract_refuses_a_url_that_serves_no_page(replica) -> None:
    base_url, _site = replica
    done = run("extract", base_url + PDF_PATH)
    one_line(done, 2, "is not a web page: Content-Type application/pdf")


def test_extract_still_reads_a_utf16_page(tmp_path) -> None:
    """NUL bytes are text in UTF-16, which announces itself with a byte-order mark."""
    page = tmp_path / "seed.html"
    seed = (REPLICA / "html" / "news" / "3523.html").read_text("utf-8")
    page.write_bytes(seed.replace("charset=utf-8", "charset=utf-16").encode("utf-16"))
    done = run("extract", str(page), "--url", "http://tinhuyhaiduong.vn" + SEED_PATH)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["title"].startswith("Đồng chí Phó Bí thư Thường trực")


# -- no network ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        (CLOSED, "refused"),
        ("http://tinhuyhaiduong.invalid", "no answer (the name does not resolve)"),
    ],
    ids=["closed port", "unresolvable name"],
)
def test_a_crawl_that_reaches_nothing_says_so_in_one_line(tmp_path, target, reason) -> None:
    done = run("crawl", "--site", "haiduong", "--base-url", target, "--db", str(tmp_path / "u.db"),
               "--set", "RETRY_TIMES=0", "--set", "DOWNLOAD_DELAY=0",
               "--set", "AUTOTHROTTLE_ENABLED=false")  # fmt: skip
    assert done.returncode == 4, done.stderr
    assert done.stderr == f"tinhuy: cannot reach {target}: {reason}\n"
    assert done.stdout.startswith("crawl haiduong unreachable: new 0,")
    assert "problem:" not in done.stdout and "requests failed" not in done.stdout
    with sqlite3.connect(tmp_path / "u.db") as conn:
        assert conn.execute("SELECT status FROM crawl_runs").fetchall() == [("unreachable",)]


def test_the_live_canary_without_network_says_cannot_reach(tmp_path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    site = tmp_path / "site"
    shutil.copytree(REPLICA, site)
    with serve(site) as (base_url, _site):
        run("fixture", "add", base_url + SEED_PATH, "--name", "seed", "--dir", str(pages))
        expected = pages / "seed.expected.json"
        reviewed = {k: v for k, v in json.loads(expected.read_text("utf-8")).items()
                    if k != "draft"}  # fmt: skip
        expected.write_text(json.dumps(reviewed, ensure_ascii=False), "utf-8")
        assert run("fixture", "check", "--live", "--dir", str(pages)).returncode == 0
    # The server is gone: its port refuses.
    done = run("fixture", "check", "--live", "--dir", str(pages))
    one_line(done, 4, f"cannot reach {base_url}{SEED_PATH}: refused")
    assert "differ" not in done.stdout


# -- counts ----------------------------------------------------------------------------


ARCHIVE_LINE = re.compile(
    r"archive of haiduong: (\d+) articles, (\d+) in a dump \((\d+) near-duplicates? left out"
)


def test_a_fresh_crawl_says_what_is_stored_and_what_a_dump_holds(crawled) -> None:
    """The first crawl of an empty archive: nothing `unchanged`, and the archive line's
    numbers are the rows stored and the rows a dump writes."""
    out = crawled.output.stdout
    assert "unchanged 0," in out
    stored, dumped, near = map(int, ARCHIVE_LINE.search(out).groups())
    with sqlite3.connect(crawled.db) as conn:
        rows, copies = conn.execute("SELECT count(*), count(duplicate_of) FROM articles").fetchone()
    dump = tinhuy("dump", "--out", "-", "--db", str(crawled.db)).stdout.splitlines()
    assert (stored, near, dumped) == (rows, copies, len(dump)) and near >= 1
    new, duplicates = (int(re.search(rf"{k} (\d+),", out).group(1)) for k in ("new", "duplicates"))
    assert new == rows, "every new article is a row; exact re-posts joined a row"
    assert duplicates >= 1


def test_the_demo_says_how_many_a_dump_holds(tmp_path) -> None:
    db = tmp_path / "demo.db"
    done = tinhuy("demo", "--db", str(db))
    assert "unchanged 0," in done.stdout
    dump = tinhuy("dump", "--out", "-", "--db", str(db)).stdout.splitlines()
    with sqlite3.connect(db) as conn:
        rows, copies = conn.execute("SELECT count(*), count(duplicate_of) FROM articles").fetchone()
    s = "" if copies == 1 else "s"
    assert (
        f"{rows} articles in sqlite:///{db}, {len(dump)} in a dump "
        f"({copies} near-duplicate{s} left out; --include-duplicates keeps"
    ) in done.stdout
