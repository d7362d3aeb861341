"""Rows per second of `tinhuy dump` for each format on a large archive.

    .venv/bin/python benchmarks/dedup.py --stored 50000 --measure 0 --keep /tmp/bench-50k.db
    .venv/bin/python benchmarks/dump.py --db /tmp/bench-50k.db

Every format of pipelines/archive/dump/ (FORMATS), all articles, written to a temporary file.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipelines.archive.dump import dump
from pipelines.archive.dump.writers import FORMATS
from pipelines.archive.engine import open_engine


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="an archive, e.g. one kept by dedup.py")
    args = parser.parse_args(argv)
    print(f"command: benchmarks/dump.py {' '.join(argv or sys.argv[1:])}\n")
    engine = open_engine(args.db)
    print("| format | rows | seconds | rows/s | MB |\n|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in FORMATS:
            out = Path(tmp) / f"articles.{fmt}"
            started = time.perf_counter()
            result = dump(engine, str(out), fmt, progress=False)
            seconds = time.perf_counter() - started
            size = out.stat().st_size / 1e6
            rate = result.rows / seconds
            print(f"| {fmt} | {result.rows:,} | {seconds:.1f} | {rate:.0f} | {size:.0f} |")
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
