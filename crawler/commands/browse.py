"""`tinhuy browse`: the SQLite archive in Datasette, to search, facet and export."""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from crawler.commands.common import EXIT_OK, UsageError, add_db_option

BROWSE = Path(__file__).resolve().parent.parent / "browse"
# Formula cells neutralized in every CSV export, as `tinhuy dump` does.
CSV_PLUGIN = BROWSE.parent / "browse_plugins" / "csv_cells.py"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("browse", help="search and export the archive in a web page (Datasette)")
    add_db_option(p)
    p.add_argument("--port", type=int, default=8001, help="port (default 8001; 0 picks one)")
    p.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    p.set_defaults(func=main)


def metadata(database_name: str) -> dict:
    """crawler/browse/metadata.json with its tables under the database's name, which
    Datasette takes from the file name."""
    template = json.loads((BROWSE / "metadata.json").read_text(encoding="utf-8"))
    tables = template.pop("tables")
    return template | {"databases": {database_name: {"tables": tables}}}


def archive_path(db: str | None) -> Path:
    from sqlalchemy.engine import make_url

    from pipelines.archive.engine import database_url

    url = make_url(database_url(db))
    if url.get_backend_name() != "sqlite" or not url.database:
        raise UsageError("browse works on a SQLite archive (a file); dump PostgreSQL instead")
    path = Path(url.database)
    if not path.is_file():
        raise UsageError(f"no archive at {path}: run `tinhuy crawl` or `tinhuy demo` first")
    return path


def plugins_dir(tmp: Path) -> Path:
    """A folder in `tmp` holding every plugin of browse: Datasette reads one
    --plugins-dir, and the plugins live in crawler/browse/plugins/ and CSV_PLUGIN."""
    folder = tmp / "plugins"
    folder.mkdir()
    for plugin in [*sorted((BROWSE / "plugins").glob("*.py")), CSV_PLUGIN]:
        shutil.copy(plugin, folder / plugin.name)
    return folder


def main(args: argparse.Namespace) -> int:
    path = archive_path(args.db)
    if importlib.util.find_spec("datasette") is None:
        raise UsageError("Datasette is not installed: pip install 'tinhuy-crawler[browse]'")
    with tempfile.TemporaryDirectory(prefix="tinhuy-browse-") as tmp:
        meta = Path(tmp) / "metadata.json"
        meta.write_text(json.dumps(metadata(path.stem), ensure_ascii=False), encoding="utf-8")
        command = [
            sys.executable, "-m", "datasette", "serve", str(path),
            "--host", args.host, "--port", str(args.port),
            "--metadata", str(meta), "--plugins-dir", str(plugins_dir(Path(tmp))),
        ]  # fmt: skip
        print(f"browsing {path} at http://{args.host}:{args.port}/ (Ctrl-C stops)", flush=True)
        try:
            return subprocess.run(command, check=False).returncode
        except KeyboardInterrupt:
            return EXIT_OK
