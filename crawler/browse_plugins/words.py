"""The words a search looks for, found again in the text a reader sees: for highlighting
and for excerpts around the first match in `tinhuy browse`.

The index folds tone and vowel marks and case (FTS5's unicode61 with remove_diacritics 2)
and storage folds đ to d; `fold` does the same to a word, so that `truong chinh tri`
marks `Trường Chính trị` as the search found it. The query is read by search.py's
`phrases`, as `tinhuy search` reads it: quoted text is a phrase."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from markupsafe import Markup, escape

from pipelines.archive.search import Phrase, QueryError, fts5_query, phrases

# Letters and digits: a word to both tokenizers, as in search.py.
_WORD = re.compile(r"[^\W_]+")
_SPACE = re.compile(r"\s+")
# An FTS5 query that matches nothing: a query without a word finds no article.
NOTHING = '""'


@lru_cache(maxsize=4096)
def fold(word: str) -> str:
    """A word as the index holds it: no marks, đ as d, case folded."""
    decomposed = unicodedata.normalize("NFD", word.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=256)
def searched(query: str | None) -> tuple[Phrase, ...]:
    """The folded phrases of a query; none for a query without a word (or too long)."""
    try:
        found = phrases(query or "")
    except QueryError:
        return ()
    return tuple(tuple(fold(word) for word in phrase) for phrase in found)


def match_query(query: str | None) -> str:
    """The FTS5 MATCH expression of a search box's text, NOTHING when it holds no word."""
    try:
        return fts5_query(phrases(query or ""))
    except QueryError:
        return NOTHING


def spans(text: str, query: str | None) -> list[tuple[int, int]]:
    """(start, end) of every occurrence of the query's words and phrases in `text`,
    overlapping ones merged, in order."""
    wanted = searched(query)
    if not wanted or not text:
        return []
    words = list(_WORD.finditer(text))
    folded = [fold(w.group()) for w in words]
    found = []
    for phrase in wanted:
        size = len(phrase)
        for i in range(len(words) - size + 1):
            if tuple(folded[i : i + size]) == phrase:
                found.append((words[i].start(), words[i + size - 1].end()))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str | None, query: str | None) -> Markup:
    """`text` as HTML, the words the query found in <mark>."""
    text = text or ""
    out, pos = [], 0
    for start, end in spans(text, query):
        out.append(escape(text[pos:start]))
        out.append(Markup("<mark>{}</mark>").format(text[start:end]))
        pos = end
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def excerpt(text: str | None, query: str | None = None, width: int = 200) -> str:
    """About `width` characters of `text` on one line: around the first word the query
    found, else from the start; cut at word boundaries, with … where text is left out."""
    line = _SPACE.sub(" ", text or "").strip()
    if len(line) <= width:
        return line
    found = spans(line, query)
    start = max(0, found[0][0] - width // 3) if found else 0
    end = min(len(line), start + width)
    start = max(0, end - width)
    if start > 0:
        start = line.find(" ", start) + 1 or start
    if end < len(line):
        end = line.rfind(" ", start, end) if " " in line[start:end] else end
    return ("… " if start > 0 else "") + line[start:end].strip() + (" …" if end < len(line) else "")
