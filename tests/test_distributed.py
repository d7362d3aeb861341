"""Crawl and re-extraction jobs on Celery workers: a real redis-server, the real
PostgreSQL of tests/postgres.py, several `tinhuy worker` processes, synthetic sites
each on its own port. Every site's rows in the shared archive must equal those of a
single-process crawl of it, after a worker is killed mid-job and after Redis restarts."""

from __future__ import annotations

import itertools
import json
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from crawler.distributed.sites import SitesError, load_sites
from crawler.replica.fleet import FleetSite, serve_fleet, sites_toml
from pipelines.archive.engine import open_engine
from pipelines.archive.lock import Locked, crawl_lock
from tests.helpers import ROOT, free_port, runs_test, tinhuy
from tests.postgres import Server
from tests.redis_server import RedisServer
from tests.worker_pool import Workers

# Short enough for a test to wait for a killed worker's job; crawl jobs are then cut
# at a few seconds (crawler/distributed/tasks.py), so continuations run too.
VISIBILITY = "16"
SIZES = [20, 24, 28, 22, 26, 30]


@pytest.fixture()
def broker() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def fleet() -> Iterator[list[FleetSite]]:
    with serve_fleet(SIZES) as sites:
        yield sites


@pytest.fixture(scope="module")
def slow_site() -> Iterator[FleetSite]:
    # 0.1 s a request: a distant server, whose crawl is killed midway.
    with serve_fleet([60], latency=0.1, first_seed=50) as sites:
        yield sites[0]


# One request every 60 ms (the delay paces a crawl; CONCURRENT_REQUESTS_PER_DOMAIN alone
# does not in Scrapy 2.19), articles committed five at a time: a crawl of about 4 s whose
# progress the archive shows as it goes.
SLOW_SETTINGS = ("--set", "DOWNLOAD_DELAY=0.06", "--set", "TINHUY_BATCH_SIZE=5")


def _spec(site: FleetSite) -> str:
    return json.dumps({"name": site.name, "base_url": site.base_url, "like": "haiduong"})


