"""robots.txt `Sitemap:` lines, sitemaps and sitemap indexes (news sitemaps with their
dates), read with lxml whatever their namespaces, gzipped or not."""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass, field

from lxml import etree

from crawler.text.dates import normalize_date

# The places a site without `Sitemap:` lines keeps them, in the order sites use them.
SITEMAP_PATHS = ("/sitemap.xml", "/sitemap_index.xml", "/sitemap-index.xml", "/sitemaps.xml")
# A sitemap bigger than this is no sitemap (the protocol caps one file at 50 MB).
_MAX_BYTES = 60 * 1024 * 1024
_PARSER = etree.XMLParser(recover=True, huge_tree=True, resolve_entities=False, no_network=True)


@dataclass(frozen=True)
class Entry:
    url: str
    modified: str | None = None  # ISO 8601, from <lastmod> or <news:publication_date>
    title: str | None = None  # <news:title>


@dataclass
class Sitemap:
    entries: list[Entry] = field(default_factory=list)
    children: list[Entry] = field(default_factory=list)  # the sitemaps an index lists


def sitemaps_in_robots(text: str) -> list[str]:
    """The URLs of the `Sitemap:` lines of a robots.txt, in order, each once."""
    found: list[str] = []
    for line in text.splitlines():
        key, _, value = line.partition(":")
        value = value.strip()
        if key.strip().lower() == "sitemap" and value and value not in found:
            found.append(value)
    return found


def _unzipped(data: bytes) -> bytes:
    if not data.startswith(b"\x1f\x8b"):
        return data
    # Bounded: a gzip bomb served as a sitemap stops at the cap.
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        return inflater.decompress(data, _MAX_BYTES)
    except (zlib.error, gzip.BadGzipFile):
        return b""


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child_text(el: etree._Element, name: str) -> str | None:
    for child in el.iter():
        if _local(child.tag) == name and child.text and child.text.strip():
            return child.text.strip()
    return None


def read_sitemap(data: bytes) -> Sitemap:
    """The pages of a `<urlset>` (with their dates) or the sitemaps of a
    `<sitemapindex>`; an empty Sitemap for anything else."""
    data = _unzipped(data)
    found = Sitemap()
    if not data.strip():
        return found
    try:
        root = etree.fromstring(data, parser=_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return found
    if root is None:
        return found
    kind = _local(root.tag)
    for el in root:
        name = _local(el.tag)
        loc = _child_text(el, "loc")
        if not loc:
            continue
        date = _child_text(el, "publication_date") or _child_text(el, "lastmod")
        iso = normalize_date(date) if date else None
        if kind == "sitemapindex" and name == "sitemap":
            found.children.append(Entry(loc, iso))
        elif kind == "urlset" and name == "url":
            found.entries.append(Entry(loc, iso, _child_text(el, "title")))
    return found
