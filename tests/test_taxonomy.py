"""Breadcrumb and category candidates (crawler/extract/taxonomy.py): found in document
order without a walk to sort them, and their texts read only as far as their limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.extract.dom import parse, strip_junk
from crawler.extract.taxonomy import breadcrumbs, labelled_category, landmarks

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"


def test_trail_and_label_holders_come_once_each_in_document_order():
    held = 0
    for path in sorted(PAGES.glob("*.html")):
        root = parse(path.read_bytes())
        assert root is not None
        strip_junk(root)
        marks = landmarks(root)
        for found in (marks.trails, marks.labels):
            chosen = set(found)
            assert found == [el for el in root.iter() if el in chosen], path.name
            held += len(found)
    assert held > 100


def _marks(body: str):
    root = parse(f"<html><body>{body}</body></html>".encode())
    assert root is not None
    strip_junk(root)
    return landmarks(root)


# The longest breadcrumb line read (240) and the longest entry or category (80).
@pytest.mark.parametrize("size, read", [(240, True), (241, False)])
def test_a_breadcrumb_line_is_read_up_to_its_length_limit(size, read):
    opening = "Trang chủ » Tin tức » "
    last = "x" * (size - len(opening))
    marks = _marks(
        "<div>\n  <a href='/'>Trang chủ</a>\n  »  <a href='/tin'>Tin tức</a> » "
        f"<span>{last}</span>\n</div>"
    )
    assert breadcrumbs(marks, []) == (["Tin tức"] if read else [])


@pytest.mark.parametrize("size, read", [(80, True), (81, False)])
def test_a_labelled_category_is_read_up_to_its_length_limit(size, read):
    label = "Danh mục: "
    name = "Tin " + "y" * (size - len(label) - 4)
    marks = _marks(f"<p>\n {label}\n <a href='/c'>{name}</a>\n</p>")
    assert labelled_category(marks) == (name if read else None)


def test_a_long_wrapper_that_opens_like_a_breadcrumb_gives_way_to_the_breadcrumb_in_it():
    menu = "".join(f"\n  <li><a href='/m{i}'>Chuyên mục số {i}</a></li>" for i in range(40))
    marks = _marks(
        f"<div id='page'><ul><li><a href='/'>Trang chủ</a></li>{menu}</ul>"
        "<div><a href='/'>Trang chủ</a> › <a href='/tin'>Tin hoạt động</a></div>"
        "<p>Nội dung bài viết.</p></div>"
    )
    assert marks.trails[0].get("id") == "page"
    assert breadcrumbs(marks, []) == ["Tin hoạt động"]
