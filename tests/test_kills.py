"""Safe to kill, proven over many moments: crawls of a synthetic site with faults, each
SIGKILLed at a random moment (crawler/replica/trials.py), then rerun incrementally once,
must leave exactly the archive one clean `--full` crawl leaves. benchmarks/kills.py runs
the same trials by the hundred."""

from __future__ import annotations

import pytest

from crawler.replica.trials import Trials

ARTICLES = 200
TRIALS = 20


@pytest.fixture(scope="module")
def trials(tmp_path_factory):
    with Trials(tmp_path_factory.mktemp("kills"), ARTICLES).serving() as series:
        yield series


def test_the_reference_crawl_stored_the_site(trials) -> None:
    # Most articles are servable; a few are 404s or same-body reposts stored as one.
    assert len(trials.reference) > ARTICLES * 0.8


@pytest.mark.parametrize("number", range(TRIALS))
def test_a_crawl_killed_at_a_random_moment_then_rerun_stores_what_a_clean_crawl_does(
    trials, number
) -> None:
    outcome = trials.run(trials.draw(number))
    assert outcome.killed, f"the crawl ended before its kill moment: {outcome.trial}"
    assert outcome.rerun_code == 0, outcome
    assert not outcome.missing, f"lost for good: {outcome.missing[:10]} ({outcome.trial})"
    assert not outcome.extra, f"stored, not in the clean crawl: {outcome.extra[:10]}"
    assert not outcome.differing, f"stored otherwise: {outcome.differing[:10]}, {outcome.detail}"
