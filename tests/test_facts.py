"""Facts from article text: cited documents, officials, event dates.

The examples read the seed article of the Hải Dương site; the measured part scores the
extractors on `data/facts_labelled.json`, sentences and leads written and labelled by
hand (including traps: view counters, phone numbers, bare years, ranges, names inside
organisation names, positions without a name, the author line).
"""

from __future__ import annotations

import json
import random
import re
import time
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

import pytest

from crawler.extract.facts import cited_documents, event_date, officials

# The replica keeps a copy of the seed text of ../shared/seed, so a clone is self-contained.
SEED = (
    Path(__file__).resolve().parents[1] / "fixtures" / "site" / "source" / "seed-article-text.txt"
)
LABELLED = json.loads((Path(__file__).parent / "data" / "facts_labelled.json").read_text())
ITEMS = LABELLED["items"]


@pytest.fixture(scope="module")
def seed() -> str:
    return SEED.read_text(encoding="utf-8")


def _lead(article: str) -> str:
    return next(line for line in article.splitlines() if line.startswith("Chiều 31/3/2021"))


# ------------------------------------------------------------------------ the seed article


def test_seed_event_date(seed):
    assert event_date(_lead(seed), published="2021-04-01T09:15:00+07:00") == ("2021-03-31", "chiều")


def test_seed_decision_is_grouped_with_its_date_and_issuer(seed):
    documents = {d["doc_id"]: d for d in cited_documents(seed)}
    decision = documents["705/QĐ-TTg"]
    assert decision["type"] == "Quyết định"
    assert (decision["number"], decision["code"]) == ("705", "QĐ-TTg")
    assert decision["date"] == "2019-06-07"
    assert decision["issuer"] == "Thủ tướng Chính phủ"
    assert decision["count"] == 2
    assert decision["text"] == "Quyết định 705/QĐ-TTg ngày 7.6.2019 của Thủ tướng Chính phủ"


def test_seed_congress_resolution_is_a_document(seed):
    documents = {d["doc_id"]: d for d in cited_documents(seed)}
    assert "Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XVII" in documents
    assert list(documents) == ["705/QĐ-TTg", "Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XVII"]


def test_seed_officials_without_the_author(seed):
    assert officials(seed, exclude=["Phạm Thị Hoài"]) == [
        {"name": "Lê Văn Hiệu", "position": "Phó Bí thư Thường trực Tỉnh ủy", "title": None},
    ]


def test_seed_in_decomposed_unicode(seed):
    nfd = unicodedata.normalize("NFD", seed)
    assert cited_documents(nfd)[0]["doc_id"] == "705/QĐ-TTg"
    assert officials(nfd)[0]["name"] == "Lê Văn Hiệu"


# --------------------------------------------------------------------------- examples


def test_code_shapes_and_normalized_ids():
    text = (
        "Thực hiện Chỉ thị 5-CT/TW, Chỉ thị số 05 - CT/TW, Nghị định 30/2020/NĐ-CP, "
        "Công văn 1520/UBND-VP và 1521/UBND-VP, Kết luận số 127–KL/TW."
    )
    found = [(d["doc_id"], d["type"], d["count"]) for d in cited_documents(text)]
    assert found == [
        ("05-CT/TW", "Chỉ thị", 2),
        ("30/2020/NĐ-CP", "Nghị định", 1),
        ("1520/UBND-VP", "Công văn", 1),
        ("1521/UBND-VP", "Công văn", 1),
        ("127-KL/TW", "Kết luận", 1),
    ]
    decree = cited_documents("Nghị định 30/2020/NĐ-CP")[0]
    assert (decree["number"], decree["code"]) == ("30", "2020/NĐ-CP")


def test_numbers_that_are_not_documents():
    text = (
        "Lượt xem: 7370. Điện thoại: 0220.3852.123. Năm 2021, giai đoạn 2021-2025, "
        "ngày 7/6/2019, tỷ lệ 8/18 xã, phòng chống COVID-19, quý I/2021."
    )
    assert cited_documents(text) == []


