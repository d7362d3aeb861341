"""The archive: one row per article, every URL it was seen under, every version.

SQLite is the default (a file, WAL mode, batched transactions); PostgreSQL
is the same schema through SQLAlchemy Core. Every article is written inside
its own savepoint, so an item that fails leaves the batch intact, and a
batch commits as a whole: a crawl killed at any moment loses at most the
uncommitted batch, which the next crawl fetches again.
"""

from __future__ import annotations

import hashlib
import os
import zlib
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    bindparam,
    create_engine,
    event,
    func,
    literal,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from crawler.model import CONTENT_FIELDS
from crawler.text.dates import VN_TZ_NAME, now_local
from pipelines.archive import schema
from pipelines.archive.schema import (
    article_bands,
    article_signatures,
    article_urls,
    article_versions,
    articles,
    raw_pages,
)


def _neardup() -> Any:
    # Imported on first use: numpy and datasketch (scipy with it) weigh about 60 MB,
    # which dumps, searches and other readers of the archive never need.
    from pipelines.archive import neardup

    return neardup


DEFAULT_DB = Path("data") / "tinhuy.db"

# The links to other articles change whenever the site publishes something
# new; they are refreshed in place and never make a new version by themselves.
VOLATILE_FIELDS = frozenset({"related"})


def _publication_order(published: str | None, key: str) -> tuple[bool, str, str]:
    return (published is None, published or "", key)


# Shingle sets of recently seen bodies kept for the exact near-duplicate check
# (a few KB each).
SHINGLE_CACHE = 5_000
# The page cache of the connection that writes the archive (SQLite), in MB.
WRITER_CACHE_MB = 32


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


