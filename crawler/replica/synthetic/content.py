"""What the synthetic site holds: its N articles, their categories, text, dates, bylines,
reposts and near-duplicates, and the fault each one draws.

Deterministic: article `i` depends only on the seed and `i`, never on N, so a site of
N * 1.01 articles is the site of N articles plus the newest 1% (what an incremental crawl
sees a day later). Only a few integers per article are held; an article is made when asked.
"""

from __future__ import annotations

import bisect
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from crawler.replica import render
from crawler.replica.prose import Prose
from crawler.replica.synthetic.faults import (
    HOPS,
    PERMANENT,
    RATE_KINDS,
    TRANSIENT,
    special_pages,
)
from crawler.sites.haiduong import NEWS, HaiDuong
from crawler.text.dates import VN_TZ

SITE = HaiDuong()

ID_BASE = 100_000
# How often each category gets an article, in the site class's order of categories.
PLACEMENT_WEIGHTS = (5, 3, 1, 3)
# Every listing of the site class; articles are placed in the news ones only (the
# introduction listing stays empty).
CATEGORY_PATHS = {c.slug: c.path for c in HaiDuong.categories}
NEWS_CATEGORIES = tuple(slug for slug, path in CATEGORY_PATHS.items() if path.startswith(NEWS))
# The paths a redirected article's chain passes through (faults.redirect_hop).
HOP_PATH = re.compile(rf"^(?:{'|'.join(HOPS)})[a-z0-9-]+-(?P<id>\d+)\.html$")
PER_PAGE = 20
RELATED = 5
START = datetime(2012, 1, 2, 7, 0, tzinfo=VN_TZ)
# Article i is published in [START + i*STEP, START + i*STEP + STEP/2): newest first is highest
# index first, so a listing page is arithmetic, and 60,000 articles end in 2022, old enough
# that no crawl's --refresh-days window re-checks them.
STEP = timedelta(minutes=90)
ALSO_IN_RATE = 0.02
REPOST_RATE = 0.005
NEAR_DUPLICATE_RATE = 0.005

REPORTERS = (
    "Phạm Thị Hoài", "Hoàng Linh", "Minh Ngọc", "Thu Trang", "Trần Hải", "Đức Anh",
    "Nguyễn Văn Tuấn", "Thanh Hương", "Lê Hằng", "Quang Huy",
)  # fmt: skip
REPORTER_UNITS = ("VPTU", "Ban Tuyên giáo Tỉnh ủy", "Báo Hải Dương", "UBKT Tỉnh ủy", "Ban Dân vận")
AUTHOR_FORMS = ("{name}, {unit}", "{name} ({unit})", "{name} - {unit}", "{name}")
BYLINES = ("BBT", "PV", "Theo Báo Hải Dương")


@dataclass(frozen=True)
class Article:
    index: int
    id: str
    category: str  # primary category slug
    also_in: str | None
    slug: str
    title: str
    published: datetime
    lead: str
    paragraphs: tuple[str, ...]
    images: tuple[dict, ...]
    author_line: str | None
    author: str | None
    author_unit: str | None
    tags: tuple[str, ...]
    date_form: int
    same_as: str | None
    near_duplicate_of: str | None
    fault: str | None
    # The publication or body credited (`Theo Báo ...`, `Nguồn tin: ...`): families only.
    source: str | None = None

    @property
    def categories(self) -> tuple[str, ...]:
        return (self.category, self.also_in) if self.also_in else (self.category,)

    @property
    def file_name(self) -> str:
        """The last segment of every URL of the article, whatever folder it is under."""
        return f"{self.slug}-{self.id}.html"

    def listed_url(self, category: str) -> str:
        """The address a category's listing gives the article (the site's SharePoint form)."""
        return f"{CATEGORY_PATHS[category]}&ItemID={self.id}"

    @property
    def final_url(self) -> str:
        """Where a redirect chain ends: the article without its category; the listed URL
        for every other article."""
        if self.fault == "redirect":
            return f"{NEWS}?ItemID={self.id}"
        return self.listed_url(self.category)


Byline = tuple[str | None, str | None, str | None, str | None]  # line, person, unit, source


