"""What every subcommand shares: exit codes, the one-line user error, common options."""

from __future__ import annotations

import argparse

# Documented in the README ("Exit codes").
EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_UNHEALTHY = 3
# The site did not answer as a site: unreachable, refusing, or redirecting elsewhere.
EXIT_UNREACHABLE = 4
EXIT_LOCKED = 75


class UsageError(Exception):
    """Bad input or configuration: printed as one line, exit code 2."""


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", help="database path or URL (default: $TINHUY_DB, else data/tinhuy.db)"
    )


def add_log_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--log-level", default="WARNING", help="log level (default WARNING)")
