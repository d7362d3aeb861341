"""What every subcommand shares: exit codes, the one-line user error, common options,
and opening the archive with one line for every way that can fail."""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

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


def sqlite_file(db: str | os.PathLike[str] | None) -> Path | None:
    """The file behind `--db` (or TINHUY_DB, or the default) when it names SQLite;
    None for a server URL, or a URL too malformed to say (open_archive reports it)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from pipelines.archive.engine import database_url

    try:
        url = make_url(database_url(db))
    except (ArgumentError, ValueError):
        return None
    if url.get_backend_name() != "sqlite" or not url.database:
        return None
    return Path(url.database)


def require_archive(db: str | os.PathLike[str] | None) -> None:
    """For commands that read an archive: a SQLite file that is not there (or empty, as
    `touch` leaves it) is refused before anything, a folder or an empty database, is made."""
    path = sqlite_file(db)
    if path is not None and not (path.is_file() and path.stat().st_size > 0):
        raise UsageError(f"no archive at {path} (run tinhuy crawl first, or pass --db)")


@contextmanager
def archive_errors(db: str | os.PathLike[str] | None) -> Iterator[None]:
    """The archive's opening failures as UsageError: a newer, read-only, unreachable or
    malformed database (StorageError), and a file that is no SQLite database at all,
    which SQLite only notices at its first statement."""
    from sqlalchemy.exc import DatabaseError

    from pipelines.archive.engine import StorageError

    try:
        yield
    except StorageError as exc:
        raise UsageError(str(exc)) from None
    except DatabaseError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        raise UsageError(f"cannot open database {_where(db)}: {reason}") from None


def _where(db: str | os.PathLike[str] | None) -> str:
    from sqlalchemy.engine import make_url

    from pipelines.archive.engine import database_url

    path = sqlite_file(db)
    if path is not None:
        return str(path)
    return make_url(database_url(db)).render_as_string(hide_password=True)


def open_archive(db: str | os.PathLike[str] | None, *, existing: bool = True) -> Engine:
    """The archive's engine on an upgraded schema. `existing`: the command reads an
    archive and must not create one (everything but crawl, demo and dump --fresh's crawl)."""
    from pipelines.archive.engine import open_engine

    if existing:
        require_archive(db)
    with archive_errors(db):
        return open_engine(db)
