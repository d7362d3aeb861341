"""The full-text index as the store writes it: FTS5 on SQLite, a tsvector on
PostgreSQL (tables made by schema.py), over text folded by `fold_for_search`.
The queries over it are in search.py."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, text

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


def fold_for_search(value: str | None) -> str:
    """Text as the search index holds it: đ is a letter, not a mark, so the
    tokenizer's diacritic folding leaves it; fold it here, and in queries."""
    return (value or "").replace("đ", "d").replace("Đ", "D")


def index_article(
    conn: Connection, article_id: int, item: Mapping[str, Any], *, fresh: bool = False
) -> None:
    """(Re)index an article's title, lead and body; `fresh`: it has no entry yet."""
    fields = {k: fold_for_search(item.get(k)) for k in ("title", "lead", "body")}
    if conn.dialect.name == "sqlite":
        # An FTS5 entry is replaced by deleting it first; a fresh article has none.
        if not fresh:
            conn.execute(_FTS_DELETE, {"id": article_id})
        conn.execute(_FTS_INSERT, {"id": article_id, **fields})
    else:
        conn.execute(_TSVECTOR_UPSERT, {"id": article_id, **fields})
