"""Why each field came out as it did: the layer that answered (site selector, JSON-LD,
meta tag, microdata, heuristic or none), its rule, the element it read, and the runner-up
candidates with their scores where the layer chose among several.

The fields are extract_article's own: the extraction runs once with a tracer that keeps
its intermediate steps (the crawler's path passes none). Runner-ups are worked out here,
only when asked, by calling the same public steps again.
"""

from __future__ import annotations

from collections.abc import Mapping
from copy import deepcopy
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any

from lxml import etree

from crawler.extract import author as authors
from crawler.extract.article import AUTO, SiteChoice, Steps, extract_traced
from crawler.extract.blocks import Block, image_src
from crawler.extract.body import body_parts, container_candidates, is_related_heading
from crawler.extract.decode import decode_html
from crawler.extract.dom import Element, parse, tag_of
from crawler.extract.metadata import Metadata, read_metadata
from crawler.extract.patterns import SITE_TITLE_SEPARATORS
from crawler.extract.published import as_printed
from crawler.extract.taxonomy import Landmarks, find_category, find_tags
from crawler.extract.title import find_title
from crawler.sites import site_for_url
from crawler.sites.base import Layout, Site
from crawler.text.dates import normalize_date
from crawler.text.names import MAX_NAME_WORDS, MIN_NAME_WORDS
from crawler.text.normalize import clean_text, nfc, token_f1

FIELDS = (
    "title", "published", "author", "author_unit", "source", "lead", "body", "captions",
    "images", "category", "tags", "related", "is_article",
)  # fmt: skip
SELECTOR, HEURISTIC, NONE = "site selector", "heuristic", "none"
JSON_LD, META_TAG, MICRODATA = "JSON-LD", "meta tag", "microdata"
_TEXT_MAX = 70
_PATH_DEPTH = 3
_RUNNER_UPS = 5
_TAIL_LINES = 4
_NO_MARKS = Landmarks([], [], [], [])


@dataclass
class Evidence:
    """An element as a reader finds it in the page: a short CSS-like path and its text."""

    path: str
    text: str


@dataclass
class Candidate:
    text: str
    path: str
    scores: dict[str, Any]
    chosen: bool = False


@dataclass
class Why:
    layer: str
    rule: str
    element: Evidence | None = None
    candidates: list[Candidate] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Explanation:
    url: str
    site: str | None
    layout: str | None
    fields: dict[str, Any]  # exactly extract_article's
    why: dict[str, Why]

    def as_json(self) -> dict[str, Any]:
        return {
            "url": self.url, "site": self.site, "layout": self.layout, "fields": self.fields,
            "explain": {name: asdict(why) for name, why in self.why.items()},
        }  # fmt: skip


def explain_article(
    html: str | bytes,
    url: str,
    *,
    site: SiteChoice = AUTO,
    layout: Layout | None = None,
    fetched_at: datetime | None = None,
    headers: Mapping[str, str] | None = None,
) -> Explanation:
    """extract_article's fields of the page, and why each came out so."""
    if site is AUTO:
        site = site_for_url(url)
    traced: list[Steps] = []
    fields = extract_traced(
        html, url, traced.append, site=site, layout=layout, fetched_at=fetched_at,
        headers=headers,
    )  # fmt: skip
    site_name = site.name if isinstance(site, Site) else None
    if not traced:
        rule = "nothing readable on the page (or the extraction failed: see the log)"
        nothing = {name: Why(NONE, rule) for name in FIELDS}
        return Explanation(url, site_name, layout.name if layout else None, fields, nothing)
    steps = traced[0]
    text = decode_html(html, headers) if isinstance(html, bytes) else nfc(html)
    declared = _declared_by(parse(text))
    why = {
        "title": _title(steps, declared),
        "published": _published(steps, declared),
        **_byline(steps, declared),
        "lead": _lead(steps),
        "body": _body(steps),
        "captions": _captions(steps),
        "images": _images(steps),
        "category": _category(steps, declared),
        "tags": _tags(steps, declared),
        "related": _related(steps),
        "is_article": _is_article(steps),
    }
    name = steps.layout.name if steps.layout else None
    return Explanation(url, site_name, name, fields, why)


