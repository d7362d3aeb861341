"""Opening the archive: the database URL, the engine, SQLite's pragmas, the checks
that give one clear line instead of an error mid-crawl, and schema upgrades."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from crawler.text.dates import VN_TZ_NAME, now_local
from pipelines.archive import schema

DEFAULT_DB = Path("data") / "tinhuy.db"


class StorageError(RuntimeError):
    """A database that cannot be opened or written; the message is for the user."""


def database_url(db: str | os.PathLike[str] | None = None) -> str:
    """The SQLAlchemy URL for `--db` (a path or URL), else `TINHUY_DB`, else the default file."""
    value = str(db) if db else os.environ.get("TINHUY_DB") or str(DEFAULT_DB)
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def _sqlite_events(engine: Engine) -> None:
    # pysqlite opens transactions on its own and breaks SAVEPOINT; take over
    # transaction control as the SQLAlchemy documentation advises.
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")


def _check_writable(path: Path) -> None:
    # SQLite in WAL mode writes beside the file too, so both must be writable;
    # failing here gives one clear line instead of an error mid-crawl.
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"cannot create {path.parent}: {exc.strerror}") from None
    if path.exists() and not os.access(path, os.W_OK):
        raise StorageError(f"database file is read-only: {path}")
    if not os.access(path.parent, os.W_OK):
        raise StorageError(f"directory is read-only: {path.parent}")


def _json_text(value: Any) -> str:
    # JSON columns hold the text itself, not \u escapes, so that a SQLite client or
    # a CSV export of `tinhuy browse` shows Vietnamese as it is.
    return json.dumps(value, ensure_ascii=False)


def _engine(db: str | os.PathLike[str] | None) -> Engine:
    url_text = database_url(db)
    try:
        url = make_url(url_text)
    except (ArgumentError, ValueError):
        raise StorageError(f"malformed database URL: {url_text}") from None
    if url.get_backend_name() == "sqlite":
        if url.database:
            _check_writable(Path(url.database))
        engine = create_engine(url, json_serializer=_json_text)
        _sqlite_events(engine)
    elif url.get_backend_name() == "postgresql":
        if url.get_driver_name() in ("", "postgresql"):
            url = url.set(drivername="postgresql+psycopg")
        # Our timestamps read back in the site's zone on both backends, as on SQLite.
        engine = create_engine(
            url,
            json_serializer=_json_text,
            pool_pre_ping=True,
            connect_args={"options": f"-c timezone={VN_TZ_NAME}", "connect_timeout": 10},
        )
    else:
        raise StorageError(
            f"unsupported database {url.get_backend_name()!r}: use a path or postgresql://"
        )
    return engine


def _upgraded(engine: Engine) -> tuple[int, list[int]]:
    """(version found, versions applied); StorageError with a one-line reason otherwise."""
    try:
        with engine.begin() as conn:
            before = schema.current_version(conn)
            return before, schema.upgrade(conn, now_local())
    except schema.SchemaTooNew as exc:
        engine.dispose()
        raise StorageError(str(exc)) from None
    except OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise StorageError(
            f"cannot open database {engine.url.render_as_string()}: {reason}"
        ) from None


def open_engine(db: str | os.PathLike[str] | None = None) -> Engine:
    """An engine on an upgraded schema; StorageError with a one-line reason otherwise."""
    engine = _engine(db)
    _upgraded(engine)
    return engine


def upgrade_database(db: str | os.PathLike[str] | None = None) -> tuple[int, list[int]]:
    """Bring a database to the current schema: (version found, versions applied)."""
    engine = _engine(db)
    try:
        return _upgraded(engine)
    finally:
        engine.dispose()
