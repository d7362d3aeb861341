"""`tinhuy crawl --all`: every site of the registry, one after another.

Each site is crawled by `tinhuy crawl --site NAME` in a process of its own (Scrapy's
reactor runs once per process), under that site's lock: a site another crawl holds is
skipped with a line and the others go on. The exit status is the worst of the sites'
(SEVERITY), so a cron job sees a failure whichever site it was.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from crawler.commands.common import (
    EXIT_ERROR,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_UNHEALTHY,
    EXIT_UNREACHABLE,
    EXIT_USAGE,
    UsageError,
)

# Least to most severe: a site skipped because another crawl holds it is no failure
# of the others, but says that not every site was crawled.
SEVERITY = (EXIT_OK, EXIT_LOCKED, EXIT_UNHEALTHY, EXIT_UNREACHABLE, EXIT_ERROR, EXIT_USAGE)
OUTCOMES = {
    EXIT_OK: "ok",
    EXIT_LOCKED: "skipped",
    EXIT_UNHEALTHY: "unhealthy",
    EXIT_UNREACHABLE: "unreachable",
    EXIT_ERROR: "failed",
    EXIT_USAGE: "refused",
}


def worst(codes: list[int]) -> int:
    """The most severe of the sites' exit codes (an unknown code counts as an error)."""
    ranked = [code if code in SEVERITY else EXIT_ERROR for code in codes]
    return max(ranked, key=SEVERITY.index, default=EXIT_OK)


def site_argv(args: argparse.Namespace, name: str, base_url: str | None) -> list[str]:
    """The `tinhuy crawl` arguments of one site of `--all`."""
    argv = ["crawl", "--site", name, "--max-known-pages", str(args.max_known_pages),
            "--refresh-days", str(args.refresh_days), "--log-level", args.log_level]  # fmt: skip
    for option, value in (("--base-url", base_url), ("--db", args.db), ("--sites", args.sites),
                          ("--since", args.since), ("--log-file", args.log_file)):  # fmt: skip
        if value:
            argv += [option, value]
    for flag, on in (("--full", args.full), ("--fast", args.fast)):
        if on:
            argv.append(flag)
    for setting in args.set:
        argv += ["--set", setting]
    return argv


def crawl_all(args: argparse.Namespace) -> int:
    from crawler.commands.crawl import check_options, is_local
    from crawler.sites.registry import RegistryError, crawled_by_all, load

    if args.site or args.base_url or args.jobdir:
        raise UsageError("--all crawls the registry's sites: no --site, --base-url or --jobdir")
    check_options(args)
    try:
        entries = crawled_by_all(load(args.sites))
    except RegistryError as exc:
        raise UsageError(str(exc)) from None
    if args.fast and not all(is_local(e.base_url) for e in entries):
        raise UsageError("--fast is for a server on this machine only (localhost)")
    codes, summaries = [], {}
    with tempfile.TemporaryDirectory(prefix="tinhuy-all-") as tmp:
        for entry in entries:
            summary = Path(tmp) / f"{len(codes)}.json"
            argv = site_argv(args, entry.name, entry.base_url)
            command = [sys.executable, "-m", "crawler.cli", *argv, "--summary-json", str(summary)]
            # What this process printed comes before what the crawl prints.
            sys.stdout.flush()
            try:
                code = subprocess.run(command, stdin=subprocess.DEVNULL, check=False).returncode
            except KeyboardInterrupt:
                # The crawl got the Ctrl-C too and stopped as a crawl stops; so does --all.
                print(f"crawl --all: stopped at {entry.name}", file=sys.stderr)
                return EXIT_ERROR
            if code == EXIT_LOCKED:
                print(f"crawl {entry.name} skipped: another crawl holds the site")
            codes.append(code)
            if summary.exists():
                summaries[entry.name] = json.loads(summary.read_text(encoding="utf-8"))
    code = worst(codes)
    counts = {OUTCOMES.get(c, "failed"): codes.count(c) for c in sorted(set(codes))}
    told = ", ".join(f"{outcome} {n}" for outcome, n in counts.items()) or "none registered"
    print(f"crawl --all: {len(codes)} site{'s' * (len(codes) != 1)}: {told}; exit {code}")
    if args.summary_json:
        text = json.dumps(summaries, ensure_ascii=False, indent=2) + "\n"
        Path(args.summary_json).write_text(text, encoding="utf-8")
    return code
