"""Is this page one article, or a listing, category, search, contact, index or home page?"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

_HOME_PATH = re.compile(r"^/?(?:(?:index|default|home|trang-?chu)(?:\.\w+)?)?/?$", re.I)
# Whole path segments only: an article slug may well contain `lien-he` ("liên hệ").
_NON_ARTICLE_URL = re.compile(
    r"/(?:tim-?kiem|search|tu-?khoa|lien-?he|contact|sitemap|so-do-site|tags?|dang-?nhap|login)"
    r"(?:[./?_-][a-z]*$|[/?]|$)|[?&](?:keyword|keywords|q|query|search|tukhoa)=",
    re.I,
)
_NON_ARTICLE_TITLE = re.compile(
    r"^(?:kết quả tìm kiếm|tìm kiếm|liên hệ|thông tin liên hệ|sơ đồ (?:site|trang)|"
    r"đăng nhập|trang chủ|search results?|contact(?: us)?)\b",
    re.I,
)
_CONTACT_LINE = re.compile(
    r"^(?:địa chỉ|điện thoại|đt|fax|e-?mail|hotline|website|giờ làm việc|số tài khoản)\b", re.I
)
_MIN_PROSE = 250
_MIN_TEASERS = 4
_MIN_PROSE_DECLARED = 120
# Undated pages must carry more prose to count: news articles print their date.
_MIN_PROSE_UNDATED = 600


@dataclass
class PageSignals:
    url: str
    title: str | None
    prose_chars: int  # lead and paragraphs of the chosen body
    paragraphs: list[str]
    dated: bool  # a publish date was found
    prose_blocks: int  # paragraphs of 60+ characters
    teaser_links: int  # linked headlines inside the body container
    date_lines: int  # short lines carrying a date inside the body container
    declared_article: bool  # JSON-LD Article or og:type article
    title_in_menu: bool  # the heading is also a menu entry: a section page
    # Paragraphs in the container that are no teaser's date or summary; None when not
    # counted, and then every prose block is taken as one.
    free_prose: int | None = None


def is_article(signals: PageSignals) -> bool:
    """Pages that list articles look article-ish (dates, long teasers); they list, not tell."""
    parts = urlsplit(signals.url)
    if _HOME_PATH.match(parts.path) and not parts.query:
        return False
    if _NON_ARTICLE_URL.search(f"{parts.path}?{parts.query}"):
        return False
    if not signals.title or _NON_ARTICLE_TITLE.match(signals.title):
        return False
    minimum = _MIN_PROSE_DECLARED if signals.declared_article else _MIN_PROSE
    if not signals.dated:
        minimum = max(minimum, _MIN_PROSE_UNDATED)
    if signals.prose_chars < minimum:
        return False
    contact = sum(1 for p in signals.paragraphs if _CONTACT_LINE.match(p))
    if contact >= 2 and contact * 3 >= len(signals.paragraphs):
        return False
    teasers, dates = signals.teaser_links, signals.date_lines
    # A heading that is a menu entry names a section, unless the page declares itself an
    # article (a post listed in a sidebar menu of recent posts) and lists nothing.
    declared_alone = signals.declared_article and not teasers and signals.dated
    if signals.title_in_menu and not declared_alone:
        return False
    if teasers >= 2 and dates >= 2:
        return False  # headline links that each come with a date: a list of articles
    free = signals.prose_blocks if signals.free_prose is None else signals.free_prose
    if teasers >= _MIN_TEASERS and teasers >= free:
        return False  # more headlines than paragraphs of their own: a list of articles
    return not (signals.date_lines >= 4 and signals.date_lines * 2 >= signals.prose_blocks)
