"""The one full-text query builder (pipelines/archive/search.py) that `tinhuy search`
and `tinhuy dump --query` share: words, quoted phrases, folding, and user text that
is never read as FTS5 or tsquery syntax. Both commands on a crawled archive:
tests/test_archive_commands.py."""

from __future__ import annotations

import unicodedata

import pytest

from pipelines.archive.search import EmptyQuery, fts5_query, phrases


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
