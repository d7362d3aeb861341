"""The one full-text query builder (pipelines/archive/search.py) that `tinhuy search`
and `tinhuy dump --query` share: words, quoted phrases, folding, and user text that
is never read as FTS5 or tsquery syntax. Both commands on a crawled archive:
tests/test_archive_commands.py."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from crawler import cli
from pipelines.archive.engine import open_engine
from pipelines.archive.schema import articles
from pipelines.archive.search import (
    MAX_WORDS,
    EmptyQuery,
    QueryError,
    TooManyWords,
    fts5_query,
    matching_ids,
    phrases,
    search,
)
from pipelines.archive.search_index import index_article


def test_fts5_query_quotes_every_word_and_phrase() -> None:
    expected = '"Dảng" "Trường Chính trị" "a" "b"'
    assert fts5_query(phrases('Đảng  "Trường Chính trị" a"b')) == expected
    assert fts5_query(phrases("NEAR(a b)")) == '"NEAR" "a" "b"'


def test_quotes_make_phrases_and_an_unclosed_quote_runs_to_the_end() -> None:
    assert phrases('x "truong chinh  tri" y') == [("x",), ("truong", "chinh", "tri"), ("y",)]
    assert phrases('dang "bo tinh') == [("dang",), ("bo", "tinh")]
    assert phrases('"" "-" dang') == [("dang",)]


def test_d_is_folded_and_marks_are_left_to_the_index() -> None:
    assert phrases("Đảng bộ đ") == [("Dảng",), ("bộ",), ("d",)]
    # A query typed with combining marks reads as the same words.
    assert phrases(unicodedata.normalize("NFD", "Trường Chính trị")) == phrases("Trường Chính trị")


def test_operators_and_signs_are_words_or_separators() -> None:
    query = "a* -x NOT AND OR NEAR title:y ^z (w) & | ! <-> snake_case 'q'"
    assert phrases(query) == [
        *[(w,) for w in ("a", "x", "NOT", "AND", "OR", "NEAR", "title", "y", "z", "w")],
        *[(w,) for w in ("snake", "case", "q")],
    ]


@pytest.mark.parametrize("query", ["", "   ", '"', '""', '" "', "*", "-", "()", "&|!"])
def test_a_query_without_a_word_is_refused(query: str) -> None:
    with pytest.raises(EmptyQuery, match="nothing to search for"):
        phrases(query)


# -- against a real archive -----------------------------------------------------------

SEEN = datetime.fromisoformat("2024-05-01T08:00:00+07:00")
# The archive's words, and FTS5's operators as words an article may hold.
WORDS = ("Đảng", "bộ", "tỉnh", "Trường", "Chính", "trị", "NEAR", "AND", "OR", "NOT", "title")


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Iterator[Engine]:
    """Five articles in a fresh SQLite archive with the real schema and FTS5 index."""
    engine = open_engine(tmp_path_factory.mktemp("search") / "archive.db")
    with engine.begin() as conn:
        for i in range(1, 6):
            item = {
                "title": f"Bài {i}: {' '.join(WORDS[: i + 5])}",
                "lead": "Trường Chính trị tỉnh",
                "body": " ".join(WORDS) + f" số {i}",
            }
            conn.execute(
                articles.insert(),
                {"id": i, "site": "haiduong", "article_key": f"id:{i}",
                 "canonical_url": f"http://tinhuyhaiduong.vn/news/Pages/new.aspx?ItemID={i}",
                 "fingerprint": f"{i:064x}", "published": f"2021-04-0{i}",
                 "first_seen": SEEN, "last_seen": SEEN, **item},
            )  # fmt: skip
            index_article(conn, i, item, fresh=True)
    yield engine
    engine.dispose()


@pytest.mark.parametrize("query", ['"', '""', "   ", '" "', '"""', "*", "-", "( )", "&|!"])
def test_search_refuses_a_query_without_a_word_in_one_line(archive, capsys, query) -> None:
    db = archive.url.database
    assert cli.main(["search", "--db", db, "--", query]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", f"tinhuy: nothing to search for in {query!r}\n")


# FTS5 syntax and things near it: quotes, operators, column filters, groups, NUL.
SYNTAX = [
    '"', '""', "'", "*", "-", "+", "^", ":", "(", ")", "{", "}", "[", "]", ",", "&", "|",
    "!", "<->", "NEAR", "NEAR/2", "AND", "OR", "NOT", "title:", "body :", "{title lead}:",
    "\\", "\x00", " ", "\t", "\n", "_", "a_b", "tỉnh", "Đảng", "đ", "\u0301", "ᦰ", "2", "²",
]  # fmt: skip
QUERIES = st.one_of(
    st.text(max_size=30),
    st.lists(st.sampled_from(SYNTAX), max_size=12).map("".join),
    st.lists(st.sampled_from(SYNTAX), max_size=12).map(" ".join),
)


@settings(max_examples=400, deadline=None)
@given(query=QUERIES)
def test_any_text_is_refused_or_runs_against_fts5(archive, query) -> None:
    try:
        found = phrases(query)
    except QueryError:
        return
    assert 0 < sum(map(len, found)) <= MAX_WORDS
    # Both users of the builder, ranked search and the subquery of dump --query, run
    # and find the same articles.
    hits = search(archive, query, limit=10)
    with archive.connect() as conn:
        ids = {row[0] for row in conn.execute(matching_ids(query, "sqlite"))}
    assert {hit.article_id for hit in hits} == ids


# -- long queries ----------------------------------------------------------------------


def test_a_repeated_word_or_phrase_is_searched_once() -> None:
    assert phrases("tinh " * 20_000) == [("tinh",)]
    assert phrases('a "b c" b a "b c" c') == [("a",), ("b", "c"), ("b",), ("c",)]


def test_a_20000_word_query_of_few_different_words_finds_what_they_find(archive) -> None:
    """The issue's query: thousands of words, a few of them different. Every word used
    to be a phrase of its own, and FTS5's bm25 is quadratic in the number of phrases
    (4,000 words: 49 s on a 30-article archive)."""
    words = WORDS[:6]
    query = " ".join(words[i % len(words)] for i in range(20_000))
    assert len(phrases(query)) == len(words)
    assert search(archive, query) == search(archive, " ".join(words)) != []


def test_more_different_words_than_max_words_are_refused_in_one_line(archive, capsys) -> None:
    many = [f"w{i}" for i in range(20_000)]
    assert len(phrases(" ".join(many[:MAX_WORDS]))) == MAX_WORDS
    # Words of a phrase count too: a phrase's length is what tsquery's cost grows with.
    with pytest.raises(TooManyWords):
        phrases('"' + " ".join(many[: MAX_WORDS + 1]) + '"')
    with pytest.raises(TooManyWords, match=f"20000 different words, at most {MAX_WORDS}"):
        phrases(" ".join(many))
    assert cli.main(["search", "--db", archive.url.database, " ".join(many)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("tinhuy: too many words") and err.count("\n") == 1
