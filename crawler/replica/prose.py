"""The text of synthetic articles: Vietnamese Party news from a phrase grammar.

Real reports of a provincial committee share formulas ("Các cấp ủy, tổ chức
đảng đã quán triệt...") but each is about one field (rural roads, Party cells,
digital services), one commune, one cooperative and its own figures, so two
unrelated reports share few word 3-shingles: the 29 fixture articles from 8
sites have a mean pairwise shingle Jaccard similarity of 0.006. Text drawn
from a small bank of whole sentences would share a fifth of their shingles
and make every article a near-duplicate candidate of hundreds of others,
which the near-duplicate index then pays for. Here an article draws its
anchors (a field, a commune, a village, an organisation) once and builds
sentences from clause patterns whose slots come from pools; a sixth of the
sentences are the formulas.
"""

from __future__ import annotations

import random
from datetime import datetime

PLACES = (
    "thành phố Hải Dương", "thành phố Chí Linh", "thị xã Kinh Môn", "huyện Nam Sách",
    "huyện Kim Thành", "huyện Thanh Hà", "huyện Cẩm Giàng", "huyện Bình Giang",
    "huyện Gia Lộc", "huyện Tứ Kỳ", "huyện Ninh Giang", "huyện Thanh Miện",
)  # fmt: skip
UNITS = (
    "Ban Tổ chức Tỉnh ủy", "Ban Tuyên giáo Tỉnh ủy", "Ban Dân vận Tỉnh ủy",
    "Ủy ban Kiểm tra Tỉnh ủy", "Ban Nội chính Tỉnh ủy", "Văn phòng Tỉnh ủy",
    "Đảng ủy Khối các cơ quan tỉnh", "Đảng ủy Khối Doanh nghiệp tỉnh", "Hội Nông dân tỉnh",
    "Hội Liên hiệp Phụ nữ tỉnh", "Tỉnh đoàn", "Mặt trận Tổ quốc tỉnh",
)  # fmt: skip
PEOPLE = (
    "Phạm Xuân Thăng", "Triệu Thế Hùng", "Nguyễn Thị Ngọc Bích", "Lê Văn Hiệu",
    "Nguyễn Dương Thái", "Lương Văn Cầu", "Vũ Văn Sơn", "Trần Đức Thắng", "Bùi Thị Hằng",
    "Đỗ Mạnh Hiến", "Hoàng Văn Thụ", "Ngô Thị Thu Hà",
)  # fmt: skip
POSITIONS = (
    "Bí thư Tỉnh ủy", "Phó Bí thư Thường trực Tỉnh ủy", "Chủ tịch UBND tỉnh",
    "Trưởng Ban Tổ chức Tỉnh ủy", "Trưởng Ban Tuyên giáo Tỉnh ủy",
    "Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy",
    "Ủy viên Ban Thường vụ Tỉnh ủy", "Phó Chủ tịch HĐND tỉnh",
)  # fmt: skip
EVENTS = (
    "hội nghị sơ kết", "hội nghị tổng kết", "buổi làm việc", "hội nghị trực tuyến",
    "lễ trao tặng Huy hiệu Đảng", "hội nghị quán triệt", "đoàn kiểm tra", "buổi tiếp xúc cử tri",
)  # fmt: skip
TITLES = (
    "{Person} dự {event} về {topic} tại {place}",
    "{Unit} triển khai nhiệm vụ {topic} năm {year}",
    "{Place} đẩy mạnh {topic}",
    "Đồng chí {person} làm việc với {unit} về {topic}",
    "Tổ chức {event} {topic} {period} năm {year} tại {place}",
    "Nâng cao hiệu quả {topic} ở {place}",
    "{Unit}: {event} {topic} năm {year}",
    "Ban Thường vụ Tỉnh ủy cho ý kiến về {topic} của {place}",
)
LEADS = (
    "{Daypart} {day}/{month}/{year}, {unit} tổ chức {event} về {topic}.",
    "Ngày {day}/{month}/{year}, đồng chí {person}, {position} dự {event} tại {place}.",
    "{Daypart} {day}/{month}, {place} tổ chức {event} đánh giá kết quả {topic} {period}.",
    "Thực hiện chương trình công tác năm {year}, {unit} đã tổ chức {event} về {topic}.",
)
# Formulas that Party news repeats nearly word for word; one sentence in six.
FORMULAS = (
    "Theo báo cáo, {period} năm {year}, {place} đã hoàn thành {n} chỉ tiêu, đạt {pct}% kế hoạch.",
    "Các cấp ủy, tổ chức đảng đã quán triệt, triển khai nghiêm túc các chủ trương về {topic}.",
    "Toàn {place} có {n} tổ chức cơ sở đảng với {big} đảng viên.",
    "Phát biểu tại {event}, đồng chí {person}, {position} ghi nhận kết quả {unit} đạt được.",
    "Đồng chí đề nghị trong thời gian tới tiếp tục đổi mới nội dung, phương thức {topic}.",
    "Công tác {topic} được thực hiện chặt chẽ, đúng quy trình, quy định.",
    "Tuy nhiên, việc triển khai ở một số nơi còn chậm, chưa đồng bộ.",
    "Thực hiện Quyết định {n}/QĐ-UBND ngày {day}.{month}.{year} của UBND tỉnh, {unit} đã "
    "xây dựng kế hoạch cụ thể.",
    "Năm {year}, tổng vốn đầu tư phát triển trên địa bàn đạt {big} tỷ đồng, tăng {pct}% "
    "so với cùng kỳ.",
    "Hội nghị đã thảo luận, đánh giá những kết quả đạt được, chỉ ra hạn chế, nguyên nhân "
    "và bài học kinh nghiệm.",
    "{Unit} đã tham mưu ban hành {n} văn bản lãnh đạo, chỉ đạo về {topic}.",
    "Tỷ lệ hồ sơ giải quyết đúng hạn đạt {pct}%, số xã đạt chuẩn nông thôn mới nâng cao là {n}.",
    "Các đại biểu tập trung thảo luận, đề xuất nhiều giải pháp thiết thực để thực hiện "
    "thắng lợi nhiệm vụ năm {year}.",
    "Dịp này, {n} tập thể và {n2} cá nhân có thành tích xuất sắc được khen thưởng.",
    "Đồng chí {person} yêu cầu {place} phát huy vai trò người đứng đầu, nói đi đôi với làm.",
    "Nghị quyết số {n}-NQ/TU của Ban Chấp hành Đảng bộ tỉnh được cụ thể hóa bằng các "
    "chương trình hành động.",
    "Ủy ban Kiểm tra các cấp đã kiểm tra {n} tổ chức đảng và {n2} đảng viên khi có dấu hiệu "
    "vi phạm.",
    "Đến nay, {pct}% cán bộ, đảng viên đã được học tập, quán triệt đầy đủ.",
    "{Place} chú trọng phát triển đảng viên mới, trong năm kết nạp {n} đảng viên.",
    "Nhân dân trên địa bàn đồng tình, hưởng ứng các phong trào thi đua yêu nước.",
)
CAPTIONS = (
    "Đồng chí {person}, {position} phát biểu tại {event}",
    "Toàn cảnh {event} tại {place}",
    "Các đại biểu dự {event}",
    "{Unit} trao tặng giấy khen cho các tập thể, cá nhân",
)
DAYPARTS = ("Sáng", "Chiều", "Ngày", "Tối")
PERIODS = ("6 tháng đầu năm", "quý I", "9 tháng", "cả năm", "nhiệm kỳ 2020-2025")