def _single_crawl(site: FleetSite, db: Path, *extra: str) -> subprocess.Popen:
    """A single-process crawl of `site`, the way a job runs it but with no worker."""
    command = [
        sys.executable, "-m", "crawler.commands.worker", _spec(site), "crawl",
        "--site", site.name, "--base-url", site.base_url, "--db", str(db), "--fast",
        "--set", "TINHUY_EXTRACT_WORKERS=0", *extra,
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _reference(site: FleetSite, db: Path, *extra: str) -> tuple[set, set]:
    crawl = _single_crawl(site, db, *extra)
    _, err = crawl.communicate(timeout=120)
    assert crawl.returncode == 0, err.decode()
    return site_rows(f"sqlite:///{db}", site.name)


@pytest.fixture(scope="module")
def references(tmp_path_factory, fleet, slow_site) -> dict[str, tuple[set, set]]:
    """Each site's rows after a single-process crawl into its own SQLite file, three
    crawls at a time; the paced one first, as it mostly waits."""
    root = tmp_path_factory.mktemp("references")
    jobs = [(slow_site, SLOW_SETTINGS)] + [(site, ()) for site in fleet]
    with ThreadPoolExecutor(3) as pool:
        rows = {
            site.name: pool.submit(_reference, site, root / f"{site.name}.db", *extra)
            for site, extra in jobs
        }
    return {name: future.result() for name, future in rows.items()}


def site_rows(url: str, site: str) -> tuple[set, set]:
    """A site's articles (key, title, published, body fingerprint, key of the article
    it is a near-duplicate of) and every (key, URL) it is known by."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            articles = conn.execute(
                text(
                    "SELECT a.article_key, a.title, a.published, a.fingerprint, d.article_key "
                    "FROM articles a LEFT JOIN articles d ON d.id = a.duplicate_of "
                    "WHERE a.site = :site"
                ),
                {"site": site},
            ).all()
            urls = conn.execute(
                text(
                    "SELECT a.article_key, u.url FROM article_urls u "
                    "JOIN articles a ON a.id = u.article_id WHERE a.site = :site"
                ),
                {"site": site},
            ).all()
    finally:
        engine.dispose()
    assert len(articles) == len({row[0] for row in articles})
    return {tuple(r) for r in articles}, {tuple(r) for r in urls}


@pytest.fixture()
def archive(postgres_url) -> str:
    open_engine(postgres_url).dispose()
    return postgres_url


@pytest.fixture()
def workers(broker, archive, tmp_path) -> Iterator[Workers]:
    pool = Workers(broker, archive, tmp_path, VISIBILITY)
    try:
        yield pool
    finally:
        pool.stop()


def runs(db: str) -> list[tuple]:
    engine = create_engine(db)
    try:
        with engine.connect() as conn:
            return conn.execute(
                text("SELECT site, status, started_at, finished_at FROM crawl_runs ORDER BY id")
            ).all()
    finally:
        engine.dispose()


def assert_one_crawl_per_site_at_a_time(db: str) -> None:
    by_site: dict[str, list[tuple]] = {}
    for site, status, started, finished in runs(db):
        assert finished is not None or status == "killed", (site, status)
        by_site.setdefault(site, []).append((started, finished))
    for site, spans in by_site.items():
        ended = [s for s in spans if s[1] is not None]
        for (_, end_a), (start_b, _) in itertools.pairwise(ended):
            assert end_a <= start_b, f"two crawls of {site} at once"


def test_the_lock_is_per_site_on_both_backends(tmp_path, postgres_url) -> None:
    first, second = open_engine(postgres_url), open_engine(postgres_url)
    try:
        with crawl_lock(first, "syn-1"):
            with (
                pytest.raises(Locked, match=r"another crawl is running \(pid \d+\)"),
                crawl_lock(second, "syn-1"),
            ):
                pass
            with crawl_lock(second, "syn-2"):
                pass
        with crawl_lock(second, "syn-1"):
            pass
    finally:
        first.dispose()
        second.dispose()
    db = tmp_path / "a.db"
    holder = subprocess.Popen(
        [sys.executable, "-c", (
            "import sys, time\n"
            "from pipelines.archive.engine import open_engine\n"
            "from pipelines.archive.lock import crawl_lock\n"
            f"with crawl_lock(open_engine({str(db)!r}), 'syn-1'):\n"
            "    print('held', flush=True)\n"
            "    time.sleep(60)\n"
        )],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    engine = open_engine(db)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with (
            pytest.raises(Locked, match=rf"\(pid {holder.pid}\) for site syn-1"),
            crawl_lock(engine, "syn-1"),
        ):
            pass
        with crawl_lock(engine, "syn-2"):
            pass
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        # The kernel dropped the killed holder's lock with it.
        with crawl_lock(engine, "syn-1"):
            pass
    finally:
        holder.kill()
        holder.wait()
        engine.dispose()


def test_sites_crawled_by_three_workers_equal_single_crawls(
    workers, fleet, references, tmp_path, free_port
) -> None:
    sites = tmp_path / "sites.toml"
    dead = f'[sites.syn-dead]\nbase_url = "http://127.0.0.1:{free_port}"\nlike = "haiduong"\n\n'
    # The site that fails first, so that its retry runs beside the other crawls.
    sites.write_text(dead + sites_toml(fleet))
    workers.start(3)
    done = workers.enqueue("--sites", str(sites), "--all", "--fast", "--retries", "1",
                           "--set", "TINHUY_EXTRACT_WORKERS=0")  # fmt: skip
    assert done.stdout.count("enqueued crawl of") == len(fleet) + 1
    # The same sites again while their first jobs run: never two crawls of one at once.
    again = [arg for site in fleet[:2] for arg in ("--site", site.name)]
    workers.enqueue("--sites", str(sites), *again, "--fast")
    workers.wait_idle([site.name for site in fleet])
    for site in fleet:
        assert site_rows(workers.db, site.name) == references[site.name], site.name
    assert_one_crawl_per_site_at_a_time(workers.db)
    state = json.loads(
        tinhuy("status", "--broker", workers.broker.url, "--db", workers.db, "--json").stdout
    )
    assert {s.name for s in fleet} <= set(state["sites"])
    for site in fleet:
        run = state["sites"][site.name]["last_run"]
        assert run["status"] == "ok" and run["new"] is not None
        assert state["sites"][site.name]["jobs"] == []
    assert state["queues"] == {"tinhuy.crawl": 0, "tinhuy.reextract": 0}
    assert sorted(state["workers"]) == ["w0@test", "w1@test", "w2@test"]
    [failure] = state["failures"]
    assert failure["site"] == "syn-dead" and failure["kind"] == "crawl"
    assert failure["attempts"] == 2 and f"127.0.0.1:{free_port}" in failure["reason"]
    # Re-extraction in chunks of 15 articles: every stored article read again, none
    # changed (the same extractor), so the archive stays as it was.
    chunks = workers.enqueue("--reextract", "--db", workers.db, "--chunk", "15",
                             "--sites", str(sites)).stdout  # fmt: skip
    expected = sum(-(-len(references[s.name][0]) // 15) for s in fleet)
    assert chunks.count("enqueued re-extraction") == expected
    workers.wait_idle([site.name for site in fleet])
    done = [line for line in workers.logs().splitlines()
            if "tinhuy.reextract[" in line and "succeeded" in line]  # fmt: skip
    assert len(done) == expected and all("'unchanged'" in line for line in done)
    assert not any("'updated'" in line for line in done)
    for site in fleet:
        assert site_rows(workers.db, site.name) == references[site.name], site.name


def kill_a_worker_mid_job(server: Server, site: FleetSite, root: Path) -> str:
    """Two workers on a broker and an archive of their own; the one crawling `site` is
    SIGKILLed once 5 articles are stored, its job left to the broker to hand out again.
    The archive's URL, once the workers are idle."""
    broker = RedisServer()
    broker.start()
    try:
        db = server.create_database()
        open_engine(db).dispose()
        workers = Workers(broker, db, root, VISIBILITY)
        try:
            sites = root / "sites.toml"
            sites.write_text(sites_toml([site]))
            workers.start(2)
            workers.enqueue("--sites", str(sites), "--site", site.name, "--fast",
                            "--budget", "2", *SLOW_SETTINGS)  # fmt: skip
            engine = create_engine(db)
            count = "SELECT count(*) FROM articles WHERE site = :site"
            deadline = time.monotonic() + 60
            with engine.connect() as conn:
                while conn.execute(text(count), {"site": site.name}).scalar() < 5:
                    assert time.monotonic() < deadline, workers.logs()
                    time.sleep(0.05)
            engine.dispose()
            [busy] = [p for p in workers.processes if _children(p.pid)]
            crawl_pids = _children(busy.pid)
            busy.send_signal(signal.SIGKILL)
            busy.wait()
            # The crawl died with its worker, and with it the site's lock.
            deadline = time.monotonic() + 10
            while any(Path(f"/proc/{pid}").exists() for pid in crawl_pids):
                assert time.monotonic() < deadline
                time.sleep(0.05)
            workers.wait_idle([site.name])
        finally:
            workers.stop()
    finally:
        broker.stop()
    return db


@pytest.fixture(scope="module", autouse=True)
def killed_worker(request, slow_site, tmp_path_factory) -> Iterator[Future[str]]:
    """The workers of test_a_worker_killed_mid_job_has_its_job_finished_by_another,
    started with this module's first test: they mostly wait for the broker to hand the
    killed job out again (VISIBILITY seconds after it was delivered), so they run beside
    the other tests, on their own broker, archive and site."""
    with ThreadPoolExecutor(1) as pool:
        if runs_test(request, "test_a_worker_killed_mid_job_has_its_job_finished_by_another"):
            server = request.getfixturevalue("postgres_server")
            root = tmp_path_factory.mktemp("killed")
            yield pool.submit(kill_a_worker_mid_job, server, slow_site, root)
        else:
            yield Future()


def test_a_worker_killed_mid_job_has_its_job_finished_by_another(
    killed_worker, slow_site, references
) -> None:
    db = killed_worker.result()
    assert site_rows(db, slow_site.name) == references[slow_site.name]
    # The killed run, a part stopped by its 2 s budget, and the continuation that ended.
    statuses = [status for site, status, *_ in runs(db)]
    assert "killed" in statuses and "closespider_timeout" in statuses and statuses[-1] == "ok"
    assert_one_crawl_per_site_at_a_time(db)


def test_redis_restarted_mid_run_loses_no_job(workers, fleet, references, tmp_path) -> None:
    sites = tmp_path / "sites.toml"
    sites.write_text(sites_toml(fleet[:3]))
    workers.start(2)
    workers.enqueue("--sites", str(sites), "--all", "--fast",
                    "--set", "TINHUY_EXTRACT_WORKERS=0")  # fmt: skip
    client = workers.broker.client()
    deadline = time.monotonic() + 60
    # Restarted with jobs running (delivered, not yet acknowledged) and jobs waiting.
    while not (client.hlen("unacked") > 0 and client.llen("tinhuy.crawl") > 0):
        assert time.monotonic() < deadline, workers.logs()
        time.sleep(0.05)
    waiting = client.llen("tinhuy.crawl")
    workers.broker.restart()
    # The queue came back from the append-only file.
    assert workers.broker.client().llen("tinhuy.crawl") >= waiting - 2
    workers.wait_idle([site.name for site in fleet[:3]])
    for site in fleet[:3]:
        assert site_rows(workers.db, site.name) == references[site.name], site.name
    assert_one_crawl_per_site_at_a_time(workers.db)


@pytest.fixture(name="free_port")
def closed_port() -> int:
    return free_port()


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def test_beat_enqueues_each_scheduled_site_on_its_period(broker, tmp_path) -> None:
    sites = tmp_path / "sites.toml"
    sites.write_text(
        '[sites.haiduong]\nevery = "1s"\n\n'
        '[sites.syn-x]\nbase_url = "http://127.0.0.1:9"\nlike = "haiduong"\ncron = "0 3 * * *"\n'
    )
    command = [sys.executable, "-m", "crawler.cli", "beat", "--broker", broker.url,
               "--sites", str(sites), "--schedule-file", str(tmp_path / "schedule")]  # fmt: skip
    beat = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    client = broker.client()
    try:
        deadline = time.monotonic() + 30
        while client.llen("tinhuy.crawl") < 3:
            assert beat.poll() is None and time.monotonic() < deadline, beat.stderr
            time.sleep(0.1)
    finally:
        beat.kill()
        beat.wait()
    jobs = [json.loads(raw) for raw in client.lrange("tinhuy.crawl", 0, -1)]
    # Only the site due every second: the other one's time (03:00) is hours away or past.
    assert {job["headers"]["task"] for job in jobs} == {"tinhuy.crawl"}
    assert all("'haiduong'" in job["headers"]["argsrepr"] for job in jobs)


def test_sites_files_and_bad_input_are_one_line_errors(tmp_path) -> None:
    bad = tmp_path / "bad.toml"
    for text_, error in [
        ('[sites.x]\nevery = "1h"\n', "unknown site 'x'"),
        ('[sites.x]\nbase_url = "ftp://a.vn"\nlike = "haiduong"\n', "not an http(s) URL"),
        ('[sites.x]\nlike = "haiduong"\n', "needs its base_url"),
        ('[sites.x]\nbase_url = "http://a.vn"\nlike = "nowhere"\n', "unknown site 'nowhere'"),
        ('[sites.haiduong]\nevery = "often"\n', "not a period"),
        ('[sites.haiduong]\ncron = "* *"\n', "cron takes five fields"),
        ('[sites.haiduong]\nwhen = "1h"\n', "unknown keys ['when']"),
    ]:
        bad.write_text(text_)
        with pytest.raises(SitesError, match=re.escape(error)):
            load_sites(bad)
    done = tinhuy("enqueue", "--broker", "redis://127.0.0.1:9/0", "--sites", str(bad), "--all",
                  check=False)  # fmt: skip
    assert (done.returncode, done.stderr) == (
        2,
        f"tinhuy: {bad}: site haiduong: unknown keys ['when']\n",
    )
    unreachable = tinhuy("enqueue", "--broker", "redis://127.0.0.1:9/0", "--site", "haiduong",
                         check=False)  # fmt: skip
    assert unreachable.returncode == 2
    assert unreachable.stderr.startswith("tinhuy: cannot reach the broker redis://127.0.0.1:9/0")
    no_broker = tinhuy("worker", "--db", str(tmp_path / "a.db"), check=False)
    assert no_broker.returncode == 2 and "--broker" in no_broker.stderr
