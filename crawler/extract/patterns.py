"""The vocabulary of Vietnamese news pages: chrome, related lists, labels, organisations."""

from __future__ import annotations

import re

from crawler.extract.literals import Literals

# class/id fragments of boilerplate containers. Distinctive words match anywhere (CMSs glue
# them: `divTinKhac`, `RelatedNews`); short ambiguous ones only as a separate class word.
_CHROME_ANYWHERE = (
    "breadcrumb", "footer", "sidebar", "side-bar", "comment", "binhluan", "binh-luan", "social",
    "sharing", "share", "related", "lienquan", "lien-quan", "tinkhac", "tin-khac", "tin_khac",
    "othernews", "other-news", "other_news", "newsother", "news-other", "pagination", "paging",
    "pager", "advert", "quangcao", "quang-cao", "banner", "widget", "toolbar", "tools", "print",
    "rating", "copyright", "cungchuyenmuc", "cung-chuyen-muc", "samecat", "same-cat", "fontsize",
    "font-size", "textsize", "navbar", "navigation", "menu", "keyword", "tukhoa", "tu-khoa",
    "hotline", "weather", "thoitiet", "popup", "modal", "cookie", "newsletter", "subscribe",
    "consent", "gdpr", "messenger",
)
# Short chrome words count only as a whole word of a class or id, between white space, `_`
# and `-`.
_CHROME_WORDS = Literals((
    "nav", "tag", "tags", "ad", "ads", "header", "search", "timkiem", "login", "logo", "other",
    "more", "aside", "foot", "tool", "utility", "link", "links", "lienket",
), whole=True)  # fmt: skip