def test_plenum_resolution_in_words():
    text = "Nghị quyết Hội nghị lần thứ tư Ban Chấp hành Trung ương Đảng khóa XII"
    assert [d["doc_id"] for d in cited_documents(text)] == ["Nghị quyết Trung ương 4 khóa XII"]


def test_positions_merge_to_the_most_informative():
    text = (
        "Đồng chí Trần Đức Thắng, Bí thư Tỉnh ủy dự hội nghị. Đồng chí Trần Đức Thắng, "
        "Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy phát biểu. Đồng chí Trần Đức Thắng kết luận."
    )
    assert officials(text) == [{
        "name": "Trần Đức Thắng", "position": "Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy",
        "title": None,
    }]


def test_event_date_needs_a_date_that_opens_a_clause():
    assert event_date(
        "Ban Thường vụ Tỉnh ủy đã họp và dự kiến tổ chức hội nghị vào ngày 30/6.",
        published="2021-06-01",
    ) == (None, None)
    assert event_date("Ngày 4/7, Ban Chấp hành Đảng bộ tỉnh họp.") == (None, None)
    assert event_date("") == (None, None)


def test_one_entry_per_document_and_the_author_is_not_an_official():
    # `tinhuy facts --top` counts articles, not mentions: a document cited twice in one
    # article is one entry whose `count` holds the mentions.
    body = "theo Quyết định 705/QĐ-TTg, Quyết định 705/QĐ-TTg và Nghị quyết 29-NQ/TW"
    found = [(d["doc_id"], d["count"]) for d in cited_documents(body)]
    assert found == [("705/QĐ-TTg", 2), ("29-NQ/TW", 1)]
    text = "Đồng chí Lê Văn Hiệu, Phó Bí thư Tỉnh ủy dự."
    assert officials(text) == [
        {"name": "Lê Văn Hiệu", "position": "Phó Bí thư Tỉnh ủy", "title": None},
    ]
    assert officials(text, exclude=["Lê Văn Hiệu"]) == []


def test_citation_forms_of_issue_17():
    text = (
        "Căn cứ Thông tư liên tịch số: 183/2010/TTLT/BTC-BNN; Quy định số31-QĐ/TW; "
        "Quy định số 646/QĐ/QUTW; Luật Doanh nghiệp số 68/2014/QH13; Công văn (số 73/TTg-CN); "
        "Tờ trình số 473/TTr - NN&PTNT ngày 21/5/2007; Nghị quyết số 30c/NQCP; "
        "Thông báo số 70-TB/TWngày 06 tháng 01 năm 2012 của Ban Bí thư."
    )
    found = [(d["doc_id"], d["type"], d["date"]) for d in cited_documents(text)]
    assert found == [
        ("183/2010/TTLT/BTC-BNN", "Thông tư liên tịch", None),
        ("31-QĐ/TW", "Quy định", None),
        ("646/QĐ/QUTW", "Quy định", None),
        ("68/2014/QH13", "Luật", None),
        ("73/TTg-CN", "Công văn", None),
        ("473/TTr-NN&PTNT", "Tờ trình", "2007-05-21"),
        ("30c/NQCP", "Nghị quyết", None),
        ("70-TB/TW", "Thông báo", "2012-01-06"),
    ]


def test_numbers_without_a_code_and_a_shared_code():
    text = (
        "Theo Quyết định số 528 và 529-QĐNS/TW ngày 4/6/2012, thực hiện Chỉ thị số 35 ngày "
        "30/5/2019 của Bộ Chính trị; Kế hoạch 5 năm 2021-2025; Quy định số 213-QĐ/TW (sau đây "
        "gọi là Quy định 213)."
    )
    found = [(d["doc_id"], d["code"], d["date"], d["issuer"], d["count"])
             for d in cited_documents(text)]
    assert found == [
        ("528-QĐNS/TW", "QĐNS/TW", "2012-06-04", None, 1),
        ("529-QĐNS/TW", "QĐNS/TW", "2012-06-04", None, 1),
        ("Chỉ thị 35", None, "2019-05-30", "Bộ Chính trị", 1),
        ("213-QĐ/TW", "QĐ/TW", None, None, 2),
    ]


