"""The compiled literal-word matcher (crawler/extract/literals.pyx) against the plain
definition, `any(word in text for word in words)`, on many random texts."""

from __future__ import annotations

import random

import pytest
from crawler.extract.literals import Literals

from crawler.extract.patterns import is_chrome_class


def _naive(words: tuple[str, ...], text: str) -> bool:
    return any(word in text for word in words)


@pytest.mark.parametrize(
    "words",
    [
        ("he", "she", "his", "hers"),  # words inside words, shared suffixes
        ("a", "aa", "aaa", "ab"),
        ("sidebar", "side-bar", "tinkhac", "tin_khac", "share", "related"),
        ("bình luận", "ý kiến", "tin khác", "ế"),  # multi-byte UTF-8
    ],
)
def test_occurs_in_agrees_with_substring_search_on_random_texts(words: tuple[str, ...]) -> None:
    rng = random.Random(len(words))
    alphabet = sorted(set("".join(words))) + list(" -_xyzế")
    matcher = Literals(words)
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        assert matcher.occurs_in(text) == _naive(words, text), text


def _naive_whole(words: tuple[str, ...], text: str) -> bool:
    spaced = " ".join(text.replace("_", " ").replace("-", " ").split())
    return any(f" {word} " in f" {spaced} " for word in words)


@pytest.mark.parametrize(
    "words",
    [
        ("ad", "ads", "nav", "tag", "tags"),  # words that are suffixes of words
        ("a", "aa", "ba"),
        ("ế", "tin", "bế"),  # multi-byte UTF-8 words
    ],
)
def test_whole_words_agree_with_the_spaced_definition(words: tuple[str, ...]) -> None:
    rng = random.Random(len(words) + 7)
    # Separators of every kind: ASCII and Unicode white space (one, two and three bytes in
    # UTF-8), `_` and `-`; multi-byte letters beside them.
    alphabet = [*sorted(set("".join(words))), " ", "\t", "_", "-", "\x1f", "\u00a0", "\u2003",
                "\u3000", "x", "é", "ế", "𝔵"]
    matcher = Literals(words, whole=True)
    for _ in range(30000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        assert matcher.occurs_in(text) == _naive_whole(words, text), repr(text)


def test_a_whole_word_holds_no_separator() -> None:
    with pytest.raises(ValueError):
        Literals(("side-bar",), whole=True)


def test_edges() -> None:
    matcher = Literals(("menu",))
    assert not matcher.occurs_in("")
    assert matcher.occurs_in("menu")
    assert matcher.occurs_in("main-menu-item")
    assert not matcher.occurs_in("men u")
    assert not matcher.occurs_in("MENU")  # exact bytes: callers lower-case first
    with pytest.raises(ValueError):
        Literals(("menu", ""))


@pytest.mark.parametrize(
    ("attrs", "chrome"),
    [
        ("main-nav", True), ("nav_bar x", True), ("navigation", True), ("canvas", False),
        ("article-header", False), ("entry-tool", False), ("entry-tools", True),
        ("site tools", True), ("detail-nav", False),
        ("ads\u00a0box", True), ("loads", False), ("tags\tlist", True), ("page-header ads", False),
        ("sharepoint-body", False), ("sharepoint share", True), ("", False), ("  ", False),
    ],
)  # fmt: skip
def test_short_chrome_words_count_only_as_whole_words(attrs: str, chrome: bool) -> None:
    assert is_chrome_class(attrs) is chrome
