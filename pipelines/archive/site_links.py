"""Archives written before URLs were stored under the site's own origin: the fetched
page's URL, the images and the related links of every article and version named as a
crawl names them now (pipelines/stages/identity.py `on_site_origin`), so that an
archive crawled from a replica or mirror (`http://127.0.0.1:33193/...`) links to the
site. Run once, as a schema migration (schema.py)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, select

from crawler.sites import get_site
from crawler.sites.base import Site
from pipelines.archive.schema import article_versions, articles, raw_pages
from pipelines.stages.identity import on_site_origin, origin_of, with_site_links

# Rows read and rewritten at a time: an archive's versions hold every body.
CHUNK = 500


def rewrite_site_links(conn: Connection) -> None:
    """Rewrite, in place, the URLs of the pages fetched for the articles of registered
    sites, and the images and related links of those articles and their versions."""
    sites: dict[str, Site | None] = {}

    def site_of(name: str) -> Site | None:
        if name not in sites:
            try:
                sites[name] = get_site(name)
            except KeyError:  # a site no longer registered: its URLs are left as they are
                sites[name] = None
        return sites[name]

    # Each version with the page it was extracted from, whose origin is the copy crawled.
    versions = (
        select(article_versions.c.id, articles.c.site, raw_pages.c.id, raw_pages.c.url)
        .join(articles, articles.c.id == article_versions.c.article_id)
        .join(raw_pages, raw_pages.c.id == article_versions.c.raw_page_id)
        .order_by(article_versions.c.id)
    )
    pages: dict[int, tuple[str, Site]] = {}
    for chunk in _chunks(conn.execute(versions).all()):
        rows = [(vid, site, rid, url) for vid, name, rid, url in chunk if (site := site_of(name))]
        _rewrite_versions(conn, rows)
        pages.update((rid, (url, site)) for _vid, site, rid, url in rows)
    current = (
        select(articles.c.id, article_versions.c.raw_page_id)
        .join(
            article_versions,
            (article_versions.c.article_id == articles.c.id)
            & (article_versions.c.version == articles.c.current_version),
        )
        .where(article_versions.c.raw_page_id.is_not(None))
        .order_by(articles.c.id)
    )
    for chunk in _chunks(conn.execute(current).all()):
        _rewrite_articles(conn, [(aid, *pages[rid]) for aid, rid in chunk if rid in pages])
    # A page kept without a version (an exact re-post) was fetched from an origin that
    # the versions name the copy of one site.
    crawled: dict[tuple[str, str] | None, set[str]] = {}
    for url, site in pages.values():
        crawled.setdefault(origin_of(url), set()).add(site.name)
    for raw_id, url in conn.execute(select(raw_pages.c.id, raw_pages.c.url)).all():
        if raw_id in pages:
            site = pages[raw_id][1]
        else:
            names = crawled.get(origin_of(url), set())
            site = site_of(min(names)) if len(names) == 1 else None
        moved = on_site_origin(url, url, site) if site else url
        if moved != url:
            conn.execute(raw_pages.update().where(raw_pages.c.id == raw_id).values(url=moved))


def _rewrite_versions(conn: Connection, rows: Sequence[tuple[int, Site, int, str]]) -> None:
    by_id = {vid: (site, url) for vid, site, _rid, url in rows}
    stored = conn.execute(
        select(article_versions.c.id, article_versions.c.content).where(
            article_versions.c.id.in_(list(by_id))
        )
    ).all()
    for vid, content in stored:
        site, url = by_id[vid]
        moved = _moved(content, url, site)
        if moved:
            conn.execute(
                article_versions.update()
                .where(article_versions.c.id == vid)
                .values(content={**content, **moved})
            )


def _rewrite_articles(conn: Connection, rows: Sequence[tuple[int, str, Site]]) -> None:
    by_id = {aid: (url, site) for aid, url, site in rows}
    stored = conn.execute(
        select(articles.c.id, articles.c.images, articles.c.related).where(
            articles.c.id.in_(list(by_id))
        )
    ).all()
    for aid, images, related in stored:
        url, site = by_id[aid]
        moved = _moved({"images": images, "related": related}, url, site)
        if moved:
            conn.execute(articles.update().where(articles.c.id == aid).values(**moved))


def _moved(fields: dict[str, Any], page_url: str, site: Site) -> dict[str, Any] | None:
    """The images and related links of `fields` as the page fetched from `page_url`
    stores them now; None when that is how they are stored."""
    kept = {"images": fields.get("images"), "related": fields.get("related")}
    moved = with_site_links(kept, page_url, site)
    moved = {key: moved[key] for key in kept}
    return moved if moved != kept else None


def _chunks(rows: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]
