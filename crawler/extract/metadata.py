"""Explicit metadata: JSON-LD, OpenGraph and article:* tags, <meta name>, microdata, <time>."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from crawler.extract.dom import Element
from crawler.extract.walk import collect
from crawler.text.normalize import clean_or_none, clean_text

_ARTICLE_TYPES = frozenset(
    t.lower() for t in (
        "NewsArticle", "Article", "BlogPosting", "ReportageNews", "AnalysisNewsArticle",
        "OpinionNewsArticle", "BackgroundNewsArticle", "ReviewNewsArticle", "Report",
        "ScholarlyArticle", "TechArticle", "LiveBlogPosting", "SocialMediaPosting",
    )
)
_PUBLISHED_NAMES = (
    "article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
    "publish-date", "publish_date", "article.published", "dc.date.issued", "dc.date.created",
    "dc.date", "dcterms.issued", "dcterms.created", "date", "created", "sailthru.date",
    "parsely-pub-date", "article:published", "published_time", "citation_publication_date",
)
_UPDATED_NAMES = (
    "article:modified_time", "og:updated_time", "datemodified", "lastmod", "last-modified",
    "dcterms.modified", "dc.date.modified", "article:modified", "modified_time", "revised",
)
_AUTHOR_NAMES = ("author", "article:author", "dc.creator", "byl", "sailthru.author", "creator")
_TITLE_NAMES = ("og:title", "twitter:title")
_DESCRIPTION_NAMES = ("og:description", "description")
# Every <meta> key read: the others (viewport, robots, keywords...) are skipped before their
# content is cleaned.
_META_KEYS = frozenset((
    *_PUBLISHED_NAMES, *_UPDATED_NAMES, *_AUTHOR_NAMES, *_TITLE_NAMES, *_DESCRIPTION_NAMES,
    "og:site_name", "og:type", "article:section", "article:tag",
))  # fmt: skip
# The elements read here, collected in one walk with those that carry an itemprop: lxml's
# walk with a tag filter goes over the whole page each time, even for the first <title>
# (its iterator looks ahead for the next).
_READ_TAGS = ("title", "script", "meta", "time", "base")
_JSON_COMMENTS = re.compile(r"^\s*(?:<!\[CDATA\[|<!--)|(?:\]\]>|-->)\s*$")
# One decoder for every page: json.loads with an option builds a decoder per call.
_JSON = json.JSONDecoder(strict=False)


@dataclass
class Metadata:
    title_tag: str | None = None
    og_title: str | None = None
    headline: str | None = None  # JSON-LD headline of an Article
    site_name: str | None = None
    description: str | None = None
    og_type: str | None = None
    published: str | None = None
    updated: str | None = None
    author: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    breadcrumb: list[str] = field(default_factory=list)
    is_article_type: bool = False  # JSON-LD or og:type says this page is an article
    base_href: str | None = None  # the first <base href>: where the page's links start from

    def titles(self) -> list[str]:
        return [t for t in (self.headline, self.og_title, self.title_tag) if t]


def _first(*values: Any) -> Any:
    for value in values:
        if value:
            return value
    return None


def _as_text(value: Any) -> str | None:
    if isinstance(value, str):
        return clean_or_none(value)
    if isinstance(value, dict):
        return _as_text(_first(value.get("name"), value.get("@value")))
    if isinstance(value, list):
        names = [n for n in (_as_text(v) for v in value) if n]
        return ", ".join(names) if names else None
    return None


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}


def _walk_jsonld(data: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            found.append(item)
            for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
                if isinstance(item.get(key), list | dict):
                    stack.append(item[key])
    return found


def _read_jsonld(scripts: list[Element], meta: Metadata) -> None:
    for script in scripts:
        kind = script.get("type")
        if not kind or "ld+json" not in kind.lower():
            continue
        text = script.text
        if not text:
            continue
        # The markers the pattern removes are rare: without them it would only scan.
        if "<!" in text or "]]>" in text or "-->" in text:
            text = _JSON_COMMENTS.sub("", text)
        try:
            data = _JSON.decode(text)
        except ValueError:
            continue
        for obj in _walk_jsonld(data):
            kinds = _types(obj)
            if kinds & _ARTICLE_TYPES:
                meta.is_article_type = True
                headline = _as_text(_first(obj.get("headline"), obj.get("name")))
                meta.headline = meta.headline or headline
                meta.published = meta.published or _as_text(obj.get("datePublished"))
                meta.updated = meta.updated or _as_text(obj.get("dateModified"))
                meta.author = meta.author or _as_text(obj.get("author"))
                meta.section = meta.section or _as_text(obj.get("articleSection"))
                meta.description = meta.description or _as_text(obj.get("description"))
                keywords = obj.get("keywords")
                if isinstance(keywords, str):
                    keywords = keywords.split(",")
                if isinstance(keywords, list) and not meta.tags:
                    meta.tags = [t for t in (_as_text(k) for k in keywords) if t]
            elif "breadcrumblist" in kinds and not meta.breadcrumb:
                items = obj.get("itemListElement")
                if isinstance(items, list):
                    items = sorted(
                        (i for i in items if isinstance(i, dict)),
                        key=lambda i: i.get("position") if isinstance(i.get("position"), int)
                        else 0,
                    )
                    names = [_as_text(_first(i.get("name"), i.get("item"))) for i in items]
                    meta.breadcrumb = [n for n in names if n and "://" not in n]
            elif kinds & {"website", "organization", "newsmediaorganization"}:
                meta.site_name = meta.site_name or _as_text(obj.get("name"))


def _read_meta_tags(metas: list[Element], meta: Metadata) -> None:
    keyed: dict[str, list[Element]] = {}
    for el in metas:
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        if key in _META_KEYS:
            keyed.setdefault(key, []).append(el)

    # A key's value is the first of its contents that is not blank once cleaned; contents
    # are cleaned only when asked for, and most are not (a name the JSON-LD already gave,
    # twitter:title behind og:title).
    def value(*keys: str) -> str | None:
        for key in keys:
            for el in keyed.get(key, ()):
                if content := clean_text(el.get("content")):
                    return content
        return None

    meta.og_title = value(*_TITLE_NAMES)
    meta.site_name = meta.site_name or value("og:site_name")
    meta.description = meta.description or value(*_DESCRIPTION_NAMES)
    meta.og_type = value("og:type")
    if meta.og_type and meta.og_type.lower() == "article":
        meta.is_article_type = True
    meta.published = meta.published or value(*_PUBLISHED_NAMES)
    meta.updated = meta.updated or value(*_UPDATED_NAMES)
    author = value(*_AUTHOR_NAMES)
    if author and "://" not in author:
        meta.author = meta.author or author
    meta.section = meta.section or value("article:section")
    if not meta.tags:
        tags = (clean_text(el.get("content")) for el in keyed.get("article:tag", ()))
        meta.tags = [tag for tag in tags if tag]


def _read_microdata(props: list[tuple[Element, str]], meta: Metadata) -> None:
    if meta.published and meta.updated and meta.author:
        return
    for el, prop in props:
        prop = prop.strip().lower()
        if prop not in ("datepublished", "datemodified", "author", "headline"):
            continue
        value = clean_text(el.get("content") or el.get("datetime") or el.text_content())
        if not value:
            continue
        if prop == "datepublished":
            meta.published = meta.published or value
        elif prop == "datemodified":
            meta.updated = meta.updated or value
        elif prop == "author":
            meta.author = meta.author or value
        elif prop == "headline" and el.tag != "meta":
            meta.headline = meta.headline or value


def _read_time(times: list[Element], meta: Metadata) -> None:
    if meta.published:
        return
    for el in times:
        if el.get("pubdate") is not None or "publish" in (el.get("class") or "").lower():
            meta.published = clean_or_none(el.get("datetime"))
            if meta.published:
                return


def read_metadata(root: Element) -> Metadata:
    """Everything the page declares about itself; call before scripts are stripped."""
    meta = Metadata()
    tagged, props = collect(root, _READ_TAGS, "itemprop")
    found = dict(zip(_READ_TAGS, tagged, strict=True))
    # The first <title> under the root, as `root.find(".//title")` would give it.
    title = next((el for el in found["title"] if el is not root), None)
    if title is not None:
        # A <title> without children (nearly every one) holds only text nodes, which .text
        # joins as text_content() would, without the XPath evaluation that one runs.
        meta.title_tag = clean_or_none(title.text_content() if len(title) else title.text)
    _read_jsonld(found["script"], meta)
    _read_meta_tags(found["meta"], meta)
    _read_microdata(props, meta)
    _read_time(found["time"], meta)
    meta.base_href = next(
        (href for el in found["base"] if el is not root and (href := el.get("href")) is not None),
        None,
    )
    return meta
