"""extract_article survives any input and returns clean NFC text."""

from __future__ import annotations

import random
import unicodedata

import pytest

from crawler.extract import extract_article

URL = "https://example.gov.vn/tin-tuc/hoi-nghi-tong-ket-123.html"
KEYS = {
    "is_article", "title", "published_raw", "updated_raw", "author", "author_unit", "lead",
    "body", "captions", "images", "category", "tags", "related",
}
PARAGRAPH = (
    "Chiều 31/3/2021, đồng chí Lê Văn Hiệu, Phó Bí thư Thường trực Tỉnh ủy làm việc với tập thể "
    "lãnh đạo Trường Chính trị tỉnh về tình hình xây dựng Đề án đổi mới, nâng cao chất lượng."
)
ARTICLE = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Hội nghị tổng kết công tác năm 2020 - Tỉnh ủy</title></head><body>
<div class="top">Thứ năm, ngày 22/4/2021</div>
<ul class="menu"><li><a href="/">Trang chủ</a></li><li><a href="/a">Tin tức</a></li>
<li><a href="/b">Văn bản</a></li><li><a href="/c">Liên hệ</a></li><li><a href="/d">Ảnh</a></li></ul>
<div class="detail"><h1>Hội nghị tổng kết công tác năm 2020</h1>
<div class="date">Thứ Năm 01/04/2021 09:15</div>
<p>{PARAGRAPH}</p><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p>
<p style="text-align:right"><b>Phạm Thị Hoài, VPTU</b></p></div></body></html>"""


def _assert_sane(result: dict) -> None:
    assert set(result) == KEYS
    assert isinstance(result["is_article"], bool)
    for key in ("captions", "images", "tags", "related"):
        assert isinstance(result[key], list)
    for key, value in result.items():
        texts = value if isinstance(value, list) else [value]
        for text in texts:
            if isinstance(text, str):
                assert unicodedata.is_normalized("NFC", text), key
                assert "\xa0" not in text and "\u200b" not in text and "\x00" not in text, key


def test_well_formed_article():
    result = extract_article(ARTICLE, URL, site=None)
    _assert_sane(result)
    assert result["is_article"]
    assert result["title"] == "Hội nghị tổng kết công tác năm 2020"
    assert result["published_raw"] == "Thứ Năm 01/04/2021 09:15"
    assert (result["author"], result["author_unit"]) == ("Phạm Thị Hoài", "VPTU")
    assert "VPTU" not in result["body"]


@pytest.mark.parametrize("data", [b"", "", b"   \n\t", "<html></html>", b"\x00\x00\x00", "<<<>>>"])
def test_empty_input_gives_none_fields(data):
    result = extract_article(data, URL)
    _assert_sane(result)
    assert result["is_article"] is False
    assert result["title"] is None and result["body"] is None


@pytest.mark.parametrize("seed", range(20))
def test_random_bytes(seed):
    data = random.Random(seed).randbytes(random.Random(seed).randint(1, 20_000))
    _assert_sane(extract_article(data, URL))


@pytest.mark.parametrize("cut", [1, 50, 300, 700, 1000, len(ARTICLE) - 10])
def test_truncated_page(cut):
    _assert_sane(extract_article(ARTICLE[:cut], URL, site=None))
    _assert_sane(extract_article(ARTICLE.encode()[:cut], URL, site=None))


def test_five_megabyte_page():
    filler = "".join(f"<div><p>{PARAGRAPH} {i}</p><a href='/x{i}'>liên kết {i}</a></div>"
                     for i in range(20_000))
    page = ARTICLE.replace("</body>", filler + "</body>")
    assert len(page.encode()) > 5_000_000
    _assert_sane(extract_article(page, URL, site=None))


def test_deeply_nested_page():
    page = "<html><body>" + "<div>" * 5000 + PARAGRAPH + "</div>" * 5000 + "</body></html>"
    _assert_sane(extract_article(page, URL))


def to_cp1258(text: str) -> bytes:
    """Encode as windows-1258 does: vowel shapes precomposed (â, ơ...), tones as combining marks."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        base, *marks = unicodedata.normalize("NFD", char)
        for mark in list(marks):
            shaped = unicodedata.normalize("NFC", base + mark)
            if len(shaped) == 1 and shaped.encode("cp1258", "ignore"):
                base = shaped
                marks.remove(mark)
        out.append((base + "".join(marks)).encode("cp1258"))
    return b"".join(out)


def test_windows_1258_bytes():
    data = ARTICLE.replace('charset="utf-8"', 'charset="windows-1258"')
    encoded = to_cp1258(data)
    assert b"\xcc" in encoded or b"\xec" in encoded  # combining tone marks really are there
    result = extract_article(encoded, URL, site=None)
    _assert_sane(result)
    assert result["title"] == "Hội nghị tổng kết công tác năm 2020"
    assert result["author"] == "Phạm Thị Hoài"


def test_windows_1258_from_http_header_only():
    data = unicodedata.normalize("NFD", ARTICLE.replace('<meta charset="utf-8">', ""))
    headers = {"Content-Type": "text/html; charset=windows-1258"}
    result = extract_article(to_cp1258(data), URL, site=None, headers=headers)
    assert result["title"] == "Hội nghị tổng kết công tác năm 2020"


def test_nfd_input_is_returned_nfc():
    result = extract_article(unicodedata.normalize("NFD", ARTICLE), URL, site=None)
    _assert_sane(result)
    assert result["title"] == "Hội nghị tổng kết công tác năm 2020"


def test_str_and_bytes_agree():
    assert extract_article(ARTICLE, URL) == extract_article(ARTICLE.encode("utf-8"), URL)


def test_utf8_bom_and_mislabelled_charset():
    data = ARTICLE.replace('charset="utf-8"', 'charset="iso-8859-1"').encode("utf-8")
    assert extract_article(b"\xef\xbb\xbf" + data, URL)["title"].startswith("Hội nghị")
    assert extract_article(data, URL)["title"].startswith("Hội nghị")


def test_invisible_characters_are_dropped():
    page = ARTICLE.replace("tổng kết", "tổng\u200b\xa0kết\u00ad")
    result = extract_article(page, URL, site=None)
    _assert_sane(result)
    assert result["title"] == "Hội nghị tổng kết công tác năm 2020"


def test_xml_declaration_in_str():
    page = '<?xml version="1.0" encoding="utf-8"?>\n' + ARTICLE
    assert extract_article(page, URL)["title"] == "Hội nghị tổng kết công tác năm 2020"
