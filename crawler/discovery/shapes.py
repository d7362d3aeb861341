"""The shapes of a site's URLs, learned from its links: which links are articles (many
URLs of one template carrying an id or a long slug, each under a headline) and how the
site numbers its listing pages.

A URL's shape is its path segments and query keys with the variable parts named: `<n>`
(a number), `<slug>-<n>` / `<n>-<slug>` (an id beside words), `<slug>` (words), with the
extension kept (`/news/<slug>/<slug>-<n>.html`, `/index.php?id=<n>&option=com_content`).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlsplit

from crawler.sites.urls import clean_url

_WORDS = re.compile(r"\w+")
_EXTENSION = re.compile(r"(\.[a-z]{2,5})$", re.I)
_SLUG_ID = re.compile(r"^[\w%]+(?:-[\w%]+)*-(\d+)$")
_ID_SLUG = re.compile(r"^(\d+)(?:-[\w%]+)+$")
_JOOMLA_ID = re.compile(r"^(\d+)(?::[\w%-]+)?$")  # `id=12:slug`
_SLUG = re.compile(r"^[\w%]+(?:-[\w%]+){2,}$")  # three words or more
# Query keys whose number names the article on the CMSs of provincial sites.
_ID_KEYS = ("itemid", "id", "articleid", "newsid", "nid", "postid", "p", "tinid", "news_id")
# A template with fewer URLs than this on the pages read is no template yet.
MIN_URLS = 3
# Headlines: a link text of this many words or more (menu entries have fewer, but for a
# few like `Xây dựng Đảng và hệ thống chính trị`).
HEADLINE_WORDS = 6


@dataclass(frozen=True)
class Link:
    url: str
    text: str


def _segment(segment: str) -> str:
    """The kind of one path segment: `<n>`, `<slug>-<n>`, `<n>-<slug>`, `<slug>`, or the
    segment itself (lower-cased), each with its extension."""
    segment = segment.lower()
    ext_match = _EXTENSION.search(segment)
    ext = ext_match.group(1) if ext_match else ""
    stem = segment[: -len(ext)] if ext else segment
    if stem.isdigit():
        kind = "<n>"
    elif _SLUG_ID.match(stem):
        kind = "<slug>-<n>"
    elif _ID_SLUG.match(stem):
        kind = "<n>-<slug>"
    elif _SLUG.match(stem):
        kind = "<slug>"
    else:
        kind = stem
    return kind + ext


def _value(key: str, value: str) -> str:
    if _JOOMLA_ID.match(value) and (value.isdigit() or key in _ID_KEYS):
        return "<n>"
    return value.lower()


def shape(url: str) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """(path segments, sorted query) of a URL, variable parts named."""
    parts = urlsplit(url)
    segments = tuple(_segment(s) for s in parts.path.split("/") if s)
    query = tuple(sorted((k.lower(), _value(k.lower(), v)) for k, v in parse_qsl(parts.query)))
    return segments, query


def _has_id(segments: tuple[str, ...], query: tuple[tuple[str, str], ...]) -> bool:
    """A number in the path, or in a query key that names an item (not `CateID=1`)."""
    return any("<n>" in s for s in segments) or any(
        v == "<n>" and k in _ID_KEYS for k, v in query
    )


def _generalized(group: list[tuple[tuple[str, ...], tuple[tuple[str, str], ...]]]) -> tuple:
    """One shape for URLs that differ only in a literal path segment after the first
    (NukeViet's category alias in `/news/<cat>/<slug>-<n>.html`)."""
    segments = []
    for column in zip(*(s for s, _ in group), strict=True):
        segments.append(column[0] if len(set(column)) == 1 else "<slug>")
    return tuple(segments), group[0][1]


def _skeleton(segments: tuple[str, ...], query: tuple[tuple[str, str], ...]) -> tuple:
    # A script's name (`chitiet.asp`, `danhmuc.asp`) is no alias: only a segment without
    # an extension may vary within one shape.
    kept = tuple(s if i == 0 or "<" in s or "." in s else "*" for i, s in enumerate(segments))
    return kept, tuple(k for k, _ in query), tuple(v for _, v in query if v == "<n>")


@dataclass(frozen=True)
class Template:
    segments: tuple[str, ...]
    query: tuple[tuple[str, str], ...]
    urls: int  # distinct URLs seen
    headline_share: float  # share of them linked under a headline
    # Whether the number the shape names is each article's own: two URLs of the sample
    # with one number (a year ending two slugs) make it no id, and the slug names them.
    numbered: bool = True
    example: str = ""  # one of its URLs, as the site spells it

    def pattern(self) -> re.Pattern[str]:
        """A regex over `path?sorted-query` (crawler.sites.base.ArticleShape), whose
        group `id` is the article's number where the shape carries one."""
        parts = []
        id_index = self._id_segment() if self.numbered else None
        named = id_index is not None or not self.numbered
        for i, segment in enumerate(self.segments):
            ext_match = _EXTENSION.search(segment) if segment.startswith("<") else None
            ext = ext_match.group(1) if ext_match else ""
            kind = segment[: -len(ext)] if ext else segment
            number = r"(?P<id>\d+)" if i == id_index else r"\d+"
            regex = {
                "<n>": number,
                "<slug>-<n>": rf"[^/]*?-{number}",
                "<n>-<slug>": rf"{number}-[^/]+",
                "<slug>": r"[^/]+",
            }.get(kind)
            parts.append((regex + re.escape(ext)) if regex else re.escape(segment))
        path = "/" + "/".join(parts)
        if not self.query:
            return re.compile(rf"^{path}/?$", re.I)
        lookaheads = []
        for key, value in self.query:
            if value != "<n>":
                lookaheads.append(rf"(?=(?:[^#]*&)?{re.escape(key)}={re.escape(value)}(?:&|$))")
                continue
            number = r"\d+"
            if not named and key in _ID_KEYS:
                named = True
                number = r"(?P<id>\d+)"
            # Joomla's `id=12:slug`, its colon percent-encoded by canonicalization.
            lookaheads.append(
                rf"(?=(?:[^#]*&)?{re.escape(key)}={number}(?:(?::|%3a)[^&]*)?(?:&|$))"
            )
        return re.compile(rf"^{path}\?{''.join(lookaheads)}", re.I)

    def _id_segment(self) -> int | None:
        """Which path segment holds the article's own number: the last one when it is a
        number or a slug with one (not the day of a `/2023/07/11/` date), else a number
        after a segment naming an id (DotNetNuke's `/ArticleID/1234/`)."""
        kinds = [_EXTENSION.sub("", s) if s.startswith("<") else s for s in self.segments]
        if kinds and kinds[-1] in ("<slug>-<n>", "<n>-<slug>"):
            return len(kinds) - 1
        if kinds and kinds[-1] == "<n>" and (len(kinds) < 2 or kinds[-2] != "<n>"):
            return len(kinds) - 1
        after_key = [
            i for i in range(1, len(kinds)) if kinds[i] == "<n>" and kinds[i - 1] in _ID_KEYS
        ]
        return after_key[-1] if after_key else None

    def id_key(self) -> str | None:
        """The query key that holds the id, when the id is in the query."""
        if not self.numbered or self._id_segment() is not None:
            return None
        return next((k for k, v in self.query if v == "<n>" and k in _ID_KEYS), None)

    def address(self) -> str | None:
        """The path and query of the article with id `{id}`, when the id alone makes
        the URL (`/news/Pages/new.aspx?ItemID={id}`): no slug, no other number."""
        key = self.id_key()
        if key is None or any(s.startswith("<") for s in self.segments):
            return None
        if any(v == "<n>" and k != key for k, v in self.query):
            return None
        parts = urlsplit(self.example)
        query = "&".join(
            f"{k}={{id}}" if k.lower() == key else f"{k}={v}"
            for k, v in sorted(parse_qsl(parts.query), key=lambda kv: kv[0].lower())
        )
        return f"{parts.path}?{query}"


def templates(links: Iterable[Link]) -> list[Template]:
    """The URL templates among `links`, most URLs first."""
    by_skeleton: dict[tuple, dict[str, tuple]] = defaultdict(dict)
    headlines: Counter[str] = Counter()
    for link in links:
        segments, query = shape(link.url)
        by_skeleton[_skeleton(segments, query)][link.url] = (segments, query)
        if len(_WORDS.findall(link.text)) >= HEADLINE_WORDS:
            headlines[link.url] += 1
    found = []
    for urls in by_skeleton.values():
        segments, query = _generalized(list(urls.values()))
        headlined = sum(1 for url in urls if headlines[url])
        template = Template(
            segments, query, len(urls), headlined / len(urls), example=next(iter(urls))
        )
        if not _ids_name_pages(template, list(urls)):
            template = replace(template, numbered=False)
        found.append(template)
    return sorted(found, key=lambda t: -t.urls)


def _ids_name_pages(template: Template, urls: list[str]) -> bool:
    """Whether the number the template takes for an id names one page each: a number
    glued to a slug that two different slugs share (`...-nam-2023`) is a year. One id
    under two categories (`?CateID=1&ItemID=7`, `?CateID=2&ItemID=7`) is one article."""
    pattern = template.pattern()
    last_segment: dict[str, str] = {}
    for url in urls:
        match = pattern.search(target(url))
        found = match.groupdict().get("id") if match else None
        if found is None:
            continue
        last = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1].lower()
        if last_segment.setdefault(found, last) != last:
            return False
    return True


def target(url: str) -> str:
    """What an ArticleShape's pattern is matched against: the cleaned path and query."""
    parts = urlsplit(clean_url(url))
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def article_templates(links: Iterable[Link]) -> list[Template]:
    """Templates that look like articles: an id or a long slug in the URL, at least
    MIN_URLS URLs, most of them linked under a headline. To be confirmed by reading
    sample pages (the extractor's `is_article`)."""
    return [
        t for t in templates(links)
        if t.urls >= MIN_URLS and t.headline_share >= 0.5
        and (_has_id(t.segments, t.query) or any(s.startswith("<slug>") for s in t.segments))
    ]
