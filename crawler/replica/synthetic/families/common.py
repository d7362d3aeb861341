"""What every family's templates share: sections, bylines, the article body with its
images, page-number windows and the Vietnamese date words CMSs print."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from crawler.replica import render
from crawler.replica.prose import FIELDS
from crawler.replica.synthetic.content import Article, Byline

text = render.text
attr = render.attr

REPORTERS = (
    "Hoàng Minh", "Thu Hà", "Nguyễn Thanh Tùng", "Lê Phương", "Quang Huy", "Bích Ngọc",
    "Trần Đức Thắng", "Mai Lan", "Phạm Văn Hùng", "Thiên Trúc", "Hồng Nhung", "Văn Toàn",
)  # fmt: skip
UNITS = (
    "Ban Tuyên giáo Tỉnh ủy", "Văn phòng Tỉnh ủy", "UBKT Tỉnh ủy", "Ban Dân vận Tỉnh ủy",
    "Trung tâm Văn hóa - Thông tin huyện", "BTGTU", "VPTU",
)  # fmt: skip
PAPERS = ("Báo Nhân Dân", "TTXVN", "Báo Quân đội nhân dân", "Báo Tuyên Quang", "Báo Hà Nam")

# How each byline form is printed and what a reader of the page takes from it:
# (line, person, unit, source).
FORMS: dict[str, Callable[[str, str, str], Byline]] = {
    "name_unit_comma": lambda n, u, p: (f"{n}, {u}", n, u, None),
    "name_unit_dash": lambda n, u, p: (f"{n} - {u}", n, u, None),
    "name_unit_paren": lambda n, u, p: (f"{n} ({u})", n, u, None),
    "unit_name": lambda n, u, p: (f"{u} - {n}", n, u, None),
    "name_unit_slash": lambda n, u, p: (f"{n}/{u}", n, u, None),
    "name": lambda n, u, p: (n, n, None, None),
    "caps": lambda n, u, p: (n.upper(), n.upper(), None, None),
    "pv": lambda n, u, p: ("PV", "PV", None, None),
    "theo": lambda n, u, p: (f"Theo {p}", None, None, p),
    "nguon": lambda n, u, p: (f"(Nguồn: {p})", None, None, p),
    # NukeViet's two labelled lines under the body.
    "tac_gia_nguon_tin": lambda n, u, p: (f"Tác giả: {n}; Nguồn tin: {u}", n, None, u),
    "nguon_tin": lambda n, u, p: (f"Nguồn tin: {u}", None, None, u),
    "none": lambda n, u, p: (None, None, None, None),
}


def bylines(weights: dict[str, int]) -> Callable[[random.Random], Byline]:
    """A byline drawer for a family's habits: the forms its editors use, how often."""
    forms = tuple(weights)
    counts = tuple(weights.values())

    def draw(rng: random.Random) -> Byline:
        form = rng.choices(forms, weights=counts)[0]
        return FORMS[form](rng.choice(REPORTERS), rng.choice(UNITS), rng.choice(PAPERS))

    return draw


@dataclass(frozen=True)
class Section:
    """A category of a family's site: `key` is the CMS's number for it (tabid, catid,
    list id), `alias` the name in its URLs."""

    slug: str
    name: str
    key: int
    alias: str


def body_html(
    article: Article,
    paragraph: Callable[[str], str],
    image: Callable[[dict], str],
) -> str:
    """The article's paragraphs with its images where the editor put them."""
    by_position: dict[int, list[str]] = {}
    for item in article.images:
        by_position.setdefault(item["before"], []).append(image(item))
    parts: list[str] = []
    for index, value in enumerate(article.paragraphs):
        parts.extend(by_position.pop(index, []))
        parts.append(paragraph(value))
    for position in sorted(by_position):
        parts.extend(by_position[position])
    return "\n".join(parts)


def shown_pages(page: int, pages: int) -> list[int]:
    """The page numbers a pager shows: the first, the last and two either side."""
    return sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})


WEEKDAYS_LOWER = ("Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật")
MONTHS = (
    "Một", "Hai", "Ba", "Tư", "Năm", "Sáu", "Bảy", "Tám", "Chín", "Mười", "Mười Một", "Mười Hai",
)  # fmt: skip


def weekday(day: date, lower: bool = False) -> str:
    """`Thứ Hai` (or `Thứ hai`, as many headers print it)."""
    return WEEKDAYS_LOWER[day.weekday()] if lower else render.weekday_name(day)


def dmy(when: datetime | date) -> str:
    return f"{when:%d/%m/%Y}"


def lead_of(article: Article, limit: int = 220) -> str:
    return render.shorten(article.lead, limit)


@dataclass(frozen=True)
class Document:
    """A row of the site's document index (`Văn bản`): not an article, a file."""

    number: str
    issued: date
    title: str
    file: str


DOCUMENT_KINDS = (
    ("NQ/TU", "Nghị quyết"), ("CT/TU", "Chỉ thị"), ("KH/TU", "Kế hoạch"),
    ("QĐ/TU", "Quyết định"), ("HD/BTGTU", "Hướng dẫn"), ("TB/TU", "Thông báo"),
)  # fmt: skip
DOCUMENTS = 12
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def documents(seed: int, newest: date) -> list[Document]:
    """The site's newest documents, newest first: depend on the seed and the site's age."""
    rng = random.Random(f"{seed}/documents")
    out = []
    for k in range(DOCUMENTS):
        code, kind = rng.choice(DOCUMENT_KINDS)
        number = f"{DOCUMENTS * 10 - k * 3 - rng.randrange(3)}-{code}"
        topic = rng.choice(tuple(FIELDS))
        issued = date.fromordinal(newest.toordinal() - k * 9 - rng.randrange(5))
        file = "/Uploads/VanBan/" + render.slugify(number) + ".pdf"
        out.append(Document(number, issued, f"{kind} về {topic}", file))
    return out


def documents_table(items: list[Document]) -> str:
    """The list view every family's document page shows: number, date, summary, file."""
    rows = "\n".join(
        f'<tr><td class="so-hieu">{text(d.number)}</td><td class="ngay">{dmy(d.issued)}</td>'
        f'<td class="trich-yeu">{text(d.title)}</td>'
        f'<td><a href="{attr(d.file)}" class="tai-ve">Tải về</a></td></tr>'
        for d in items
    )
    return (
        '<table class="van-ban" border="1" cellpadding="4" cellspacing="0" width="100%">\n'
        "<tr><th>Số hiệu</th><th>Ngày ban hành</th><th>Trích yếu</th><th>Tệp</th></tr>\n"
        f"{rows}\n</table>"
    )