# --- elements ------------------------------------------------------------------------


def css_path(el: Element, depth: int = _PATH_DEPTH) -> str:
    """`div#main > div.news-detail > h1.title`: the element and its nearest ancestors."""
    parts: list[str] = []
    node: Element | None = el
    while node is not None and len(parts) < depth:
        tag = tag_of(node)
        if tag in ("html", "body") and parts:
            break
        ident = (node.get("id") or "").split()
        classes = (node.get("class") or "").split()[:2]
        parts.append(tag + "".join(f"#{i}" for i in ident[:1]) + "".join(f".{c}" for c in classes))
        node = node.getparent()
    return " > ".join(reversed(parts))


def _short(text: str | None) -> str:
    text = clean_text(text or "")
    return text if len(text) <= _TEXT_MAX else text[: _TEXT_MAX - 1] + "…"


def _of_element(el: Element) -> Evidence:
    text = image_src(el) if tag_of(el) == "img" else el.text_content()
    return Evidence(css_path(el), _short(text))


def _of_block(block: Block) -> Evidence:
    el = block.image if block.image is not None else block.el
    return Evidence(css_path(el), _short(block.text))


def _selector(steps: Steps, key: str) -> str:
    selector = steps.layout.selectors.get(key) if steps.layout is not None else None
    return f"{key} = {selector!r}" if selector else f"no {key} selector"


def _unmatched(steps: Steps, key: str) -> list[str]:
    """A note when the layout has a selector for `key` that did not answer."""
    if steps.layout is None or steps.layout.selectors.get(key) is None:
        return []
    found = "matched nothing" if not steps.selected[key] else "matched, gave nothing usable"
    return [f"site selector {_selector(steps, key)} {found}: the generic layers answered"]


# --- declared metadata ---------------------------------------------------------------

# The JSON-LD key of each metadata value, to name it.
_JSON_LD_KEYS = {
    "headline": "headline", "published": "datePublished", "updated": "dateModified",
    "author": "author", "section": "articleSection", "tags": "keywords",
    "breadcrumb": "BreadcrumbList", "is_article_type": "@type",
}  # fmt: skip


@dataclass
class _Declared:
    """Which layer declared each metadata value, and where in the page it is."""

    root: Element | None
    layers: dict[str, str]

    def layer(self, name: str) -> str:
        return self.layers.get(name, META_TAG)

    def where(self, name: str, value: Any) -> Evidence | None:
        """The element that declares `value` for the Metadata attribute `name`."""
        wanted = value[0] if isinstance(value, list) and value else value
        if self.root is None or not isinstance(wanted, str):
            return None
        layer = self.layer(name)
        if layer == JSON_LD:
            key = _JSON_LD_KEYS.get(name, name)
            return Evidence(f'script[type="application/ld+json"] {key}', _short(wanted))
        for el in self.root.iter("*"):
            if layer == META_TAG and el.tag in ("meta", "title"):
                found = el.get("content") if el.tag == "meta" else el.text_content()
            elif layer == MICRODATA and (el.get("itemprop") or el.tag == "time"):
                found = el.get("content") or el.get("datetime") or el.text_content()
            else:
                continue
            if clean_text(found) == wanted:
                return Evidence(_declaring_path(el), _short(wanted))
        return None


def _declaring_path(el: Element) -> str:
    if el.tag == "meta":
        attr = next((a for a in ("property", "name", "itemprop") if el.get(a)), "name")
        return f'meta[{attr}="{el.get(attr)}"]'
    prop = el.get("itemprop")
    return css_path(el) + (f'[itemprop="{prop}"]' if prop else "")


