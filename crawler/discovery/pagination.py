"""How a listing numbers its pages, read from the links on its first page: `?page=2`,
`&p=2`, `?start=20`, `/page/2/`, `/trang-2`, `/page-2`, `/p2`, under a number or a
`Trang sau`/`Tiếp`/`»` link; or only by ASP.NET postbacks, which no crawler can follow."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from crawler.discovery.shapes import Link
from crawler.sites.base import OffsetPage, Pagination, PathPage, QueryPage

# Query parameters that hold a page number or an item offset on the CMSs of provincial sites.
_PAGE_PARAMS = ("page", "p", "trang", "pg", "pageindex", "paged", "pagenumber", "pagenum", "curpg")
_OFFSET_PARAMS = ("start", "limitstart", "offset", "from")
# Path forms, with the number as group 1; the text before it becomes the template.
_PATH_FORMS = (
    re.compile(r"(/page/)(\d+)(/?)$", re.I),
    re.compile(r"(/trang-)(\d+)(/?)$", re.I),
    re.compile(r"(/page-)(\d+)(/?)$", re.I),
    re.compile(r"(/trang/)(\d+)(/?)$", re.I),
    re.compile(r"(/p)(\d+)(/?)$", re.I),
)
# Texts of a link to the next page.
_NEXT = re.compile(r"^(?:trang sau|tiếp(?: theo)?|sau|next|»|›|>|>>|\d+)$", re.I)
_POSTBACK = re.compile(r"^\s*javascript:\s*_*doPostBack", re.I)


@dataclass(frozen=True)
class Found:
    pagination: Pagination | None  # None: one page, or pages no link reaches
    postback: bool  # the numbered pages are ASP.NET postbacks: not followable


def _query_form(listing: str, url: str) -> Pagination | None:
    base, link = urlsplit(listing), urlsplit(url)
    if base.path.rstrip("/").lower() != link.path.rstrip("/").lower():
        return None
    own = {k.lower(): v for k, v in parse_qsl(base.query)}
    changed = [
        (k, v) for k, v in parse_qsl(link.query) if own.get(k.lower()) != v and v.isdigit()
    ]
    if len(changed) != 1:
        return None
    key, value = changed[0]
    if key.lower() in _OFFSET_PARAMS and int(value) > 1:
        return OffsetPage(key, int(value))
    if key.lower() in _PAGE_PARAMS and int(value) == 2:
        return QueryPage(key)
    return None


def _path_form(listing: str, url: str) -> Pagination | None:
    base, link = urlsplit(listing), urlsplit(url)
    if base.query != link.query:
        return None
    for form in _PATH_FORMS:
        match = form.search(link.path)
        if match and match.group(2) == "2":
            stem = link.path[: match.start()]
            if stem.rstrip("/").lower() == base.path.rstrip("/").lower():
                return PathPage(f"{match.group(1)}{{page}}{match.group(3)}")
    return None


def pagination_of(listing: str, links: Iterable[Link]) -> Found:
    """The form of the listing's page 2 link, whichever of its links it is."""
    forms: Counter[Pagination] = Counter()
    postback = False
    for link in links:
        text = " ".join(link.text.split())
        if _POSTBACK.match(link.url):
            postback = postback or bool(_NEXT.match(text))
            continue
        if not _NEXT.match(text):
            continue
        form = _query_form(listing, link.url) or _path_form(listing, link.url)
        if form is not None:
            forms[form] += 1
    if forms:
        return Found(forms.most_common(1)[0][0], postback=False)
    return Found(None, postback=postback)
