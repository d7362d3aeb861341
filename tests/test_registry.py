"""The site registry (crawler/sites/registry.py): the file the user edits, `tinhuy sites
list|add`, `tinhuy crawl --site NAME` for a site read like a class and for a discovered
one, `tinhuy crawl --all`, and two sites crawled into one archive at once; all on
synthetic sites served over HTTP."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from crawler.commands.crawl_all import worst
from crawler.distributed.child import run_crawl
from crawler.distributed.jobs import CrawlJob, SiteSpec
from crawler.distributed.sites import all_sites
from crawler.mirror import serve_app
from crawler.replica.fleet import Delayed
from crawler.replica.synthetic import SyntheticSite
from crawler.sites import AUTO_SITE
from crawler.sites.registry import (
    CLASS,
    DISCOVERED,
    LIKE,
    RegistryError,
    crawled_by_all,
    entry_at,
    load,
)
from pipelines.archive.engine import open_engine
from pipelines.archive.jobs import last_runs
from pipelines.archive.lock import crawl_lock
from tests.helpers import ROOT, tinhuy

ARTICLES = 30
# Seconds each answer takes: enough for two fast crawls started together to overlap.
LATENCY = 0.1
FAMILIES = ("nukeviet", "joomla", "replica")


@pytest.fixture(scope="module")
def served() -> Iterator[dict[str, tuple[str, int]]]:
    """family -> (base URL, articles its manifest says are servable), each a little slow
    so that two crawls overlap."""
    with ExitStack() as stack:
        out = {}
        for family in FAMILIES:
            site = SyntheticSite(ARTICLES, seed=7, family=family, log_requests=False)
            base_url = stack.enter_context(serve_app(Delayed(site, LATENCY)))
            site.base_url = base_url
            manifest = json.loads(b"".join(site.manifest_chunks()))
            servable = sum(1 for a in manifest["articles"] if a.get("servable", True))
            out[family] = (base_url, servable)
        yield out


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _stored(db: Path | str) -> dict[str, int]:
    engine = open_engine(str(db))
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT site, count(*) FROM articles GROUP BY site")
            return {site: n for site, n in rows}
    finally:
        engine.dispose()


def _top_count(facts: str) -> int:
    """The article count of the first row `tinhuy facts` prints."""
    return int(facts.splitlines()[1].split()[0])


# -- the file --------------------------------------------------------------------


def test_the_file_adds_sites_to_the_site_classes(tmp_path, monkeypatch) -> None:
    path = _write(
        tmp_path / "sites.toml",
        '[sites.haiduong]\nevery = "1h"\n\n'
        '[sites.mirror]\nbase_url = "http://mirror.example.vn/"\nlike = "haiduong"\n'
        'cron = "15 */6 * * *"\n\n'
        '[sites.hagiang]\nbase_url = "https://www.hagiang.dcs.vn"\nevery = "90m"\n',
    )
    entries = load(path)
    assert [(e.name, e.kind, e.base_url, e.like, e.schedule()) for e in entries.values()] == [
        ("haiduong", CLASS, "http://tinhuyhaiduong.vn", None, "every 1h"),
        ("mirror", LIKE, "http://mirror.example.vn", "haiduong", "cron 15 */6 * * *"),
        ("hagiang", DISCOVERED, "https://www.hagiang.dcs.vn", None, "every 90m"),
    ]
    assert [e.name for e in crawled_by_all(entries)] == ["haiduong", "mirror", "hagiang"]
    assert entry_at("https://hagiang.dcs.vn/tin-tuc", entries).name == "hagiang"
    assert entry_at("http://hagiang.dcs.vn", entries) is None
    # No file where the default one is: the site classes, and `--all` crawls them.
    monkeypatch.delenv("TINHUY_SITES", raising=False)
    monkeypatch.chdir(tmp_path)
    classes = load(None)
    assert {e.kind for e in classes.values()} == {CLASS}
    assert [e.name for e in crawled_by_all(classes)] == list(classes)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("[sites.x\n", "not TOML"),
        ('sites = "x"\n', "sites are tables [sites.NAME]"),
        ('[sites.x]\nevery = "1h"\n', "unknown site 'x'"),
        ('[sites.x]\nbase_url = "ftp://a.vn"\n', "site x: not an http(s) URL: ftp://a.vn"),
        ('[sites.x]\nbase_url = "http://a.vn"\nlike = "nowhere"\n', "unknown site 'nowhere'"),
        ('[sites.haiduong]\nlike = "haiduong"\n', "a name of its own"),
        ('[sites.X]\nbase_url = "http://a.vn"\n', "lower-case letters"),
        ('[sites.auto]\nbase_url = "http://a.vn"\n', "not auto"),
        ('[sites.x]\nbase_url = "http://a.vn"\nevery = "often"\n', "not a period: 'often'"),
        ('[sites.x]\nbase_url = "http://a.vn"\ncron = "* *"\n', "cron takes five fields"),
        ('[sites.x]\nbase_url = "http://a.vn"\nevery = "1h"\ncron = "0 3 * * *"\n', "not both"),
        ("[sites.x]\nbase_url = 3\n", "base_url takes a string"),
        ('[sites.x]\nbase = "http://a.vn"\n', "unknown keys ['base']"),
    ],
)
def test_a_bad_file_is_one_line_naming_the_file_and_the_site(tmp_path, text, error) -> None:
    path = _write(tmp_path / "sites.toml", text)
    with pytest.raises(RegistryError, match=re.escape(error)) as caught:
        load(path)
    assert str(caught.value).startswith(str(path)) and "\n" not in str(caught.value)


def test_bad_files_and_names_exit_2_with_one_line(tmp_path) -> None:
    bad = _write(tmp_path / "sites.toml", '[sites.x]\nbase_url = "http://a.vn"\nlike = "y"\n')
    db = str(tmp_path / "a.db")
    for args in (("sites", "list"), ("crawl", "--site", "x"), ("crawl", "--all")):
        done = tinhuy(*args, "--sites", str(bad), "--db", db, check=False)
        assert done.returncode == 2, args
        assert done.stderr.startswith(f"tinhuy: {bad}: site x: like: unknown site 'y'")
        assert done.stderr.count("\n") == 1
    missing = tinhuy("sites", "list", "--sites", str(tmp_path / "no.toml"), check=False)
    assert (missing.returncode, missing.stderr.count("\n")) == (2, 1)
    assert "cannot read" in missing.stderr
    good = _write(tmp_path / "good.toml", '[sites.y]\nbase_url = "http://127.0.0.1:9"\n')
    unknown = tinhuy("crawl", "--site", "nowhere", "--sites", str(good), "--db", db, check=False)
    assert unknown.returncode == 2
    assert unknown.stderr.startswith("tinhuy: unknown site 'nowhere' (known: haiduong, y;")
    assert not Path(db).exists()


def test_sites_add_appends_and_refuses_a_name_taken(tmp_path) -> None:
    path = tmp_path / "data" / "sites.toml"
    first = tinhuy("sites", "add", "hagiang", "https://hagiang.dcs.vn/", "--every", "1d",
                   "--sites", str(path))  # fmt: skip
    assert first.stdout.startswith("added hagiang (https://hagiang.dcs.vn, discovered")
    tinhuy("sites", "add", "mirror", "http://127.0.0.1:9", "--like", "haiduong",
           "--cron", "0 3 * * *", "--sites", str(path))  # fmt: skip
    for name in ("hagiang", "haiduong"):
        taken = tinhuy("sites", "add", name, "http://a.vn", "--sites", str(path), check=False)
        assert taken.returncode == 2 and "registered already" in taken.stderr
    bad = tinhuy("sites", "add", "x", "http://a.vn", "--like", "nowhere", "--sites", str(path),
                 check=False)  # fmt: skip
    assert bad.returncode == 2 and "unknown site 'nowhere'" in bad.stderr
    entries = load(path)
    assert [(e.name, e.kind, e.schedule()) for e in entries.values()] == [
        ("haiduong", CLASS, None),
        ("hagiang", DISCOVERED, "every 1d"),
        ("mirror", LIKE, "cron 0 3 * * *"),
    ]
    listed = tinhuy("sites", "list", "--json", "--sites", str(path), "--db", str(tmp_path / "a"))
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [(r["name"], r["kind"], r["last_run"], r["articles"]) for r in rows] == [
        ("haiduong", CLASS, None, 0),
        ("hagiang", DISCOVERED, None, 0),
        ("mirror", LIKE, None, 0),
    ]


# -- crawls ----------------------------------------------------------------------


def test_crawl_site_name_of_a_like_entry_and_of_a_discovered_one(served, tmp_path) -> None:
    (replica, replica_n), (nukeviet, nukeviet_n) = served["replica"], served["nukeviet"]
    sites = _write(
        tmp_path / "sites.toml",
        f'[sites.copy]\nbase_url = "{replica}"\nlike = "haiduong"\n\n'
        f'[sites.nv]\nbase_url = "{nukeviet}"\n',
    )
    db = tmp_path / "a.db"
    like = tinhuy("crawl", "--site", "copy", "--sites", str(sites), "--db", str(db), "--fast")
    assert like.stdout.startswith("crawl copy ok:")
    assert "discovered:" not in like.stdout
    found = tinhuy("crawl", "--site", "nv", "--sites", str(sites), "--db", str(db), "--fast")
    assert found.stdout.startswith("crawl nv ok:")
    assert "\n  discovered: " in found.stdout
    assert _stored(db) == {"copy": replica_n, "nv": nukeviet_n}
    # The address alone is the registry's site too.
    again = tinhuy("crawl", "--base-url", nukeviet, "--sites", str(sites), "--db", str(db))
    assert again.stdout.startswith("crawl nv ok: new 0")
    listed = tinhuy("sites", "list", "--json", "--sites", str(sites), "--db", str(db))
    rows = {r["name"]: r for r in map(json.loads, listed.stdout.splitlines())}
    assert (rows["nv"]["articles"], rows["nv"]["last_run"]["status"]) == (nukeviet_n, "ok")
    assert (rows["copy"]["articles"], rows["copy"]["kind"]) == (replica_n, LIKE)
    # Search and facts of one site; every hit says its site.
    every = tinhuy("search", "tinh uy", "--limit", "1000", "--db", str(db)).stdout.splitlines()
    assert {line.split("  ")[1].strip() for line in every} == {"copy", "nv"}
    one = tinhuy("search", "tinh uy", "--limit", "1000", "--site", "nv", "--db", str(db))
    hits = one.stdout.splitlines()
    assert hits and hits == [line for line in every if line.split("  ")[1].strip() == "nv"]
    officials = ("facts", "--top", "officials", "--limit", "1", "--db", str(db))
    both, nv = tinhuy(*officials).stdout, tinhuy(*officials, "--site", "nv").stdout
    assert 0 < _top_count(nv) < _top_count(both)


def test_crawl_all_skips_a_site_another_crawl_holds_and_exits_with_the_worst(
    served, tmp_path
) -> None:
    (nukeviet, nukeviet_n), (joomla, joomla_n) = served["nukeviet"], served["joomla"]
    sites = _write(
        tmp_path / "sites.toml",
        f'[sites.nv]\nbase_url = "{nukeviet}"\n\n[sites.jm]\nbase_url = "{joomla}"\n',
    )
    db = tmp_path / "a.db"
    all_sites = ("crawl", "--all", "--sites", str(sites), "--db", str(db), "--fast")
    engine = open_engine(str(db))
    try:
        with crawl_lock(engine, "nv"):
            held = tinhuy(*all_sites, check=False)
    finally:
        engine.dispose()
    assert held.returncode == 75
    lines = held.stdout.splitlines()
    assert lines[0] == "crawl nv skipped: another crawl holds the site"
    assert lines[1].startswith("crawl jm ok: new ")
    assert lines[-1] == "crawl --all: 2 sites: ok 1, skipped 1; exit 75"
    assert "another crawl is running" in held.stderr
    assert _stored(db) == {"jm": joomla_n}
    summary = tmp_path / "all.json"
    done = tinhuy(*all_sites, "--summary-json", str(summary))
    assert done.stdout.splitlines()[-1] == "crawl --all: 2 sites: ok 2; exit 0"
    assert _stored(db) == {"jm": joomla_n, "nv": nukeviet_n}
    summaries = json.loads(summary.read_text(encoding="utf-8"))
    assert (summaries["nv"]["new"], summaries["jm"]["new"]) == (nukeviet_n, 0)


def test_worst_exit_code_rule() -> None:
    assert worst([]) == 0
    assert worst([0, 75]) == 75
    assert worst([75, 3, 0]) == 3
    assert worst([3, 4]) == 4
    assert worst([4, 1, 3]) == 1
    assert worst([0, 2, 1]) == 2
    assert worst([0, 9]) == 1


def test_two_sites_crawled_into_one_archive_at_once(served, tmp_path, postgres_url) -> None:
    # PostgreSQL: the archive several crawls write at once (README, Workers); a SQLite
    # archive holds its one write lock while a batch of articles is open.
    (nukeviet, nukeviet_n), (joomla, joomla_n) = served["nukeviet"], served["joomla"]
    sites = _write(
        tmp_path / "sites.toml",
        f'[sites.nv]\nbase_url = "{nukeviet}"\n\n[sites.jm]\nbase_url = "{joomla}"\n',
    )
    db = postgres_url
    # The archive exists, as it does when crawls run side by side (two first opens of a
    # new archive race to create its tables).
    open_engine(db).dispose()
    argv = [sys.executable, "-m", "crawler.cli", "crawl", "--sites", str(sites), "--db", db]
    crawls = [
        subprocess.Popen(
            [*argv, "--fast", "--site", name],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("nv", "jm")
    ]
    outputs = [crawl.communicate(timeout=120) for crawl in crawls]
    assert [crawl.returncode for crawl in crawls] == [0, 0], outputs
    assert _stored(db) == {"nv": nukeviet_n, "jm": joomla_n}
    engine = open_engine(str(db))
    try:
        runs = last_runs(engine)
    finally:
        engine.dispose()
    nv, jm = runs["nv"], runs["jm"]
    # They ran at the same time: each started before the other finished.
    assert nv["started_at"] < jm["finished_at"] and jm["started_at"] < nv["finished_at"]


def test_a_worker_job_crawls_a_discovered_site_of_the_registry(served, tmp_path) -> None:
    """What `tinhuy enqueue --all` sends for a discovered site, run as a worker runs it."""
    nukeviet, nukeviet_n = served["nukeviet"]
    sites = _write(tmp_path / "sites.toml", f'[sites.nv]\nbase_url = "{nukeviet}"\n')
    (spec,) = all_sites(sites)
    assert spec == SiteSpec("nv", nukeviet, AUTO_SITE)
    db = str(tmp_path / "a.db")
    outcome = run_crawl(CrawlJob(spec, fast=True), db, budget=120, grace=30)
    assert (outcome.code, outcome.finish_reason) == (0, "finished"), outcome.reason
    assert _stored(db) == {"nv": nukeviet_n}