# Fields of work, each with things an article about it names.
FIELDS: dict[str, tuple[str, ...]] = {
    "công tác xây dựng Đảng": (
        "sinh hoạt chi bộ", "phát triển đảng viên mới", "đánh giá, xếp loại tổ chức đảng",
        "quy hoạch cán bộ", "thu, nộp đảng phí", "bồi dưỡng lý luận chính trị",
    ),
    "xây dựng nông thôn mới": (
        "tiêu chí nông thôn mới nâng cao", "cứng hóa đường giao thông nội đồng",
        "chỉnh trang khu dân cư", "nhà văn hóa thôn", "kênh mương nội đồng",
        "khu dân cư kiểu mẫu",
    ),
    "chuyển đổi số": (
        "dịch vụ công trực tuyến toàn trình", "chữ ký số", "cơ sở dữ liệu đảng viên",
        "phần mềm quản lý văn bản", "thanh toán không dùng tiền mặt",
        "tổ công nghệ số cộng đồng",
    ),
    "sản xuất nông nghiệp": (
        "vùng vải thiều xuất khẩu", "cánh đồng mẫu lớn", "cà rốt vụ đông",
        "nuôi cá lồng trên sông", "tích tụ ruộng đất", "sản phẩm OCOP",
    ),
    "phát triển công nghiệp": (
        "hạ tầng khu công nghiệp", "cụm công nghiệp làng nghề", "giải phóng mặt bằng",
        "dự án có vốn đầu tư nước ngoài", "doanh nghiệp nhỏ và vừa", "nguồn điện sản xuất",
    ),
    "an sinh xã hội": (
        "hộ nghèo, hộ cận nghèo", "nhà ở cho người có công", "bảo hiểm y tế hộ gia đình",
        "quà Tết cho đối tượng chính sách", "việc làm cho lao động nông thôn",
        "trẻ em có hoàn cảnh đặc biệt",
    ),
    "chăm sóc sức khỏe nhân dân": (
        "trạm y tế xã", "tiêm chủng mở rộng", "khám sức khỏe định kỳ",
        "phòng, chống sốt xuất huyết", "an toàn thực phẩm", "bác sĩ gia đình",
    ),
    "giáo dục và đào tạo": (
        "trường đạt chuẩn quốc gia", "phổ cập giáo dục mầm non",
        "kỳ thi tốt nghiệp trung học phổ thông", "xã hội hóa giáo dục",
        "đội ngũ giáo viên", "phòng học kiên cố",
    ),
    "bảo vệ môi trường": (
        "thu gom rác thải sinh hoạt", "nước thải làng nghề", "trồng cây xanh",
        "hệ thống thủy nông Bắc Hưng Hải", "lò đốt rác", "nước sạch nông thôn",
    ),
    "kiểm tra, giám sát": (
        "tổ chức đảng có dấu hiệu vi phạm", "kê khai tài sản, thu nhập",
        "đơn thư khiếu nại, tố cáo", "thi hành kỷ luật đảng", "giám sát chuyên đề",
        "thu, chi tài chính đảng",
    ),
    "công tác dân vận": (
        "mô hình dân vận khéo", "quy chế dân chủ ở cơ sở", "đối thoại với nhân dân",
        "hòa giải ở cơ sở", "tiếp công dân", "đồng bào có đạo",
    ),
    "quốc phòng, an ninh": (
        "diễn tập khu vực phòng thủ", "công tác tuyển quân", "lực lượng dân quân tự vệ",
        "phòng cháy, chữa cháy", "trật tự an toàn giao thông", "phòng, chống ma túy",
    ),
    "văn hóa, du lịch": (
        "lễ hội mùa xuân Côn Sơn - Kiếp Bạc", "di tích quốc gia đặc biệt",
        "danh hiệu gia đình văn hóa", "du lịch cộng đồng", "thiết chế văn hóa cơ sở",
        "câu lạc bộ hát chèo",
    ),
    "thu, chi ngân sách": (
        "thu ngân sách nhà nước", "giải ngân vốn đầu tư công", "quyết toán ngân sách",
        "nợ đọng xây dựng cơ bản", "thu tiền sử dụng đất", "tiết kiệm chi thường xuyên",
    ),
    "cải cách hành chính": (
        "bộ phận một cửa", "chỉ số năng lực cạnh tranh cấp tỉnh", "thủ tục hành chính",
        "sắp xếp đơn vị hành chính cấp xã", "tinh giản biên chế",
        "chỉ số hài lòng của người dân",
    ),
    "công tác thanh niên": (
        "đoàn viên thanh niên", "dự án khởi nghiệp", "chiến dịch tình nguyện hè",
        "câu lạc bộ lý luận trẻ", "thanh niên hoàn thành nghĩa vụ quân sự",
        "phong trào sáng tạo trẻ",
    ),
}  # fmt: skip
# Syllables of place and organisation names: 38 * 38 names of communes, villages, cooperatives.
SYLLABLES = (
    "An", "Bình", "Cẩm", "Chi", "Cộng", "Đại", "Đồng", "Đức", "Gia", "Hà", "Hiệp", "Hòa",
    "Hồng", "Hưng", "Khánh", "Kim", "Lạc", "Lai", "Long", "Minh", "Nam", "Nghĩa", "Ngọc",
    "Nhân", "Phú", "Phúc", "Quang", "Quyết", "Tân", "Thái", "Thanh", "Thành", "Thịnh",
    "Tiên", "Trung", "Vĩnh", "Việt", "Yên",
)  # fmt: skip
ORGANISATIONS = (
    "Hợp tác xã dịch vụ nông nghiệp {name}", "Công ty TNHH {name}", "Công ty cổ phần {name}",
    "Trường THCS {name}", "Trạm y tế xã {name}", "Quỹ tín dụng nhân dân {name}",
)  # fmt: skip
VERBS = (
    "triển khai", "đẩy mạnh", "rà soát", "kiện toàn", "hoàn thiện", "nâng cao chất lượng",
    "sơ kết", "quán triệt", "cụ thể hóa", "tháo gỡ vướng mắc trong", "tăng cường kiểm tra",
    "đôn đốc", "hướng dẫn", "hỗ trợ", "đầu tư cho", "ưu tiên nguồn lực cho",
    "phối hợp thực hiện", "giám sát việc thực hiện", "nhân rộng", "đổi mới", "chấn chỉnh",
    "ban hành kế hoạch về", "khảo sát", "đánh giá", "lồng ghép", "tuyên truyền về",
    "vận động nhân dân tham gia", "tập trung chỉ đạo", "thẩm định", "bố trí kinh phí cho",
    "ra quân thực hiện", "kiểm điểm trách nhiệm về", "bàn giải pháp cho", "nghiệm thu",
)  # fmt: skip
HEADS = (
    "công tác", "phong trào", "chương trình", "kế hoạch", "mô hình", "đề án", "nhiệm vụ",
    "giải pháp về", "chỉ tiêu về", "hoạt động", "tiến độ", "kết quả", "quy chế", "hồ sơ",
    "nguồn vốn cho", "đợt cao điểm về", "chuyên đề",
)  # fmt: skip
SUBJECTS = (
    "{unit}", "{place}", "Đảng ủy xã {commune}", "UBND xã {commune}", "Chi bộ thôn {village}",
    "Hội Nông dân xã {commune}", "{organisation}", "Ủy ban MTTQ xã {commune}",
    "nhiều tổ chức cơ sở đảng", "{n} chi bộ trực thuộc", "các ngành chức năng của {place}",
    "Đảng ủy xã {commune2}",
)  # fmt: skip
ADVERBIALS = (
    "trong {period} năm {year}", "từ đầu năm {year} đến nay", "trong thời gian tới",
    "ngay từ những tháng đầu năm", "trước ngày {day}/{month}", "theo đúng lộ trình",
    "một cách quyết liệt, đồng bộ", "trên địa bàn xã {commune}", "tại thôn {village}",
    "giai đoạn {year}-{year5}", "sau {n} năm thực hiện", "trong tháng {month}",
    "dưới sự chỉ đạo của {unit}", "bằng nhiều hình thức phong phú",
    "với sự tham gia của {n} hộ dân", "ở {n} thôn, khu dân cư",
)  # fmt: skip
RESULTS = (
    ", đạt {pct}% kế hoạch", ", tăng {pct}% so với cùng kỳ",
    " với tổng kinh phí hơn {big} triệu đồng", " cho {n} hộ gia đình ở xã {commune2}",
    ", vượt {n} chỉ tiêu", ", giảm {pct}% so với năm {prev}",
    " với {n} lượt người tham gia", ", huy động {big} ngày công lao động",
    ", hoàn thành trước thời hạn {n} ngày", "", "", "",
)  # fmt: skip
GOALS = (
    "góp phần hoàn thành mục tiêu nghị quyết đại hội đảng bộ {place}",
    "tạo chuyển biến rõ nét về {field}", "bảo đảm thực chất, hiệu quả",
    "không để xảy ra tình trạng chậm tiến độ ở {item}",
    "phấn đấu đến năm {next} có {pct}% {item} đạt yêu cầu",
    "nâng cao đời sống vật chất, tinh thần của nhân dân xã {commune}",
)  # fmt: skip
CLAUSES = (
    "{Adverbial}, {subject} {verb} {head} {item}{result}.",
    "{Subject} {verb} {item} {adverbial}{result}.",
    "{Subject} đã {verb} {head} {item}, đồng thời {verb} {item}.",
    "Đồng chí {person}, {position} đề nghị {subject} {verb} {item}, {goal}.",
    "Toàn xã {commune} hiện có {n} {item}, {adverbial} đã {verb} {head} {item}{result}.",
    "Đối với {item}, {subject} cần {verb} {head} {item} {adverbial}, {goal}.",
    "Theo báo cáo của {organisation}, {adverbial} đã {verb} {n} {item}{result}.",
    "{Subject} kiến nghị {unit} {verb} {item}, nhất là ở thôn {village}.",
)  # fmt: skip
FORMULA_SHARE = 1 / 6


