"""Kill trials by the hundred: the benchmark behind "safe to kill" (crawler/replica/trials.py).

    .venv/bin/python benchmarks/kills.py --articles 1000 --trials 100

A synthetic site with faults is crawled once cleanly (`--full`); then each trial SIGKILLs
a crawl at a random moment (from nothing, or from the archive of the site's earlier,
smaller state), reruns it incrementally once, and compares the archive with the clean
one. Prints one row per trial and a summary table; exits 1 if any trial differs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crawler.replica.trials import Trials


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    started = time.monotonic()
    with (
        tempfile.TemporaryDirectory() as tmp,
        Trials(Path(tmp), args.articles, seed=args.seed).serving() as trials,
    ):
        print(
            f"site of {args.articles} articles (seed {args.seed}), faults on; clean crawl "
            f"{trials.clean_seconds:.1f} s, {trials.clean_requests} requests, "
            f"{len(trials.reference)} articles; incremental crawl from the earlier state "
            f"{trials.resume_requests} requests"
        )
        print(f"{'trial':>5} {'from':>6} {'batch':>5} {'kill at':>8} {'stored':>6} killed  result")
        outcomes = []
        for number in range(args.trials):
            outcome = trials.run(trials.draw(number))
            outcomes.append(outcome)
            t = outcome.trial
            result = (
                "same"
                if outcome.same
                else (
                    f"DIFFERS exit {outcome.rerun_code} missing {len(outcome.missing)} "
                    f"extra {len(outcome.extra)} differing {len(outcome.differing)} "
                    f"{outcome.detail}"
                )
            )
            print(
                f"{number:>5} {'prior' if t.from_prior else 'empty':>6} {t.batch_size:>5} "
                f"{t.kill_after:>8} {outcome.stored_at_kill:>6} {outcome.killed!s:>6}  {result}",
                flush=True,
            )
    kills = [o.trial.kill_after for o in outcomes]
    at_kill = [o.stored_at_kill for o in outcomes]
    same = sum(o.same for o in outcomes)
    killed = sum(o.killed for o in outcomes)
    print()
    print(
        "| trials | killed mid-crawl | same archive as the clean crawl "
        "| kill after requests (min / median / max) | stored at the kill (min / median / max) "
        "| minutes |"
    )
    print("|---|---|---|---|---|---|")
    print(
        f"| {len(outcomes)} | {killed} | {same} | {min(kills)} / "
        f"{statistics.median(kills):.0f} / "
        f"{max(kills)} | {min(at_kill)} / {statistics.median(at_kill):.0f} / {max(at_kill)} "
        f"| {(time.monotonic() - started) / 60:.1f} |"
    )
    return 0 if same == len(outcomes) else 1


if __name__ == "__main__":
    raise SystemExit(main())
