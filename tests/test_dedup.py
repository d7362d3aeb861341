"""Article identity: one spelling per URL, the site's own id as the key."""

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from crawler.sites import get_site
from crawler.sites.urls import canonical_url
from pipelines.stages.identity import article_key, fingerprint, normalized_words

HD = get_site("haiduong")


def test_tracking_parameters_fragments_and_default_ports_are_dropped() -> None:
    url = "HTTP://Example.vn:80/tin/a-1.html?utm_source=facebook&b=2&a=1&fbclid=x#top"
    assert canonical_url(url) == "http://example.vn/tin/a-1.html?a=1&b=2"


def test_a_replica_of_a_registered_site_is_named_by_the_site_origin() -> None:
    url = "http://127.0.0.1:8123/tin-hoat-dong/lam-viec-1523.html?utm_medium=social"
    assert canonical_url(url, HD) == "https://haiduong.dcs.vn/tin-hoat-dong/lam-viec-1523.html"


def test_the_site_article_id_is_the_key_across_categories() -> None:
    a = article_key("https://haiduong.dcs.vn/tin-hoat-dong/lam-viec-1523.html", HD)
    b = article_key("http://127.0.0.1:9/xay-dung-dang/lam-viec-1523.html?utm_source=x", HD)
    assert a == b == "id:1523"


def test_without_an_id_the_key_is_the_canonical_url() -> None:
    assert article_key("https://haiduong.dcs.vn/lien-he.html#map", HD) == (
        "https://haiduong.dcs.vn/lien-he.html"
    )


def test_fingerprint_ignores_case_punctuation_whitespace_and_normal_form() -> None:
    nfc = "Chiều 31/3/2021, đồng chí Lê Văn Hiệu làm việc."
    nfd = "Chie\u0302\u0300u 31/3/2021 ,  \u0111o\u0302\u0300ng chí LÊ VĂN HIỆU làm việc"
    assert fingerprint(nfc) == fingerprint(nfd)
    assert fingerprint(nfc) != fingerprint("Sáng 31/3/2021, đồng chí Lê Văn Hiệu làm việc.")


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_normalized_words_are_the_word_pattern_matches(text: str) -> None:
    expected = re.findall(r"\w+", unicodedata.normalize("NFC", text).casefold())
    assert list(normalized_words(text)) == expected