def _declared_by(root: Element | None) -> _Declared:
    """read_metadata trusts JSON-LD, then meta tags, then microdata, then <time pubdate>:
    it reads copies of the page that keep the first layer only, the first two, the first
    three; the first copy to hold a value names the layer that declared it."""
    if root is None:
        return _Declared(None, {})
    json_ld, with_meta, with_micro = deepcopy(root), deepcopy(root), deepcopy(root)
    for copy in (json_ld, with_meta, with_micro):
        etree.strip_elements(copy, "time", with_tail=False)
    etree.strip_elements(json_ld, "meta", with_tail=False)
    for copy in (json_ld, with_meta):
        for el in copy.iter("*"):
            if el.tag != "meta" and "itemprop" in el.attrib:
                del el.attrib["itemprop"]
    reads = [(layer, read_metadata(copy)) for layer, copy in (
        (JSON_LD, json_ld), (META_TAG, with_meta), (MICRODATA, with_micro),
        (MICRODATA, root),  # <time pubdate>: the page's own semantic markup
    )]  # fmt: skip
    layers = {"og_title": META_TAG, "title_tag": META_TAG}
    for name in _JSON_LD_KEYS:
        layer = next((layer for layer, meta in reads if getattr(meta, name)), None)
        if layer is not None:
            layers[name] = layer
    return _Declared(root, layers)


# --- title ---------------------------------------------------------------------------


def _declared_titles(meta: Metadata) -> list[tuple[str, str]]:
    """(label, text) of every declared title and of the <title>'s parts."""
    titles = [("JSON-LD headline", meta.headline), ("og:title", meta.og_title),
              ("<title>", meta.title_tag)]  # fmt: skip
    if meta.title_tag:
        titles += [("<title> part", p) for p in SITE_TITLE_SEPARATORS.split(meta.title_tag)]
    return [(label, text) for label, text in titles if text]


def _title_scores(block: Block, steps: Steps) -> dict[str, Any]:
    """The best token F1 of the block against a declared title (and which), its tag and
    how many blocks above the body's first paragraph it stands."""
    scored = [(token_f1(text, block.text), label) for label, text in _declared_titles(steps.meta)]
    f1, against = max(scored, default=(0.0, "no declared title"))
    above = steps.body_start - block.index if steps.body_start is not None else None
    return {"f1": round(f1, 2), "vs": against, "tag": tag_of(block.el), "above_body": above}


def _title_rule(blocks: list[Block], block: Block, meta: Metadata) -> str:
    # Without the body's start only the match with the declared title can pick a heading.
    matched = find_title(blocks, meta, None)
    if matched is not None and matched.block is block:
        return "printed title matching the declared one"
    return "heading nearest above the body's first paragraph"


def _title_candidates(steps: Steps) -> list[Candidate]:
    """find_title's choices in turn (each one's block is blanked out and it is asked
    again), then the headings it never chose."""
    blocks = list(steps.blocks)
    chosen = steps.title.block if steps.title else None
    found: list[Candidate] = []
    shown: set[int] = set()
    while len(found) < _RUNNER_UPS:
        title = find_title(blocks, steps.meta, steps.body_start)
        if title is None:
            break
        if title.block is None:
            rule = {"rule": "declared title, printed nowhere"}
            found.append(Candidate(_short(title.text), "(not printed)", rule, chosen is None))
            break
        block = title.block
        scores = {**_title_scores(block, steps), "rule": _title_rule(blocks, block, steps.meta)}
        found.append(Candidate(_short(block.text), css_path(block.el), scores, block is chosen))
        blocks[block.index] = replace(block, text="")
        shown.add(block.index)
    return found + _unchosen_headings(steps, shown)


def _unchosen_headings(steps: Steps, shown: set[int]) -> list[Candidate]:
    """The headings no rule chose, best matches first, with what may rule them out."""
    below = steps.body_start if steps.body_start is not None else len(steps.blocks)
    rest = []
    for block in steps.blocks:
        if not (block.heading or block.emphasized) or not block.text or block.index in shown:
            continue
        flags = (
            ("in the site header", block.header),
            ("in a menu or sidebar", block.chrome is not None),
            ("below the body's start", block.index > below),
        )
        why = ", ".join(flag for flag, on in flags if on) or (
            "matches no declared title well enough, not the nearest heading above the body"
        )
        scores = {**_title_scores(block, steps), "rule": f"never chosen: {why}"}
        rest.append(Candidate(_short(block.text), css_path(block.el), scores))
    rest.sort(key=lambda c: -c.scores["f1"])
    return rest[:_RUNNER_UPS]


