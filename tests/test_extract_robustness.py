"""extract_article survives any input and returns clean NFC text."""

from __future__ import annotations

import random
import re
import unicodedata
from html import unescape
from pathlib import Path

import pytest

from crawler.extract import extract_article
from crawler.extract.decode import declared_charset, decode_html
from crawler.mirror import Reply
from crawler.replica.synthetic.faults import HTML, encode_cp1258, encoded

URL = "https://example.gov.vn/tin-tuc/hoi-nghi-tong-ket-123.html"
KEYS = {
    "is_article", "title", "published_raw", "updated_raw", "author", "author_unit", "source",
    "lead", "body", "captions", "images", "category", "tags", "related",
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


def test_an_invisible_character_between_a_letter_and_its_tone_mark_is_dropped():
    # u with horn, a soft hyphen, then the dot below: "ự" as windows-1258 writes it.
    page = ARTICLE.replace("xây dựng", "xây d\u01b0\u00ad\u0323ng")
    result = extract_article(page, URL, site=None)
    _assert_sane(result)
    assert result["body"].count("xây dựng") == 3


def test_xml_declaration_in_str():
    page = '<?xml version="1.0" encoding="utf-8"?>\n' + ARTICLE
    assert extract_article(page, URL)["title"] == "Hội nghị tổng kết công tác năm 2020"


# -- decoding: a charset label that does not fit the bytes ----------------------------

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"
META_CHARSET = re.compile(r"<meta[^>]*charset[^>]*>\s*", re.I)


def _saved_pages() -> dict[str, str]:
    """The saved pages that are UTF-8 (all but one), as NFC text: real Vietnamese."""
    pages = {}
    for path in sorted(PAGES.glob("*.html")):
        try:
            pages[path.stem] = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            continue
    return pages


SAVED = _saved_pages()
# Copied from the Hải Dương replica: the page the synthetic site's faults re-encode.
REPLICA_PAGE = SAVED["haiduong_replica_seed"]
UTF8 = {"Content-Type": "text/html; charset=utf-8"}
# label: (headers, whether the page keeps its <meta> charset, which every saved page has)
LABELS = {
    "header and meta say utf-8": (UTF8, True),
    "meta says utf-8": (None, True),
    "header says utf-8": (UTF8, False),
    "no label": ({"Content-Type": "text/html"}, False),
}


@pytest.mark.parametrize("label", LABELS)
def test_windows_1258_under_a_wrong_or_missing_label_decodes_to_the_nfc_original(label):
    headers, keep_meta = LABELS[label]
    assert len(SAVED) > 30
    for name, page in SAVED.items():
        text = page if keep_meta else META_CHARSET.sub("", page)
        data = to_cp1258(text)
        assert declared_charset(data, headers) == (None if label == "no label" else "utf-8")
        assert decode_html(data, headers) == text, name


@pytest.mark.parametrize("kind", ["cp1258", "nocharset", "cp1258 declared utf-8"])
def test_the_synthetic_sites_encoding_faults_decode(kind):
    if kind == "cp1258 declared utf-8":  # in the header and in the <meta>
        reply = Reply(200, encode_cp1258(REPLICA_PAGE), HTML)
    else:
        reply = encoded(kind, REPLICA_PAGE)
    text = decode_html(reply.body, {"Content-Type": reply.content_type})
    # The faults rewrite the <meta> charset; encode_cp1258 writes some letters as &#...;.
    assert unescape(META_CHARSET.sub("", text)) == unescape(META_CHARSET.sub("", REPLICA_PAGE))


@pytest.mark.parametrize("charset", ["utf-8", "windows-1258", None])
def test_a_stray_byte_in_a_utf8_page_is_one_replacement_character(charset):
    headers = {"Content-Type": f"text/html; charset={charset}" if charset else "text/html"}
    middle = len(REPLICA_PAGE) // 2
    head, tail = REPLICA_PAGE[:middle], REPLICA_PAGE[middle:]
    data = head.encode() + b"\xff" + tail.encode()
    assert decode_html(data, headers) == head + "\ufffd" + tail


def test_when_nothing_reads_the_bytes_cleanly_the_fewest_replacement_characters_win():
    middle = len(REPLICA_PAGE) // 2
    head, tail = REPLICA_PAGE[:middle], REPLICA_PAGE[middle:]
    # 0x81 is no character in windows-1258.
    data = to_cp1258(head) + b"\x81" + to_cp1258(tail)
    assert decode_html(data, UTF8) == head + "\ufffd" + tail


@pytest.mark.parametrize("charset", ["idna", "base64"])
def test_a_charset_that_reads_no_text_is_ignored(charset):
    page = f'<html><head><meta charset="{charset}"><title>Tin tuc</title></head></html>'
    assert decode_html(page.encode(), None) == page
