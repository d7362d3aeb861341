"""Full-text search over the archive, with or without diacritics, on both backends."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Engine, text

from pipelines.archive.storage import fold_for_search

_TERMS = re.compile(r"\w+")


@dataclass
class Hit:
    article_id: int
    published: str | None
    title: str | None
    url: str


def terms(query: str) -> list[str]:
    """The words of a query as the index holds them (đ folded like the stored text)."""
    return _TERMS.findall(fold_for_search(query))


def search(engine: Engine, query: str, limit: int = 20) -> list[Hit]:
    """Articles holding every word of `query`, best first; `truong chinh tri`
    finds `Trường Chính trị` because both the index and the query fold marks."""
    words = terms(query)
    if not words:
        return []
    if engine.dialect.name == "sqlite":
        # Each word quoted, so a query word is never read as FTS5 syntax (AND, NEAR, *).
        sql = (
            "SELECT a.id, a.published, a.title, a.canonical_url FROM articles_fts f "
            "JOIN articles a ON a.id = f.rowid WHERE articles_fts MATCH :q "
            "ORDER BY bm25(articles_fts, 10.0, 2.0, 1.0), a.published DESC LIMIT :limit"
        )
        q = " ".join(f'"{w}"' for w in words)
    else:
        sql = (
            "SELECT a.id, a.published, a.title, a.canonical_url FROM articles_fts f "
            "JOIN articles a ON a.id = f.article_id, "
            "plainto_tsquery('simple', unaccent(CAST(:q AS text))) query "
            "WHERE f.document @@ query "
            "ORDER BY ts_rank(f.document, query) DESC, a.published DESC LIMIT :limit"
        )
        q = " ".join(words)
    with engine.connect() as conn:
        rows = conn.execute(text(sql), {"q": q, "limit": limit}).all()
    return [Hit(*row) for row in rows]
