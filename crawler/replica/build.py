"""Build the offline replica of the Hải Dương Tỉnh ủy site from its source data.

    python -m crawler.replica.build [--source DIR] [--out DIR]

reads ``fixtures/site/source/{articles,site}.json`` and writes
``fixtures/site/html/...`` and ``fixtures/site/manifest.json``. The output
depends only on the source files, so running it twice gives identical bytes
and a test can check that the committed HTML is up to date.
"""

from __future__ import annotations

import argparse
import json
import shutil
import unicodedata
from datetime import date, datetime
from pathlib import Path

from crawler.replica import render
from crawler.sites.base import Category
from crawler.sites.haiduong import NEWS, HaiDuong

SITE = HaiDuong()

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = ROOT / "fixtures" / "site"
DEFAULT_SOURCE = DEFAULT_OUT / "source"
PER_PAGE = 5
RELATED = 5
LATEST = 5
HOME_PER_CATEGORY = 3
TRACKING_QUERY = "utm_source=facebook&utm_medium=social"
HTML_TYPE = "text/html; charset=utf-8"


def nfc(value: object) -> object:
    """NFC every string of a JSON tree: the source may be typed on any keyboard."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [nfc(v) for v in value]
    if isinstance(value, dict):
        return {k: nfc(v) for k, v in value.items()}
    return value


def load_json(path: Path) -> dict:
    return nfc(json.loads(path.read_text(encoding="utf-8")))  # type: ignore[return-value]


def article_url(category: Category, article_id: str) -> str:
    """The address a category's listing gives an article: `new.aspx?CateID=K&ItemID=N`, or
    an introduction page's `about.aspx?CateID=2&ItemID=N`."""
    path, _, query = category.path.partition("?")
    return f"{path}?{query}&ItemID={article_id.removeprefix('about-')}"


def plain_url(article_id: str) -> str:
    """The address related lists give a news article: no category."""
    return f"{NEWS}?ItemID={article_id}"


def lower_url(article_id: str) -> str:
    """The address the "latest" box gives it: SharePoint paths answer in any case."""
    return plain_url(article_id).replace("/Pages/", "/pages/")


def file_of(article_id: str) -> str:
    if article_id.startswith("about-"):
        return f"province/{article_id.removeprefix('about-')}.html"
    return f"news/{article_id}.html"


def id_order(article: dict) -> tuple[bool, int]:
    """News by ItemID, then the introduction pages (numbered apart)."""
    article_id = article["id"]
    return article_id.startswith("about-"), int(article_id.removeprefix("about-"))


def make_pdf(lines: list[str]) -> bytes:
    """A minimal valid one-page PDF; Helvetica has no Vietnamese glyphs, so the text is ASCII."""
    stream_lines = ["BT", "/F1 14 Tf", "72 770 Td", "18 TL"]
    for line in lines:
        safe = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        stream_lines.append(f"({safe}) Tj T*")
    stream_lines.append("ET")
    stream = "\n".join(stream_lines).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


