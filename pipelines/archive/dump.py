"""Stored articles out to files (JSONL, CSV, Parquet), filtered, streamed in batches so
memory stays flat, with a manifest beside each file; see docs/schema.md."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine, func, select, text
from sqlalchemy.sql.elements import ColumnElement

from crawler.model import BY_NAME, CONTENT_FIELDS, DUMP_FIELDS
from crawler.text.dates import VN_TZ, now_local
from pipelines.archive.schema import article_urls, article_versions, articles, crawl_runs
from pipelines.archive.storage import fold_for_search

# A run that walked to its end: `finished` (a bare `scrapy crawl`), or with the
# verdict of `tinhuy crawl` (crawler/commands/crawl.py).
COMPLETED_RUNS = ("finished", "ok", "unhealthy")
BATCH = 500
FORMATS = ("jsonl", "csv", "parquet")
# Rows per Parquet row group, and a byte cap so long articles cannot make a group
# (which is held in memory until written) grow without bound.
ROW_GROUP_ROWS = 10_000
ROW_GROUP_BYTES = 8 * 1024 * 1024
LIST_SEPARATOR = " | "

STRING_LISTS = tuple(n for n in DUMP_FIELDS if BY_NAME[n].kind in ("texts", "urls"))
# Facts in a CSV cell, joined like the string lists, as an analyst counts them in
# Excel: documents by their normalized id, officials as "Name (position)". The
# full records are in JSONL and Parquet.
JOINED_FACTS = {
    "documents": lambda d: d["doc_id"],
    "officials": lambda o: f"{o['name']} ({o['position']})" if o.get("position") else o["name"],
}
OBJECT_LISTS = tuple(
    n for n in DUMP_FIELDS if BY_NAME[n].kind in ("images", "documents", "officials")
)


@dataclass(frozen=True)
class Filters:
    """Which articles to dump. `since`/`until` are ISO dates or times (+07:00) as
    `normalize_date` gives them, both inclusive; a date-only `until` takes the whole day."""

    site: str | None = None
    since: str | None = None
    until: str | None = None
    category: str | None = None
    author: str | None = None
    query: str | None = None
    include_duplicates: bool = False

    def conditions(self, dialect: str) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = []
        if self.site:
            where.append(articles.c.site == self.site)
        # Every stored `published` is ISO 8601 in +07:00 (or a bare date), so string
        # order is time order and the index on `published` serves the comparison.
        if self.since:
            where.append(articles.c.published >= self.since)
        if self.until:
            if len(self.until) == 10:
                next_day = date.fromisoformat(self.until) + timedelta(days=1)
                where.append(articles.c.published < next_day.isoformat())
            else:
                where.append(articles.c.published <= self.until)
        if self.category:
            where.append(articles.c.category == self.category)
        if self.author:
            where.append(articles.c.author == self.author)
        if self.query:
            where.append(articles.c.id.in_(_search(self.query, dialect)))
        if not self.include_duplicates:
            where.append(articles.c.duplicate_of.is_(None))
        return where


def fts_query(query: str) -> str:
    """A user's words as an FTS5 query: every word (or "quoted phrase") must occur.

    Each token is quoted so that FTS5 syntax in user text (AND, NEAR, `-`, `:`, `*`)
    is read as words; đ is folded as the index folds it."""
    parts = fold_for_search(query).split('"')
    tokens: list[str] = []
    for i, part in enumerate(parts):
        # Odd parts sit between double quotes: a phrase kept whole.
        pieces = [part] if i % 2 and part.strip() else part.split()
        tokens += ['"' + p.replace('"', '""') + '"' for p in pieces]
    return " ".join(tokens)


def _search(query: str, dialect: str) -> Any:
    if dialect == "sqlite":
        return text("SELECT rowid FROM articles_fts WHERE articles_fts MATCH :fts").bindparams(
            fts=fts_query(query)
        )
    return text(
        "SELECT article_id FROM articles_fts "
        "WHERE document @@ websearch_to_tsquery('simple', unaccent(:fts))"
    ).bindparams(fts=fold_for_search(query))


def count_articles(engine: Engine, filters: Filters) -> int:
    with engine.connect() as conn:
        where = filters.conditions(engine.dialect.name)
        query = select(func.count()).select_from(articles).where(*where)
        return conn.execute(query).scalar_one()


def iter_articles(
    engine: Engine,
    filters: Filters | None = None,
    *,
    with_versions: bool = False,
    batch: int = BATCH,
) -> Iterator[dict[str, Any]]:
    """The matching articles as dicts of DUMP_FIELDS (plus `versions`), in the order they
    were first stored, read `batch` rows at a time by keyset pagination, so no cursor
    stays open across batches and memory does not grow with the archive."""
    filters = filters or Filters()
    columns = [c for c in articles.c if c.name in DUMP_FIELDS]
    where = filters.conditions(engine.dialect.name)
    last_id = 0
    with engine.connect() as conn:
        while True:
            query = select(*columns).where(articles.c.id > last_id, *where)
            rows = [
                dict(r._mapping) for r in conn.execute(query.order_by(articles.c.id).limit(batch))
            ]
            if not rows:
                return
            ids = [r["id"] for r in rows]
            urls: dict[int, list[str]] = {i: [] for i in ids}
            for article_id, url in conn.execute(
                select(article_urls.c.article_id, article_urls.c.url)
                .where(article_urls.c.article_id.in_(ids))
                .order_by(article_urls.c.id)
            ):
                urls[article_id].append(url)
            versions: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
            if with_versions:
                for v in conn.execute(
                    select(article_versions)
                    .where(article_versions.c.article_id.in_(ids))
                    .order_by(article_versions.c.article_id, article_versions.c.version)
                ):
                    content = v.content or {}
                    versions[v.article_id].append(
                        {
                            "version": v.version,
                            "first_seen": _plain(v.first_seen),
                            "last_seen": _plain(v.last_seen),
                            **{name: content.get(name) for name in CONTENT_FIELDS},
                        }
                    )
            for row in rows:
                row["urls"] = urls[row["id"]]
                out = {name: _plain(row.get(name)) for name in DUMP_FIELDS}
                if with_versions:
                    out["versions"] = versions[row["id"]]
                yield out
            last_id = ids[-1]


def _plain(value: Any) -> Any:
    # PostgreSQL hands timestamps back in the session's zone; dumps speak +07:00.
    return value.astimezone(VN_TZ).isoformat() if isinstance(value, datetime) else value


# -- writers ------------------------------------------------------------------------


def write_jsonl(rows: Iterable[dict[str, Any]], handle: IO[str]) -> int:
    count = 0
    for row in rows:
        handle.write(json.dumps(row, ensure_ascii=False))
        handle.write("\n")
        count += 1
    return count


def csv_cell(name: str, value: Any) -> str:
    """One CSV cell: lists of strings joined by ` | `, lists of objects (and versions)
    as JSON text, nulls empty; what Excel shows is what an analyst filters on."""
    if value is None:
        return ""
    if name in STRING_LISTS:
        return LIST_SEPARATOR.join(value)
    if name in JOINED_FACTS:
        return LIST_SEPARATOR.join(JOINED_FACTS[name](fact) for fact in value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def write_csv(rows: Iterable[dict[str, Any]], handle: IO[str], *, bom: bool = True) -> int:
    # Excel reads a BOM-less CSV as the ANSI code page and garbles Vietnamese.
    if bom:
        handle.write("\ufeff")
    writer = csv.writer(handle, lineterminator="\r\n")
    count = 0
    for row in rows:
        if count == 0:
            writer.writerow(row.keys())
        writer.writerow([csv_cell(k, v) for k, v in row.items()])
        count += 1
    if count == 0:
        writer.writerow(DUMP_FIELDS)
    return count


def parquet_schema(with_versions: bool = False) -> Any:
    """Typed columns: our own timestamps as timestamp[us, +07:00]; `published` and
    `updated` stay ISO strings, since a page may give a date without a time and
    `2021-04-01` must not become midnight; `event_date` is a date."""
    import pyarrow as pa

    ts = pa.timestamp("us", tz="+07:00")
    document = [(k, pa.string()) for k in ("type", "number", "code", "date", "issuer")]
    document += [("text", pa.string()), ("doc_id", pa.string()), ("count", pa.int32())]
    by_kind: dict[str, Any] = {
        "int": pa.int64(),
        "float": pa.float64(),
        "date": pa.date32(),
        "timestamp": ts,
        "texts": pa.list_(pa.string()),
        "urls": pa.list_(pa.string()),
        "images": pa.list_(pa.struct([("src", pa.string()), ("caption", pa.string())])),
        "documents": pa.list_(pa.struct(document)),
        "officials": pa.list_(pa.struct([("name", pa.string()), ("position", pa.string())])),
    }
    types = {name: by_kind.get(BY_NAME[name].kind, pa.string()) for name in DUMP_FIELDS}
    fields = [pa.field(name, types[name]) for name in DUMP_FIELDS]
    if with_versions:
        version = pa.struct(
            [("version", pa.int32()), ("first_seen", ts), ("last_seen", ts)]
            + [(name, types[name]) for name in CONTENT_FIELDS]
        )
        fields.append(pa.field("versions", pa.list_(version)))
    return pa.schema(fields)


def _arrow_value(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name == "versions":
        return [{k: _arrow_value(k, v) for k, v in version.items()} for version in value]
    kind = BY_NAME[name].kind if name in BY_NAME else None
    if kind == "timestamp":
        return datetime.fromisoformat(value)
    if kind == "date":
        return date.fromisoformat(value)
    return value


def write_parquet(
    rows: Iterable[dict[str, Any]], handle: IO[bytes], *, with_versions: bool = False
) -> int:
    """Rows converted to Arrow every BATCH rows (compact, unlike Python dicts) and
    written as row groups of ROW_GROUP_ROWS rows or ROW_GROUP_BYTES, whichever first."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    # The system allocator gives freed memory back; Arrow's default (mimalloc) keeps
    # it per thread, which measured ~20 MB more at the peak for the same row groups.
    pool = pa.system_memory_pool()
    schema = parquet_schema(with_versions)
    pending: list[Any] = []
    pending_rows = pending_bytes = count = 0

    def to_batch(chunk: list[dict[str, Any]]) -> Any:
        arrays = [
            pa.array([_arrow_value(f.name, r.get(f.name)) for r in chunk], f.type, memory_pool=pool)
            for f in schema
        ]
        return pa.RecordBatch.from_arrays(arrays, schema=schema)

    with pq.ParquetWriter(handle, schema, compression="zstd", memory_pool=pool) as writer:

        def flush() -> None:
            nonlocal pending, pending_rows, pending_bytes
            if pending:
                table = pa.Table.from_batches(pending, schema)
                writer.write_table(table, row_group_size=pending_rows)
            pending, pending_rows, pending_bytes = [], 0, 0

        chunk: list[dict[str, Any]] = []
        for row in rows:
            chunk.append(row)
            count += 1
            if len(chunk) >= BATCH:
                batch = to_batch(chunk)
                pending.append(batch)
                pending_rows += batch.num_rows
                pending_bytes += batch.nbytes
                chunk = []
                if pending_rows >= ROW_GROUP_ROWS or pending_bytes >= ROW_GROUP_BYTES:
                    flush()
        if chunk:
            pending.append(to_batch(chunk))
            pending_rows += len(chunk)
        flush()
    return count


