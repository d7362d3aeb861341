"""The shortcuts of read_metadata and strip_junk agree with the plain definitions they stand
for: a childless element's .text for text_content(), meta contents cleaned only when asked
for, and the word test before the hidden-style pattern.

Each test computes the plain way on the saved pages and on random inputs built to reach the
odd cases: blank and invisible contents, repeated keys, an `İ` that lower-casing splits.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest

from crawler.extract import extract_article, metadata
from crawler.extract.decode import utf8_html
from crawler.extract.dom import _HIDDEN_STYLE, Element, hides, parse
from crawler.extract.metadata import Metadata, read_metadata
from crawler.text.normalize import clean_text

PAGES = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "pages").glob("*.html"))
ROOTS = [parse(utf8_html(page.read_bytes())) for page in PAGES]


def test_the_pages_are_there():
    assert len(PAGES) > 50 and all(root is not None for root in ROOTS)


ODD_TITLES = [
    "<title>Tin &amp; bài<!-- c --> mới</title>",
    "<title>Tin <b>nóng</b> hôm nay</title>",
    "<title></title>",
    "<title>  Tin\n\tmới  </title>",
    "<title><![CDATA[Tin]]> mới</title>",
    "<title>a<?pi x?>b</title>",
    "<title>Tin\u00admới\u200b</title>",
]


def _odd_roots() -> list[Element]:
    roots = []
    for title in ODD_TITLES:
        root = parse(f"<html><head>{title}</head><body><p>x</p></body></html>")
        assert root is not None
        roots.append(root)
    return roots


def test_a_childless_elements_text_is_its_text_content():
    checked = 0
    for root in ROOTS + _odd_roots():
        for el in root.iter():
            if isinstance(el.tag, str) and not len(el):
                assert (el.text or "") == el.text_content()
                checked += 1
    assert checked > 5000


@pytest.mark.parametrize("title", ODD_TITLES)
def test_the_title_tag_is_the_cleaned_text_content(title):
    root = parse(f"<html><head>{title}</head><body><p>x</p></body></html>")
    assert root is not None
    element = next(root.iter("title"))
    assert read_metadata(root).title_tag == (clean_text(element.text_content()) or None)


def _plain_meta_tags(metas: list[Element], meta: Metadata) -> None:
    """_read_meta_tags' definition: every content of a known key cleaned, the first one
    not blank is the key's value, the first key with a value wins."""
    values: dict[str, str] = {}
    tags: list[str] = []
    for el in metas:
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        content = clean_text(el.get("content"))
        if key not in metadata._META_KEYS or not content:
            continue
        if key == "article:tag":
            tags.append(content)
        values.setdefault(key, content)

    def first(keys: tuple[str, ...]) -> str | None:
        return next((values[k] for k in keys if values.get(k)), None)

    meta.og_title = first(metadata._TITLE_NAMES)
    meta.site_name = meta.site_name or values.get("og:site_name")
    meta.description = meta.description or first(metadata._DESCRIPTION_NAMES)
    meta.og_type = values.get("og:type")
    if meta.og_type and meta.og_type.lower() == "article":
        meta.is_article_type = True
    meta.published = meta.published or first(metadata._PUBLISHED_NAMES)
    meta.updated = meta.updated or first(metadata._UPDATED_NAMES)
    author = first(metadata._AUTHOR_NAMES)
    if author and "://" not in author:
        meta.author = meta.author or author
    meta.section = meta.section or values.get("article:section")
    meta.tags = meta.tags or tags


KEYS = [*sorted(metadata._META_KEYS), "viewport", "robots", "keywords", "og:image", ""]
CONTENTS = ["", " ", "\u00ad", "\u200b \u200b", "Tin mới", " Tin  mới ", "TIN", "2024-05-01",
            "Article", "article", "http://x.vn/a", "Nguyễn Văn A", "Ban Tuyên giáo\u00ad"]


def _random_head(rng: random.Random) -> str:
    metas = []
    for _ in range(rng.randrange(0, 25)):
        key = rng.choice(KEYS)
        key = rng.choice([key, key.upper(), f" {key} "])
        attribute = rng.choice(["property", "name", "itemprop"])
        content = rng.choice(CONTENTS)
        written = "" if rng.random() < 0.1 else f' content="{content}"'
        metas.append(f'<meta {attribute}="{key}"{written}>')
    return "<html><head>" + "".join(metas) + "</head><body><p>x</p></body></html>"