def test_named_documents_have_readable_ids():
    text = (
        "Nghị quyết Trung ương 4 (khóa XI), Nghị quyết T.Ư 4, khóa XI, nghị quyết hội nghị "
        "lần thứ 11 Ban Chấp hành Trung ương Đảng khóa 13, Nghị quyết Đại hội XIII của Đảng, "
        "Điều lệ Đảng, Bộ luật Hình sự quy định, Luật Tổ chức chính quyền địa phương ngày 19 "
        "tháng 6 năm 2015; Dự án Luật Đất đai (sửa đổi)."
    )
    assert [(d["doc_id"], d["count"]) for d in cited_documents(text)] == [
        ("Nghị quyết Trung ương 4 khóa XI", 2),
        ("Nghị quyết Trung ương 11 khóa XIII", 1),
        ("Nghị quyết Đại hội Đảng toàn quốc lần thứ XIII", 1),
        ("Điều lệ Đảng", 1),
        ("Bộ luật Hình sự", 1),
        ("Luật Tổ chức chính quyền địa phương năm 2015", 1),
    ]


def test_official_forms_of_issue_17():
    text = (
        "Tổng Bí thư Tô Lâm dự. Ủy viên Bộ Chính trị, Chủ tịch Quốc hội Vương Đình Huệ phát biểu. "
        "Đồng chí Nguyễn Thị Thanh, UVT.Ư Đảng, Bí thư Tỉnh ủy dự. PGS, TS Nguyễn Thắng Lợi, "
        "Tổng Biên tập Tạp chí Lý luận chính trị chủ trì. Đồng chí Nguyễn Trung Khải - Phó Vụ "
        "trưởng Vụ Địa phương I, Ban Tổ chức Trung ương."
    )
    assert [(o["name"], o["title"], o["position"]) for o in officials(text)] == [
        ("Tô Lâm", None, "Tổng Bí thư"),
        ("Vương Đình Huệ", None, "Ủy viên Bộ Chính trị, Chủ tịch Quốc hội"),
        ("Nguyễn Thị Thanh", None, "UVT.Ư Đảng, Bí thư Tỉnh ủy"),
        ("Nguyễn Thắng Lợi", "PGS, TS", "Tổng Biên tập Tạp chí Lý luận chính trị"),
        ("Nguyễn Trung Khải", None, "Phó Vụ trưởng Vụ Địa phương I, Ban Tổ chức Trung ương"),
    ]


def test_people_who_are_not_officials():
    text = (
        "Lễ trao Huy hiệu 55 năm tuổi Đảng tặng đồng chí Trần Văn A, nguyên Bí thư Tỉnh ủy. "
        "Kỷ niệm 110 năm ngày sinh đồng chí Hoàng Văn Thụ. Đồng chí Triệu Thế Hùng nhấn mạnh. "
        "Đồng chí Lê Văn Hiệu, Phó Bí thư Tỉnh ủy trao huy hiệu."
    )
    assert [o["name"] for o in officials(text)] == ["Lê Văn Hiệu"]


# -------------------------------------------------------------------- measured quality
#
# Two sets are scored the same way. `facts_labelled.json` was written by the rules' author;
# `facts_real.json` holds real sentences from 148 hosts, labelled by reading before any run
# of the code (its "about" entry gives the conventions). Documents match when they name the
# same document: the number without leading zeros and the code as printed (case, spaces
# and dash forms aside, `TƯ` = `TW`), the type as well when a number has no code; a named
# document (`Luật Đất đai năm 2024`) when its printed name is the extracted id or begins
# the extracted mention, punctuation and case aside. Officials match by name; a matched
# official's position is exact when it is the printed chain, spaces aside.