# -- files --------------------------------------------------------------------------


@contextmanager
def atomic_output(out: str, *, binary: bool = False) -> Iterator[IO[Any]]:
    """Write to `out` through a temporary file renamed into place on success,
    so a failed dump never leaves a half-written file; `-` is stdout."""
    if out == "-":
        stream = sys.stdout.buffer if binary else sys.stdout
        yield stream
        stream.flush()
        return
    with _temporary(Path(out), binary) as (handle, tmp):
        yield handle
        handle.close()
        os.replace(tmp, out)


@contextmanager
def _temporary(target: Path, binary: bool) -> Iterator[tuple[IO[Any], Path]]:
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
    return {"id": row.id, "site": row.site, "finished_at": _plain(row.finished_at)}


@dataclass
class Tally:
    """What the rows passing through held: their number and published range."""

    rows: int = 0
    published_min: str | None = None
    published_max: str | None = None
    _progress: Callable[[int], None] | None = field(default=None, repr=False)

    def watch(self, rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for row in rows:
            self.rows += 1
            published = row.get("published")
            if published:
                if self.published_min is None or published < self.published_min:
                    self.published_min = published
                if self.published_max is None or published > self.published_max:
                    self.published_max = published
            if self._progress:
                self._progress(self.rows)
            yield row


class Progress:
    """`dumping 1,234/50,000 (2%)` on a terminal, redrawn at most ten times a second."""

    def __init__(self, total: int, stream: IO[str]) -> None:
        self.total = total
        self.stream = stream
        self._shown = 0.0

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if now - self._shown < 0.1 and done < self.total:
            return
        self._shown = now
        share = f" ({100 * done // self.total}%)" if self.total else ""
        self.stream.write(f"\rdumping {done:,}/{self.total:,}{share}")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


@dataclass
class DumpResult:
    rows: int
    manifest: dict[str, Any] | None


def dump(
    engine: Engine,
    out: str,
    fmt: str,
    filters: Filters | None = None,
    *,
    with_versions: bool = False,
    bom: bool = True,
    progress: bool = True,
) -> DumpResult:
    """Write the matching articles to `out` (a path, or `-` for stdout) in `fmt`, and
    beside a file its manifest `out.manifest.json`; both appear only when complete."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    filters = filters or Filters()
    # Silence unless a person watches: cron mail and pipes get no carriage returns.
    bar = None
    if progress and sys.stderr.isatty():
        bar = Progress(count_articles(engine, filters), sys.stderr)
    tally = Tally(_progress=bar)
    rows = tally.watch(iter_articles(engine, filters, with_versions=with_versions))
    try:
        if out == "-":
            with atomic_output(out, binary=fmt == "parquet") as handle:
                _write(fmt, rows, handle, with_versions=with_versions, bom=bom)
            return DumpResult(tally.rows, None)
        target = Path(out)
        manifest_path = target.with_name(target.name + ".manifest.json")
        with _temporary(target, fmt == "parquet") as (handle, tmp):
            _write(fmt, rows, handle, with_versions=with_versions, bom=bom)
            handle.close()
            manifest = {
                "file": target.name,
                "format": fmt,
                "rows": tally.rows,
                "bytes": tmp.stat().st_size,
                "sha256": sha256_file(tmp),
                "created_at": now_local().isoformat(),
                "published_range": {"min": tally.published_min, "max": tally.published_max},
                "filters": asdict(filters) | {"with_versions": with_versions},
                "database": public_url(engine),
                "crawl_run": latest_run(engine, filters.site),
            }
            if fmt == "csv":
                manifest["bom"] = bom
            # The manifest describes a complete file: it is renamed into place last.
            with atomic_output(str(manifest_path)) as mhandle:
                mhandle.write(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
                os.replace(tmp, target)
        return DumpResult(tally.rows, manifest)
    finally:
        if bar:
            bar.close()


def _write(
    fmt: str, rows: Iterable[dict[str, Any]], handle: IO[Any], *, with_versions: bool, bom: bool
) -> int:
    if fmt == "jsonl":
        return write_jsonl(rows, handle)
    if fmt == "csv":
        return write_csv(rows, handle, bom=bom)
    return write_parquet(rows, handle, with_versions=with_versions)
