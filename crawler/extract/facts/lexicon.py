"""The words both documents and officials are read by: capitals, Roman numerals, document
types and the heads of positions.

Documents need the positions and officials the document types because each ends where a
phrase of the other kind begins (`của Thủ tướng Chính phủ`, `và Chỉ thị ...`).
"""

from __future__ import annotations

import re

# Vietnamese capitals (Latin-1, Latin Extended-A/B and Vietnamese blocks): `[A-Z]` misses
# Đ, Ư, Ô and every accented capital, and re has no \p{Lu}.
UP = "[" + "".join(
    c for r in ((0x41, 0x5B), (0xC0, 0x250), (0x1E00, 0x1F00)) for c in map(chr, range(*r))
    if c.isupper()
) + "]"
ROMAN = r"[IVXLC]+"

DOC_TYPES = (
    "Nghị quyết liên tịch", "Thông tư liên tịch", "Văn bản hợp nhất", "Nghị quyết",
    "Quyết định", "Chỉ thị", "Kết luận", "Kế hoạch", "Hướng dẫn", "Quy định", "Quy chế",
    "Thông báo", "Công văn", "Công điện", "Nghị định", "Thông tư", "Pháp lệnh", "Đề án",
    "Chương trình", "Tờ trình", "Báo cáo", "Điều lệ", "Văn bản", "Luật",
)

HEADS = (
    "Tổng Bí thư", "Tổng bí thư", "Thường trực Ban Bí thư", "Bí thư", "Chủ tịch", "Ủy viên",
    "Uỷ viên", "Tỉnh ủy viên", "Tỉnh uỷ viên", "Thành ủy viên", "Thành uỷ viên",
    "Huyện ủy viên", "Huyện uỷ viên", "Quận ủy viên", "Khu ủy viên", "Khu uỷ viên",
    "Đảng ủy viên", "Trưởng ban", "Trưởng đoàn", "Trưởng phòng", "Trưởng khoa", "Trưởng",
    "Giám đốc", "Tổng Giám đốc", "Chánh Văn phòng", "Chánh văn phòng", "Chánh án",
    "Chánh Thanh tra", "Chánh thanh tra", "Viện trưởng", "Đại biểu Quốc hội", "Bộ trưởng",
    "Thứ trưởng", "Hiệu trưởng", "Chủ nhiệm", "Thủ tướng", "Tư lệnh", "Chính ủy", "Chính uỷ",
    "Chỉ huy trưởng", "Tổng Thư ký", "Tổng thư ký", "Cục trưởng", "Vụ trưởng",
    "Tổng cục trưởng", "Chi cục trưởng", "Kiểm toán trưởng", "Tổng Tham mưu trưởng",
    "Tổng Biên tập", "Tổng biên tập", "Báo cáo viên",
    # Abbreviations of Party membership, printed with or without dots.
    "UVT.Ư", "UVTƯ", "UVTW", "UV.TW", "UV.BTV", "UVBTV", "UV BTV", "TUV", "HUV",
)
# Longest first: re takes the first alternative that fits, and `Trưởng` would cut
# `Trưởng ban` short.
HEAD_ALT = "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in sorted(HEADS, key=len)[::-1])
# After `Phó` or `Quyền` the head is often printed in lowercase (`Phó chủ tịch`, `Phó bí thư`).
LOWER_HEAD_ALT = "|".join(
    re.escape(h.lower()).replace(r"\ ", r"\s+")
    for h in sorted({h for h in HEADS if h[0].isupper() and h[1:2].islower()}, key=len)[::-1]
)
AFTER_DEPUTY = rf"(?:(?<=Phó\s)|(?<=Quyền\s))(?:{LOWER_HEAD_ALT})"
HEAD = re.compile(
    rf"(?:[Nn]guyên\s+)?(?:(?:Phó|Quyền)\s+)?(?P<head>{HEAD_ALT}|{AFTER_DEPUTY})(?!\w)"
)