def _title(steps: Steps, declared: _Declared) -> Why:
    title, meta = steps.title, steps.meta
    candidates = _title_candidates(steps)
    if title is None:
        return Why(NONE, "no heading, no declared title", candidates=candidates)
    if steps.title_blocks and title.block is steps.title_blocks[0]:
        alone = candidates[0] if candidates else None
        note = (
            "the heuristic alone would find no title" if alone is None
            else "the heuristic alone would choose the same" if alone.chosen
            else f"the heuristic alone would choose {alone.text!r}"
        )
        return Why(SELECTOR, _selector(steps, "title"), _of_element(steps.selected["title"][0]),
                   candidates, [note])  # fmt: skip
    notes = _unmatched(steps, "title")
    if title.block is None:
        name = "headline" if meta.headline else "og_title" if meta.og_title else "title_tag"
        label = {"headline": "headline", "og_title": "og:title"}.get(name, "<title>")
        rule = f"declared {label}, printed nowhere on the page (site name cut off)"
        element = declared.where(name, getattr(meta, name))
        return Why(declared.layer(name), rule, element, candidates, notes)
    scores = _title_scores(title.block, steps)
    rule = f"{candidates[0].scores['rule']} ({scores['vs']}, token F1 {scores['f1']:.2f})"
    return Why(HEURISTIC, rule, _of_block(title.block), candidates, notes)


# --- published -----------------------------------------------------------------------

_DATE_ORDER = (
    "candidates: dates on short meta lines, best first: in an element named for the date "
    "(date, ngay, time, thoi-gian...) beside the title, then by distance to the title in "
    "characters (twice above it, +300 without a time); header today-lines, dates in lists "
    "of other articles and event dates in sentences never count"
)


def _published(steps: Steps, declared: _Declared) -> Why:
    published, meta = steps.published, steps.meta
    if steps.selected_date is not None:
        return Why(SELECTOR, _selector(steps, "published"),
                   _of_element(steps.selected["published"][0]))  # fmt: skip
    candidates = [
        Candidate(
            as_printed(match), css_path(block.el),
            {"distance": round(distance), "time": match.has_time, "iso": match.iso},
            published is not None and block is published.block,
        )
        for distance, block, match in steps.printed[:_RUNNER_UPS + 1]
    ]
    notes = [*_unmatched(steps, "published"), _DATE_ORDER]
    if published is not None and published.raw not in (meta.published, *(
        c.text for c in candidates if c.chosen
    )):  # fmt: skip
        notes.append(f"{published.raw!r}: the printed line's machine-readable time")
    declared_iso = normalize_date(meta.published) if meta.published else None
    layer, where = declared.layer("published"), declared.where("published", meta.published)
    if meta.published:
        at = f" at {where.path}" if where else ""
        notes.append(f"declared ({layer}{at}): {meta.published} -> {declared_iso or 'unreadable'}")
    if published is None:
        return Why(NONE, "no date on a meta line, none declared", None, candidates, notes)
    if declared_iso is None:
        rule = "the first candidate (no declared date to check it against)"
        return Why(HEURISTIC, rule, _of_block(published.block), candidates, notes)
    if published.block is None:
        rule = f"declared date ({layer}): no printed candidate on its day"
        return Why(layer, rule, where, candidates, notes)
    if published.raw == meta.published:
        rule = f"declared date ({layer}): more precise than the printed one of its day"
        return Why(layer, rule, where, candidates, notes)
    rule = f"the first candidate on the day the declared date ({layer}) names"
    return Why(HEURISTIC, rule, _of_block(published.block), candidates, notes)


# --- author, unit, source ------------------------------------------------------------


