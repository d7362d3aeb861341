"""The most cited documents and the most named officials, counted in SQL over
the fact tables (one count per article, near-duplicates left out)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, distinct, func, select

from pipelines.archive.schema import article_documents, article_officials, articles

KINDS = ("documents", "officials")


@dataclass(frozen=True)
class Count:
    key: str
    detail: str | None
    articles: int


def top(
    engine: Engine,
    kind: str,
    *,
    since: str | None = None,
    limit: int = 20,
    site: str | None = None,
) -> list[Count]:
    """`kind` documents: doc_id, type and articles citing it; officials: name, the
    position most often printed with it, and articles naming them; of `site` or of all."""
    table, key, detail = (
        (article_documents, article_documents.c.doc_id, article_documents.c.type)
        if kind == "documents"
        else (article_officials, article_officials.c.name, article_officials.c.position)
    )
    count = func.count(distinct(table.c.article_id)).label("n")
    query = (
        select(key, func.max(detail), count)
        .join(articles, articles.c.id == table.c.article_id)
        .where(articles.c.duplicate_of.is_(None))
        .group_by(key)
        .order_by(count.desc(), key)
        .limit(limit)
    )
    if since:
        query = query.where(articles.c.published >= since)
    if site:
        query = query.where(articles.c.site == site)
    with engine.connect() as conn:
        return [Count(k, d, n) for k, d, n in conn.execute(query)]
