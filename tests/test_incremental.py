"""Cron-ready crawls: incremental, one at a time, safe to kill, loud when extraction breaks.

A test that changes the replica serves its own copy of it; the others crawl the session's
server of it. Each runs the real `tinhuy crawl` in a subprocess.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from crawler.mirror import REPLICA, serve
from crawler.replica.build import build
from tests.helpers import ROOT, selected, tinhuy

# A throttled crawl slow enough to be interrupted mid-walk (one request at a time, about
# 10 s for the replica's 120 pages), with small batches so that some articles are
# committed before the interruption.
SLOW = [
    "--set", "AUTOTHROTTLE_ENABLED=False",
    "--set", "DOWNLOAD_DELAY=0.05",
    "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
    "--set", "TINHUY_BATCH_SIZE=3",
]  # fmt: skip


def stored_set(db: Path) -> dict[str, object]:
    """Everything a crawl leaves behind that must not depend on how it got there."""
    with sqlite3.connect(db) as conn:
        return {
            "articles": sorted(
                conn.execute("SELECT article_key, title, published, fingerprint FROM articles")
            ),
            "urls": sorted(
                conn.execute(
                    "SELECT a.article_key, u.url FROM article_urls u "
                    "JOIN articles a ON a.id = u.article_id"
                )
            ),
            "versions": sorted(
                conn.execute(
                    "SELECT a.article_key, v.version, v.fingerprint FROM article_versions v "
                    "JOIN articles a ON a.id = v.article_id"
                )
            ),
        }


def article_count(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


@contextmanager
def served_copy(tmp_path: Path, edit=None) -> Iterator[tuple[str, list]]:
    """Serve a rebuilt copy of the replica, its source first changed by `edit`."""
    source = tmp_path / "source"
    if not source.exists():
        shutil.copytree(REPLICA / "source", source)
    if edit is not None:
        edit(source)
    out = tmp_path / "site"
    out.mkdir(exist_ok=True)
    build(source, out)
    with serve(out) as (base_url, site):
        yield base_url, site.requests


def crawl_process(
    base_url: str, db: Path, *extra: str, new_session: bool = False
) -> subprocess.Popen:
    """`tinhuy crawl` in a child process; `new_session`: in a process group of its own,
    so that a signal can go to the whole group, as Ctrl-C's does."""
    return subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "crawl", "--base-url", base_url, "--db", str(db),
         *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=new_session,
    )  # fmt: skip


