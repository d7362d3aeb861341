"""Article identity: one spelling per URL, the site's own id as the key."""

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from crawler.sites import get_site
from crawler.sites.urls import canonical_url, site_url
from pipelines.stages.identity import article_key, fingerprint, normalized_words

HD = get_site("haiduong")


def test_tracking_parameters_fragments_and_default_ports_are_dropped() -> None:
    url = "HTTP://Example.vn:80/tin/a-1.html?utm_source=facebook&b=2&a=1&fbclid=x#top"
    assert canonical_url(url) == "http://example.vn/tin/a-1.html?a=1&b=2"


def test_a_replica_of_a_registered_site_is_named_by_the_site_origin() -> None:
    url = "http://127.0.0.1:8123/news/Pages/new.aspx?CateID=1&ItemID=3523&utm_medium=social"
    assert site_url(url, HD) == "http://tinhuyhaiduong.vn/news/Pages/new.aspx?CateID=1&ItemID=3523"
    assert canonical_url(url, HD) == "http://tinhuyhaiduong.vn/news/Pages/new.aspx?ItemID=3523"


def test_the_site_article_id_is_the_key_across_categories() -> None:
    a = article_key("http://tinhuyhaiduong.vn/news/Pages/new.aspx?CateID=1&ItemID=3523", HD)
    b = article_key("http://127.0.0.1:9/news/pages/new.aspx?ItemID=3523&utm_source=x", HD)
    c = article_key("https://www.tinhuyhaiduong.vn/news/Pages/new.aspx?CateID=2&ItemID=3523", HD)
    assert a == b == c == "id:3523"


def test_without_an_id_the_key_is_the_canonical_url() -> None:
    assert article_key("http://tinhuyhaiduong.vn/Pages/lien-he.aspx#map", HD) == (
        "http://tinhuyhaiduong.vn/Pages/lien-he.aspx"
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
