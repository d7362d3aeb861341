"""A synthetic Hải Dương site of N articles, generated per request, with injected faults.

    tinhuy mirror --synthetic 10000 --seed 1 --faults default

Built with the replica's templates (crawler/replica/render.py) so the profile's
selectors find every field, and deterministic: article `i` depends only on the
seed and `i`, never on N, so a site of N * 1.01 articles is the site of N
articles plus the newest 1% (what an incremental crawl sees a day later).
Nothing is written to disk and only a few integers per article are held in
memory; pages are rendered when requested.

Faults (`FAULTS` and `parse_faults`): each article or listing URL draws at most
one fault kind with the given rates. Transient kinds fail the first attempts of
a URL and then answer normally, so a crawler that retries gets every page;
`404` is permanent; the encoding kinds change the bytes, not the article.
`loop`, `oversize` and `gzipbomb` are counts of special article-shaped URLs
linked from the home page. `--faults default` is `DEFAULT_FAULTS`.
"""

from __future__ import annotations

import gzip
import json
import random
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from urllib.parse import parse_qsl, urlsplit

from crawler.mirror import NOT_FOUND, Reply
from crawler.replica import render
from crawler.replica.prose import Prose
from crawler.sites.haiduong import HaiDuong
from crawler.text.dates import VN_TZ

SITE = HaiDuong()

HTML = "text/html; charset=utf-8"
ID_BASE = 100_000
# Ids of the special fault pages: far above any article so that growing the site never
# collides with them.
SPECIAL_BASE = 9_000_000
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
# Bigger than settings.DOWNLOAD_MAXSIZE (8 MB) by a margin.
OVERSIZE_BYTES = 9 * 1024 * 1024
BOMB_INFLATED_BYTES = 24 * 1024 * 1024

TRANSIENT = {"500": 1, "503": 2, "reset": 1, "truncate": 1, "slow": 1}  # failed attempts
PERMANENT = frozenset({"404"})
CONTENT = frozenset({"cp1258", "nocharset", "nfd", "redirect"})
RATE_KINDS = (*TRANSIENT, *PERMANENT, *CONTENT)
COUNT_KINDS = ("loop", "oversize", "gzipbomb")
# About 5% of the article URLs, and the transient kinds on listing pages at the same rates.
DEFAULT_FAULTS: dict[str, float] = {
    "500": 0.01,
    "503": 0.005,
    "reset": 0.005,
    "truncate": 0.005,
    "slow": 0.002,
    "404": 0.003,
    "cp1258": 0.008,
    "nocharset": 0.005,
    "nfd": 0.005,
    "redirect": 0.002,
    "loop": 1,
    "oversize": 1,
    "gzipbomb": 1,
}


def parse_faults(spec: str | None) -> dict[str, float]:
    """`default`, `none`, or `kind=rate,...` (`loop`, `oversize`, `gzipbomb` take counts)."""
    if not spec or spec == "none":
        return {}
    if spec == "default":
        return dict(DEFAULT_FAULTS)
    faults: dict[str, float] = {}
    for part in spec.split(","):
        kind, sep, value = part.strip().partition("=")
        if not sep or kind not in (*RATE_KINDS, *COUNT_KINDS):
            raise ValueError(f"bad fault {part!r}: use kind=rate with kind in {RATE_KINDS}")
        try:
            rate = float(value)
        except ValueError:
            raise ValueError(f"bad fault rate {part!r}") from None
        if rate < 0 or (kind in RATE_KINDS and rate > 1):
            raise ValueError(f"bad fault rate {part!r}")
        faults[kind] = rate
    if sum(faults.get(k, 0) for k in RATE_KINDS) > 1:
        raise ValueError("fault rates add up to more than 1")
    return faults


# --- text -------------------------------------------------------------------

REPORTERS = (
    "Phạm Thị Hoài", "Hoàng Linh", "Minh Ngọc", "Thu Trang", "Trần Hải", "Đức Anh",
    "Nguyễn Văn Tuấn", "Thanh Hương", "Lê Hằng", "Quang Huy",
)  # fmt: skip
REPORTER_UNITS = ("VPTU", "Ban Tuyên giáo Tỉnh ủy", "Báo Hải Dương", "UBKT Tỉnh ủy", "Ban Dân vận")
AUTHOR_FORMS = ("{name}, {unit}", "{name} ({unit})", "{name} - {unit}", "{name}")
BYLINES = ("BBT", "PV", "Theo Báo Hải Dương")
WEEKDAY_SHORT = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")