def wait_for(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


@pytest.fixture(scope="module")
def clean_crawl(crawled) -> dict[str, object]:
    """The stored set of one uninterrupted crawl (the session's): the reference for the
    others."""
    return stored_set(crawled.db)


def add_articles(source: Path) -> None:
    data = json.loads((source / "articles.json").read_text(encoding="utf-8"))
    template = next(a for a in data["articles"] if a["id"] == "3421")
    for n, new_id in enumerate(("3601", "3602")):
        data["articles"].append(
            {
                **template,
                "id": new_id,
                "category": "tin-hoat-dong",
                "published": f"2021-04-22T1{n + 5}:00:00+07:00",
                "title": f"Bài viết mới số {n + 1} về công tác xây dựng Đảng năm 2021",
                "lead": f"Chiều 22/4/2021, Ban Thường vụ Tỉnh ủy họp phiên thứ {n + 20}.",
                "paragraphs": [f"Nội dung mới {n} " + p for p in template["paragraphs"]],
            }
        )
    (source / "articles.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_incremental_crawls_fetch_only_what_is_new(tmp_path, manifest) -> None:
    db = tmp_path / "inc.db"
    with served_copy(tmp_path) as (base_url, requests):
        tinhuy("crawl", "--base-url", base_url, "--db", str(db), "--fast")
        first = len(requests)
        done = tinhuy("crawl", "--base-url", base_url, "--db", str(db), "--fast")
        second = [path for path, _ in requests[first:]]
    listings = {
        c["url"] for c in manifest["pages"] if c["kind"] == "listing" and "Page=" not in c["url"]
    }
    # Besides the listings: robots.txt, and the home page `--base-url` without `--site`
    # reads to tell which site the address serves.
    assert sorted(second) == sorted([*listings, "/robots.txt", "/"])
    assert "new 0," in done.stdout and "updated 0," in done.stdout

    before = {key for key, *_ in stored_set(db)["articles"]}
    with served_copy(tmp_path, add_articles) as (base_url, requests):
        done = tinhuy("crawl", "--base-url", base_url, "--db", str(db), "--fast")
        third = [path for path, _ in requests]
    assert "new 2," in done.stdout
    articles = [p for p in third if "ItemID=" in p]
    assert {dict(parse_qsl(urlsplit(p).query))["ItemID"] for p in articles} == {"3601", "3602"}
    pages = set(third) - set(articles) - {"/robots.txt", "/"}
    assert pages == listings | {"/news/Pages/new.aspx?CateID=1&Page=2"}
    after = {key for key, *_ in stored_set(db)["articles"]}
    assert after - before == {"id:3601", "id:3602"}


def break_template(site_dir: Path) -> None:
    """A redesign: new class names, the date rendered by script, no metadata."""
    for page in (site_dir / "html").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if 'class="news-title"' not in html:
            continue
        start = html.index('<div class="news-meta">')
        end = html.index("</div>", start) + len("</div>")
        html = html[:start] + '<div class="meta" data-ts="1617243300"></div>' + html[end:]
        html = html.replace("news-", "post-")
        page.write_text(html, encoding="utf-8")


def test_a_changed_article_template_fails_the_health_check(tmp_path) -> None:
    shutil.copytree(REPLICA, tmp_path / "site")
    break_template(tmp_path / "site")
    with serve(tmp_path / "site") as (base_url, _requests):
        done = tinhuy(
            "crawl", "--base-url", base_url, "--db", str(tmp_path / "b.db"), "--fast",
            "--summary-json", str(tmp_path / "s.json"), check=False,
        )  # fmt: skip
    assert done.returncode == 3, done.stderr
    assert "extraction degraded" in done.stdout and "published 0%" in done.stdout
    summary = json.loads((tmp_path / "s.json").read_text())
    assert any("published" in p for p in summary["problems"])
    with sqlite3.connect(tmp_path / "b.db") as conn:
        assert conn.execute("SELECT status FROM crawl_runs").fetchone()[0] == "unhealthy"
    # Examples of the pages, named as the archive stores them: by the site's own origin.
    assert done.stdout.count("http://tinhuyhaiduong.vn/") >= 3


def test_a_second_crawl_on_the_same_archive_exits_75_and_a_killed_one_leaves_no_lock(
    tmp_path, replica
) -> None:
    db = tmp_path / "lock.db"
    base_url = replica[0]
    first = crawl_process(base_url, db, *SLOW)
    lock = Path(f"{db}.lock")
    wait_for(lambda: lock.exists() and lock.read_text().strip() == str(first.pid))
    second = tinhuy("crawl", "--base-url", base_url, "--db", str(db), "--fast", check=False)
    assert second.returncode == 75
    assert f"another crawl is running (pid {first.pid})" in second.stderr
    first.send_signal(signal.SIGKILL)
    first.wait()
    third = tinhuy("crawl", "--base-url", base_url, "--db", str(db), "--fast", check=False)
    assert third.returncode == 0, third.stderr


KILL_AFTER = [3, 15, 33]


def killed_then_rerun(base_url: str, db: Path, kill_after: int) -> tuple[int, dict[str, object]]:
    """A paced crawl SIGKILLed once `kill_after` articles are stored, then one crawl to
    its end: (articles stored at the kill, the stored set)."""
    victim = crawl_process(base_url, db, *SLOW)
    wait_for(lambda: article_count(db) >= kill_after)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    at_kill = article_count(db)
    tinhuy("crawl", "--base-url", base_url, "--db", str(db), "--fast")
    return at_kill, stored_set(db)


@pytest.fixture(scope="module")
def killed(request, replica, tmp_path_factory) -> Iterator[dict[int, Future]]:
    """The killed crawls of the kill moments the session tests, all at once (each into
    its own archive): a paced crawl mostly waits."""
    with ThreadPoolExecutor(len(KILL_AFTER)) as pool:
        yield {
            n: pool.submit(
                killed_then_rerun, replica[0], tmp_path_factory.mktemp("killed") / "k.db", n
            )
            for n in selected(request, "kill_after")
        }
        pool.shutdown(cancel_futures=True)


@pytest.mark.parametrize("kill_after", KILL_AFTER)
def test_a_crawl_killed_midway_then_rerun_stores_the_same_set(
    killed, clean_crawl, kill_after
) -> None:
    at_kill, stored = killed[kill_after].result()
    assert 0 < at_kill < len(clean_crawl["articles"])
    assert stored == clean_crawl


def test_a_jobdir_crawl_paused_with_sigint_resumes_to_the_same_set(
    tmp_path, replica, clean_crawl
) -> None:
    db, jobdir = tmp_path / "job.db", tmp_path / "job"
    base_url = replica[0]
    paused = crawl_process(base_url, db, "--jobdir", str(jobdir), *SLOW)
    wait_for(lambda: article_count(db) >= 10)
    paused.send_signal(signal.SIGINT)
    paused.communicate(timeout=60)
    assert article_count(db) < len(clean_crawl["articles"])
    assert (jobdir / "requests.queue").exists()
    tinhuy("crawl", "--base-url", base_url, "--db", str(db), "--jobdir", str(jobdir), "--fast")
    assert stored_set(db) == clean_crawl


def test_ctrl_c_twice_stops_at_once_without_a_traceback_and_loses_nothing(
    tmp_path, replica, clean_crawl
) -> None:
    db = tmp_path / "twice.db"
    base_url = replica[0]
    victim = crawl_process(base_url, db, *SLOW, new_session=True)
    wait_for(lambda: article_count(db) >= 10)
    os.killpg(victim.pid, signal.SIGINT)
    time.sleep(0.2)
    os.killpg(victim.pid, signal.SIGINT)
    _out, err = victim.communicate(timeout=60)
    assert victim.returncode == 1
    assert "Traceback" not in err and "database is locked" not in err, err[-2000:]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status FROM crawl_runs").fetchall() == [("shutdown",)]
    tinhuy("crawl", "--base-url", base_url, "--db", str(db), "--fast")
    assert stored_set(db) == clean_crawl


def test_bad_options_are_usage_errors(tmp_path) -> None:
    for args, message in [
        (["--since", "tháng 13"], "--since: not a date"),
        (["--site", "nowhere"], "unknown site"),
        (["--base-url", "ftp://x"], "not an http(s) URL"),
        (["--fast"], "only (localhost)"),
        (["--set", "NOEQUALS"], "NAME=VALUE"),
        (["--db", "mysql://x/y"], "unsupported database"),
    ]:
        done = (
            tinhuy("crawl", *args, "--db", str(tmp_path / "x.db"), check=False)
            if ("--db" not in args)
            else tinhuy("crawl", *args, check=False)
        )
        assert done.returncode == 2, args
        assert message in done.stderr, (args, done.stderr)
    assert not (tmp_path / "x.db").exists()


def test_the_run_record_holds_the_verdict_and_the_summary(crawled) -> None:
    with sqlite3.connect(crawled.db) as conn:
        # The session's crawl of the replica, the first run of its archive.
        status, summary, stats = conn.execute(
            "SELECT status, summary, stats FROM crawl_runs ORDER BY id LIMIT 1"
        ).fetchone()
    summary, stats = json.loads(summary), json.loads(stats)
    assert status == "ok" and summary["problems"] == []
    assert summary["new"] == stats["tinhuy/articles_new"] > 40
    assert summary["requests"] == stats["downloader/request_count"]
    assert summary["responses_by_status"]["200"] > 40


def test_on_postgresql_the_lock_is_an_advisory_lock(replica, postgres_url) -> None:
    base_url = replica[0]
    first = crawl_process(base_url, postgres_url, *SLOW)
    try:
        wait_for(lambda: article_count_pg(postgres_url) >= 3)
        second = tinhuy("crawl", "--base-url", base_url, "--db", postgres_url, "--fast",
                        check=False)  # fmt: skip
        assert second.returncode == 75, second.stderr
        assert "another crawl is running (pid" in second.stderr
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    # The server drops a killed session's advisory lock with its connection.
    wait_for(lambda: tinhuy(
        "crawl", "--base-url", base_url, "--db", postgres_url, "--fast", check=False
    ).returncode == 0, timeout=60)  # fmt: skip


def article_count_pg(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
    except Exception:
        return 0
    finally:
        engine.dispose()
