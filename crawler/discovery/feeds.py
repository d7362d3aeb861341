"""RSS and Atom feeds: where a page links them, where sites usually keep them, and the
articles they list with their dates."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from lxml import etree

from crawler.discovery.sitemaps import Entry
from crawler.text.dates import normalize_date

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
# Where WordPress, Joomla, NukeViet and home-made portals serve a feed when no page says.
FEED_PATHS = ("/feed/", "/rss", "/rss.xml", "/feed.xml", "/atom.xml", "/index.php?format=feed")
_PARSER = etree.XMLParser(recover=True, huge_tree=True, resolve_entities=False, no_network=True)


@dataclass(frozen=True)
class FeedLink:
    url: str
    title: str | None


def feed_links(root: etree._Element, base: str) -> list[FeedLink]:
    """The feeds a page declares with `<link rel="alternate" type="...rss+xml">`."""
    found: list[FeedLink] = []
    for el in root.iter("link"):
        rel = (el.get("rel") or "").lower().split()
        kind = (el.get("type") or "").lower().strip()
        href = (el.get("href") or "").strip()
        if "alternate" in rel and kind in FEED_TYPES and href:
            url = urljoin(base, href)
            if all(f.url != url for f in found):
                found.append(FeedLink(url, (el.get("title") or "").strip() or None))
    return found


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _text(el: etree._Element, name: str) -> str | None:
    for child in el:
        if _local(child.tag) == name and child.text and child.text.strip():
            return child.text.strip()
    return None


def _atom_link(entry: etree._Element) -> str | None:
    links = [c for c in entry if _local(c.tag) == "link" and c.get("href")]
    for link in links:
        if (link.get("rel") or "alternate") == "alternate":
            return link.get("href", "").strip()
    return links[0].get("href", "").strip() if links else None


def read_feed(data: bytes, base: str) -> list[Entry]:
    """The articles an RSS 2.0, RSS 1.0 (RDF) or Atom feed lists, newest as the feed
    orders them, each with its date where the feed gives one; [] for anything else."""
    if not data.strip():
        return []
    try:
        root = etree.fromstring(data, parser=_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return []
    if root is None:
        return []
    entries: list[Entry] = []
    for el in root.iter():
        name = _local(el.tag)
        if name == "item":
            guid = _text(el, "guid")
            link = _text(el, "link") or (guid if guid and guid.startswith("http") else None)
            date = _text(el, "pubdate") or _text(el, "date")
        elif name == "entry":
            link = _atom_link(el)
            date = _text(el, "published") or _text(el, "updated")
        else:
            continue
        if link:
            iso = normalize_date(date) if date else None
            entries.append(Entry(urljoin(base, link), iso, _text(el, "title")))
    return entries
