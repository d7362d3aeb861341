"""The files of a dump: written through a temporary file renamed into place, so a
failed dump never leaves a half-written one, and the manifest that describes each."""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine, select

from crawler.text.dates import now_local
from pipelines.archive.dump.progress import Tally
from pipelines.archive.dump.query import Filters, plain
from pipelines.archive.schema import crawl_runs

# A run that walked to its end: `finished` (a bare `scrapy crawl`), or with the
# verdict of `tinhuy crawl` (crawler/commands/crawl.py).
COMPLETED_RUNS = ("finished", "ok", "unhealthy")


def in_place(out: str) -> bool:
    """Whether `out` is written where it is, not through a temporary file renamed over
    it: stdout (`-`), a device, a pipe or a socket, and anything under /dev or /proc.
    `/dev/stdout` leads to a regular file when the shell redirected it to one; renaming
    over that would swap the file under the shell's descriptor (and as root it replaced
    the /dev/stdout link itself)."""
    if out == "-":
        return True
    path = Path(out).absolute()
    if path.parts[1:2] in (("dev",), ("proc",)):
        return True
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def replaced(out: str) -> Path:
    """The file a dump to `out` renames into place: the file a symbolic link names,
    so that the link stays a link."""
    return Path(os.path.realpath(out))


@contextmanager
def atomic_output(out: str, *, binary: bool = False) -> Iterator[IO[Any]]:
    """Write to `out` through a temporary file renamed into place on success, so a
    failed dump never leaves a half-written file; `-` is stdout, and a special file
    (`in_place`) is written as it is."""
    if out == "-":
        stream = sys.stdout.buffer if binary else sys.stdout
        yield stream
        stream.flush()
        return
    if in_place(out):
        # Appending: a file behind /dev/stdout that the shell opened with >> keeps its
        # start; a device or a pipe has no end to append at.
        mode = "ab" if binary else "a"
        with open(out, mode, **({} if binary else {"encoding": "utf-8", "newline": ""})) as handle:
            yield handle
        return
    target = replaced(out)
    with temporary(target, binary) as (handle, tmp):
        yield handle
        handle.close()
        os.replace(tmp, target)


@contextmanager
def temporary(target: Path, binary: bool) -> Iterator[tuple[IO[Any], Path]]:
    """A temporary file beside `target` (same file system, so the rename is atomic),
    removed unless the caller renamed it."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    tmp = Path(name)
    # mkstemp makes the file private (0600); a dump gets the mode any new file would.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(fd, 0o666 & ~umask)
    try:
        if binary:
            handle: IO[Any] = os.fdopen(fd, "wb")
        else:
            handle = os.fdopen(fd, "w", encoding="utf-8", newline="")
        with handle:
            yield handle, tmp
    finally:
        tmp.unlink(missing_ok=True)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def public_url(engine: Engine) -> str:
    """The database URL as a manifest may show it: without the password."""
    return engine.url.set(password=None).render_as_string(hide_password=False)


def latest_run(engine: Engine, site: str | None) -> dict[str, Any] | None:
    """The last finished crawl run (of `site` when given): what the dump reflects."""
    query = select(crawl_runs.c.id, crawl_runs.c.site, crawl_runs.c.finished_at).where(
        crawl_runs.c.status.in_(COMPLETED_RUNS), crawl_runs.c.finished_at.is_not(None)
    )
    if site:
        query = query.where(crawl_runs.c.site == site)
    with engine.connect() as conn:
        row = conn.execute(query.order_by(crawl_runs.c.id.desc()).limit(1)).first()
    if row is None:
        return None
    return {"id": row.id, "site": row.site, "finished_at": plain(row.finished_at)}


def manifest(
    engine: Engine,
    target: Path,
    written: Path,
    fmt: str,
    tally: Tally,
    filters: Filters,
    *,
    with_versions: bool,
    bom: bool,
) -> dict[str, Any]:
    """The manifest of the dump `written` (a temporary file) that becomes `target`."""
    described: dict[str, Any] = {
        "file": target.name,
        "format": fmt,
        "rows": tally.rows,
        "bytes": written.stat().st_size,
        "sha256": sha256_file(written),
        "created_at": now_local().isoformat(),
        "published_range": {"min": tally.published_min, "max": tally.published_max},
        "filters": asdict(filters) | {"with_versions": with_versions},
        "database": public_url(engine),
        "crawl_run": latest_run(engine, filters.site),
    }
    if fmt == "csv":
        described["bom"] = bom
    return described
