"""Category (breadcrumb or section) and tags."""

from __future__ import annotations

import re

from crawler.extract.dom import Element, class_id
from crawler.extract.metadata import Metadata
from crawler.text.normalize import clean_text

_HOME = re.compile(r"^(?:trang chủ|home|trang nhất|trang chính)$", re.I)
_BREADCRUMB = re.compile(r"breadcrumb|duongdan|duong-dan|navigator|path-?way|location")
_TAGS = re.compile(
    r"(?:^|[\s_-])(?:tags?|keywords?|tukhoa|tu-khoa|tag-?list|news-?tags?)(?:$|[\s_-])"
)


def _texts(elements: list[Element]) -> list[str]:
    texts = [clean_text(el.text_content()) for el in elements]
    return [t for t in texts if t and not _HOME.match(t) and len(t) <= 80]


def find_category(root: Element, selected: list[Element], meta: Metadata) -> str | None:
    """The deepest breadcrumb entry, else the declared section."""
    crumbs = _texts(selected)
    if crumbs:
        return crumbs[-1]
    if meta.section:
        return meta.section
    if meta.breadcrumb:
        names = [n for n in meta.breadcrumb if not _HOME.match(n)]
        if len(names) > 1:
            return names[-2] if names[-1] in (meta.headline, meta.og_title) else names[-1]
        if names:
            return names[0]
    for el in root.iter("*"):
        if _BREADCRUMB.search(class_id(el)):
            crumbs = _texts(list(el.iter("a")))
            if crumbs:
                return crumbs[-1]
    return None


def find_tags(root: Element, selected: list[Element], meta: Metadata) -> list[str]:
    tags = _texts(selected) or list(meta.tags)
    if not tags:
        for el in root.iter("*"):
            if _TAGS.search(class_id(el)):
                tags = _texts(list(el.iter("a")))
                if tags:
                    break
    return list(dict.fromkeys(tags))
