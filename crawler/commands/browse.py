"""`tinhuy browse`: the SQLite archive in Datasette, to search, facet and export."""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

from crawler.commands.common import EXIT_OK, UsageError, add_db_option, open_archive

BROWSE = Path(__file__).resolve().parent.parent / "browse"
# The reading view (templates in crawler/browse/templates/), and formula cells
# neutralized in every CSV export, as `tinhuy dump` does.
CODE_PLUGINS = [BROWSE.parent / "browse_plugins" / name for name in ("reading.py", "csv_cells.py")]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("browse", help="search and export the archive in a web page (Datasette)")
    add_db_option(p)
    p.add_argument("--port", type=int, default=8001, help="port (default 8001; 0 picks one)")
    p.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    p.add_argument("--site", help="open on this site's articles (the facet by site, chosen)")
    p.set_defaults(func=main)


def metadata(database_name: str) -> dict:
    """crawler/browse/metadata.json with its tables and queries under the database's
    name, which Datasette takes from the file name, and its links to that database."""
    template = json.loads((BROWSE / "metadata.json").read_text(encoding="utf-8"))
    database = {"tables": template.pop("tables"), "queries": template.pop("queries")}
    described = template["description_html"].replace("{db}", "/" + quote(database_name))
    return template | {"description_html": described, "databases": {database_name: database}}


def archive_path(db: str | None) -> Path:
    from sqlalchemy.engine import make_url

    from pipelines.archive.engine import database_url

    url = make_url(database_url(db))
    if url.get_backend_name() != "sqlite" or not url.database:
        raise UsageError("browse works on a SQLite archive (a file); dump PostgreSQL instead")
    # The one-line answers of every command: no archive, not a database, a newer schema.
    open_archive(db).dispose()
    return Path(url.database)


def plugins_dir(tmp: Path) -> Path:
    """A folder in `tmp` holding every plugin of browse: Datasette reads one
    --plugins-dir, and the plugins live in crawler/browse/plugins/ and CODE_PLUGINS."""
    folder = tmp / "plugins"
    folder.mkdir()
    for plugin in [*sorted((BROWSE / "plugins").glob("*.py")), *CODE_PLUGINS]:
        shutil.copy(plugin, folder / plugin.name)
    return folder


def main(args: argparse.Namespace) -> int:
    path = archive_path(args.db)
    if importlib.util.find_spec("datasette") is None:
        raise UsageError("Datasette is not installed: pip install 'tinhuy-crawler[browse]'")
    port = available_port(args.host, args.port)
    with tempfile.TemporaryDirectory(prefix="tinhuy-browse-") as tmp:
        meta = Path(tmp) / "metadata.json"
        meta.write_text(json.dumps(metadata(path.stem), ensure_ascii=False), encoding="utf-8")
        command = [
            sys.executable, "-m", "datasette", "serve", str(path),
            "--host", args.host, "--port", str(port),
            "--metadata", str(meta), "--plugins-dir", str(plugins_dir(Path(tmp))),
            "--template-dir", str(BROWSE / "templates"),
        ]  # fmt: skip
        where = f"http://{args.host}:{port}/"
        if args.site:
            where += f"{quote(path.stem)}/articles?site={quote(args.site)}"
        print(f"browsing {path} at {where} (Ctrl-C stops)", flush=True)
        return serve(command)


def available_port(host: str, port: int) -> int:
    """`port`, or a free one for 0, once it is known that Datasette can listen there; a
    port in use is one line, not the address printed and then a server's traceback."""
    if not 0 <= port <= 65535:
        raise UsageError(f"cannot listen on {host}:{port}: a port is 0-65535")
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            # As uvicorn binds: a port left in TIME_WAIT by a server just stopped is free.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
            return probe.getsockname()[1]
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise UsageError(f"cannot listen on {host}:{port}: {reason}") from None


def serve(command: list[str]) -> int:
    """Run Datasette until it exits; SIGTERM or SIGHUP to browse stop it too (a
    service manager or a closed terminal signals browse alone, not its child)."""
    child = subprocess.Popen(command)

    def stop(signum: int, _frame: object) -> None:
        child.send_signal(signal.SIGTERM)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        child.wait()
    except KeyboardInterrupt:
        # Ctrl-C reached Datasette too (one process group): wait for it to stop.
        child.wait()
        return EXIT_OK
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return EXIT_OK if child.returncode in (0, -signal.SIGTERM) else child.returncode
