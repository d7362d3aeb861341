"""Facts from article text: cited documents, officials, event dates.

The examples read the seed article of the Hải Dương site; the measured part scores the
extractors on `data/facts_labelled.json`, sentences and leads written and labelled by
hand (including traps: view counters, phone numbers, bare years, ranges, names inside
organisation names, positions without a name, the author line).
"""

from __future__ import annotations

import json
import time
import unicodedata
from pathlib import Path

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
        {"name": "Lê Văn Hiệu", "position": "Phó Bí thư Thường trực Tỉnh ủy"},
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
    assert officials(text) == [
        {"name": "Trần Đức Thắng", "position": "Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy"},
    ]


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
    assert officials(text) == [{"name": "Lê Văn Hiệu", "position": "Phó Bí thư Tỉnh ủy"}]
    assert officials(text, exclude=["Lê Văn Hiệu"]) == []


# -------------------------------------------------------------------- measured quality


def _document_facts(item: dict) -> tuple[set, set]:
    got = {(d["doc_id"], d["type"], d["date"], d["issuer"]) for d in cited_documents(item["text"])}
    want = {(d["doc_id"], d["type"], d["date"], d["issuer"]) for d in item["documents"]}
    return got, want


def _official_facts(item: dict) -> tuple[set, set]:
    found = officials(item["text"], exclude=item.get("exclude", ()))
    got = {(o["name"], o["position"]) for o in found}
    want = {(o["name"], o["position"]) for o in item["officials"]}
    return got, want


def _score(pairs: list[tuple[set, set]]) -> tuple[float, float, list]:
    tp = sum(len(got & want) for got, want in pairs)
    predicted = sum(len(got) for got, _ in pairs)
    expected = sum(len(want) for _, want in pairs)
    misses = [(sorted(got - want), sorted(want - got)) for got, want in pairs if got != want]
    return tp / max(predicted, 1), tp / max(expected, 1), misses


def test_labelled_set_is_big_enough():
    assert len(ITEMS) >= 70
    assert sum(item["kind"] == "lead" for item in ITEMS) >= 20


@pytest.mark.parametrize(
    ("kind", "facts"),
    [
        ("documents", _document_facts),
        ("officials", _official_facts),
    ],
)
def test_precision_and_recall(kind, facts):
    precision, recall, misses = _score([facts(item) for item in ITEMS])
    print(f"\n{kind}: precision {precision:.3f}, recall {recall:.3f}")
    for wrong, missing in misses:
        print(f"  extra {wrong}  missing {missing}")
    assert precision >= 0.95
    assert recall >= 0.90


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