class Replica:
    """The whole site in memory: pages keyed by URL, and the manifest describing them."""

    def __init__(self, articles_doc: dict, site_doc: dict) -> None:
        self.snapshot = date.fromisoformat(articles_doc["snapshot"])
        self.categories = {c.slug: {"name": c.name, "path": c.path} for c in SITE.categories}
        self.category_of = {c.slug: c for c in SITE.categories}
        self.site_doc = site_doc
        self.articles = [self._prepare(a) for a in articles_doc["articles"]]
        self.files: dict[str, bytes] = {}
        self.pages: list[dict] = []
        self.linked: dict[str, list[str]] = {}
        self.pages_of: dict[str, bytes] = {}

    def _prepare(self, source: dict) -> dict:
        article = dict(source)
        article["published"] = datetime.fromisoformat(source["published"])
        slugs = [source["category"], *source.get("also_in", [])]
        article["urls"] = {
            slug: article_url(self.category_of[slug], source["id"]) for slug in slugs
        }
        article["url"] = article["urls"][source["category"]]
        article["category"] = self.categories[source["category"]]
        article["category_slug"] = source["category"]
        return article

    @staticmethod
    def _newest_first(articles: list[dict]) -> list[dict]:
        return sorted(articles, key=lambda a: (a["published"], id_order(a)), reverse=True)

    def listing(self, slug: str) -> list[dict]:
        """A category's articles, newest first, each with the URL that listing links."""
        members = [a for a in self.articles if slug in a["urls"]]
        return [
            {
                **a,
                "url": a["urls"][slug],
                "thumb": a["images"][0]["src"] if a.get("images") else None,
            }
            for a in self._newest_first(members)
        ]

    def add(
        self,
        url: str,
        file: str,
        kind: str,
        data: bytes,
        content_type: str = HTML_TYPE,
        article_id: str | None = None,
    ) -> None:
        self.files[file] = data
        page: dict = {
            "url": url,
            "file": f"html/{file}",
            "kind": kind,
            "content_type": content_type,
        }
        if article_id is not None:
            page["article_id"] = article_id
        self.pages.append(page)

    def link(self, article: dict, url: str) -> dict:
        """`article` as a link to `url`, remembered as one of the URLs it is reached by."""
        self.linked.setdefault(article["id"], []).append(url)
        return {**article, "url": url}

    def build(self) -> None:
        site_doc = self.site_doc
        listings = {slug: self.listing(slug) for slug in self.categories}
        news = [a for a in self.articles if not a["id"].startswith("about-")]
        latest = [self.link(a, lower_url(a["id"])) for a in self._newest_first(news)[:LATEST]]
        contact = site_doc["contact"]
        about = self.categories["gioi-thieu"]
        footer_links = [
            ("Liên hệ", render.CONTACT),
            ("Sơ đồ trang", render.SITEMAP),
            ("Giới thiệu", about["path"]),
        ]
        menu = (
            ("Trang chủ", "/"),
            *((c["name"], c["path"]) for c in self.categories.values()),
            ("Liên hệ", render.CONTACT),
        )
        site = render.Site(
            name=SITE.site_name,
            base_url=SITE.base_url,
            today_line=render.today_line(self.snapshot),
            menu=menu,
            sidebar_html=render.render_sidebar(
                latest, [tuple(link) for link in site_doc["weblinks"]], site_doc["visits"]
            ),
            footer_html=render.render_footer(
                contact["owner"],
                contact["address"],
                contact["phone"],
                contact["email"],
                footer_links,
            ),
        )
        documents = [(d["title"], d["url"]) for d in site_doc["documents"]]
        static_pages = [
            ("Giới thiệu", about["path"]),
            ("Liên hệ", render.CONTACT),
            ("Sơ đồ trang", render.SITEMAP),
        ]

        featured = next(a for a in self.articles if a.get("tracking_link"))
        news_slugs = [slug for slug in self.categories if slug != "gioi-thieu"]
        self.add(
            "/",
            "index.html",
            "home",
            render.render_home(
                site,
                featured={**featured, "url": f"{featured['url']}&{TRACKING_QUERY}"},
                blocks=[
                    (
                        self.categories[slug],
                        [self.link(a, a["url"]) for a in listings[slug][:HOME_PER_CATEGORY]],
                    )
                    for slug in news_slugs
                ],
                documents=documents,
                pages=static_pages,
                description=site_doc["description"],
            ).encode(),
        )

        for slug, category in self.categories.items():
            items = listings[slug]
            pages = (len(items) + PER_PAGE - 1) // PER_PAGE
            for page in range(1, pages + 1):
                shown = items[(page - 1) * PER_PAGE : page * PER_PAGE]
                chunk = [self.link(a, a["url"]) for a in shown]
                html = render.render_listing(site, category, chunk, page, pages)
                self.add(
                    render.listing_url(category["path"], page),
                    f"listing/{slug}-{page}.html",
                    "listing",
                    html.encode(),
                )

        for article in sorted(self.articles, key=id_order):
            # "Other articles" are the older ones of the article's own category, linked
            # without their category as SharePoint's related lists do.
            own = listings[article["category_slug"]]
            position = next(i for i, a in enumerate(own) if a["id"] == article["id"])
            related = [
                self.link(a, plain_url(a["id"]))
                for a in own[position + 1 : position + 1 + RELATED]
                if not a["id"].startswith("about-")
            ]
            self.pages_of[article["id"]] = render.render_article(
                site, {**article, "related": related}, article["url"]
            ).encode()
        # Every URL of one article serves the same bytes, as the CMS does.
        for article in sorted(self.articles, key=id_order):
            urls = [*article["urls"].values(), *self.linked.get(article["id"], [])]
            article["urls"] = list(dict.fromkeys(urls))
            data = self.pages_of[article["id"]]
            for url in article["urls"]:
                self.add(url, file_of(article["id"]), "article", data, article_id=article["id"])

        self.add(
            render.CONTACT,
            "lien-he.html",
            "contact",
            render.render_contact(site, contact).encode(),
        )
        sitemap = render.render_sitemap(
            site,
            [
                ("Trang chính", [("Trang chủ", "/"), *static_pages]),
                ("Chuyên mục", [(c["name"], c["path"]) for c in self.categories.values()]),
                ("Văn bản", documents),
            ],
        )
        self.add(render.SITEMAP, "so-do-site.html", "sitemap", sitemap.encode())
        for document in site_doc["documents"]:
            self.add(
                document["url"],
                document["url"].lstrip("/"),
                "document",
                make_pdf(document["pdf_lines"]),
                content_type="application/pdf",
            )
        robots = "".join(f"{line}\n" for line in site_doc["robots"])
        self.add(
            "/robots.txt",
            "robots.txt",
            "robots",
            robots.encode(),
            content_type="text/plain; charset=utf-8",
        )

    def manifest(self) -> dict:
        return {
            "site": SITE.name,
            "snapshot": self.snapshot.isoformat(),
            "pages": self.pages,
            "articles": [
                self._manifest_article(a) for a in sorted(self.articles, key=id_order)
            ],
            "cases": self.site_doc["cases"],
        }

    @staticmethod
    def _manifest_article(article: dict) -> dict:
        linked = [f"{article['url']}&{TRACKING_QUERY}"] if article.get("tracking_link") else []
        return {
            "id": article["id"],
            "urls": article["urls"],
            "linked_urls": linked,
            "category": article["category"]["name"],
            "title": article["title"],
            "published": article["published"].isoformat(),
            "author": article.get("author"),
            "author_unit": article.get("author_unit"),
            "source": article.get("source"),
            "author_line": article.get("author_line"),
            "lead": article["lead"],
            "captions": [i["caption"] for i in article.get("images", []) if i.get("caption")],
            "body_paragraphs": len(article["paragraphs"]),
            "tags": article.get("tags", []),
            "same_as": article.get("same_as"),
            "near_duplicate_of": article.get("near_duplicate_of"),
        }


def build(source: Path = DEFAULT_SOURCE, out: Path = DEFAULT_OUT) -> dict:
    """Write the replica into `out` (its `html/` is replaced) and return the manifest."""
    replica = Replica(load_json(source / "articles.json"), load_json(source / "site.json"))
    replica.build()
    html_dir = out / "html"
    if html_dir.exists():
        shutil.rmtree(html_dir)
    for name, data in sorted(replica.files.items()):
        path = html_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    manifest = replica.manifest()
    text = json.dumps(manifest, ensure_ascii=False, indent=1) + "\n"
    (out / "manifest.json").write_bytes(text.encode())
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    manifest = build(args.source, args.out)
    print(f"{len(manifest['pages'])} pages, {len(manifest['articles'])} articles -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
