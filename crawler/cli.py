"""The `tinhuy` command: one subcommand per module in crawler/commands/.

Exit codes: 0 ok, 1 anything else, 2 usage or configuration error,
3 health check failed, 4 the site could not be reached (or did not answer as a site),
75 another crawl holds the lock.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from crawler.commands import (
    beat,
    browse,
    crawl,
    db,
    demo,
    dump,
    enqueue,
    extract,
    facts,
    fixture,
    mirror,
    reextract,
    search,
    sites,
    status,
    worker,
)
from crawler.commands.common import EXIT_OK, EXIT_USAGE, UsageError

COMMANDS = (crawl, demo, dump, browse, search, facts, extract, fixture, mirror, reextract, db)
COMMANDS += (sites,)  # the site registry, and probing a site (crawler/sites/registry.py)
# Jobs on workers, on one machine or several (crawler/distributed/).
COMMANDS += (worker, enqueue, beat, status)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tinhuy",
        description="Archive Vietnamese provincial Party committee websites.",
        epilog="exit codes: 0 ok, 1 error, 2 usage, 3 health check failed or pages differ, "
        "4 site unreachable, 75 locked",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = args.func(args)
        # Here, not at exit: a reader that went away is then the quiet end below.
        sys.stdout.flush()
        return code
    except UsageError as exc:
        print(f"tinhuy: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly with 0, as Unix tools do. stdout
        # then points at /dev/null, so that the interpreter's last flush does not fail
        # again and print "Exception ignored" (the Python documentation's advice).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
