"""A family site's manifest: every URL it answers and what it is (home, listing,
article, feed, sitemap, contact, robots), which listing pages can be followed, and what
each article holds: the truth discovery and extraction are checked against."""

from __future__ import annotations

import json
from collections.abc import Iterator

from crawler.replica.synthetic.families.base import Family
from crawler.replica.synthetic.families.feeds import RSS_TYPE, XML_TYPE
from crawler.replica.synthetic.faults import HTML, PERMANENT
from crawler.replica.synthetic.rendering import ROBOTS_TYPE


def manifest_chunks(family: Family) -> Iterator[bytes]:
    """The manifest as JSON, in pieces (tens of megabytes at 50,000 articles)."""
    content = family.content
    head = {
        "family": family.name,
        "snapshot": content.snapshot.isoformat(),
        "synthetic": {"n": content.n, "seed": content.seed, "faults": content.faults},
        "special": [
            {"kind": kind, "urls": [u for u in (first, second) if u]}
            for kind, first, second in content.specials
        ],
        "feeds": list(family.feed_urls.values()),
        "sitemap": family.sitemap_url,
        "listings": list(listings(family)),
    }
    yield json.dumps(head, ensure_ascii=False)[:-1].encode()
    yield b', "pages": ['
    for k, page in enumerate(pages(family)):
        yield (b",\n" if k else b"\n") + json.dumps(page, ensure_ascii=False).encode()
    yield b'\n], "articles": ['
    for i in range(content.n):
        entry = manifest_article(family, i)
        yield (b",\n" if i else b"\n") + json.dumps(entry, ensure_ascii=False).encode()
    yield b"\n]}\n"


def listings(family: Family) -> Iterator[dict]:
    """Each listing: its sections's name, its pages, and how many have an address."""
    slugs: list[str | None] = [s.slug for s in family.sections]
    if family.all_listing:
        slugs.append(None)
    for slug in slugs:
        pages = family.pages(slug)
        yield {
            "category": family.by_slug[slug].name if slug else None,
            "url": family.listing_url(slug, 1),
            "pages": pages,
            "followable_pages": sum(
                family.listing_url(slug, p) is not None for p in range(1, pages + 1)
            ),
        }


def manifest_article(family: Family, index: int) -> dict:
    article = family.content.article(index)
    listed, moved = family.article_url(article), family.moved_url(article)
    redirected = article.fault == "redirect"
    return {
        "id": article.id,
        "urls": [moved] if redirected else [listed],
        "linked_urls": [listed] if redirected else [],
        "category": family.section(article).name,
        "title": article.title,
        "published": article.published.isoformat(),
        "author": article.author,
        "author_unit": article.author_unit,
        "author_line": article.author_line,
        "source": article.source,
        "lead": article.lead,
        "captions": [i["caption"] for i in article.images if i["caption"]],
        "body_paragraphs": len(article.paragraphs),
        "tags": list(article.tags),
        "same_as": article.same_as,
        "near_duplicate_of": article.near_duplicate_of,
        "fault": article.fault,
        "servable": article.fault not in PERMANENT,
    }


def pages(family: Family) -> Iterator[dict]:
    content = family.content
    for url in family.home_urls:
        yield {"url": url, "kind": "home", "content_type": HTML}
    for entry in listings(family):
        slug = next((s.slug for s in family.sections if s.name == entry["category"]), None)
        first = family.listing_url(slug, 1)
        numbered = [(page, family.listing_url(slug, page)) for page in range(1, entry["pages"] + 1)]
        aliases = [(1, url) for url in family.listing_aliases(slug)]
        for page, url in [*numbered[:1], *aliases, *numbered[1:]]:
            if url is None:
                continue
            yield {
                "url": url,
                "kind": "listing",
                "category": entry["category"],
                "page": page,
                "followable": True,
                "content_type": HTML,
                "fault": content.fault_of(first if page == 1 else url),
            }
    for i in range(content.n):
        article = content.article(i)
        for url in sorted({family.article_url(article), family.moved_url(article)}):
            yield {
                "url": url,
                "kind": "article",
                "content_type": HTML,
                "article_id": article.id,
                "fault": article.fault,
            }
    for url in family.feed_urls.values():
        yield {"url": url, "kind": "feed", "content_type": RSS_TYPE}
    if family.sitemap_url:
        yield {"url": family.sitemap_url, "kind": "sitemap", "content_type": XML_TYPE}
    yield {"url": family.contact_url, "kind": "other", "content_type": HTML}
    yield {"url": family.documents_url, "kind": "other", "content_type": HTML}
    for url in sorted(family.document_files()):
        yield {"url": url, "kind": "file", "content_type": "application/pdf"}
    yield {"url": "/robots.txt", "kind": "robots", "content_type": ROBOTS_TYPE}