class _Slots(dict):
    """Slot values for the templates: the article's anchors, or fresh draws from
    its RNG as they are used (a pool value's own slots are filled in turn)."""

    def __init__(self, rng: random.Random, published: datetime) -> None:
        super().__init__()
        self.rng = rng
        self.published = published
        self.field = rng.choice(tuple(FIELDS))
        # One article in four also touches a second field.
        self.fields = (
            (self.field, rng.choice(tuple(FIELDS))) if rng.random() < 0.25 else (self.field,)
        )
        self.anchors = {
            "field": self.field,
            "commune": self._name(),
            "village": self._name(),
            "organisation": rng.choice(ORGANISATIONS).format(name=self._name()),
        }

    def _name(self) -> str:
        return f"{self.rng.choice(SYLLABLES)} {self.rng.choice(SYLLABLES)}"

    def __missing__(self, key: str) -> str:
        lower = key[0].lower() + key[1:]
        value = self._value(lower)
        return value[0].upper() + value[1:] if key[0].isupper() else value

    def _value(self, key: str) -> str:
        rng, p = self.rng, self.published
        if key in self.anchors:
            return self.anchors[key]
        pools = {
            "place": PLACES, "unit": UNITS, "person": PEOPLE, "position": POSITIONS,
            "event": EVENTS, "daypart": DAYPARTS, "period": PERIODS, "verb": VERBS,
            "head": HEADS, "subject": SUBJECTS, "adverbial": ADVERBIALS, "result": RESULTS,
            "goal": GOALS,
        }  # fmt: skip
        if key in pools:
            return _fill(rng.choice(pools[key]), self)
        if key == "topic":
            return self.field
        if key == "item":
            return rng.choice(FIELDS[rng.choice(self.fields)])
        if key == "commune2":
            return self._name()
        numbers = {"year": p.year, "month": p.month, "year5": p.year + 5, "prev": p.year - 1}
        if key in numbers:
            return str(numbers[key])
        if key == "next":
            return str(p.year + rng.randint(1, 5))
        if key == "day":
            return str(max(1, p.day - rng.randint(0, 2)))
        if key == "pct":
            return f"{rng.randint(60, 99)},{rng.randint(1, 9)}"
        if key == "big":
            return f"{rng.randint(1, 99)}.{rng.randint(100, 999)}"
        return str(rng.randint(2, 480))


def _fill(template: str, slots: dict) -> str:
    return template.format_map(slots)


class Prose:
    """The text of one article, drawn from its RNG."""

    def __init__(self, rng: random.Random, published: datetime) -> None:
        self.rng = rng
        self.slots = _Slots(rng, published)

    def title(self) -> str:
        return _fill(self.rng.choice(TITLES), self.slots)

    def lead(self) -> str:
        return _fill(self.rng.choice(LEADS), self.slots)

    def sentence(self) -> str:
        bank = FORMULAS if self.rng.random() < FORMULA_SHARE else CLAUSES
        return _fill(self.rng.choice(bank), self.slots)

    def paragraphs(self) -> tuple[str, ...]:
        rng = self.rng
        return tuple(
            " ".join(self.sentence() for _ in range(rng.randint(2, 4)))
            for _ in range(rng.randint(4, 8))
        )

    def caption(self) -> str:
        return _fill(self.rng.choice(CAPTIONS), self.slots)

    def tags(self) -> tuple[str, ...]:
        rng = self.rng
        extra = {rng.choice(tuple(FIELDS)) for _ in range(rng.randint(0, 2))}
        return tuple(sorted({*self.slots.fields, *extra}))
