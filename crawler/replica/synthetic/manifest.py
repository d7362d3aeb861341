"""The synthetic site's manifest: every URL it answers and what each article holds, the
truth a crawl of the site is checked against."""

from __future__ import annotations

import json
from collections.abc import Iterator

from crawler.replica import render
from crawler.replica.synthetic.content import SITE, Article, SiteContent
from crawler.replica.synthetic.faults import HTML, PERMANENT
from crawler.replica.synthetic.rendering import ROBOTS_TYPE


def manifest_article(content: SiteContent, article: Article) -> dict:
    listed = [article.listed_url(c) for c in article.categories]
    final = article.final_url
    return {
        "id": article.id,
        "urls": listed if final in listed else [final],
        "linked_urls": [] if final in listed else listed,
        "category": content.categories[article.category].name,
        "title": article.title,
        "published": article.published.isoformat(),
        "author": article.author,
        "author_unit": article.author_unit,
        "author_line": article.author_line,
        "lead": article.lead,
        "captions": [i["caption"] for i in article.images if i["caption"]],
        "body_paragraphs": len(article.paragraphs),
        "tags": list(article.tags),
        "same_as": article.same_as,
        "near_duplicate_of": article.near_duplicate_of,
        "fault": article.fault,
        "servable": article.fault not in PERMANENT,
    }


def manifest_chunks(content: SiteContent) -> Iterator[bytes]:
    """The manifest as JSON, in pieces: at 50,000 articles it is tens of megabytes."""
    head = {
        "site": SITE.name,
        "snapshot": content.snapshot.isoformat(),
        "synthetic": {"n": content.n, "seed": content.seed, "faults": content.faults},
        "special": [
            {"kind": kind, "urls": [u for u in (first, second) if u]}
            for kind, first, second in content.specials
        ],
    }
    yield json.dumps(head, ensure_ascii=False)[:-1].encode()
    yield b', "pages": ['
    for k, page in enumerate(_pages(content)):
        yield (b",\n" if k else b"\n") + json.dumps(page, ensure_ascii=False).encode()
    yield b'\n], "articles": ['
    for i in range(content.n):
        entry = manifest_article(content, content.article(i))
        yield (b",\n" if i else b"\n") + json.dumps(entry, ensure_ascii=False).encode()
    yield b"\n]}\n"


def _pages(content: SiteContent) -> Iterator[dict]:
    yield {"url": "/", "kind": "home", "content_type": HTML}
    for slug in content.categories:
        for page in range(1, content.listing_pages(slug) + 1):
            url = render.listing_url(content.categories[slug].path, page)
            yield {
                "url": url,
                "kind": "listing",
                "content_type": HTML,
                "fault": content.fault_of(url),
            }
    for i in range(content.n):
        article = content.article(i)
        urls = {article.listed_url(c) for c in article.categories} | {article.final_url}
        for url in sorted(urls):
            yield {
                "url": url,
                "kind": "article",
                "content_type": HTML,
                "article_id": article.id,
                "fault": article.fault,
            }
    yield {"url": "/robots.txt", "kind": "robots", "content_type": ROBOTS_TYPE}
