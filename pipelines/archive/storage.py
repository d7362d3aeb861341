"""The archive's writer: one row per article, every URL it was seen under, every version.

Every article is written inside its own savepoint, so an item that fails leaves
the batch intact, and a batch commits as a whole: a crawl killed at any moment
loses at most the uncommitted batch, which the next crawl fetches again. Opening
the database is engine.py; what makes a version, versions.py; the full-text and
near-duplicate indexes, search_index.py and neardup_index.py.
"""

from __future__ import annotations

import hashlib
import zlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, bindparam, literal, select, union_all, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from crawler.text.dates import now_local
from pipelines.archive import crawl_state, schema
from pipelines.archive.schema import article_urls, article_versions, articles, raw_pages
from pipelines.archive.search_index import index_article
from pipelines.archive.versions import VOLATILE_FIELDS, content, insert_version, same_version

if TYPE_CHECKING:
    from pipelines.archive.neardup_index import NearDuplicateIndex


def _publication_order(published: str | None, key: str) -> tuple[bool, str, str]:
    return (published is None, published or "", key)


# The page cache of the connection that writes the archive (SQLite), in MB.
WRITER_CACHE_MB = 32


@dataclass
class SaveResult:
    outcome: str  # new | updated | unchanged | duplicate
    article_id: int
    # Set when the article is a near duplicate of a stored one (see neardup.py).
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


def _upsert_url(insert: Any) -> Any:
    statement = insert(article_urls)
    return statement.on_conflict_do_update(
        index_elements=["url"], set_={"last_seen": statement.excluded.last_seen}
    )


_UPSERT_URL = {"sqlite": _upsert_url(sqlite_insert), "postgresql": _upsert_url(pg_insert)}


class Store:
    """Writes items to the archive in batches; use as a context manager."""

    def __init__(self, engine: Engine, site: str, batch_size: int = 50) -> None:
        self.engine = engine
        self.site = site
        self.batch_size = batch_size
        self._conn: Connection | None = None
        self._pending = 0
        self._near_index: NearDuplicateIndex | None = None
        # Outcomes (new, updated, ...) of the committed batches and of the open one:
        # a run reports what is stored, not what it tried to store.
        self.committed: Counter[str] = Counter()
        self._batch: Counter[str] = Counter()
        self._failed: set[str] | None = None

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
        self._committed()

    def _committed(self) -> None:
        self.committed.update(self._batch)
        self._batch.clear()
        self._pending = 0

    def close(self, commit: bool = True) -> None:
        if self._conn is None:
            return
        conn, self._conn = self._conn, None
        try:
            if commit:
                conn.commit()
                self._committed()
            else:
                conn.rollback()
        finally:
            if not commit:
                self._batch.clear()
                self._forget()
            conn.close()

    def _forget(self) -> None:
        if self._near_index is not None:
            self._near_index.forget()
        self._failed = None

    @property
    def _near(self) -> NearDuplicateIndex:
        if self._near_index is None:
            # Imported on first use: numpy and datasketch (scipy with it) weigh
            # about 60 MB, which a crawl that stores nothing new never needs.
            from pipelines.archive.neardup_index import NearDuplicateIndex

            self._near_index = NearDuplicateIndex(self.site)
        return self._near_index

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
                self._clear_failures(item)
        except Exception:
            self._forget()
            raise
        self._batch[result.outcome] += 1
        self._pending += 1
        if self._pending >= self.batch_size:
            self.commit()
        return result

    def _clear_failures(self, item: Mapping[str, Any]) -> None:
        if self._failed is None:
            self._failed = crawl_state.failed_urls(self.conn, self.site)
        urls = {item["canonical_url"], item["url"], *(item.get("alias_urls") or ())}
        if not self._failed.isdisjoint(urls):
            crawl_state.clear_failures(self.conn, self.site, urls)
            self._failed -= urls

    def record_failure(self, canonical: str, url: str, reason: str) -> None:
        """An article page this crawl asked for and did not get: later crawls ask again."""
        crawl_state.record_failure(self.conn, self.site, canonical, url, reason, now_local())
        if self._failed is not None:
            self._failed |= {canonical, url}

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
            self._near.sign_older_articles(conn)
            article_id = self._insert(item, seen_at)
            near = self._link_near_duplicate(article_id, item, fresh=True)
            return SaveResult("new", article_id, *near)
        self._add_url(row.id, item["canonical_url"], seen_at)
        if same_version(row._mapping, item):
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
        insert_version(conn, row.id, version, item, seen_at, self._raw_page(item, seen_at))
        conn.execute(
            update(articles)
            .where(articles.c.id == row.id)
            .values(
                **content(item),
                fingerprint=item["fingerprint"],
                current_version=version,
                last_seen=seen_at,
            )
        )
        index_article(conn, row.id, item)
        schema.write_facts(conn, row.id, item.get("documents") or [], item.get("officials") or [])
        return SaveResult("updated", row.id, *self._link_near_duplicate(row.id, item))

    def _insert(self, item: Mapping[str, Any], seen_at: datetime) -> int:
        conn = self.conn
        article_id = conn.execute(
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
                **content(item),
            },
        ).inserted_primary_key[0]
        insert_version(conn, article_id, 1, item, seen_at, self._raw_page(item, seen_at))
        self._add_url(article_id, item["canonical_url"], seen_at)
        index_article(conn, article_id, item, fresh=True)
        schema.write_facts(
            conn,
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
                content=content(item),
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
                **content(item),
            )
        )
        index_article(self.conn, article_id, item)
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

    def add_alias(self, canonical_url: str, url: str, seen_at: datetime | None = None) -> bool:
        """Record `url` as another spelling of the stored article at `canonical_url`;
        False when no article of this site has that URL."""
        article_id = self.conn.execute(
            select(article_urls.c.article_id)
            .join(articles, articles.c.id == article_urls.c.article_id)
            .where(article_urls.c.url == canonical_url, articles.c.site == self.site)
        ).scalar()
        if article_id is None:
            return False
        self._add_url(article_id, url, seen_at or now_local())
        return True

    def _add_url(self, article_id: int, url: str, seen_at: datetime) -> None:
        self.conn.execute(
            _UPSERT_URL[self.conn.dialect.name],
            {"article_id": article_id, "url": url, "first_seen": seen_at, "last_seen": seen_at},
        )

    # -- near duplicates ----------------------------------------------------

    def nearest(self, body: str | None) -> tuple[int, float] | None:
        """The stored original that `body` nearly repeats, with the similarity;
        None when there is none. Reads only: the lookup of `save`, on its own."""
        return self._near.nearest(self.conn, body)

    def _link_near_duplicate(
        self, article_id: int, item: Mapping[str, Any], *, fresh: bool = False
    ) -> tuple[int | None, float | None]:
        """Link the article to the stored one its body nearly repeats; index its signature.

        `fresh`: the row was just inserted, so it has no signature, bands or link
        to undo."""
        conn, near = self.conn, self._near
        if not fresh:
            near.sign_older_articles(conn)
            near.remove(conn, article_id)
        found = near.add(conn, article_id, item.get("body"))
        match = None
        if found is not None and found[0] != article_id:
            match = self._original(article_id, item, *found)
        duplicate_of, similarity = match or (None, None)
        if match or not fresh:
            conn.execute(
                update(articles)
                .where(articles.c.id == article_id)
                .values(duplicate_of=duplicate_of, similarity=similarity)
            )
        return duplicate_of, similarity

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