def _preset(rng: random.Random) -> Metadata:
    """What JSON-LD may have filled before the meta tags are read."""
    meta = Metadata()
    for name in ("site_name", "description", "published", "updated", "author", "section"):
        if rng.random() < 0.3:
            setattr(meta, name, f"ld {name}")
    if rng.random() < 0.3:
        meta.tags = ["ld tag"]
    return meta


def test_meta_tags_are_read_as_the_plain_definition_reads_them():
    rng = random.Random(16)
    heads = list(ROOTS)
    for _ in range(3000):
        root = parse(_random_head(rng))
        assert root is not None
        heads.append(root)
    set_fields = 0
    for root in heads:
        metas = list(root.iter("meta"))
        preset = _preset(rng)
        lazy, plain = Metadata(**vars(preset)), Metadata(**vars(preset))
        lazy.tags, plain.tags = list(preset.tags), list(preset.tags)
        metadata._read_meta_tags(metas, lazy)
        _plain_meta_tags(metas, plain)
        assert lazy == plain
        set_fields += sum(bool(v) for v in vars(lazy).values())
    assert set_fields > 10_000


def _characters_matching(letter: str) -> set[str]:
    pattern = re.compile(letter, re.I)
    return {chr(c) for c in range(sys.maxunicode + 1) if pattern.fullmatch(chr(c))}


def test_the_words_hides_looks_for_first_are_folded_by_lower():
    # What makes the word test sound: every character re.I matches to a letter of "none" or
    # "dden" lower-cases to that letter (unlike i, s and k, which ı, ſ and K also match).
    for letter in set("nonedden"):
        assert {c.lower() for c in _characters_matching(letter)} == {letter}
    assert {c.lower() for c in _characters_matching("i")} != {"i"}


PROPERTIES = ["display", "DISPLAY", "Display", "visibility", "VISIBILITY", "vİsibility",
              "vısibility", "ViSiBiLiTy", "diſplay", "color", "dis play"]
VALUES = ["none", "NONE", "None", "hidden", "HIDDEN", "hıdden", "hİdden", "HiDDen", "block",
          "no ne", "nonE", "dden", "10px", "hi dden"]
SPACES = ["", " ", "  ", "\t", "\n", "\u00a0"]


def _random_style(rng: random.Random) -> str:
    declarations = []
    for _ in range(rng.randrange(1, 4)):
        space = rng.choices(SPACES, k=3)
        declarations.append(
            f"{space[0]}{rng.choice(PROPERTIES)}{space[1]}{rng.choice([':', ';', ''])}"
            f"{space[2]}{rng.choice(VALUES)}"
        )
    return ";".join(declarations)


def test_hides_is_the_hidden_style_pattern():
    rng = random.Random(16)
    styles = {el.get("style") for root in ROOTS for el in root.iter() if el.get("style")}
    assert len(styles) > 30
    styles |= {_random_style(rng) for _ in range(50_000)}
    hidden = 0
    for style in styles:
        assert hides(style) == (_HIDDEN_STYLE.search(style) is not None), style
        hidden += hides(style)
    assert 1000 < hidden < len(styles) - 1000


@pytest.mark.parametrize(
    ("head", "href"),
    [
        ("", None),
        ("<base href='/tin/'>", "/tin/"),
        ("<base target='_blank'><base href='http://a.vn/x/'>", "http://a.vn/x/"),
        ("<base href=''><base href='/later/'>", ""),  # the first with an href, even empty
    ],
)
def test_base_href_is_that_of_the_first_base_carrying_one(head: str, href: str | None) -> None:
    root = parse(f"<html><head>{head}</head><body><p>x</p></body></html>")
    assert read_metadata(root).base_href == href


def test_links_start_from_the_base_href() -> None:
    prose = "<p>" + "Tỉnh ủy tổ chức hội nghị quán triệt nghị quyết của Trung ương. " * 4 + "</p>"
    html = (
        "<html><head><base href='http://cdn.example.vn/media/'></head><body><article>"
        f"<h1>Hội nghị</h1>{prose}<img src='anh.jpg'>{prose}{prose}</article></body></html>"
    )
    images = extract_article(html, "http://tinhuy.example.vn/tin/1.html")["images"]
    assert [image["src"] for image in images] == ["http://cdn.example.vn/media/anh.jpg"]
