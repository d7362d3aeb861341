"""Full-text search over the archive, with or without diacritics, on both backends.

One reading of a query serves `tinhuy search` and `tinhuy dump --query`, so both
find the same articles:

- a word is a run of letters and digits, read after NFC and with đ folded to d
  as the index holds it (`fold_for_search`); tone and vowel marks are folded on
  both sides by the index itself (FTS5's unicode61, PostgreSQL's unaccent);
- text between double quotes is a phrase, its words adjacent and in order; an
  unclosed quote runs to the end of the query;
- an article matches when its title, lead or body holds every word and phrase;
- everything else only separates words: the operators and signs of FTS5 and
  tsquery (AND OR NOT NEAR * - ^ : ( ) & | ! <->) are never read as syntax, and
  AND, OR, NOT and NEAR are words to find;
- a query without a word is refused (EmptyQuery): there is nothing to look for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Engine, TextClause, text

from crawler.text.normalize import nfc
from pipelines.archive.search_index import fold_for_search

# Letters and digits: the characters both tokenizers keep (`_` is a separator to them).
_WORD = re.compile(r"[^\W_]+")

Phrase = tuple[str, ...]


class EmptyQuery(ValueError):
    """A query without a word to search for; the message is for the user."""


@dataclass
class Hit:
    article_id: int
    published: str | None
    title: str | None
    url: str


def phrases(query: str) -> list[Phrase]:
    """The words and quoted phrases of a query, as the index holds them; a word
    alone is a phrase of one word. EmptyQuery when there is none."""
    found: list[Phrase] = []
    # NFC first: a query typed with combining marks would otherwise split its words.
    for i, part in enumerate(fold_for_search(nfc(query)).split('"')):
        words = tuple(_WORD.findall(part))
        # Odd parts stand after an opening quote: a phrase kept whole.
        if i % 2 == 0:
            found += [(word,) for word in words]
        elif words:
            found.append(words)
    if not found:
        raise EmptyQuery(f"nothing to search for in {query!r}")
    return found


def fts5_query(found: list[Phrase]) -> str:
    """SQLite FTS5: every phrase quoted, so that AND, OR, NOT and NEAR are words;
    phrases side by side must all occur. Words hold no quote to escape."""
    return " ".join('"' + " ".join(phrase) + '"' for phrase in found)


def _tsquery(found: list[Phrase]) -> tuple[str, dict[str, str]]:
    """PostgreSQL: a tsquery expression and its parameters, one per phrase, so that
    the user's text is never parsed as tsquery syntax; && requires them all."""
    params = {f"phrase{i}": " ".join(phrase) for i, phrase in enumerate(found)}
    terms = [f"phraseto_tsquery('simple', unaccent(CAST(:{name} AS text)))" for name in params]
    return "(" + " && ".join(terms) + ")", params


def matching_ids(query: str, dialect: str) -> TextClause:
    """A subquery of the ids of the articles `query` finds (as `search` finds them)."""
    found = phrases(query)
    if dialect == "sqlite":
        return text("SELECT rowid FROM articles_fts WHERE articles_fts MATCH :q").bindparams(
            q=fts5_query(found)
        )
    tsquery, params = _tsquery(found)
    return text(f"SELECT article_id FROM articles_fts WHERE document @@ {tsquery}").bindparams(
        **params
    )


def search(engine: Engine, query: str, limit: int = 20) -> list[Hit]:
    """Articles holding every word and phrase of `query`, best first; `truong chinh tri`
    finds `Trường Chính trị` because both the index and the query fold marks."""
    found = phrases(query)
    if engine.dialect.name == "sqlite":
        sql = (
            "SELECT a.id, a.published, a.title, a.canonical_url FROM articles_fts f "
            "JOIN articles a ON a.id = f.rowid WHERE articles_fts MATCH :q "
            "ORDER BY bm25(articles_fts, 10.0, 2.0, 1.0), a.published DESC LIMIT :limit"
        )
        params = {"q": fts5_query(found)}
    else:
        tsquery, params = _tsquery(found)
        sql = (
            "SELECT a.id, a.published, a.title, a.canonical_url FROM articles_fts f "
            f"JOIN articles a ON a.id = f.article_id, (SELECT {tsquery} AS query) q "
            "WHERE f.document @@ q.query "
            "ORDER BY ts_rank(f.document, q.query) DESC, a.published DESC LIMIT :limit"
        )
    with engine.connect() as conn:
        rows = conn.execute(text(sql), {**params, "limit": limit}).all()
    return [Hit(*row) for row in rows]
