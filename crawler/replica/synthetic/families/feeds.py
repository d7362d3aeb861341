"""RSS 2.0 feeds and XML sitemaps, as the families publish them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape

from crawler.replica.synthetic.content import Article

RSS_TYPE = "application/rss+xml; charset=UTF-8"
XML_TYPE = "application/xml; charset=utf-8"


def rss(
    base_url: str,
    title: str,
    link: str,
    items: Iterable[tuple[str, Article, str]],
    built: datetime,
) -> bytes:
    """A channel of (url, article, creator) items; URLs absolute, dates RFC 822 in +07:00."""
    rows = []
    for url, article, creator in items:
        creator_line = f"<dc:creator><![CDATA[{creator}]]></dc:creator>" if creator else ""
        rows.append(
            "<item>"
            f"<title>{escape(article.title)}</title>"
            f"<link>{escape(base_url + url)}</link>"
            f"{creator_line}"
            f"<pubDate>{format_datetime(article.published)}</pubDate>"
            f'<guid isPermaLink="true">{escape(base_url + url)}</guid>'
            f"<description><![CDATA[{article.lead}]]></description>"
            "</item>"
        )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n'
        f"<title>{escape(title)}</title>\n<link>{escape(base_url + link)}</link>\n"
        "<description>Tin mới nhất</description>\n<language>vi</language>\n"
        f"<lastBuildDate>{format_datetime(built)}</lastBuildDate>\n"
        + "\n".join(rows)
        + "\n</channel>\n</rss>\n"
    )
    return body.encode()


def sitemap(base_url: str, entries: Iterable[tuple[str, datetime | None]]) -> bytes:
    """A urlset of (url, lastmod) entries."""
    rows = [
        f"<url><loc>{escape(base_url + url)}</loc>"
        + (f"<lastmod>{when.isoformat()}</lastmod>" if when else "")
        + "</url>"
        for url, when in entries
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(rows)
        + "\n</urlset>\n"
    ).encode()
