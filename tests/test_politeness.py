"""Politeness and site moves: retries back off, off-site redirects are reported."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field

from crawler.mirror import NOT_FOUND, Reply, Site, serve_app
from tests.helpers import ROOT, free_port, tinhuy

SEED = "/news/Pages/new.aspx?CateID=1&ItemID=3523"


@dataclass
class Flaky:
    """The replica, with the seed article answering 503 twice before it works."""

    site: Site = field(default_factory=Site.load)
    seed_times: list[float] = field(default_factory=list)

    def respond(self, target: str) -> Reply:
        if target == SEED:
            self.seed_times.append(time.monotonic())
            if len(self.seed_times) <= 2:
                return Reply(503, b"Service Unavailable", "text/plain")
        return self.site.respond(target)


@dataclass
class Moved:
    """A site that moved to another domain after the merger of provinces."""

    target: str = "https://haiphong.dcs.vn/"

    def respond(self, target: str) -> Reply:
        if target == "/robots.txt":
            return Reply(404, NOT_FOUND, "text/html; charset=utf-8")
        return Reply(301, b"", "text/html", headers=(("Location", self.target),))


def test_retries_back_off_and_then_succeed(tmp_path) -> None:
    app = Flaky()
    with serve_app(app) as base_url:
        done = tinhuy(
            "crawl", "--base-url", base_url, "--db", str(tmp_path / "r.db"), "--fast",
            "--set", "RETRY_BACKOFF_BASE=0.4",
        )  # fmt: skip
    assert len(app.seed_times) == 3
    first_wait = app.seed_times[1] - app.seed_times[0]
    second_wait = app.seed_times[2] - app.seed_times[1]
    assert first_wait >= 0.4 and second_wait >= 0.8, (first_wait, second_wait)
    assert "failed 0" in done.stdout


def test_a_redirect_off_the_site_is_reported_not_followed(tmp_path) -> None:
    with serve_app(Moved()) as base_url:
        done = tinhuy(
            "crawl", "--base-url", base_url, "--db", str(tmp_path / "m.db"), "--fast",
            check=False,
        )  # fmt: skip
    assert done.returncode == 4, done.stderr
    assert "the site redirects off its domain: https://haiphong.dcs.vn/" in done.stdout
    assert done.stderr.strip().splitlines()[-1] == (
        f"tinhuy: {base_url} redirects to haiphong.dcs.vn: the site may have moved; "
        "crawl the new address with --base-url"
    )


def test_a_site_that_refuses_or_does_not_resolve_is_said_in_one_line(tmp_path) -> None:
    refusing = f"http://127.0.0.1:{free_port()}"
    for target, reason in (
        (refusing, "refused"),
        ("http://tinhuyhaiduong.invalid", "no answer (the name does not resolve)"),
    ):
        # Without retries or the politeness waits between its few requests (about 4 s):
        # neither changes what failed nor how it is said.
        done = tinhuy(
            "crawl", "--base-url", target, "--db", str(tmp_path / "u.db"),
            "--set", "RETRY_TIMES=0", "--set", "AUTOTHROTTLE_ENABLED=False",
            "--set", "DOWNLOAD_DELAY=0", check=False,
        )  # fmt: skip
        assert done.returncode == 4, done.stderr
        assert done.stderr.strip().splitlines()[-1] == f"tinhuy: cannot reach {target}: {reason}"
    with sqlite3.connect(tmp_path / "u.db") as conn:
        assert conn.execute("SELECT status FROM crawl_runs").fetchall() == [("unreachable",)] * 2


def test_the_user_agent_names_the_contact_address() -> None:
    env = {**os.environ, "TINHUY_CONTACT": "archive-team@example.org"}
    done = subprocess.run(
        [sys.executable, "-c", "import settings; print(settings.USER_AGENT)"],
        capture_output=True, text=True, cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    assert "tinhuy-crawler" in done.stdout and "archive-team@example.org" in done.stdout