class SiteContent:
    """The articles of a site of `n` and where they are listed: under the Hải Dương profile
    by default; a CMS family (families/) gives its own sections, placement weights, ids,
    page size, byline habits and article-shaped URLs for the special fault pages."""

    def __init__(
        self,
        n: int,
        seed: int,
        faults: dict[str, float],
        *,
        sections: Sequence[Any] = SITE.categories,
        weights: Sequence[int] = PLACEMENT_WEIGHTS,
        id_base: int = ID_BASE,
        per_page: int = PER_PAGE,
        byline: Callable[[random.Random], Byline] | None = None,
        special_url: Callable[[int, int], str] | None = None,
    ) -> None:
        self.n = n
        self.seed = seed
        self.faults = faults
        self.id_base = id_base
        self.per_page = per_page
        self._byline = byline or _author
        self.categories = {c.slug: c for c in sections}
        # The profile's introduction listing takes no articles; a family's sections all do.
        self._slugs = list(NEWS_CATEGORIES) if byline is None else list(self.categories)
        self._weights = weights
        members: dict[str, list[int]] = {slug: [] for slug in self.categories}
        for i in range(n):
            primary, also = self._placement(i)
            members[primary].append(i)
            if also:
                members[also].append(i)
        # Newest first: highest index first (publish time grows with the index).
        self.members = {slug: tuple(reversed(ids)) for slug, ids in members.items()}
        self.article = lru_cache(maxsize=4096)(self._article)
        self.snapshot = (START + STEP * (n + 1)).date()
        self.specials = special_pages(faults, special_url) if special_url else special_pages(faults)

    def _rng(self, stream: str, key: str | int) -> random.Random:
        return random.Random(f"{self.seed}/{stream}/{key}")

    def _placement(self, i: int) -> tuple[str, str | None]:
        rng = self._rng("place", i)
        primary = rng.choices(self._slugs, weights=self._weights)[0]
        also = None
        if rng.random() < ALSO_IN_RATE:
            also = rng.choice([s for s in self._slugs if s != primary])
        return primary, also

    def fault_of(self, key: str | int) -> str | None:
        """The fault kind drawn for an article index or a listing URL, or None."""
        if not self.faults:
            return None
        x = self._rng("fault", key).random()
        kinds = RATE_KINDS if isinstance(key, int) else tuple(TRANSIENT)
        for kind in kinds:
            x -= self.faults.get(kind, 0)
            if x < 0:
                return kind
        return None

    def _copy_source(self, i: int) -> tuple[str, int] | None:
        """An earlier, plain, servable article that i reposts or republishes, if i does."""
        if i < 10:
            return None
        rng = self._rng("copy", i)
        x = rng.random()
        if x >= REPOST_RATE + NEAR_DUPLICATE_RATE:
            return None
        relation = "same_as" if x < REPOST_RATE else "near_duplicate_of"
        for _ in range(5):
            j = i - rng.randint(1, min(i, 300))
            if (
                self._rng("copy", j).random() >= REPOST_RATE + NEAR_DUPLICATE_RATE
                and self.fault_of(j) not in PERMANENT
            ):
                return relation, j
        return None

    def _article(self, i: int) -> Article:
        primary, also = self._placement(i)
        rng = self._rng("text", i)
        published = START + STEP * i + timedelta(minutes=rng.randrange(45))
        prose = Prose(rng, published)
        copy = self._copy_source(i)
        same_as = near = None
        if copy is not None:
            relation, j = copy
            source = self.article(j)
            title, lead, paragraphs = source.title, source.lead, source.paragraphs
            images, tags = source.images, source.tags
            author = (source.author_line, source.author, source.author_unit, source.source)
            if relation == "same_as":
                same_as = source.id
            else:
                near = source.id
                # Republished with small edits: a new title prefix and one added sentence.
                title = f"Đăng lại: {title}"
                paragraphs = (*paragraphs[:-1], f"{paragraphs[-1]} {prose.sentence()}")
        else:
            title = prose.title()
            lead = prose.lead()
            paragraphs = prose.paragraphs()
            images = tuple(
                {
                    "src": f"/upload/images/{published:%Y/%m}/anh-{i}-{k}.jpg",
                    "alt": caption,
                    "caption": caption if rng.random() < 0.9 else "",
                    "before": rng.randrange(len(paragraphs)),
                }
                for k in range(rng.choice((0, 1, 1, 2)))
                for caption in (prose.caption(),)
            )
            tags = prose.tags()
            author = self._byline(rng)
        return Article(
            index=i,
            id=str(self.id_base + i),
            category=primary,
            also_in=also,
            slug=render.slugify(title),
            title=title,
            published=published,
            lead=lead,
            paragraphs=paragraphs,
            images=images,
            author_line=author[0],
            author=author[1],
            author_unit=author[2],
            tags=tags,
            date_form=rng.randrange(8),
            same_as=same_as,
            near_duplicate_of=near,
            fault=self.fault_of(i),
            source=author[3],
        )

    def article_at(self, target: str) -> Article | None:
        """The article a request names, by its ItemID on the news path (any case, any
        category) or by its file name on a redirect hop's path; None for any other."""
        parts = urlsplit(target)
        hop = HOP_PATH.match(parts.path)
        if parts.path.lower() == NEWS.lower():
            raw = dict(parse_qsl(parts.query)).get("ItemID", "")
        elif hop:
            raw = hop["id"]
        else:
            return None
        index = int(raw) - ID_BASE if raw.isdigit() else -1
        if not 0 <= index < self.n:
            return None
        article = self.article(index)
        if hop and not parts.path.endswith(f"/{article.file_name}"):
            return None
        return article

    def listing_pages(self, slug: str) -> int:
        return max(1, -(-len(self.members[slug]) // self.per_page))

    def listed(self, slug: str, page: int) -> tuple[int, ...]:
        """The indices on page `page` of a category's listing, newest first."""
        return self.members[slug][(page - 1) * self.per_page : page * self.per_page]

    def related(self, article: Article) -> tuple[int, ...]:
        """The indices of the articles listed just after this one in its primary category."""
        own = self.members[article.category]
        # Members are in descending index order: bisect on the negated values.
        position = bisect.bisect_left(own, -article.index, key=lambda m: -m)
        return own[position + 1 :][:RELATED]


def _author(rng: random.Random) -> Byline:
    """(author line, person, unit, source): the forms of the site's bylines, or none at all."""
    x = rng.random()
    if x < 0.08:
        return None, None, None, None
    if x < 0.16:
        byline = rng.choice(BYLINES)
        return byline, (byline if byline in ("BBT", "PV") else None), None, None
    name, unit = rng.choice(REPORTERS), rng.choice(REPORTER_UNITS)
    form = rng.choice(AUTHOR_FORMS)
    return form.format(name=name, unit=unit), name, (unit if "{unit}" in form else None), None