def literal_alternation(words: tuple[str, ...]) -> str:
    """A pattern matching any of `words`, written as a trie (`b(?:anner|readcrumb)`): the
    regex engine then tries one branch per character instead of every word at every
    position, several times faster on the class strings of a real page."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def branch(node: dict[str, dict]) -> str:
        ends = "" in node
        alternatives = [re.escape(ch) + branch(sub) for ch, sub in sorted(node.items()) if ch]
        if not alternatives:
            return ""
        if len(alternatives) == 1 and not ends:
            return alternatives[0]
        return f"(?:{'|'.join(alternatives)})" + ("?" if ends else "")

    return branch(trie)


_CHROME_ANY = Literals(_CHROME_ANYWHERE)
_CONTENT = Literals((
    "content", "detail", "chitiet", "chi-tiet", "noidung", "noi-dung", "article", "entry",
    "postbody", "post-body", "story", "fck", "single", "baiviet", "bai-viet", "newsbody",
    "news-body", "maintext", "main-text", "bodytext", "body-text", "textcontent",
    "text-content", "sapo",
))  # fmt: skip
# The site header (logo, top bar, today-line), by whole class/id token: `item-header` or
# `post-header` hold an article's title and date, and `top` alone is Joomla's page wrapper id.
_HEADER_TOKEN = re.compile(
    r"^(?:\w+_)?(?:(?:site|main|top|page-?top)-?)?header(?:-?(?:top|inner|wrap(?:per)?|"
    r"container|area|main|bar))?$|^(?:\w+_)?(?:topbar|top-bar|banner|masthead|logo)$"
)

_HEADER_HINT = Literals(("header", "topbar", "top-bar", "banner", "masthead", "logo"))


def is_chrome_class(attrs: str) -> bool:
    """True for the class/id of a menu, share bar, related list, sidebar or footer."""
    if not attrs.strip():
        return False
    attrs = attrs.replace("sharepoint", "")
    if _CHROME_ANY.occurs_in(attrs):
        return True
    # A short chrome word beside a content word (`article-header`, `detail-nav`) is content.
    return _CHROME_WORDS.occurs_in(attrs) and not (
        _CONTENT.occurs_in(attrs) or "page-header" in attrs
    )


# Reader comments: chrome by what they hold, however much prose that is.
_COMMENT = Literals(
    ("comment", "binhluan", "binh-luan", "ykien", "y-kien", "disqus", "respond", "reply")
)


def is_comment_class(attrs: str) -> bool:
    return _COMMENT.occurs_in(attrs)


def is_content_class(attrs: str) -> bool:
    return _CONTENT.occurs_in(attrs)


def is_header_class(attrs: str) -> bool:
    # Each header token names one of these: most class lists are ruled out in one test.
    if not _HEADER_HINT.occurs_in(attrs):
        return False
    return any(_HEADER_TOKEN.match(token) for token in attrs.split())


# Short lines of page chrome: font-size widgets, print/e-mail/share bars, counters, back links.
CHROME_LINE = re.compile(
    r"^(?:xem với cỡ chữ|cỡ chữ|kích thước chữ|in bài(?: viết| này)?|in trang|bản in|"
    r"gửi (?:email|e-mail|bài(?: viết)?|cho bạn bè|tin(?: bài)?)|chia sẻ(?: bài viết)?|"
    r"lưu (?:bài|tin)(?: viết)?|quay (?:lại|về)|trở (?:về|lại)|về đầu trang|lên đầu trang|"
    r"đầu trang|(?:số )?lượt xem|đã xem|bình luận|ý kiến (?:bạn đọc|của bạn)|gửi ý kiến|"
    r"đánh giá|tweet|share|like|facebook|zalo|twitter|e-?mail|print|font size|"
    r"\d[\d.,]* (?:lượt xem|lượt đọc|views?)|lượt truy cập|"
    r"(?:a[-+]?\s*){2,3}|[<«‹]*\s*(?:trang trước|trang sau)|top|back|"
    r"(?:tags?|từ kh(?:óa|oá|oa)|chủ đề)\s*:.*)"
    # What may follow: counters and separators, or a font-size widget's A- A A+; no words,
    # so that a short real paragraph opening with `Chia sẻ`, `Đánh giá`... stays body.
    r"[\s:|/·•()\d.,+-]{0,20}(?:a[-+]?\s*){0,3}$",
    re.I,
)
CHROME_LINE_MAX = 60

# Headings that open a list of other articles; everything from them on is not the body.
# A label followed by a colon and a headline (`Xem thêm: <title>`, `Các bài viết khác trong
# mục này: « <title>`) is one teaser line, or a previous/next link, not a list's heading.
RELATED_HEADING = re.compile(
    r"(?:^(?:[-–»>•*\s]*)(?:(?:các|những) )?(?:tin|bài|bài viết|tin bài|tin tức|thông tin|"
    r"văn bản|video|ảnh)"
    r"(?: (?:khác|liên quan|cùng (?:chuyên mục|chuyên đề|loại|danh mục)|mới hơn|cũ hơn|"
    r"mới(?: nhất)?|đã đưa|đọc nhiều(?: nhất)?|xem nhiều(?: nhất)?|nổi bật|tiêu điểm|"
    r"trước|tiếp theo|đã đăng|cùng ngày))+"
    r"|^(?:xem thêm|đọc thêm|có thể bạn quan tâm|bạn có thể quan tâm|cùng chuyên mục|có liên quan|"
    r"related (?:articles|posts|news)|other news|more news))(?![\w ]*:\s*\S)",
    re.I,
)
RELATED_HEADING_MAX = 60
# The characters RELATED_HEADING lets a heading open with, in either case: its leaders
# (`» Tin liên quan`; white space is tested apart) and the first letters of its words
# (`Các tin khác`, `XEM THÊM`, `Related posts`). Most lines open with another and skip
# the pattern; tests/test_field_shortcuts.py checks the set against the pattern's parse.
_HEADING_LETTERS = "cntbvảxđrom"
RELATED_HEADING_INITIALS = frozenset("-–»>•*" + _HEADING_LETTERS + _HEADING_LETTERS.upper())


def related_heading(text: str) -> re.Match[str] | None:
    """RELATED_HEADING.match(text), ruled out at once for a line that opens with a
    character no heading opens with: most lines."""
    opening = text[:1]
    if opening in RELATED_HEADING_INITIALS or opening.isspace():
        return RELATED_HEADING.match(text)
    return None

# Organisation words that start a unit, never a person's name.
ORG_PREFIX = re.compile(
    r"^(?:văn phòng|ban |báo |sở |trung tâm|phòng |huyện ủy|huyện uỷ|thành ủy|thành uỷ|tỉnh ủy|"
    r"tỉnh uỷ|đảng ủy|đảng uỷ|đảng bộ|hội |đài |cổng |tạp chí|bộ |ủy ban|uỷ ban|ubnd|hđnd|"
    r"công an|cục |chi cục|liên đoàn|trường |viện |đoàn thanh niên|mặt trận|mttq|thông tấn|"
    r"cơ quan|quận ủy|thị ủy|thị uỷ|xã |phường |huyện |thành phố|tp\.? |tổng |kho bạc|"
    r"ngân hàng|công ty|hội đồng|bộ chỉ huy|bệnh viện|tòa án|toà án|viện kiểm sát|"
    r"thanh tra|ubkt|ủy ban kiểm tra|btg|vptu|ttxvn|vov|vtv|đài phát thanh|nhóm phóng viên)",
    re.I,
)

SITE_TITLE_SEPARATORS = re.compile(r"\s+(?:[-–—|:»«/]|::|\|\|)\s+")
