"""extract_article: every layer in order, the first confident answer per field kept."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Final

from crawler.extract import author as authors
from crawler.extract.blocks import Block, image_src, linearize_scanning, linearize_with_spans
from crawler.extract.body import (
    Body,
    container_blocks,
    find_container,
    listing_shape,
    split_body,
)
from crawler.extract.classify import PageSignals, is_article
from crawler.extract.decode import utf8_html
from crawler.extract.dom import Element, absolute, drop, parse, strip_junk
from crawler.extract.metadata import Metadata, read_metadata
from crawler.extract.published import Published, as_printed, choose_published, printed_dates
from crawler.extract.related import dedupe, related_from_elements, related_from_headings
from crawler.extract.selectors import select
from crawler.extract.taxonomy import (
    LANDMARK_SCAN,
    Landmarks,
    breadcrumbs,
    find_category,
    find_tags,
    labelled_category,
    landmarks,
)
from crawler.extract.thresholds import THRESHOLDS as T
from crawler.extract.title import Title, find_title
from crawler.extract.walk import Spans
from crawler.model import empty_extraction
from crawler.sites import site_for_url
from crawler.sites.base import Layout, Site
from crawler.text.dates import DateMatch, calendar_shape, normalize_date, parse_date, search_dates
from crawler.text.normalize import clean_or_none, clean_text, nfc

log = logging.getLogger(__name__)


class _Auto:
    def __repr__(self) -> str:
        return "AUTO"


AUTO: Final = _Auto()
"""Default `site`: the site that owns the URL. Pass None for the generic layers only."""
SiteChoice = Site | _Auto | None

_PROSE_BLOCK = 60
_DATE_LINE_MAX = 120
_AUTHOR_REGION_AFTER = 10
_MENU_ENTRY_WORDS = 6


@dataclass
class Steps:
    """What one extraction read and decided, handed to a tracer (`--explain`) when one is
    given; the crawler's path never builds it."""

    layout: Layout | None
    meta: Metadata
    selected: dict[str, list[Element]]  # the layout's matches, by selector key
    marks: Landmarks
    crumbs: list[str]
    labelled: str | None
    blocks: list[Block]
    spans: Spans  # where each block-level element's blocks are
    container: Element | None
    body_start: int | None  # index of the container's first block of prose
    title: Title | None
    title_blocks: list[Block]  # the title selector's blocks
    selected_date: Published | None  # what the published selector read
    published: Published | None
    printed: list[tuple[float, Block, DateMatch]]  # date candidates, when no selector answered
    marked: authors.Byline | None  # from the author selector or a byline element
    signed: list[Block]  # the body's paragraphs before its signature was cut
    tail: authors.Byline | None
    byline: authors.Byline | None
    body: Body
    related_by_selector: bool
    signals: PageSignals
    fields: dict[str, Any]


Tracer = Callable[[Steps], None]


