"""The archive's tables (SQLAlchemy Core, one schema for SQLite and PostgreSQL)
and the migrations that bring an older database up to date in place."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Connection,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine

from crawler.model import BY_NAME, CONTENT_FIELDS


class AwareDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp on both backends: PostgreSQL's timestamptz,
    and on SQLite (which has no such type) an ISO 8601 string with its offset,
    which SQLAlchemy's own SQLite DateTime would silently drop."""

    impl = String(40)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(DateTime(timezone=True))
        return dialect.type_descriptor(String(40))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: every stored time must be timezone-aware")
        return value if dialect.name == "postgresql" else value.isoformat()

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None or isinstance(value, datetime):
            return value
        return datetime.fromisoformat(value)


metadata = MetaData()

_COLUMN_TYPES: dict[str, Callable[[], TypeEngine[Any]]] = {
    "text": Text,
    "paragraphs": Text,
    "published": lambda: String(32),
    "date": lambda: String(10),
}


def _content_columns() -> list[Column[Any]]:
    """A column per content field of crawler/model.py; lists and facts as JSON."""
    return [Column(name, _COLUMN_TYPES.get(BY_NAME[name].kind, JSON)()) for name in CONTENT_FIELDS]


# Timestamps of our own (seen, fetched, run times) are timezone-aware
# datetimes; dates printed by the site are kept as the ISO strings the date
# normalizer produced, because a page may give a date without a time and
# `2021-04-01` must not turn into midnight.
articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("site", String(64), nullable=False),
    Column("article_key", String(512), nullable=False),
    Column("canonical_url", Text, nullable=False),
    *_content_columns(),
    Column("fingerprint", String(64), nullable=False),
    Column("duplicate_of", Integer, ForeignKey("articles.id")),
    Column("similarity", Float),
    Column("current_version", Integer, nullable=False, default=1),
    Column("first_seen", AwareDateTime(), nullable=False),
    Column("last_seen", AwareDateTime(), nullable=False),
    UniqueConstraint("site", "article_key", name="uq_articles_site_key"),
    Index("ix_articles_fingerprint", "site", "fingerprint"),
    Index("ix_articles_published", "published"),
)

article_versions = Table(
    "article_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("title", Text),
    Column("body", Text),
    Column("content", JSON, nullable=False),
    Column("raw_page_id", Integer, ForeignKey("raw_pages.id")),
    Column("first_seen", AwareDateTime(), nullable=False),
    Column("last_seen", AwareDateTime(), nullable=False),
    UniqueConstraint("article_id", "version", name="uq_versions_article_version"),
    Index("ix_versions_fingerprint", "fingerprint"),
)

article_urls = Table(
    "article_urls",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False),
    Column("url", Text, nullable=False),
    Column("first_seen", AwareDateTime(), nullable=False),
    Column("last_seen", AwareDateTime(), nullable=False),
    UniqueConstraint("url", name="uq_article_urls_url"),
    Index("ix_article_urls_article", "article_id"),
)

raw_pages = Table(
    "raw_pages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False),
    Column("fetched_at", AwareDateTime(), nullable=False),
    Column("status", Integer),
    Column("content_type", Text),
    Column("sha256", String(64), nullable=False),
    Column("body_zlib", LargeBinary, nullable=False),
)

crawl_runs = Table(
    "crawl_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("site", String(64), nullable=False),
    Column("started_at", AwareDateTime(), nullable=False),
    Column("finished_at", AwareDateTime()),
    Column("status", String(16), nullable=False),
    Column("stats", JSON),
    # The one-line summary's numbers and the health problems (crawler/health.py).
    Column("summary", JSON),
)

# How far each listing is verified: `anchors` are the first-page items of the last
# walk that ended well (crawler/crawl/frontier.py): every item from them on was stored
# or recorded as failed, so a later walk may stop once it has met one of them.
listing_walks = Table(
    "listing_walks",
    metadata,
    Column("site", String(64), primary_key=True),
    Column("listing", String(512), primary_key=True),
    Column("complete", Integer, nullable=False, default=0),
    Column("anchors", JSON),
    Column("updated_at", AwareDateTime(), nullable=False),
)

# What discovery found on a site no class describes (crawler/discovery/): later crawls
# of the same address read it instead of discovering again, until it is a week old.
discovered_sites = Table(
    "discovered_sites",
    metadata,
    Column("site", String(64), primary_key=True),
    Column("base_url", Text, nullable=False),
    Column("found", JSON, nullable=False),
    Column("discovered_at", AwareDateTime(), nullable=False),
)