def _not_signature(text: str) -> str:
    words = len(text.split())
    if not MIN_NAME_WORDS <= words <= MAX_NAME_WORDS:
        return f"{words} words, a name has {MIN_NAME_WORDS}-{MAX_NAME_WORDS}; no unit nor credit"
    if not authors.is_person(text):
        return "words not all capitalised, or it opens like an organisation; no unit nor credit"
    return "a name, but not set apart as a signature"


def _reading(text: str) -> str:
    """How a line set apart (bold, in a byline element, ending the body) reads as a byline."""
    found = authors.parse_byline(text, styled=True)
    if found is None:
        return "not a signature: " + _not_signature(clean_text(text))
    if not (found.author or found.unit or found.source):
        return "a CMS account (Người đăng:, admin...): signs nothing"
    named = (("author", found.author), ("unit", found.unit), ("source", found.source))
    return ", ".join(f"{role} {value!r}" for role, value in named if value)


def _signature_lines(steps: Steps) -> list[Candidate]:
    """The lines the signature is looked for in, the body's last ones, and their reading."""
    tail, used = authors.byline_from_tail(steps.signed)
    return [
        Candidate(
            _short(b.text), css_path(b.el), {"read as": _reading(b.text)},
            b in used or (tail is not None and b is tail.block),
        )
        for b in steps.signed[-_TAIL_LINES:]
    ]


def _author(steps: Steps, declared: _Declared) -> Why:
    byline, marked, tail = steps.byline, steps.marked, steps.tail
    lines = _signature_lines(steps)
    notes = []
    if marked is not None and byline is not marked:
        where = f" ({css_path(marked.block.el)})" if marked.block is not None else ""
        notes.append(f"the byline element{where} names only a CMS account: the body's end signs")
    if byline is not None and byline is marked and steps.selected["author"]:
        el = steps.selected["author"][0]
        notes.append(f"read as: {_reading(el.text_content())}")
        return Why(SELECTOR, _selector(steps, "author"), _of_element(el), lines, notes)
    notes += _unmatched(steps, "author")
    if byline is not None and byline is marked:
        rule = (
            "a byline element (class author, byline, tacgia...) or a labelled line "
            "(Tác giả:, Nguồn tin:) in the article"
        )
        element = _of_block(marked.block) if marked.block is not None else None
        return Why(HEURISTIC, rule, element, lines, notes)
    if byline is not None and byline is tail:
        glued = tail.rest is not None
        rule = "the signature glued to the end of the last paragraph" if glued else (
            "the signature ending the body, its last lines read bottom-up"
        )
        element = _of_block(tail.block) if tail.block is not None else None
        return Why(HEURISTIC, rule, element, lines, notes)
    if steps.fields["author"]:
        layer, where = declared.layer("author"), declared.where("author", steps.meta.author)
        return Why(layer, f"declared author ({layer}): no byline printed", where, lines, notes)
    if steps.meta.author:
        notes.append(
            f"declared author {steps.meta.author!r} refused: a CMS account, a URL, the site's "
            "name or over 60 characters"
        )
    rule = "no byline element, no signature ending the body, no usable declared author"
    return Why(NONE, rule, None, lines, notes)


def _byline(steps: Steps, declared: _Declared) -> dict[str, Why]:
    """author, author_unit and source: one byline answers all three; the lines read for a
    signature go with the author."""
    byline = _author(steps, declared)
    found = {}
    for name, label in (("author", "author"), ("author_unit", "unit"), ("source", "source")):
        lines = byline.candidates if name == "author" else []
        if steps.fields[name] is not None or byline.layer == NONE:
            notes = byline.notes if name == "author" else ["from the author's byline"]
            found[name] = Why(byline.layer, byline.rule, byline.element, lines, notes)
        else:
            at = f" at {byline.element.path}" if byline.element else ""
            notes = [f"byline: {byline.layer}, {byline.rule}{at}", *byline.notes]
            found[name] = Why(NONE, f"the byline names no {label}", None, lines, notes)
    return found


# --- lead, body, captions, images ----------------------------------------------------


