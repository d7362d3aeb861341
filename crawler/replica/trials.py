"""Kill trials: the proof behind "safe to kill".

A trial crawls a synthetic site with faults (`tinhuy crawl --fast` in a child process),
SIGKILLs the crawl at a random moment, runs one incremental crawl to its end, and
compares the archive with the one a single clean `--full` crawl of the same site
leaves. Half the trials start from the archive of an earlier, smaller state of the
site (the same articles minus the newest), so that the walk killed is an incremental
one; the others start from nothing. Each trial draws its own kill moment (after a number
of requests drawn uniformly over nine tenths of that start's crawl, counted by the site,
so a loaded machine does not move it) and its own batch size, so kills land between
commits, inside batches, in listings, in articles and in retries.

Used by tests/test_kills.py (a few dozen trials) and benchmarks/kills.py (hundreds).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from crawler.mirror import serve_app
from crawler.replica.synthetic import SyntheticSite, parse_faults

ROOT = Path(__file__).resolve().parents[2]
# `--faults default` at higher rates, so that a small site has faults of every kind;
# slow answers outlast a short download timeout.
FAULTS = (
    "500=0.02,503=0.02,reset=0.02,truncate=0.01,slow=0.005,404=0.01,"
    "cp1258=0.01,nocharset=0.01,nfd=0.01,redirect=0.02,loop=1,oversize=1,gzipbomb=1"
)
DOWNLOAD_TIMEOUT = 2
BATCH_SIZES = (1, 7, 50)
# The earlier state of the site a trial may start from, as a share of its articles.
PRIOR_SHARE = 0.7


@dataclass(frozen=True)
class Trial:
    number: int
    kill_after: int  # requests the site has answered since the crawl started
    batch_size: int
    from_prior: bool  # starts from the archive of the smaller site's clean crawl


@dataclass(frozen=True)
class Outcome:
    trial: Trial
    killed: bool  # False when the crawl had ended before its kill moment
    stored_at_kill: int
    rerun_code: int
    missing: tuple[str, ...]  # article keys the clean crawl stored and the trial did not
    extra: tuple[str, ...]  # and the other way round
    differing: tuple[str, ...]  # stored by both, with other content or URLs
    detail: str  # the first difference, as the clean crawl and the trial stored it

    @property
    def same(self) -> bool:
        return not (self.missing or self.extra or self.differing) and self.rerun_code == 0


def archive(db: Path) -> dict[str, tuple]:
    """article key -> (title, published, fingerprint, sorted URLs): what must not
    depend on how the archive got there."""
    with sqlite3.connect(db) as conn:
        urls: dict[int, list[str]] = {}
        for article_id, url in conn.execute("SELECT article_id, url FROM article_urls"):
            urls.setdefault(article_id, []).append(url)
        return {
            key: (title, published, fingerprint, tuple(sorted(urls.get(i, ()))))
            for i, key, title, published, fingerprint in conn.execute(
                "SELECT id, article_key, title, published, fingerprint FROM articles"
            )
        }


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


class Trials:
    """The servers, the reference archive and the prior archive of one series of trials."""

    def __init__(self, workdir: Path, articles: int, seed: int = 5) -> None:
        self.workdir = workdir
        self.articles = articles
        self.seed = seed
        self.base_url = ""
        self.prior_url = ""
        self.reference: dict[str, tuple] = {}
        self.clean_seconds = 0.0
        # Requests of the clean crawl and of the incremental one from the prior archive:
        # the windows the kill moments are drawn in. Counted, not timed, so that a loaded
        # machine moves no kill past the end of its crawl.
        self.clean_requests = 0
        self.resume_requests = 0
        self.prior_db = workdir / "prior.db"

    def _site(self, n: int) -> SyntheticSite:
        return SyntheticSite(
            n,
            seed=self.seed,
            faults=parse_faults(FAULTS),
            slow_seconds=DOWNLOAD_TIMEOUT + 1,
            log_requests=False,
        )

    @contextmanager
    def serving(self) -> Iterator[Trials]:
        """Serve the site and its earlier state; crawl the reference and the prior archive."""
        with ExitStack() as stack:
            self.site = self._site(self.articles)
            self.base_url = stack.enter_context(serve_app(self.site))
            self.prior_url = stack.enter_context(
                serve_app(self._site(int(self.articles * PRIOR_SHARE)))
            )
            clean = self.workdir / "clean.db"
            started, served = time.monotonic(), self.site.request_count
            self._crawl(self.base_url, clean, "--full").wait()
            self.clean_seconds = time.monotonic() - started
            self.clean_requests = self.site.request_count - served
            self.reference = archive(clean)
            self._crawl(self.prior_url, self.prior_db).wait()
            resumed = self.workdir / "resumed.db"
            shutil.copy(self.prior_db, resumed)
            served = self.site.request_count
            self._crawl(self.base_url, resumed).wait()
            self.resume_requests = self.site.request_count - served
            yield self

    def _crawl(self, base_url: str, db: Path, *extra: str) -> subprocess.Popen:
        """`tinhuy crawl` in a child; its summary and errors go to `DB.out` beside the file."""
        env = {**os.environ, "TINHUY_DOWNLOAD_TIMEOUT": str(DOWNLOAD_TIMEOUT)}
        with open(f"{db}.out", "a") as out:
            return subprocess.Popen(
                [sys.executable, "-m", "crawler.cli", "crawl", "--base-url", base_url,
                 "--db", str(db), "--fast", *extra],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip

    def draw(self, number: int) -> Trial:
        rng = random.Random(f"kill/{self.seed}/{number}")
        from_prior = rng.random() < 0.5
        # Up to nine tenths of the crawl's requests, so that the kill lands while it runs.
        window = self.resume_requests if from_prior else self.clean_requests
        return Trial(
            number=number,
            kill_after=rng.randint(1, max(1, int(0.9 * window))),
            batch_size=rng.choice(BATCH_SIZES),
            from_prior=from_prior,
        )

    def run(self, trial: Trial) -> Outcome:
        db = self.workdir / f"trial-{trial.number}.db"
        if trial.from_prior:
            shutil.copy(self.prior_db, db)
        batch = ("--set", f"TINHUY_BATCH_SIZE={trial.batch_size}")
        served = self.site.request_count
        victim = self._crawl(self.base_url, db, *batch)
        while victim.poll() is None and self.site.request_count - served < trial.kill_after:
            time.sleep(0.005)
        killed = victim.poll() is None
        if killed:
            victim.send_signal(signal.SIGKILL)
        victim.wait()
        stored_at_kill = _count(db)
        rerun = self._crawl(self.base_url, db, *batch)
        code = rerun.wait()
        # What the crawls said, when the rerun failed: its last lines.
        said = Path(f"{db}.out").read_text(errors="replace").splitlines()[-6:] if code else []
        got = archive(db)
        differing = tuple(
            sorted(k for k in got.keys() & self.reference.keys() if got[k] != self.reference[k])
        )
        detail = _difference(differing[0], self.reference, got) if differing else ""
        detail += "".join(f"\n      | {line}" for line in said)
        for path in self.workdir.glob(f"trial-{trial.number}.db*"):
            path.unlink()
        return Outcome(
            trial=trial,
            killed=killed,
            stored_at_kill=stored_at_kill,
            rerun_code=code,
            missing=tuple(sorted(self.reference.keys() - got.keys())),
            extra=tuple(sorted(got.keys() - self.reference.keys())),
            differing=differing,
            detail=detail,
        )


def _difference(key: str, clean: dict[str, tuple], trial: dict[str, tuple]) -> str:
    """What differs in one article between the clean archive and a trial's."""
    parts = []
    for name, want, got in zip(
        ("title", "published", "fingerprint", "urls"), clean[key], trial[key], strict=True
    ):
        if want == got:
            continue
        if name == "urls":
            lost, added = sorted(set(want) - set(got)), sorted(set(got) - set(want))
            parts.append(f"urls only clean {lost}, only trial {added}")
        else:
            parts.append(f"{name} clean {want!r} / trial {got!r}")
    return f"{key}: " + "; ".join(parts)