# Article pages a crawl asked for and did not get: each later crawl asks again
# (up to MAX_ATTEMPTS), so a failure behind a finished walk is not lost for good.
failed_fetches = Table(
    "failed_fetches",
    metadata,
    Column("site", String(64), primary_key=True),
    Column("canonical_url", Text, primary_key=True),
    Column("url", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("attempts", Integer, nullable=False, default=1),
    Column("first_failed", AwareDateTime(), nullable=False),
    Column("last_failed", AwareDateTime(), nullable=False),
)

# The MinHash signature of each article's current body (see pipelines/neardup.py),
# so the near-duplicate index is rebuilt at open without re-reading every body.
article_signatures = Table(
    "article_signatures",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("minhash", LargeBinary, nullable=False),
)

# The LSH band hashes of each signature (pipelines/neardup.py): the near-duplicate
# index, queried with one indexed lookup instead of held in memory.
article_bands = Table(
    "article_bands",
    metadata,
    Column("band_key", BigInteger, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True),
    Index("ix_article_bands_article", "article_id"),
)

# The facts of each article's current version as rows, so that analysts can
# join and count them in SQL (which directives the province cites, who attends
# what). The same lists are kept as JSON on `articles` for dumps.
article_documents = Table(
    "article_documents",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("doc_id", String(256), primary_key=True),
    Column("type", String(64)),
    Column("number", String(32)),
    Column("code", String(64)),
    Column("date", String(10)),
    Column("issuer", Text),
    Column("mentions", Integer, nullable=False),
    Index("ix_article_documents_doc_id", "doc_id"),
)

article_officials = Table(
    "article_officials",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("name", String(128), primary_key=True),
    Column("position", Text),
    Index("ix_article_officials_name", "name"),
)

# Jobs of the workers (crawler/distributed/) that failed their retries, with why.
job_failures = Table(
    "job_failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("site", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("task_id", String(64)),
    Column("worker", String(255)),
    Column("attempts", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Column("job", JSON, nullable=False),
    Column("failed_at", AwareDateTime(), nullable=False),
    Index("ix_job_failures_site", "site"),
)

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("applied_at", AwareDateTime(), nullable=False),
)


def _create_base_tables(conn: Connection) -> None:
    metadata.create_all(conn)


def _create_search_index(conn: Connection) -> None:
    # Diacritic-insensitive search: unicode61 folds the tone and vowel marks,
    # and storage folds đ/Đ (a letter of its own, not a mark) before indexing.
    if conn.dialect.name == "sqlite":
        conn.execute(
            text(
                "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
                "title, lead, body, tokenize = 'unicode61 remove_diacritics 2')"
            )
        )
    else:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS unaccent"))
        conn.execute(
            text(
                "CREATE TABLE IF NOT EXISTS articles_fts ("
                "article_id INTEGER PRIMARY KEY REFERENCES articles(id), "
                "document tsvector NOT NULL)"
            )
        )
        conn.execute(
            text(
                "CREATE INDEX IF NOT EXISTS ix_articles_fts_document "
                "ON articles_fts USING gin(document)"
            )
        )


def _create_listing_walks(conn: Connection) -> None:
    listing_walks.create(conn, checkfirst=True)


def _create_article_signatures(conn: Connection) -> None:
    article_signatures.create(conn, checkfirst=True)


def _create_fact_tables(conn: Connection) -> None:
    article_documents.create(conn, checkfirst=True)
    article_officials.create(conn, checkfirst=True)
    # Articles stored before these tables get their rows from their JSON lists.
    if conn.execute(select(article_documents.c.article_id).limit(1)).first():
        return
    for article_id, documents, officials in conn.execute(
        select(articles.c.id, articles.c.documents, articles.c.officials)
    ).all():
        write_facts(conn, article_id, documents or [], officials or [])


def write_facts(
    conn: Connection,
    article_id: int,
    documents: list[dict],
    officials: list[dict],
    *,
    fresh: bool = False,
) -> None:
    """Replace the fact rows of one article (`fresh`: it has none yet)."""
    if not fresh:
        conn.execute(article_documents.delete().where(article_documents.c.article_id == article_id))
        conn.execute(article_officials.delete().where(article_officials.c.article_id == article_id))
    documents = list({d["doc_id"]: d for d in documents if d.get("doc_id")}.values())
    officials = list({o["name"]: o for o in officials if o.get("name")}.values())
    if documents:
        conn.execute(
            article_documents.insert(),
            [
                {
                    "article_id": article_id,
                    "doc_id": d["doc_id"],
                    "type": d.get("type"),
                    "number": d.get("number"),
                    "code": d.get("code"),
                    "date": d.get("date"),
                    "issuer": d.get("issuer"),
                    "mentions": d.get("count") or 1,
                }
                for d in documents
            ],
        )
    if officials:
        conn.execute(
            article_officials.insert(),
            [
                {"article_id": article_id, "name": o["name"], "position": o.get("position")}
                for o in officials
            ],
        )


def _create_article_bands(conn: Connection) -> None:
    from pipelines.archive import neardup

    article_bands.create(conn, checkfirst=True)
    if conn.execute(select(article_bands.c.article_id).limit(1)).first():
        return
    for article_id, data in conn.execute(
        select(article_signatures.c.article_id, article_signatures.c.minhash)
    ).all():
        sig, _size = neardup.from_bytes(data)
        conn.execute(
            article_bands.insert(),
            [{"band_key": key, "article_id": article_id} for key in set(neardup.band_keys(sig))],
        )


def _add_run_summary(conn: Connection) -> None:
    if "summary" not in {c["name"] for c in inspect(conn).get_columns("crawl_runs")}:
        conn.execute(text("ALTER TABLE crawl_runs ADD COLUMN summary JSON"))


def _walk_anchors(conn: Connection) -> None:
    # The deepest page of an interrupted walk said nothing about the pages beyond it;
    # the anchors of the last good walk replace it. Old walk states are dropped, so the
    # first crawl after the upgrade walks every listing to its end once.
    columns = {c["name"] for c in inspect(conn).get_columns("listing_walks")}
    if "deepest_page" in columns:
        conn.execute(text("DELETE FROM listing_walks"))
        conn.execute(text("ALTER TABLE listing_walks DROP COLUMN deepest_page"))
    if "anchors" not in columns:
        conn.execute(text("ALTER TABLE listing_walks ADD COLUMN anchors JSON"))
    failed_fetches.create(conn, checkfirst=True)


def _add_source(conn: Connection) -> None:
    # The publication an article credits (`Theo Báo X`), kept apart from its author.
    if "source" not in {c["name"] for c in inspect(conn).get_columns("articles")}:
        conn.execute(text("ALTER TABLE articles ADD COLUMN source TEXT"))


def _site_origin_links(conn: Connection) -> None:
    # Images, related links and fetched pages under the site's origin, not the port of
    # the replica or mirror crawled (as crawls store them now). Imported here: site_links
    # reads this module's tables.
    from pipelines.archive.site_links import rewrite_site_links

    rewrite_site_links(conn)


def _create_job_failures(conn: Connection) -> None:
    job_failures.create(conn, checkfirst=True)
    # A crawl stopped by its time or page budget ends `closespider_timeout` (19
    # characters); SQLite ignores lengths, PostgreSQL would refuse the run's status.
    if conn.dialect.name == "postgresql":
        conn.execute(text("ALTER TABLE crawl_runs ALTER COLUMN status TYPE VARCHAR(32)"))


def _create_discovered_sites(conn: Connection) -> None:
    discovered_sites.create(conn, checkfirst=True)


# Each migration brings the schema from version N-1 to N. Append, never edit;
# a migration must be idempotent, since version 1 creates every table the
# metadata holds at the time it runs.
MIGRATIONS: list[Callable[[Connection], None]] = [
    _create_base_tables,
    _create_search_index,
    _create_listing_walks,
    _create_article_signatures,
    _create_fact_tables,
    _add_run_summary,
    _create_article_bands,
    _walk_anchors,
    _add_source,
    _site_origin_links,
    _create_job_failures,
    _create_discovered_sites,
]
SCHEMA_VERSION = len(MIGRATIONS)


class SchemaTooNew(RuntimeError):
    """The database was written by a newer tinhuy-crawler."""


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table("schema_migrations"):
        return 0
    found = conn.execute(
        select(schema_migrations.c.version).order_by(schema_migrations.c.version.desc()).limit(1)
    ).scalar()
    return found or 0


def upgrade(conn: Connection, now: datetime) -> list[int]:
    """Apply the missing migrations in order; return the versions applied."""
    version = current_version(conn)
    if version > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"database schema version {version} is newer than this tinhuy-crawler "
            f"(knows up to {SCHEMA_VERSION}); upgrade tinhuy-crawler"
        )
    applied = []
    for number in range(version + 1, SCHEMA_VERSION + 1):
        MIGRATIONS[number - 1](conn)
        if number == 1:
            schema_migrations.create(conn, checkfirst=True)
        conn.execute(schema_migrations.insert().values(version=number, applied_at=now))
        applied.append(number)
    return applied
