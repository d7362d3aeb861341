"""Safe to kill, proven over many moments: crawls of a synthetic site with faults, each
SIGKILLed at a random moment (crawler/replica/trials.py), then rerun incrementally once,
must leave exactly the archive one clean `--full` crawl leaves. benchmarks/kills.py runs
the same trials by the hundred."""

from __future__ import annotations

import copy
import queue
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack

import pytest

from crawler.mirror import App, Reply, serve_app
from crawler.replica.trials import Outcome, Trials
from tests.helpers import selected

ARTICLES = 200
TRIALS = 20
# Trials run two at a time, each through its own port of the one site: a trial keeps
# about one core busy (one crawl at a time), and the suite has two.
LANES = 2


class Counted:
    """The site as it is (its pages, the state of its faults), served on a port of its own
    that counts only its own requests: the kill moment of the trial using it."""

    def __init__(self, site: App) -> None:
        self.site = site
        self.request_count = 0
        self._lock = threading.Lock()

    def respond(self, target: str) -> Reply:
        reply = self.site.respond(target)
        with self._lock:
            self.request_count += 1
        return reply


@pytest.fixture(scope="module")
def trials(tmp_path_factory) -> Iterator[Trials]:
    with Trials(tmp_path_factory.mktemp("kills"), ARTICLES).serving() as series:
        yield series


@pytest.fixture(scope="module")
def outcomes(trials, request) -> Iterator[dict[int, Future[Outcome]]]:
    """Each selected trial, started in order as soon as a lane is free."""
    lanes: queue.SimpleQueue[Trials] = queue.SimpleQueue()
    with ExitStack() as stack:
        for _ in range(LANES):
            lane = copy.copy(trials)
            lane.site = Counted(trials.site)
            lane.base_url = stack.enter_context(serve_app(lane.site))
            lanes.put(lane)
        pool = stack.enter_context(ThreadPoolExecutor(LANES))
        # Before the servers close: trials not begun are dropped, running ones end.
        stack.callback(pool.shutdown, cancel_futures=True)

        def run(number: int) -> Outcome:
            lane = lanes.get()
            try:
                return lane.run(lane.draw(number))
            finally:
                lanes.put(lane)

        yield {number: pool.submit(run, number) for number in selected(request, "number")}


def test_the_reference_crawl_stored_the_site(trials) -> None:
    # Most articles are servable; a few are 404s or same-body reposts stored as one.
    assert len(trials.reference) > ARTICLES * 0.8


@pytest.mark.parametrize("number", range(TRIALS))
def test_a_crawl_killed_at_a_random_moment_then_rerun_stores_what_a_clean_crawl_does(
    outcomes, number
) -> None:
    outcome = outcomes[number].result()
    assert outcome.killed, f"the crawl ended before its kill moment: {outcome.trial}"
    assert outcome.rerun_code == 0, outcome
    assert not outcome.missing, f"lost for good: {outcome.missing[:10]} ({outcome.trial})"
    assert not outcome.extra, f"stored, not in the clean crawl: {outcome.extra[:10]}"
    assert not outcome.differing, f"stored otherwise: {outcome.differing[:10]}, {outcome.detail}"
