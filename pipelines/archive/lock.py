"""One crawl at a time per archive.

SQLite: an flock on a file beside the database; PostgreSQL: a session
advisory lock. Both die with the process that holds them, so a crawl that
was killed never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text


class Locked(RuntimeError):
    def __init__(self, pid: str) -> None:
        super().__init__(f"another crawl is running (pid {pid})")
        self.pid = pid


@contextmanager
def crawl_lock(engine: Engine) -> Iterator[None]:
    if engine.dialect.name == "sqlite":
        with _file_lock(Path(f"{engine.url.database}.lock")):
            yield
    else:
        with _advisory_lock(engine):
            yield


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    with open(path, "a+", encoding="ascii") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            raise Locked(handle.read().strip() or "?") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def _advisory_lock(engine: Engine) -> Iterator[None]:
    key = zlib.crc32(b"tinhuy-crawl")
    with engine.connect() as conn:
        got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar()
        if not got:
            holder = conn.execute(
                text(
                    "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = :k "
                    "AND granted LIMIT 1"
                ),
                {"k": key},
            ).scalar()
            raise Locked(str(holder or "?"))
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
            conn.commit()
