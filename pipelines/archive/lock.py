"""One crawl at a time per site of an archive.

Two sites can be crawled into one archive at once; one site never twice, since a
site's walk state, failed pages and runs are shared by every crawl of it.

SQLite: a byte-range lock (`fcntl`) on the site's byte of a file beside the
database; PostgreSQL: a session advisory lock keyed by the site. Both die with the
process that holds them, so a crawl that was killed never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from sqlalchemy import Engine, text

# The advisory locks of crawls: (NAMESPACE, site key) pairs, apart from any other
# user of the server's advisory locks.
NAMESPACE = zlib.crc32(b"tinhuy-crawl") & 0x7FFFFFFF
# Linux's struct flock: l_type, l_whence, l_start, l_len, l_pid (and padding).
_FLOCK = "hhqqi4x"


class Locked(RuntimeError):
    def __init__(self, pid: str, site: str) -> None:
        super().__init__(f"another crawl is running (pid {pid}) for site {site}")
        self.pid = pid
        self.site = site


def site_key(site: str) -> int:
    """The site's lock key: a non-negative 31-bit number (two sites sharing one only
    crawl in turn)."""
    return zlib.crc32(site.encode("utf-8")) & 0x7FFFFFFF


@contextmanager
def crawl_lock(engine: Engine, site: str) -> Iterator[None]:
    if engine.dialect.name == "sqlite":
        with _file_lock(Path(f"{engine.url.database}.lock"), site):
            yield
    else:
        with _advisory_lock(engine, site):
            yield


def _holder(fd: int, offset: int) -> int:
    """The pid holding a lock on the byte at `offset` (0 if none)."""
    query = struct.pack(_FLOCK, fcntl.F_WRLCK, os.SEEK_SET, offset, 1, 0)
    return struct.unpack(_FLOCK, fcntl.fcntl(fd, fcntl.F_GETLK, query))[4]


@contextmanager
def _file_lock(path: Path, site: str) -> Iterator[None]:
    offset = site_key(site)
    with open(path, "a+", encoding="ascii") as handle:
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, offset, os.SEEK_SET)
        except OSError:
            raise Locked(str(_holder(handle.fileno(), offset) or "?"), site) from None
        # The file's text names the last crawl that took a lock, for a person looking;
        # the pid a refused crawl reports is the holder's, asked of the kernel.
        _rewrite(handle, str(os.getpid()))
        try:
            yield
        finally:
            fcntl.lockf(handle, fcntl.LOCK_UN, 1, offset, os.SEEK_SET)
            _rewrite(handle, "", only_if=str(os.getpid()))


def _rewrite(handle: TextIO, content: str, only_if: str | None = None) -> None:
    # flock and fcntl locks are independent on Linux: this short whole-file flock
    # orders the writers of the text and leaves the site locks alone.
    fcntl.flock(handle, fcntl.LOCK_EX)
    try:
        handle.seek(0)
        if only_if is None or handle.read().strip() == only_if:
            handle.seek(0)
            handle.truncate()
            handle.write(content)
            handle.flush()
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def _advisory_lock(engine: Engine, site: str) -> Iterator[None]:
    keys = {"ns": NAMESPACE, "k": site_key(site)}
    with engine.connect() as conn:
        got = conn.execute(text("SELECT pg_try_advisory_lock(:ns, :k)"), keys).scalar()
        if not got:
            holder = conn.execute(
                text(
                    "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = :ns "
                    "AND objid = :k AND objsubid = 2 AND granted LIMIT 1"
                ),
                keys,
            ).scalar()
            raise Locked(str(holder or "?"), site)
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:ns, :k)"), keys)
            conn.commit()