def _lead(steps: Steps) -> Why:
    body = steps.body
    if body.lead is not None and body.lead_rule == SELECTOR:
        return Why(SELECTOR, _selector(steps, "lead"), _of_block(body.lead))
    notes = _unmatched(steps, "lead")
    if body.lead is None:
        rule = (
            "no sapo: none classed so near the title, no bold first paragraph, no block of "
            "prose of its own between the title and the body"
        )
        return Why(NONE, rule, notes=notes)
    return Why(HEURISTIC, body.lead_rule or "", _of_block(body.lead), notes=notes)


def _body(steps: Steps) -> Why:
    container, body = steps.container, steps.body
    if container is None:
        return Why(NONE, "no element holds prose", notes=_unmatched(steps, "body"))
    scored = sorted(
        container_candidates(steps.blocks, steps.spans), key=lambda c: c.score, reverse=True
    )
    candidates = [
        Candidate(
            _short(c.el.text_content()), css_path(c.el),
            {"score": round(c.score, 1), "prose": round(c.prose, 1), "chars": c.chars,
             "link_density": round(c.link_density, 2), "class_weight": c.weight},
            c.el is container,
        )
        for c in scored[:_RUNNER_UPS]
    ]  # fmt: skip
    count = len(body.paragraphs) + (body.lead is not None)
    notes = [f"{count} paragraphs, {len(steps.fields['body'] or '')} characters"]
    parts = [
        part for part in body_parts(steps.blocks, steps.spans, container) if part is not container
    ]
    if parts:
        notes.append("read beside it: " + ", ".join(css_path(p, 2) for p in parts[:_RUNNER_UPS]))
    if cut := len(steps.signed) - len(body.paragraphs):
        notes.append(f"{cut} signature line(s) cut from its end: see author")
    if steps.selected["body"]:
        return Why(SELECTOR, _selector(steps, "body"), _of_element(container), candidates, notes)
    rule = (
        "the element whose paragraphs carry the most prose and fewest links: "
        "score = prose x (1 - link density) x class weight"
    )
    notes += _unmatched(steps, "body")
    return Why(HEURISTIC, rule, _of_element(container), candidates, notes)


def _captions(steps: Steps) -> Why:
    body = steps.body
    if not body.captions:
        rule = "no short line in a caption element or under an image"
        return Why(NONE, rule, notes=_unmatched(steps, "captions"))
    rules = [body.caption_rules[b.index] for b in body.captions]
    candidates = [
        Candidate(_short(b.text), css_path(b.el), {"rule": rule}, True)
        for b, rule in zip(body.captions, rules, strict=True)
    ]
    if set(rules) == {SELECTOR}:
        return Why(SELECTOR, _selector(steps, "captions"), _of_block(body.captions[0]), candidates)
    return Why(HEURISTIC, "; ".join(dict.fromkeys(rules)), _of_block(body.captions[0]), candidates)


def _images(steps: Steps) -> Why:
    images = steps.fields["images"]
    selected = steps.selected["images"]
    elements = [el for el in selected or [img for img, _ in steps.body.images] if image_src(el)]
    candidates = [
        Candidate(_short(img["src"]), css_path(el), {"caption": img["caption"]}, True)
        for el, img in zip(elements, images, strict=False)
    ]
    if not images:
        rule = "no usable image in the body (icons, logos and buttons left out)"
        return Why(NONE, rule, notes=_unmatched(steps, "images"))
    if selected:
        return Why(SELECTOR, _selector(steps, "images"), _of_element(selected[0]), candidates)
    rule = "the images of the body, icons, logos and buttons left out"
    return Why(HEURISTIC, rule, _of_element(elements[0]), candidates, _unmatched(steps, "images"))


# --- category, tags, related, is_article ---------------------------------------------


def _holding(elements: list[Element], text: str) -> Evidence | None:
    el = next((el for el in elements if text in clean_text(el.text_content())), None)
    return _of_element(el) if el is not None else None