REAL = json.loads((Path(__file__).parent / "data" / "facts_real.json").read_text())["items"]
# A quarter of the real set held out from tuning: rules were changed by reading the other
# three quarters only, and the final figures are reported on both parts.
HOLDOUT_SEED = 17
HELD_OUT = frozenset(random.Random(HOLDOUT_SEED).sample(range(len(REAL)), len(REAL) // 4))
# Acceptance of issue 17 on the real set: (precision, recall) per kind, positions exact.
REAL_THRESHOLDS = {"documents": (0.97, 0.95), "officials": (0.95, 0.92)}
REAL_POSITIONS_EXACT = 0.90


def _light(text: str) -> str:
    """Case, punctuation and spacing aside (`Trung ương 4 (khóa XI)` = `trung ương 4 khóa xi`)."""
    text = unicodedata.normalize("NFC", text).casefold().replace("uỷ", "ủy").replace("khoá", "khóa")
    return " ".join(re.sub(r"[^\w]+|_", " ", text).split())


_NUMBERED_ID = re.compile(r"(\d+[a-z]?)[-/](.+)")


def _document_key(doc: dict) -> tuple | None:
    if "number" in doc:
        number, code = doc["number"], doc["code"]
    else:  # the earlier set gives ids only (`05-CT/TW`)
        numbered = _NUMBERED_ID.fullmatch(doc["doc_id"])
        number, code = numbered.groups() if numbered else (None, None)
    if not number:
        return None
    number = number.lstrip("0") or "0"
    if not code:
        return ("bare", _light(doc["type"]), number)
    code = re.sub(r"\s+", "", code).replace("–", "-").replace("—", "-").casefold()
    return ("coded", number, code.replace("tư", "tw"))


def _same_document(got: dict, want: dict) -> bool:
    key = _document_key(want)
    if key is not None:
        return _document_key(got) == key
    if got.get("number"):
        return False
    name = _light(want["doc_id"])
    mention = _light(got.get("text") or "")
    return _light(got["doc_id"]) == name or mention == name or mention.startswith(name + " ")


def _same_official(got: dict, want: dict) -> bool:
    return " ".join(got["name"].split()) == " ".join(want["name"].split())


def _pairs(got: list[dict], want: list[dict], same) -> list[tuple[dict, dict]]:
    """One-to-one matches, each expected fact taking the first unmatched extracted one."""
    free = list(got)
    pairs = []
    for w in want:
        for g in free:
            if same(g, w):
                pairs.append((g, w))
                free.remove(g)
                break
    return pairs


def _position(official: dict) -> str:
    return " ".join((official.get("position") or "").split())


class Score(NamedTuple):
    kind: str
    items: int
    expected: int
    extracted: int
    matched: int
    exact: int  # documents: date and issuer right too; officials: position printed whole
    misses: list  # (item index, extra, missing, wrong detail)

    @property
    def precision(self) -> float:
        return self.matched / max(self.extracted, 1)

    @property
    def recall(self) -> float:
        return self.matched / max(self.expected, 1)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def exact_share(self) -> float:
        return self.exact / max(self.matched, 1)


def score(items: list[dict], kind: str, indices: Iterable[int] | None = None) -> Score:
    """Precision and recall of one kind of fact over `items` (or those at `indices`)."""
    chosen = range(len(items)) if indices is None else sorted(indices)
    expected = extracted = matched = exact = 0
    misses = []
    for i in chosen:
        item = items[i]
        if kind == "documents":
            got, same = cited_documents(item["text"]), _same_document
        else:
            got, same = officials(item["text"], exclude=item.get("exclude", ())), _same_official
        want = item[kind]
        pairs = _pairs(got, want, same)
        if kind == "documents":
            right = [g for g, w in pairs if (g["date"], g["issuer"]) == (w["date"], w["issuer"])]
        else:
            right = [g for g, w in pairs if _position(g) == _position(w)]
        expected, extracted = expected + len(want), extracted + len(got)
        matched, exact = matched + len(pairs), exact + len(right)
        if len(pairs) < max(len(got), len(want)) or len(right) < len(pairs):
            taken_got = [id(g) for g, _ in pairs]
            taken_want = [id(w) for _, w in pairs]
            misses.append((
                i,
                [g for g in got if id(g) not in taken_got],
                [w for w in want if id(w) not in taken_want],
                [(g, w) for g, w in pairs if g not in right],
            ))
    return Score(kind, len(chosen), expected, extracted, matched, exact, misses)


def score_line(label: str, s: Score) -> str:
    exact = "date+issuer" if s.kind == "documents" else "position"
    return (
        f"{label:<22} {s.kind:<9}  P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}  "
        f"({s.matched}/{s.extracted} extracted, {s.matched}/{s.expected} expected)  "
        f"{exact} exact {s.exact}/{s.matched} = {s.exact_share:.3f}"
    )


def _show(label: str, s: Score, items: list[dict]) -> None:
    print(score_line(label, s))
    for i, extra, missing, wrong in s.misses:
        print(f"  [{i}] {items[i]['text'][:150]}")
        for g in extra:
            print(f"      extra   {_brief(g)}")
        for w in missing:
            print(f"      missing {_brief(w)}")
        for g, w in wrong:
            print(f"      got     {_brief(g)}\n      want    {_brief(w)}")


def _brief(fact: dict) -> str:
    if "doc_id" in fact:
        keys: tuple[str, ...] = ("doc_id", "type", "date", "issuer")
    else:
        keys = ("name", "title", "position")
    return " | ".join(str(fact.get(k)) for k in keys)


def test_labelled_sets_are_big_enough():
    assert len(ITEMS) >= 70
    assert sum(item["kind"] == "lead" for item in ITEMS) >= 20
    assert len(REAL) >= 300
    assert len({item["url"].split("/")[2] for item in REAL}) >= 100


@pytest.mark.parametrize("kind", ["documents", "officials"])
def test_earlier_set(kind):
    s = score(ITEMS, kind)
    print()
    _show("facts_labelled", s, ITEMS)
    assert s.precision >= 0.95
    assert s.recall >= 0.90


@pytest.mark.parametrize("kind", ["documents", "officials"])
def test_real_set(kind):
    tuning = score(REAL, kind, set(range(len(REAL))) - HELD_OUT)
    held_out = score(REAL, kind, HELD_OUT)
    whole = score(REAL, kind)
    print()
    print(score_line("facts_real tuning 75%", tuning))
    print(score_line("facts_real held out", held_out))
    _show("facts_real whole", whole, REAL)
    min_precision, min_recall = REAL_THRESHOLDS[kind]
    assert whole.precision >= min_precision
    assert whole.recall >= min_recall
    if kind == "officials":
        assert whole.exact_share >= REAL_POSITIONS_EXACT


def test_event_dates_exact_on_every_lead():
    wrong = []
    for item in ITEMS:
        if item["kind"] != "lead":
            continue
        got = event_date(item["text"], published=item["published"])
        if got != (item["event_date"], item["part_of_day"]):
            wrong.append((item["text"][:60], got))
    assert wrong == []


def test_facts_cost_well_under_a_millisecond_per_article(seed):
    article = (seed * 3)[:5000]
    runs = 50
    start = time.perf_counter()
    for _ in range(runs):
        cited_documents(article)
        officials(article)
        event_date(_lead(seed), published="2021-04-01")
    per_article = (time.perf_counter() - start) / runs
    print(f"\nfacts: {per_article * 1e6:.0f} µs per 5 KB article")
    # A loose bound so a busy CI machine does not fail it; benchmarks/ holds the real measure.
    assert per_article < 0.01
