"""Stored articles out to files (JSONL, CSV, Parquet), filtered, streamed in batches so
memory stays flat, with a manifest beside each file; see docs/schema.md.

Which articles and reading them: query.py; the formats: writers.py; the rule for CSV
cells a spreadsheet would run as formulas: cells.py; temporary files and manifests:
files.py; the progress line: progress.py.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from pipelines.archive.dump.files import atomic_output, in_place, manifest, replaced, temporary
from pipelines.archive.dump.progress import Progress, Tally
from pipelines.archive.dump.query import Filters, count_articles, iter_articles
from pipelines.archive.dump.writers import FORMATS, write


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
    raw_cells: bool = False,
    progress: bool = True,
) -> DumpResult:
    """Write the matching articles to `out` (a path, or `-` for stdout) in `fmt`, and
    beside a file its manifest `out.manifest.json`; both appear only when complete.
    A device, pipe or socket (`/dev/stdout`, a FIFO) is written in place, without one.
    A CSV's formula cells are neutralized (writers.write_csv) unless `raw_cells`."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    filters = filters or Filters()
    # Silence unless a person watches: cron mail and pipes get no carriage returns.
    bar = None
    if progress and sys.stderr.isatty():
        bar = Progress(count_articles(engine, filters), sys.stderr)
    tally = Tally(_progress=bar)
    rows = tally.watch(iter_articles(engine, filters, with_versions=with_versions))
    binary = fmt == "parquet"
    try:
        if in_place(out):
            # Stdout, a device or a pipe: no manifest, nothing beside it to put one in.
            with atomic_output(out, binary=binary) as handle:
                write(fmt, rows, handle, with_versions=with_versions, bom=bom, raw_cells=raw_cells)
            return DumpResult(tally.rows, None)
        named = Path(out)
        target = replaced(out)
        manifest_path = named.with_name(named.name + ".manifest.json")
        with temporary(target, binary) as (handle, tmp):
            write(fmt, rows, handle, with_versions=with_versions, bom=bom, raw_cells=raw_cells)
            handle.close()
            described = manifest(
                engine, named, tmp, fmt, tally, filters, with_versions=with_versions, bom=bom
            )
            # The manifest describes a complete file: it is renamed into place last.
            with atomic_output(str(manifest_path)) as mhandle:
                mhandle.write(json.dumps(described, ensure_ascii=False, indent=2) + "\n")
                os.replace(tmp, target)
        return DumpResult(tally.rows, described)
    finally:
        if bar:
            bar.close()