def _category(steps: Steps, declared: _Declared) -> Why:
    category, meta = steps.fields["category"], steps.meta
    notes = [f"breadcrumb read: {' › '.join(steps.crumbs)}"] if steps.crumbs else []
    if category is None:
        rule = "no breadcrumb, no labelled category, no declared section"
        return Why(NONE, rule, notes=notes + _unmatched(steps, "category"))
    title = steps.title.text if steps.title else None
    if category == find_category(steps.crumbs, None, Metadata(), title):
        if steps.selected["category"]:
            element = _of_element(steps.selected["category"][-1])
            return Why(SELECTOR, _selector(steps, "category"), element, notes=notes)
        marks = steps.marks
        element = _holding([*marks.crumb_classed, *marks.trails], category)
        rule = "the deepest entry of the breadcrumb that is not the title"
        return Why(HEURISTIC, rule, element, notes=notes + _unmatched(steps, "category"))
    notes += _unmatched(steps, "category")
    if category == steps.labelled:
        rule = "a category link under a label (Danh mục:, Chuyên mục:)"
        return Why(HEURISTIC, rule, _holding(steps.marks.labels, category), notes=notes)
    if category == meta.section:
        layer, where = declared.layer("section"), declared.where("section", meta.section)
        return Why(layer, f"declared section ({layer})", where, notes=notes)
    layer = declared.layer("breadcrumb")
    return Why(layer, "the declared BreadcrumbList's deepest entry", notes=notes)


def _tags(steps: Steps, declared: _Declared) -> Why:
    selected = steps.selected["tags"]
    if not steps.fields["tags"]:
        return Why(NONE, "no tag list, no declared keywords", notes=_unmatched(steps, "tags"))
    if selected and find_tags(_NO_MARKS, selected, Metadata()):
        return Why(SELECTOR, _selector(steps, "tags"), _of_element(selected[0]))
    notes = _unmatched(steps, "tags")
    if steps.meta.tags:
        layer, where = declared.layer("tags"), declared.where("tags", steps.meta.tags)
        return Why(layer, f"declared keywords ({layer})", where, notes=notes)
    lists = [el for el in steps.marks.tag_classed if find_tags(
        Landmarks([], [el], [], []), [], Metadata()
    )]  # fmt: skip
    rule = "the links of an element classed as a tag list (tags, keywords, tukhoa...)"
    return Why(HEURISTIC, rule, _of_element(lists[0]) if lists else None, notes=notes)


def _related(steps: Steps) -> Why:
    related = steps.fields["related"]
    notes = [f"{len(related)} links"] if related else []
    if steps.related_by_selector:
        element = _of_element(steps.selected["related"][0])
        return Why(SELECTOR, _selector(steps, "related"), element, notes=notes)
    notes += _unmatched(steps, "related")
    if not related:
        return Why(NONE, "no list under a related heading after the title", notes=notes)
    start = steps.title.block.index if steps.title and steps.title.block else 0
    headings = [b for b in steps.blocks[start:] if b.text and is_related_heading(b.text)]
    rule = (
        "links listed under a related heading (Tin liên quan, Các tin khác...) after the "
        "title; site-wide boxes (Tin mới, Xem nhiều...) left out"
    )
    candidates = [Candidate(_short(b.text), css_path(b.el), {}) for b in headings[:_RUNNER_UPS]]
    element = _of_block(headings[0]) if headings else None
    return Why(HEURISTIC, rule, element, candidates, notes)


def _is_article(steps: Steps) -> Why:
    s = steps.signals
    notes = [
        f"title: {_short(s.title)!r}",
        f"prose: {s.prose_chars} characters, {s.prose_blocks} paragraphs of 60+",
        f"dated: {s.dated}; declared an article (JSON-LD, og:type): {s.declared_article}",
        f"teaser links {s.teaser_links}, free prose {s.free_prose}, date lines {s.date_lines}",
        f"title is also a menu entry: {s.title_in_menu}",
    ]
    rule = (
        "page signals: a title, enough prose (more when undated), not a run of teasers or "
        "dated lines, not a home, search, tag or contact page"
    )
    return Why(HEURISTIC, rule, notes=notes)
