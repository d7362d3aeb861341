"""What a site profile holds: where a site lives, how its URLs look, where its fields are."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Category:
    slug: str
    name: str
    path: str


@dataclass(frozen=True)
class SiteProfile:
    """Everything site-specific; the spider, extractor and dedup read only this.

    `article_path` matches the path of an article URL and names the site's own
    article id as the group `id`. `listing_page_param` is the query parameter
    that numbers listing pages. `selectors` are CSS selectors keyed by field
    name (title, published, author, lead, body, captions, images, category,
    tags, related, chrome); a field without a selector falls through to the
    generic layers of the extractor.
    """

    name: str
    base_url: str
    allowed_domains: tuple[str, ...]
    categories: tuple[Category, ...]
    article_path: re.Pattern[str]
    listing_page_param: str = "page"
    selectors: dict[str, str] = field(default_factory=dict)
    tracking_params: tuple[str, ...] = ()
    site_name: str = ""

    def article_id(self, path: str) -> str | None:
        match = self.article_path.search(path)
        return match.group("id") if match else None
