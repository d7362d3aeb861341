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
- a word or phrase said twice is looked for once;
- a query without a word is refused (EmptyQuery): there is nothing to look for;
- so is one of more than MAX_WORDS different words (TooManyWords): both backends
  take time in the square of the number of words, and a pasted page of text took
  minutes.
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

# The most words a query may hold, counted over its different words and phrases.
# FTS5's bm25 takes time in the square of the number of phrases, PostgreSQL's tsquery
# (matching and ts_rank) in the square of the number of phrases and of a phrase's
# length: 4,000 words took 49 s on a 30-article SQLite archive. 100 is a few sentences
# of Vietnamese (a syllable is a word), more than a search a person types.
MAX_WORDS = 100


class QueryError(ValueError):
    """A query that cannot be searched for; the message is for the user."""


class EmptyQuery(QueryError):
    """A query without a word to search for."""


class TooManyWords(QueryError):
    """A query of more than MAX_WORDS different words."""


@dataclass
class Hit:
    article_id: int
    published: str | None
    title: str | None
    url: str
    site: str


def phrases(query: str) -> list[Phrase]:
    """The different words and quoted phrases of a query, as the index holds them, in
    the order first met; a word alone is a phrase of one word. EmptyQuery when there is
    none, TooManyWords when they hold more than MAX_WORDS words."""
    # A dict as an ordered set: every phrase must occur, so a repeat adds nothing to
    # find, only to the cost of ranking.
    found: dict[Phrase, None] = {}
    # NFC first: a query typed with combining marks would otherwise split its words.
    for i, part in enumerate(fold_for_search(nfc(query)).split('"')):
        words = tuple(_WORD.findall(part))
        # Odd parts stand after an opening quote: a phrase kept whole.
        if i % 2 == 0:
            found.update(((word,), None) for word in words)
        elif words:
            found[words] = None
    if not found:
        raise EmptyQuery(f"nothing to search for in {query!r}")
    count = sum(map(len, found))
    if count > MAX_WORDS:
        raise TooManyWords(
            f"too many words to search for: {count} different words, at most {MAX_WORDS}"
        )
    return list(found)


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


def search(engine: Engine, query: str, limit: int = 20, site: str | None = None) -> list[Hit]:
    """Articles holding every word and phrase of `query`, best first, of `site` or of
    all; `truong chinh tri` finds `Trường Chính trị` because both the index and the query
    fold marks."""
    found = phrases(query)
    of_site = "AND a.site = :site " if site else ""
    if engine.dialect.name == "sqlite":
        sql = (
            "SELECT a.id, a.published, a.title, a.canonical_url, a.site FROM articles_fts f "
            f"JOIN articles a ON a.id = f.rowid WHERE articles_fts MATCH :q {of_site}"
            "ORDER BY bm25(articles_fts, 10.0, 2.0, 1.0), a.published DESC LIMIT :limit"
        )
        params = {"q": fts5_query(found)}
    else:
        tsquery, params = _tsquery(found)
        sql = (
            "SELECT a.id, a.published, a.title, a.canonical_url, a.site FROM articles_fts f "
            f"JOIN articles a ON a.id = f.article_id, (SELECT {tsquery} AS query) q "
            f"WHERE f.document @@ q.query {of_site}"
            "ORDER BY ts_rank(f.document, q.query) DESC, a.published DESC LIMIT :limit"
        )
    with engine.connect() as conn:
        bound = {**params, "limit": limit, **({"site": site} if site else {})}
        rows = conn.execute(text(sql), bound).all()
    return [Hit(*row) for row in rows]
