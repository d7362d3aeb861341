"""Vietnamese personal names: family names, how long a name runs, the titles printed before it.

The byline reader (crawler.extract.author) and the officials reader (crawler.extract.facts)
both decide whether capitalized words are a person; they read these lists so that a name
one of them accepts the other does not refuse.
"""

from __future__ import annotations

import re

# Family names as printed, Kinh and those of the minorities (Tày, Thái, Hmông, Khmer, Ê Đê,
# Gia Rai: Ma, Lò, Giàng, Thạch, Chẩu, Niê, Ksor). Only family names: not the Ê Đê man's
# prefix `Y`, nor the generation names of the royal Nguyễn Phúc clan (`Ưng`, `Bửu`), which
# stand where a surname would.
SURNAMES = frozenset((
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Triệu", "Đinh", "Lương", "Mai", "Trịnh", "Đào", "Cao", "Lâm",
    "Đoàn", "Tạ", "Hà", "Tô", "Thái", "Quách", "Chu", "Lưu", "Vương", "Phùng", "Kiều", "Nông",
    "Lục", "Lò", "Hầu", "Giàng", "Sùng", "Vàng", "Thào", "Mùa", "Lầu", "Tăng", "Khúc", "Lại",
    "Nghiêm", "Mạc", "La", "Tống", "Khổng", "Diệp", "Âu", "Bạch", "Doãn", "Giang", "Kim", "Lã",
    "Mẫn", "Ninh", "Phí", "Quản", "Thân", "Thạch", "Tiêu", "Từ", "Vi", "Bế", "Hứa", "Bạc", "Cù",
    "Đàm", "Đồng", "Hàn", "Khương", "Khuất", "Lạc", "Nhữ", "Quan", "Tôn", "Trương", "Uông", "Văn",
    "Vy", "Lường", "Lô", "Viên", "Ma", "Châu", "Cấn", "Lữ", "Ông", "Đường", "Đậu", "Ứng",
    "Tất", "Chẩu", "Sầm", "Lộc", "Vừ", "Lù", "Niê", "Ksor", "Siu", "Kpă", "Mlô", "Byă",
))

# A person's name has two to five syllables (`Lê Duẩn`, `Nguyễn Thị Thu Hà`).
MIN_NAME_WORDS = 2
MAX_NAME_WORDS = 5

# Academic, medical and honorary titles printed before a name (`PGS.TS`, `BSCKII`,
# `NSƯT`), longer forms before their prefixes. They are dropped from names so that one
# person is one name whatever the title printed that day.
TITLES = (
    "GS", "PGS", "TSKH", "TS", "ThS", "BSCKII", "BSCKI", "BSCK", "BS", "DS", "KS", "LS",
    "NGND", "NGƯT", "NSND", "NSƯT",
)
# Army and police ranks are a grade and a tier: `Đại tá`, `Thiếu tướng`, `Trung úy`.
RANK_GRADES = ("Đại", "Thượng", "Trung", "Thiếu")
RANK_TIERS = ("tướng", "tá", "úy", "uý")


def is_surname(word: str) -> bool:
    """Whether a word is a family name, in any case (`NGUYỄN`, `Nguyễn`)."""
    return word.capitalize() in SURNAMES


_RANKS = tuple(f"{grade} {tier}" for grade in RANK_GRADES for tier in RANK_TIERS)
# Titles and ranks heading a byline, however they are joined: `PGS.TS`, `PGS-TS`, `Đại tá,
# PGS, TS`, `TS.Vũ`. Ranks are also printed in capitals with the name (`ĐẠI TÁ NGUYỄN VĂN A`).
_TITLES_BEFORE = re.compile(
    r"^(?:(?:"
    + "|".join(sorted((*TITLES, *_RANKS, *(r.upper() for r in _RANKS)), key=len, reverse=True))
    + r")(?:\.\s*|\s*[,-]\s*|\s+)(?=\w))+"
)


def strip_titles(text: str) -> str:
    """The name without the titles and ranks printed before it (`ThS. Mai Thị Thu Hiền`)."""
    return _TITLES_BEFORE.sub("", text)