def date_form(published: datetime, choice: int) -> str:
    """The publish line in one of the forms Vietnamese CMSs print."""
    p = published
    weekday = render.weekday_name(p)
    forms = (
        render.date_line(p),
        f"{weekday.replace('Thứ ', 'Thứ ').lower().capitalize()}, {p:%d/%m/%Y} - {p:%H:%M}",
        f"{p:%d-%m-%Y %H:%M}",
        f"{p:%H:%M} {p:%d/%m/%Y}",
        f"Ngày {p.day} tháng {p.month} năm {p.year} {p:%H:%M}",
        f"{WEEKDAY_SHORT[p.weekday()]}, {p.day}/{p.month}/{p.year} {p.hour}:{p:%M}",
        f"Cập nhật: {p:%d.%m.%Y %H:%M}",
        f"{weekday}, {p:%d/%m/%Y}, {p:%H:%M} (GMT+7)",
    )
    return forms[choice % len(forms)]


# --- the site ---------------------------------------------------------------


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

    @property
    def categories(self) -> tuple[str, ...]:
        return (self.category, self.also_in) if self.also_in else (self.category,)

    def listed_url(self, category: str) -> str:
        return f"/{category}/{self.slug}-{self.id}.html"

    @property
    def final_url(self) -> str:
        """Where a redirect chain ends; the listed URL for every other article."""
        if self.fault == "redirect":
            return f"/bai-viet/{self.slug}-{self.id}.html"
        return self.listed_url(self.category)