def extract_article(
    html: str | bytes,
    url: str,
    *,
    site: Site | _Auto | None = AUTO,
    layout: Layout | None = None,
    fetched_at: datetime | None = None,
    headers: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Raw article fields of one page; a page with nothing readable gives None fields.

    The site's selectors are those of `layout`, else of the site's layout in force at
    `fetched_at` (its newest when None): an archived page is read with its day's template.
    """
    return extract_traced(
        html, url, None, site=site, layout=layout, fetched_at=fetched_at, headers=headers
    )


def extract_traced(
    html: str | bytes,
    url: str,
    trace: Tracer | None,
    *,
    site: SiteChoice = AUTO,
    layout: Layout | None = None,
    fetched_at: datetime | None = None,
    headers: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """extract_article, handing `trace` the Steps of a page that had something to read."""
    if site is AUTO:
        site = site_for_url(url)
    if layout is None and isinstance(site, Site):
        layout = site.layout_at(fetched_at)
    try:
        return _extract(html, url, layout, headers, trace)
    except Exception:  # a crawler must survive any page; the log keeps the evidence
        log.exception("extraction failed for %s", url)
        return empty_extraction()


def _members(el: Element) -> set[Element]:
    return set(el.iter())


def _blocks_within(blocks: list[Block], el: Element | None) -> list[Block]:
    if el is None:
        return []
    members = _members(el)
    return [b for b in blocks if b.el in members or (b.image is not None and b.image in members)]


def _first(elements: list[Element]) -> Element | None:
    return elements[0] if elements else None


def _selected_published(el: Element | None) -> Published | None:
    if el is None:
        return None
    text = clean_text(el.text_content())
    matches = search_dates(text)
    if matches:
        with_time = [m for m in matches if m.has_time]
        match = (with_time or matches)[0]
        return Published(as_printed(match), match.iso, None)
    found = parse_date(text)
    return Published(text, found.iso, None) if found else None


def _meta_author(meta: Metadata) -> str | None:
    name = meta.author
    if not name or len(name) > 60:
        return None
    # A CMS account (`admin`, `Super User`) or the site's own name stands where no one signed.
    if authors.is_account(name) or "://" in name or (
        meta.site_name and name.casefold() == meta.site_name.casefold()
    ):
        return None
    return name


def _extract(
    html: str | bytes,
    url: str,
    layout: Layout | None,
    headers: Mapping[str, str] | None,
    trace: Tracer | None,
) -> dict[str, Any]:
    root = parse(utf8_html(html, headers) if isinstance(html, bytes) else nfc(html))
    if root is None:
        return empty_extraction()
    meta = read_metadata(root)
    base = absolute(url, meta.base_href) or url
    strip_junk(root)

    # Profile elements are looked up before its chrome is dropped: related links live there.
    p_related = select(root, layout, "related")
    related = related_from_elements(p_related, base)
    related_by_selector = bool(related)
    p_category = select(root, layout, "category")
    p_tags = select(root, layout, "tags")
    chrome = select(root, layout, "chrome")
    if chrome:
        # The landmarks are read before the chrome goes: a breadcrumb may sit in it.
        marks = landmarks(root)
        for el in chrome:
            drop(el)
        blocks, spans = linearize_with_spans(root)
    else:
        blocks, spans, scanned = linearize_scanning(root, LANDMARK_SCAN)
        marks = landmarks(root, scanned)
    crumbs = breadcrumbs(marks, p_category)
    labelled = labelled_category(marks)
    tags = find_tags(marks, p_tags, meta)
    p_title = _first(select(root, layout, "title"))
    p_published = _first(select(root, layout, "published"))
    p_lead = _first(select(root, layout, "lead"))
    p_body = _first(select(root, layout, "body"))
    p_author = _first(select(root, layout, "author"))
    p_captions = select(root, layout, "captions")
    p_images = select(root, layout, "images")

    if not any(b.text for b in blocks):
        return empty_extraction()

    container = p_body if p_body is not None else find_container(blocks, spans)
    in_container = container_blocks(blocks, spans, container) if container is not None else []
    prose = [
        b for b in in_container
        if len(b.text) >= T.min_paragraph_chars and b.link_density < T.prose_max_link_density
    ]
    body_start = prose[0].index if prose else None

    title: Title | None = None
    title_blocks = _blocks_within(blocks, p_title)
    if title_blocks:
        title = Title(" ".join(b.text for b in title_blocks if b.text), title_blocks[0])
    if title is None or not title.text:
        title = find_title(blocks, meta, body_start)
    title_block = title.block if title else None

    skip: set[int] = set()
    if title_block is not None:
        skip.update(b.index for b in title_blocks or [title_block])

    selected_date = _selected_published(p_published)
    published = selected_date
    printed: list[tuple[float, Block, DateMatch]] = []
    if published is None:
        anchor = title_block or (prose[0] if prose else None)
        declared_iso = normalize_date(meta.published) if meta.published else None
        context_year = int(declared_iso[:4]) if declared_iso else None
        printed = printed_dates(blocks, anchor, set(), context_year)
        published = choose_published(printed, meta.published, declared_iso)
    if published is not None and published.block is not None:
        skip.add(published.block.index)

    marked: authors.Byline | None = None
    if p_author is not None:
        text_ = clean_text(p_author.text_content())
        marked = authors.parse_byline(text_, styled=True) or authors.Byline(text_, None)
        skip.update(b.index for b in _blocks_within(blocks, p_author))
    if marked is None:
        region_start = title_block.index if title_block is not None else 0
        region_end = (in_container[-1].index if in_container else region_start) + 1
        region = blocks[region_start:region_end + _AUTHOR_REGION_AFTER]
        marked = authors.byline_from_elements([b for b in region if b.chrome is None])
        if marked is not None and marked.block is not None:
            skip.add(marked.block.index)

    lead_blocks = _blocks_within(blocks, p_lead)
    body = (
        split_body(
            blocks, spans, container, title_block, skip,
            lead_hint=lead_blocks[0] if lead_blocks else None,
            forced_captions={b.index for el in p_captions for b in _blocks_within(blocks, el)},
            inside=in_container,
        )
        if container is not None else Body()
    )
    signed = body.paragraphs
    tail, used = authors.byline_from_tail(signed)
    # The signature leaves the body: its own lines, and a name glued to the last paragraph.
    body.paragraphs = [
        replace(b, text=tail.rest) if tail is not None and tail.rest and b is tail.block else b
        for b in signed
        if b not in used
    ]
    # A byline element that names only a CMS account signs nothing: the body's end may.
    byline = marked
    if byline is None or not (byline.author or byline.unit or byline.source):
        byline = tail or byline
    if byline is not None:
        name, unit, source = byline.author, byline.unit, byline.source
    else:
        name, unit, source = _meta_author(meta), None, None

    if not related:
        related = related_from_headings(blocks, title_block.index if title_block else 0, base)

    lead_text = body.lead.text if body.lead is not None else None
    paragraphs = [b.text for b in body.paragraphs]
    body_text = "\n\n".join([lead_text, *paragraphs] if lead_text else paragraphs) or None

    images = _images(body, p_images, base)
    listing = listing_shape(blocks, spans, container)
    signals = PageSignals(
        url=url,
        title=title.text if title else None,
        prose_chars=len(body_text or ""),
        paragraphs=paragraphs,
        dated=published is not None,
        prose_blocks=sum(1 for p in ([lead_text] if lead_text else []) + paragraphs
                         if len(p) >= _PROSE_BLOCK),
        teaser_links=listing.teasers,
        free_prose=listing.free_prose,
        date_lines=_date_lines(in_container),
        declared_article=meta.is_article_type,
        title_in_menu=_title_in_menu(blocks, title),
    )
    fields = {
        "is_article": is_article(signals),
        "title": clean_or_none(title.text) if title else None,
        "published_raw": clean_or_none(published.raw) if published else None,
        "updated_raw": clean_or_none(meta.updated),
        "author": clean_or_none(name),
        "author_unit": clean_or_none(unit),
        "source": clean_or_none(source),
        "lead": lead_text,
        "body": body_text,
        "captions": [b.text for b in body.captions],
        "images": images,
        "category": find_category(crumbs, labelled, meta, title.text if title else None),
        "tags": tags,
        "related": dedupe(related, url),
    }
    if trace is not None:
        selected = {
            "title": [p_title] if p_title is not None else [],
            "published": [p_published] if p_published is not None else [],
            "lead": [p_lead] if p_lead is not None else [],
            "body": [p_body] if p_body is not None else [],
            "author": [p_author] if p_author is not None else [],
            "captions": p_captions, "images": p_images, "category": p_category,
            "tags": p_tags, "related": p_related,
        }  # fmt: skip
        trace(Steps(
            layout=layout, meta=meta, selected=selected, marks=marks, crumbs=crumbs, spans=spans,
            labelled=labelled, blocks=blocks, container=container, body_start=body_start,
            title=title, title_blocks=title_blocks, selected_date=selected_date,
            published=published, printed=printed, marked=marked, signed=signed, tail=tail,
            byline=byline, body=body,
            related_by_selector=related_by_selector, signals=signals, fields=fields,
        ))  # fmt: skip
    return fields


def _images(body: Body, selected_images: list[Element], base: str) -> list[dict[str, str | None]]:
    captions = {id(img): caption for img, caption in body.images}
    chosen = selected_images or [img for img, _ in body.images]
    result = []
    for img in chosen:
        src = absolute(base, image_src(img))
        if src:
            result.append({"src": src, "caption": captions.get(id(img))})
    return result


def _title_in_menu(blocks: list[Block], title: Title | None) -> bool:
    if title is None or len(title.text.split()) > _MENU_ENTRY_WORDS:
        return False
    wanted = title.text.casefold()
    return any(
        b.text.casefold() == wanted
        and b.link_density > T.menu_entry_min_link_density
        and (b.chrome is not None or b.header)
        for b in blocks
        if b is not title.block
    )


def _date_lines(in_container: list[Block]) -> int:
    return sum(
        1 for b in in_container
        if b.text and len(b.text) <= _DATE_LINE_MAX and calendar_shape(b.text)
        and search_dates(b.text)
    )
