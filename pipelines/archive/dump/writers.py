"""The dump formats: JSONL, CSV (for Excel) and typed Parquet, each written from an
iterable of rows (dicts of DUMP_FIELDS, plus `versions`) to an open file."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from datetime import date, datetime
from typing import IO, Any

from crawler.model import BY_NAME, CONTENT_FIELDS, DUMP_FIELDS
from crawler.text.dates import VN_TZ
from pipelines.archive.dump.cells import neutralize

FORMATS = ("jsonl", "csv", "parquet")
# Rows converted to Arrow at a time before they join a row group.
ARROW_BATCH = 500
# Rows per Parquet row group, and a byte cap so long articles cannot make a group
# (which is held in memory until written) grow without bound.
ROW_GROUP_ROWS = 10_000
ROW_GROUP_BYTES = 8 * 1024 * 1024
LIST_SEPARATOR = " | "
# Parquet's own columns: the precision of each printed date, which its timestamp
# cannot show (a date without a time is stored as midnight +07:00).
PRECISION = {"published_precision": "published", "updated_precision": "updated"}

STRING_LISTS = tuple(n for n in DUMP_FIELDS if BY_NAME[n].kind in ("texts", "urls"))
# Facts in a CSV cell, joined like the string lists, as an analyst counts them in
# Excel: documents by their normalized id, officials as "Name (position)". The
# full records are in JSONL and Parquet.
JOINED_FACTS = {
    "documents": lambda d: d["doc_id"],
    "officials": lambda o: f"{o['name']} ({o['position']})" if o.get("position") else o["name"],
}


def write(
    fmt: str,
    rows: Iterable[dict[str, Any]],
    handle: IO[Any],
    *,
    with_versions: bool,
    bom: bool,
    raw_cells: bool = False,
) -> int:
    """Write `rows` to `handle` in `fmt` (one of FORMATS); the number of rows written.
    `bom` and `raw_cells` concern CSV only: JSONL and Parquet keep every text exactly."""
    if fmt == "jsonl":
        return write_jsonl(rows, handle)
    if fmt == "csv":
        return write_csv(rows, handle, bom=bom, raw_cells=raw_cells)
    return write_parquet(rows, handle, with_versions=with_versions)


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


def write_csv(
    rows: Iterable[dict[str, Any]], handle: IO[str], *, bom: bool = True, raw_cells: bool = False
) -> int:
    """CSV for Excel: cells that would start a formula get a leading `'` (`neutralize`)
    unless `raw_cells`."""
    # Excel reads a BOM-less CSV as the ANSI code page and garbles Vietnamese.
    if bom:
        handle.write("\ufeff")
    writer = csv.writer(handle, lineterminator="\r\n")
    cell = csv_cell if raw_cells else lambda name, value: neutralize(csv_cell(name, value))
    count = 0
    for row in rows:
        if count == 0:
            writer.writerow(row.keys())
        writer.writerow([cell(k, v) for k, v in row.items()])
        count += 1
    if count == 0:
        writer.writerow(DUMP_FIELDS)
    return count


def parquet_schema(with_versions: bool = False) -> Any:
    """Typed columns: every timestamp as timestamp[us, +07:00]; `event_date` a date.
    A page may print a date without a time: such a `published` or `updated` is midnight
    +07:00 with `date` in its `*_precision` column (`datetime` otherwise), so that
    `2021-04-01` is not read as a time nobody printed. The precision columns follow the
    dump's fields (and the content fields in each version)."""
    import pyarrow as pa

    ts = pa.timestamp("us", tz="+07:00")
    document = [(k, pa.string()) for k in ("type", "number", "code", "date", "issuer")]
    document += [("text", pa.string()), ("doc_id", pa.string()), ("count", pa.int32())]
    by_kind: dict[str, Any] = {
        "int": pa.int64(),
        "float": pa.float64(),
        "date": pa.date32(),
        "timestamp": ts,
        "published": ts,
        "texts": pa.list_(pa.string()),
        "urls": pa.list_(pa.string()),
        "images": pa.list_(pa.struct([("src", pa.string()), ("caption", pa.string())])),
        "documents": pa.list_(pa.struct(document)),
        "officials": pa.list_(pa.struct([(k, pa.string()) for k in ("name", "position", "title")])),
    }
    types = {name: by_kind.get(BY_NAME[name].kind, pa.string()) for name in DUMP_FIELDS}
    precision = [pa.field(name, pa.string()) for name in PRECISION]
    fields = [pa.field(name, types[name]) for name in DUMP_FIELDS] + precision
    if with_versions:
        version = pa.struct(
            [("version", pa.int32()), ("first_seen", ts), ("last_seen", ts)]
            + [(name, types[name]) for name in CONTENT_FIELDS]
            + precision
        )
        fields.append(pa.field("versions", pa.list_(version)))
    return pa.schema(fields)


def precision(printed: str | None) -> str | None:
    """`date` for a printed date without a time (`2021-04-01`), else `datetime`."""
    if printed is None:
        return None
    return "date" if len(printed) == len("YYYY-MM-DD") else "datetime"


def _arrow_cell(row: dict[str, Any], name: str) -> Any:
    if name in PRECISION:
        return precision(row.get(PRECISION[name]))
    value = row.get(name)
    if value is None:
        return None
    if name == "versions":
        return [{k: _arrow_cell(version, k) for k in [*version, *PRECISION]} for version in value]
    kind = BY_NAME[name].kind if name in BY_NAME else None
    if kind == "timestamp":
        return datetime.fromisoformat(value)
    if kind == "published":
        # A date alone is midnight in the site's zone; its precision column says so.
        moment = datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=VN_TZ)
    if kind == "date":
        return date.fromisoformat(value)
    return value


def write_parquet(
    rows: Iterable[dict[str, Any]], handle: IO[bytes], *, with_versions: bool = False
) -> int:
    """Rows converted to Arrow every ARROW_BATCH rows (compact, unlike Python dicts) and
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
            pa.array([_arrow_cell(r, f.name) for r in chunk], f.type, memory_pool=pool)
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
            if len(chunk) >= ARROW_BATCH:
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