@dataclass
class SyntheticSite:
    """N articles under the Hải Dương profile; `respond` answers one request path."""

    n: int
    seed: int = 1
    faults: dict[str, float] = field(default_factory=dict)
    slow_seconds: float = 35.0
    log_requests: bool = True
    requests: list[tuple[str, int]] = field(default_factory=list)
    request_count: int = 0

    def __post_init__(self) -> None:
        self.categories = {c.slug: c for c in SITE.categories}
        slugs = list(self.categories)
        members: dict[str, list[int]] = {slug: [] for slug in slugs}
        for i in range(self.n):
            primary, also = self._placement(i, slugs)
            members[primary].append(i)
            if also:
                members[also].append(i)
        # Newest first: highest index first (publish time grows with the index).
        self.members = {slug: tuple(reversed(ids)) for slug, ids in members.items()}
        self._attempts: dict[str, int] = {}
        self._lock = threading.Lock()
        self._bomb: bytes | None = None
        self.article = lru_cache(maxsize=4096)(self._article)
        newest = [self.article(i) for i in range(self.n - 1, max(-1, self.n - 6), -1)]
        self.snapshot = (START + STEP * (self.n + 1)).date()
        self.site = render.Site(
            name=SITE.site_name,
            base_url=SITE.base_url,
            today_line=render.today_line(self.snapshot),
            menu=(
                ("Trang chủ", "/"),
                *((c.name, c.path) for c in SITE.categories),
                ("Liên hệ", "/lien-he.html"),
            ),
            sidebar_html=render.render_sidebar(
                [self._link(a, a.category) for a in newest],
                [
                    ("Báo Hải Dương", "https://baohaiduong.vn"),
                    ("Đảng Cộng sản", "https://dangcongsan.vn"),
                ],
                f"{self.n * 37:,}".replace(",", "."),
            ),
            footer_html=render.render_footer(
                "Tỉnh ủy Hải Dương",
                "Số 1 Phạm Sư Mạnh, thành phố Hải Dương",
                "0220.3852.111",
                "banbientap@haiduong.dcs.vn",
                [("Liên hệ", "/lien-he.html")],
            ),
        )

    # -- what the site holds -------------------------------------------------

    def _rng(self, stream: str, i: int) -> random.Random:
        return random.Random(f"{self.seed}/{stream}/{i}")

    def _placement(self, i: int, slugs: list[str]) -> tuple[str, str | None]:
        rng = self._rng("place", i)
        primary = rng.choices(slugs, weights=(5, 3, 1, 3))[0]
        also = None
        if rng.random() < ALSO_IN_RATE:
            also = rng.choice([s for s in slugs if s != primary])
        return primary, also

    def fault_of(self, key: str | int) -> str | None:
        """The fault kind drawn for an article index or a listing URL, or None."""
        if not self.faults:
            return None
        x = self._rng("fault", key).random()  # type: ignore[arg-type]
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
        slugs = list(self.categories)
        primary, also = self._placement(i, slugs)
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
            author = (source.author_line, source.author, source.author_unit)
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
            author = self._author(rng)
        return Article(
            index=i,
            id=str(ID_BASE + i),
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
        )

    @staticmethod
    def _author(rng: random.Random) -> tuple[str | None, str | None, str | None]:
        """(author line, person, unit): the forms of the site's bylines, or none at all."""
        x = rng.random()
        if x < 0.08:
            return None, None, None
        if x < 0.16:
            byline = rng.choice(BYLINES)
            return byline, (byline if byline in ("BBT", "PV") else None), None
        name, unit = rng.choice(REPORTERS), rng.choice(REPORTER_UNITS)
        form = rng.choice(AUTHOR_FORMS)
        return form.format(name=name, unit=unit), name, (unit if "{unit}" in form else None)

    def specials(self) -> list[tuple[str, str, str]]:
        """(kind, first URL, second URL or '') of the loop, oversize and gzip bomb pages."""
        names = {
            "loop": "vong-lap-chuyen-huong",
            "oversize": "trang-qua-lon",
            "gzipbomb": "nen-gzip",
        }
        out = []
        number = SPECIAL_BASE
        for kind in COUNT_KINDS:
            for _ in range(int(self.faults.get(kind, 0))):
                number += 1
                first = f"/tin-hoat-dong/{names[kind]}-{number}.html"
                second = f"/xay-dung-dang/{names[kind]}-{number}.html" if kind == "loop" else ""
                out.append((kind, first, second))
        return out

    # -- pages ---------------------------------------------------------------

    def _link(self, article: Article, category: str) -> dict:
        return {
            "url": article.listed_url(category),
            "title": article.title,
            "published": article.published,
            "lead": article.lead,
            "thumb": article.images[0]["src"] if article.images else None,
        }

    def listing_pages(self, slug: str) -> int:
        return max(1, -(-len(self.members[slug]) // PER_PAGE))

    def _listing(self, slug: str, page: int) -> str:
        category = self.categories[slug]
        pages = self.listing_pages(slug)
        chunk = self.members[slug][(page - 1) * PER_PAGE : page * PER_PAGE]
        rows = "\n".join(
            render.render_listing_item(self._link(self.article(i), slug)) for i in chunk
        )
        # A window of page numbers, as large CMS listings show, not render_pager's full row.
        shown = sorted({1, 2, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
        pager = " ".join(
            f'<span class="current">{n}</span>'
            if n == page
            else f'<a href="{render.attr(render.listing_url(category.path, n))}">{n}</a>'
            for n in shown
        )
        content = (
            f'<h2 class="cat-title"><a href="{category.path}">'
            f"{render.text(category.name)}</a></h2>\n"
            f'<div class="list-news">\n{rows}\n</div>\n<div class="pager">{pager}</div>'
        )
        return render.render_page(
            self.site,
            title=category.name if page == 1 else f"{category.name} - Trang {page}",
            content=content,
            description=f"{category.name} - {self.site.name}",
            keywords=f"{category.name}, {self.site.name}",
            breadcrumb=[("Trang chủ", "/"), (category.name, category.path)],
        )

    def _home(self) -> str:
        blocks = [
            ({"name": c.name, "path": c.path}, [self._link(self.article(i), slug) for i in ids[:3]])
            for slug, ids in self.members.items()
            for c in (self.categories[slug],)
        ]
        when = START + STEP * self.n
        specials = [
            {"url": url, "title": f"Bài viết đặc biệt {k + 1}", "published": when}
            for k, (_kind, url, _second) in enumerate(self.specials())
        ]
        if specials:
            blocks.append(({"name": "Tin nổi bật", "path": "/tin-hoat-dong"}, specials))
        featured = self._link(self.article(self.n - 1), self.article(self.n - 1).category)
        return render.render_home(
            self.site,
            featured=featured,
            blocks=blocks,
            documents=[],
            pages=[("Liên hệ", "/lien-he.html")],
            description="Cổng thông tin điện tử Tỉnh ủy Hải Dương",
        )

    def article_html(self, article: Article) -> str:
        own = self.members[article.category]
        position = self._position(own, article.index)
        related = [
            self._link(self.article(i), article.category) for i in own[position + 1 :][:RELATED]
        ]
        data = {
            "id": article.id,
            "title": article.title,
            "published": article.published,
            "lead": article.lead,
            "paragraphs": list(article.paragraphs),
            "images": list(article.images),
            "author_line": article.author_line,
            "tags": list(article.tags),
            "related": related,
            "category": {
                "name": self.categories[article.category].name,
                "path": f"/{article.category}",
            },
        }
        html = render.render_article(self.site, data, article.final_url)
        # render_article prints one date form; the site's editors used several over the years.
        standard = render.date_line(article.published)
        return html.replace(standard, date_form(article.published, article.date_form), 1)

    def _position(self, members: tuple[int, ...], index: int) -> int:
        # Members are in descending index order: bisect on the negated values.
        lo, hi = 0, len(members)
        while lo < hi:
            mid = (lo + hi) // 2
            if members[mid] > index:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def _bomb_body(self) -> bytes:
        with self._lock:
            if self._bomb is None:
                page = render.render_page(self.site, title="Nén", content="<p>Nén</p>").encode()
                self._bomb = gzip.compress(page + b" " * BOMB_INFLATED_BYTES)
            return self._bomb

    # -- answering requests --------------------------------------------------

    def respond(self, target: str) -> Reply:
        reply = self._respond(target)
        with self._lock:
            self.request_count += 1
            if self.log_requests:
                self.requests.append((target, reply.status))
        return reply

    def _attempt(self, key: str) -> int:
        with self._lock:
            self._attempts[key] = self._attempts.get(key, 0) + 1
            return self._attempts[key]

    def _transient(self, kind: str | None, key: str, reply: Reply) -> Reply:
        """Fail the first attempts of a URL with a transient fault; answer later ones."""
        if kind not in TRANSIENT or self._attempt(key) > TRANSIENT[kind]:
            return reply
        if kind in ("500", "503"):
            return Reply(int(kind), NOT_FOUND, HTML, headers=(("Retry-After", "1"),))
        if kind == "slow":
            return Reply(reply.status, reply.body, reply.content_type, delay=self.slow_seconds)
        return Reply(reply.status, reply.body, reply.content_type, action=kind)

    def _respond(self, target: str) -> Reply:
        parts = urlsplit(target)
        path = parts.path
        if path == "/":
            return Reply(200, self._home().encode(), HTML)
        if path == "/robots.txt":
            return Reply(200, b"User-agent: *\nDisallow: /tim-kiem\n", "text/plain; charset=utf-8")
        if path == "/__manifest__.json":
            return Reply(200, b"", "application/json", stream=self.manifest_chunks)
        slug = path.strip("/")
        if slug in self.categories:
            params = dict(parse_qsl(parts.query))
            raw = params.get("page", "1")
            page = int(raw) if raw.isdigit() else 1
            if not 1 <= page <= self.listing_pages(slug):
                return Reply(404, NOT_FOUND, HTML)
            key = render.listing_url(f"/{slug}", page)
            reply = Reply(200, self._listing(slug, page).encode(), HTML)
            return self._transient(self.fault_of(key), key, reply)
        special = self._special(path)
        if special is not None:
            return special
        article = self._article_at(path)
        if article is None:
            return Reply(404, NOT_FOUND, HTML)
        fault = article.fault
        listed = path in {article.listed_url(c) for c in article.categories}
        if fault == "404":
            return Reply(404, NOT_FOUND, HTML)
        if fault == "redirect" and listed:
            return Reply(
                301,
                b"",
                HTML,
                headers=(("Location", f"/chuyen-huong/{article.slug}-{article.id}.html"),),
            )
        if fault == "redirect" and path.startswith("/chuyen-huong/"):
            return Reply(
                302, b"", HTML, headers=(("Location", f"/tin-cu/{article.slug}-{article.id}.html"),)
            )
        if fault == "redirect" and path.startswith("/tin-cu/"):
            return Reply(307, b"", HTML, headers=(("Location", article.final_url),))
        if not listed and path != article.final_url:
            return Reply(404, NOT_FOUND, HTML)
        return self._transient(fault, path, self._encoded(article))

    def _encoded(self, article: Article) -> Reply:
        html = self.article_html(article)
        if article.fault == "cp1258":
            html = html.replace('<meta charset="utf-8">', '<meta charset="windows-1258">', 1)
            return Reply(200, encode_cp1258(html), "text/html; charset=windows-1258")
        if article.fault == "nocharset":
            return Reply(200, html.replace('<meta charset="utf-8">\n', "", 1).encode(), "text/html")
        if article.fault == "nfd":
            return Reply(200, unicodedata.normalize("NFD", html).encode(), HTML)
        return Reply(200, html.encode(), HTML)

    def _article_at(self, path: str) -> Article | None:
        match = SITE.article_url.match(path)
        if not match:
            return None
        index = int(match.group("id")) - ID_BASE
        if not 0 <= index < self.n:
            return None
        article = self.article(index)
        if not path.endswith(f"/{article.slug}-{article.id}.html"):
            return None
        return article

    def _special(self, path: str) -> Reply | None:
        for kind, first, second in self.specials():
            if path == first and kind == "loop":
                return Reply(302, b"", HTML, headers=(("Location", second),))
            if path == second and kind == "loop":
                return Reply(302, b"", HTML, headers=(("Location", first),))
            if path == first and kind == "oversize":
                return Reply(200, b"", HTML, stream=_oversize_chunks, length=OVERSIZE_BYTES)
            if path == first and kind == "gzipbomb":
                return Reply(200, self._bomb_body(), HTML, headers=(("Content-Encoding", "gzip"),))
        return None

    # -- the manifest --------------------------------------------------------

    def manifest_article(self, article: Article) -> dict:
        listed = [article.listed_url(c) for c in article.categories]
        final = article.final_url
        return {
            "id": article.id,
            "urls": listed if final in listed else [final],
            "linked_urls": [] if final in listed else listed,
            "category": self.categories[article.category].name,
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

    def manifest_chunks(self) -> Iterator[bytes]:
        """The manifest as JSON, in pieces: at 50,000 articles it is tens of megabytes."""
        head = {
            "site": SITE.name,
            "snapshot": self.snapshot.isoformat(),
            "synthetic": {"n": self.n, "seed": self.seed, "faults": self.faults},
            "special": [
                {"kind": kind, "urls": [u for u in (first, second) if u]}
                for kind, first, second in self.specials()
            ],
        }
        yield json.dumps(head, ensure_ascii=False)[:-1].encode()
        yield b', "pages": ['
        for k, page in enumerate(self._manifest_pages()):
            yield (b",\n" if k else b"\n") + json.dumps(page, ensure_ascii=False).encode()
        yield b'\n], "articles": ['
        for i in range(self.n):
            entry = self.manifest_article(self.article(i))
            yield (b",\n" if i else b"\n") + json.dumps(entry, ensure_ascii=False).encode()
        yield b"\n]}\n"

    def _manifest_pages(self) -> Iterator[dict]:
        yield {"url": "/", "kind": "home", "content_type": HTML}
        for slug in self.categories:
            for page in range(1, self.listing_pages(slug) + 1):
                url = render.listing_url(f"/{slug}", page)
                yield {
                    "url": url,
                    "kind": "listing",
                    "content_type": HTML,
                    "fault": self.fault_of(url),
                }
        for i in range(self.n):
            article = self.article(i)
            for url in {article.listed_url(c) for c in article.categories} | {article.final_url}:
                yield {
                    "url": url,
                    "kind": "article",
                    "content_type": HTML,
                    "article_id": article.id,
                    "fault": article.fault,
                }
        yield {"url": "/robots.txt", "kind": "robots", "content_type": "text/plain; charset=utf-8"}

    def write_manifest(self, path: str) -> None:
        with open(path, "wb") as out:
            for chunk in self.manifest_chunks():
                out.write(chunk)


def _oversize_chunks() -> Iterator[bytes]:
    chunk = b"<!-- " + b"x" * (1024 * 1024 - 9) + b" -->\n"
    sent = 0
    while sent < OVERSIZE_BYTES:
        piece = chunk[: OVERSIZE_BYTES - sent]
        sent += len(piece)
        yield piece


def encode_cp1258(html: str) -> bytes:
    """windows-1258 bytes of NFC text: the code page has the base letters (â, ơ, ư, đ...)
    but writes tones as combining marks, so each precomposed letter is split as Vietnamese
    Windows software did."""
    out = bytearray()
    for char in html:
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        # Recompose the letter part (o + circumflex -> ô) and keep the tone separate.
        for k in range(len(marks), -1, -1):
            head = unicodedata.normalize("NFC", base + marks[:k])
            try:
                out += head.encode("cp1258") + marks[k:].encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
        else:
            out += f"&#{ord(char)};".encode()
    return bytes(out)