def _engine(db: str | os.PathLike[str] | None) -> Engine:
    url_text = database_url(db)
    try:
        url = make_url(url_text)
    except (ArgumentError, ValueError):
        raise StorageError(f"malformed database URL: {url_text}") from None
    if url.get_backend_name() == "sqlite":
        if url.database:
            _check_writable(Path(url.database))
        engine = create_engine(url)
        _sqlite_events(engine)
    elif url.get_backend_name() == "postgresql":
        if url.get_driver_name() in ("", "postgresql"):
            url = url.set(drivername="postgresql+psycopg")
        # Our timestamps read back in the site's zone on both backends, as on SQLite.
        engine = create_engine(
            url,
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


def fold_for_search(value: str | None) -> str:
    """Text as the search index holds it: đ is a letter, not a mark, so the
    tokenizer's diacritic folding leaves it; fold it here, and in queries."""
    return (value or "").replace("đ", "d").replace("Đ", "D")


@dataclass
class SaveResult:
    outcome: str  # new | updated | unchanged | duplicate
    article_id: int
    # Set when the article is a near duplicate of a stored one (see pipelines/neardup.py).
    duplicate_of: int | None = None
    similarity: float | None = None


# The statements of the hot path, built once: building a statement per item
# costs more than SQLite takes to run it.
# The stored row under an article key and the rows with a body fingerprint, in
# one statement of two indexed lookups (`by_key` tells them apart): a new
# article needs both answers, and one statement costs half of two.
_EXISTING = union_all(
    select(literal(True).label("by_key"), articles).where(
        articles.c.site == bindparam("site"), articles.c.article_key == bindparam("key")
    ),
    select(literal(False).label("by_key"), articles).where(
        articles.c.site == bindparam("site"), articles.c.fingerprint == bindparam("fingerprint")
    ),
)
_INSERT_ARTICLE = articles.insert()
_INSERT_RAW = raw_pages.insert()
_INSERT_VERSION = article_versions.insert()
_INSERT_SIGNATURE = article_signatures.insert()
_INSERT_BAND = article_bands.insert()


# The near-duplicate candidates of a signature in one statement: the stored
# articles sharing one of its LSH bands, leaving out the bands so many articles
# share that they are a template's boilerplate (pipelines/neardup.py), with each
# one's site, signature and original. The site is checked on the rows found:
# given it, the planner scanned every article of the site instead of walking
# the band index. One parameter per band rather than an expanding list, which
# SQLAlchemy would re-render for every lookup.
@cache
def _near_candidates_statement() -> Any:
    keys = [bindparam(f"band{band}") for band in range(_neardup().BANDS)]
    own_bands = (
        select(article_bands.c.band_key)
        .where(article_bands.c.band_key.in_(keys))
        .group_by(article_bands.c.band_key)
        .having(func.count() <= bindparam("common"))
    )
    sharing = select(article_bands.c.article_id).where(article_bands.c.band_key.in_(own_bands))
    return (
        select(
            articles.c.id, articles.c.site, articles.c.duplicate_of, article_signatures.c.minhash
        )
        .join(article_signatures, article_signatures.c.article_id == articles.c.id)
        .where(articles.c.id.in_(sharing))
    )


_FTS_DELETE = text("DELETE FROM articles_fts WHERE rowid = :id")
_FTS_INSERT = text(
    "INSERT INTO articles_fts(rowid, title, lead, body) VALUES (:id, :title, :lead, :body)"
)
_TSVECTOR_UPSERT = text(
    "INSERT INTO articles_fts(article_id, document) VALUES (:id, "
    "setweight(to_tsvector('simple', unaccent(CAST(:title AS text))), 'A') || "
    "to_tsvector('simple', unaccent(CAST(:lead AS text) || ' ' || "
    "CAST(:body AS text)))) "
    "ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document"
)


def _upsert_url(insert: Any) -> Any:
    statement = insert(article_urls)
    return statement.on_conflict_do_update(
        index_elements=["url"], set_={"last_seen": statement.excluded.last_seen}
    )


_UPSERT_URL = {"sqlite": _upsert_url(sqlite_insert), "postgresql": _upsert_url(pg_insert)}


def _content(item: Mapping[str, Any]) -> dict[str, Any]:
    return {field: item.get(field) for field in CONTENT_FIELDS}


def _same_version(row: Mapping[str, Any], item: Mapping[str, Any]) -> bool:
    return row["fingerprint"] == item["fingerprint"] and all(
        row[field] == item.get(field) for field in CONTENT_FIELDS if field not in VOLATILE_FIELDS
    )


class Store:
    """Writes items to the archive in batches; use as a context manager."""

    def __init__(self, engine: Engine, site: str, batch_size: int = 50) -> None:
        self.engine = engine
        self.site = site
        self.batch_size = batch_size
        self._conn: Connection | None = None
        self._pending = 0
        # Recent bodies' shingles by article id; dropped on any rollback, since it
        # may then hold rows that were never committed.
        self._shingles: OrderedDict[int, Any] = OrderedDict()
        # Whether articles stored before signatures existed were signed (once).
        self._signed = False

    # -- transactions -------------------------------------------------------

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        self.close(commit=exc_type is None)

    @property
    def conn(self) -> Connection:
        if self._conn is None:
            self._conn = self.engine.connect()
            if self._conn.dialect.name == "sqlite":
                # The writer's page cache only, larger than SQLite's 2 MB: the
                # band and key indexes of a large archive are read at random by
                # every article, while a dump or a search reads once through.
                # On the driver's connection: a statement through SQLAlchemy would
                # begin its transaction first.
                cursor = self._conn.connection.cursor()
                cursor.execute(f"PRAGMA cache_size=-{WRITER_CACHE_MB * 1024}")
                cursor.close()
            self._conn.begin()
        return self._conn

    def commit(self) -> None:
        if self._conn is not None:
            self._conn.commit()
            self._conn.begin()
        self._pending = 0

    def close(self, commit: bool = True) -> None:
        if self._conn is None:
            return
        if commit:
            self._conn.commit()
        else:
            self._conn.rollback()
            self._forget()
        self._conn.close()
        self._conn = None

    def _forget(self) -> None:
        self._shingles.clear()
        self._signed = False

    # -- articles -----------------------------------------------------------

    def save(self, item: Mapping[str, Any], seen_at: datetime | None = None) -> SaveResult:
        """Store one cleaned, dated, identified item atomically (its own savepoint)."""
        seen_at = seen_at or now_local()
        try:
            with self.conn.begin_nested():
                result = self._save(item, seen_at)
                # URLs that redirected to the page: known too, so an incremental
                # crawl does not fetch them again.
                for alias in item.get("alias_urls") or ():
                    self._add_url(result.article_id, alias, seen_at)
        except Exception:
            self._forget()
            raise
        self._pending += 1
        if self._pending >= self.batch_size:
            self.commit()
        return result

    def existing(self, item: Mapping[str, Any]) -> tuple[Any, Any]:
        """The stored row under the item's article key; else (None, the stored row
        with the same body), an exact re-post; else (None, None)."""
        rows = self.conn.execute(
            _EXISTING,
            {"site": self.site, "key": item["article_key"], "fingerprint": item["fingerprint"]},
        ).all()
        by_key = next((row for row in rows if row.by_key), None)
        if by_key is not None:
            return by_key, None
        return None, next(iter(rows), None)

    def _save(self, item: Mapping[str, Any], seen_at: datetime) -> SaveResult:
        conn = self.conn
        row, same = self.existing(item)
        if row is None:
            if same is not None:
                self._add_url(same.id, item["canonical_url"], seen_at)
                if _publication_order(item["published"], item["article_key"]) < (
                    _publication_order(same.published, same.article_key)
                ):
                    self._adopt_original(same.id, item, seen_at)
                else:
                    conn.execute(
                        update(articles).where(articles.c.id == same.id).values(last_seen=seen_at)
                    )
                return SaveResult("duplicate", same.id)
            # Before the insert: this signs every unsigned row, and the new one is
            # signed below.
            self._sign_older_articles()
            article_id = self._insert(item, seen_at)
            near = self._link_near_duplicate(article_id, item, fresh=True)
            return SaveResult("new", article_id, *near)
        self._add_url(row.id, item["canonical_url"], seen_at)
        if _same_version(row._mapping, item):
            conn.execute(
                update(articles)
                .where(articles.c.id == row.id)
                .values(last_seen=seen_at, **{f: item.get(f) for f in VOLATILE_FIELDS})
            )
            conn.execute(
                update(article_versions)
                .where(
                    article_versions.c.article_id == row.id,
                    article_versions.c.version == row.current_version,
                )
                .values(last_seen=seen_at)
            )
            return SaveResult("unchanged", row.id)
        version = row.current_version + 1
        self._insert_version(row.id, version, item, seen_at)
        conn.execute(
            update(articles)
            .where(articles.c.id == row.id)
            .values(
                **_content(item),
                fingerprint=item["fingerprint"],
                current_version=version,
                last_seen=seen_at,
            )
        )
        self._index(row.id, item)
        schema.write_facts(conn, row.id, item.get("documents") or [], item.get("officials") or [])
        return SaveResult("updated", row.id, *self._link_near_duplicate(row.id, item))

    def _insert(self, item: Mapping[str, Any], seen_at: datetime) -> int:
        article_id = self.conn.execute(
            _INSERT_ARTICLE,
            {
                "site": self.site,
                "article_key": item["article_key"],
                "canonical_url": item["canonical_url"],
                "fingerprint": item["fingerprint"],
                "current_version": 1,
                "duplicate_of": None,
                "similarity": None,
                "first_seen": seen_at,
                "last_seen": seen_at,
                **_content(item),
            },
        ).inserted_primary_key[0]
        self._insert_version(article_id, 1, item, seen_at)
        self._add_url(article_id, item["canonical_url"], seen_at)
        self._index(article_id, item, fresh=True)
        schema.write_facts(
            self.conn,
            article_id,
            item.get("documents") or [],
            item.get("officials") or [],
            fresh=True,
        )
        return article_id

    def _adopt_original(self, article_id: int, item: Mapping[str, Any], seen_at: datetime) -> None:
        """An exact re-post was stored first and its original arrives: the article
        becomes the original's, key, fields and archived page, in place (same body,
        so no version is made or lost). The archive is then the same whatever order
        a crawl met the copies in, and a re-extraction reads the original's page."""
        current = self.conn.execute(
            select(articles.c.current_version).where(articles.c.id == article_id)
        ).scalar_one()
        self.conn.execute(
            update(article_versions)
            .where(
                article_versions.c.article_id == article_id,
                article_versions.c.version == current,
            )
            .values(
                title=item.get("title"),
                content=_content(item),
                raw_page_id=self._raw_page(item, seen_at),
            )
        )
        self.conn.execute(
            update(articles)
            .where(articles.c.id == article_id)
            .values(
                article_key=item["article_key"],
                canonical_url=item["canonical_url"],
                last_seen=seen_at,
                **_content(item),
            )
        )
        self._index(article_id, item)
        schema.write_facts(
            self.conn, article_id, item.get("documents") or [], item.get("officials") or []
        )

    def _raw_page(self, item: Mapping[str, Any], seen_at: datetime) -> int | None:
        # A re-extraction's version comes from the page already archived.
        raw_id = item.get("raw_page_id")
        if raw_id is None and item.get("raw_body") is not None:
            raw: bytes = item["raw_body"]
            raw_id = self.conn.execute(
                _INSERT_RAW,
                {
                    "url": item["url"],
                    "fetched_at": item.get("fetched_at") or seen_at,
                    "status": item.get("status"),
                    "content_type": item.get("content_type"),
                    "sha256": hashlib.sha256(raw).hexdigest(),
                    "body_zlib": zlib.compress(raw, 6),
                },
            ).inserted_primary_key[0]
        return raw_id

    def _insert_version(
        self, article_id: int, version: int, item: Mapping[str, Any], seen_at: datetime
    ) -> None:
        raw_id = self._raw_page(item, seen_at)
        self.conn.execute(
            _INSERT_VERSION,
            {
                "article_id": article_id,
                "version": version,
                "fingerprint": item["fingerprint"],
                "title": item.get("title"),
                "body": item.get("body"),
                "content": _content(item),
                "raw_page_id": raw_id,
                "first_seen": seen_at,
                "last_seen": seen_at,
            },
        )

    def _add_url(self, article_id: int, url: str, seen_at: datetime) -> None:
        self.conn.execute(
            _UPSERT_URL[self.conn.dialect.name],
            {"article_id": article_id, "url": url, "first_seen": seen_at, "last_seen": seen_at},
        )

    def _index(self, article_id: int, item: Mapping[str, Any], *, fresh: bool = False) -> None:
        conn = self.conn
        fields = {k: fold_for_search(item.get(k)) for k in ("title", "lead", "body")}
        if conn.dialect.name == "sqlite":
            if not fresh:
                conn.execute(_FTS_DELETE, {"id": article_id})
            conn.execute(_FTS_INSERT, {"id": article_id, **fields})
        else:
            conn.execute(_TSVECTOR_UPSERT, {"id": article_id, **fields})

    # -- near duplicates ----------------------------------------------------

    def _sign_older_articles(self) -> None:
        """Articles stored before signatures existed get theirs, once per store."""
        if self._signed:
            return
        nd = _neardup()
        unsigned = self.conn.execute(
            select(articles.c.id, articles.c.body)
            .outerjoin(article_signatures, article_signatures.c.article_id == articles.c.id)
            .where(articles.c.site == self.site, article_signatures.c.article_id.is_(None))
        ).all()
        for article_id, body in unsigned:
            shingles = nd.shingles(body)
            if len(shingles) >= nd.MIN_SHINGLES:
                self._sign(article_id, nd.signature(shingles), len(shingles))
        self._signed = True

    def _sign(self, article_id: int, sig: Any, size: int) -> None:
        nd = _neardup()
        data = nd.to_bytes(sig, size)
        self.conn.execute(_INSERT_SIGNATURE, {"article_id": article_id, "minhash": data})
        self.conn.execute(
            _INSERT_BAND,
            [{"band_key": key, "article_id": article_id} for key in set(nd.band_keys(sig))],
        )

    def _near_candidates(self, article_id: int | None, sig: Any, size: int) -> dict[int, int]:
        """Stored articles of this site sharing an LSH band with `sig` whose stored
        signature leaves room for a near duplicate, each with its original."""
        nd = _neardup()
        rows = [
            row
            for row in self.conn.execute(
                _near_candidates_statement(),
                {
                    "common": nd.COMMON_BAND,
                    **{f"band{band}": key for band, key in enumerate(nd.band_keys(sig))},
                },
            )
            if row.id != article_id and row.site == self.site
        ]
        verdicts = nd.plausible_stored(sig, size, [row.minhash for row in rows])
        return {
            row.id: row.duplicate_of or row.id for row, ok in zip(rows, verdicts, strict=True) if ok
        }

    def nearest(self, body: str | None) -> tuple[int, float] | None:
        """The stored original that `body` nearly repeats, with the similarity;
        None when there is none. Reads only: the lookup of `save`, on its own."""
        nd = _neardup()
        shingles = nd.shingles(body)
        if len(shingles) < nd.MIN_SHINGLES:
            return None
        return self._nearest(shingles, nd.signature(shingles), None)

    def _nearest(self, shingles: Any, sig: Any, article_id: int | None) -> tuple[int, float] | None:
        originals = self._near_candidates(article_id, sig, len(shingles))
        if not originals:
            return None
        found = _neardup().best_match(shingles, self._shingles_of(sorted(originals)).items())
        return (originals[found[0]], found[1]) if found else None

    def _link_near_duplicate(
        self, article_id: int, item: Mapping[str, Any], *, fresh: bool = False
    ) -> tuple[int | None, float | None]:
        """Link the article to the stored one its body nearly repeats; index its signature.

        `fresh`: the row was just inserted, so it has no signature, bands or link
        to undo."""
        nd = _neardup()
        conn = self.conn
        shingles = nd.shingles(item.get("body"))
        if not fresh:
            self._sign_older_articles()
            for table in (article_signatures, article_bands):
                conn.execute(table.delete().where(table.c.article_id == article_id))
            self._shingles.pop(article_id, None)
        match = None
        if len(shingles) >= nd.MIN_SHINGLES:
            sig = nd.signature(shingles)
            found = self._nearest(shingles, sig, article_id)
            if found is not None and found[0] != article_id:
                match = self._original(article_id, item, *found)
            self._sign(article_id, sig, len(shingles))
            self._remember(article_id, shingles)
        duplicate_of, similarity = match or (None, None)
        if match or not fresh:
            conn.execute(
                update(articles)
                .where(articles.c.id == article_id)
                .values(duplicate_of=duplicate_of, similarity=similarity)
            )
        return duplicate_of, similarity

    def _shingles_of(self, ids: list[int]) -> dict[int, Any]:
        """The shingles of stored articles, through the cache.

        Bodies written from templates (a weekly schedule, a congress series) are
        candidates of many new articles: their shingles are kept rather than read
        and recomputed for each."""
        nd = _neardup()
        found = {c: self._shingles[c] for c in ids if c in self._shingles}
        for c in found:
            self._shingles.move_to_end(c)
        missing = [c for c in ids if c not in found]
        if missing:
            bodies = self.conn.execute(
                select(articles.c.id, articles.c.body).where(articles.c.id.in_(missing))
            )
            for article_id, body in bodies:
                found[article_id] = nd.shingles(body)
                self._remember(article_id, found[article_id])
        return found

    def _remember(self, article_id: int, shingles: Any) -> None:
        self._shingles[article_id] = shingles
        self._shingles.move_to_end(article_id)
        while len(self._shingles) > SHINGLE_CACHE:
            self._shingles.popitem(last=False)

    def _original(
        self, article_id: int, item: Mapping[str, Any], original_id: int, score: float
    ) -> tuple[int, float] | None:
        """The link of a near duplicate: to the group's original, unless the new
        article is the earlier publication, which then becomes the original, so
        the links do not depend on the order a crawl met the copies in."""
        conn, score = self.conn, round(score, 4)
        original = conn.execute(
            select(articles.c.published, articles.c.article_key).where(articles.c.id == original_id)
        ).one()
        if _publication_order(item.get("published"), item["article_key"]) >= (
            _publication_order(original.published, original.article_key)
        ):
            return original_id, score
        conn.execute(
            update(articles)
            .where(articles.c.duplicate_of == original_id)
            .values(duplicate_of=article_id)
        )
        conn.execute(
            update(articles)
            .where(articles.c.id == original_id)
            .values(duplicate_of=article_id, similarity=score)
        )
        return None


def count_articles(engine: Engine, site: str | None = None) -> int:
    query = select(func.count()).select_from(articles)
    if site:
        query = query.where(articles.c.site == site)
    with engine.connect() as conn:
        return conn.execute(query).scalar_one()
