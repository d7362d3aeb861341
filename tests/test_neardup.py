"""Near duplicates: precision and recall on labelled pairs, and the replica's planted one."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHash

from pipelines.archive import neardup

PAIRS = json.loads(
    (Path(__file__).parent / "data" / "near_duplicate_pairs.json").read_text(encoding="utf-8")
)["pairs"]


def judged_duplicate(original: str, candidate: str) -> bool:
    """The store's decision: a shared LSH band, a plausible estimate, the exact check."""
    stored, shingles = neardup.shingles(original), neardup.shingles(candidate)
    offered = neardup.candidate(
        neardup.signature(shingles), len(shingles), neardup.signature(stored), len(stored)
    )
    return offered and neardup.best_match(shingles, [(1, stored)]) is not None


def test_precision_and_recall_on_labelled_pairs() -> None:
    assert len(PAIRS) >= 40
    assert {p["label"] for p in PAIRS} == {"duplicate", "different"}
    tp = fp = fn = 0
    for pair in PAIRS:
        said = judged_duplicate(pair["a"], pair["b"])
        truth = pair["label"] == "duplicate"
        tp += said and truth
        fp += said and not truth
        fn += truth and not said
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"near duplicates on {len(PAIRS)} pairs: precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.95 and recall >= 0.95


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: f"{p['label']}: {p['kind']}")
def test_every_pair_is_on_its_side_of_the_threshold(pair) -> None:
    score = neardup.similarity(pair["a"], pair["b"])
    if pair["label"] == "duplicate":
        assert score >= neardup.THRESHOLD, pair["note"]
    else:
        assert score < neardup.THRESHOLD, pair["note"]


def test_similarity_is_containment_of_the_shorter_body() -> None:
    body = PAIRS[0]["a"]
    assert neardup.similarity(body, body + "\n\nMột đoạn mới được thêm vào cuối bài.") == 1.0
    assert neardup.similarity(body, "") == 0.0


def test_signatures_survive_storage() -> None:
    shingles = neardup.shingles(PAIRS[0]["a"])
    sig = neardup.signature(shingles)
    data = neardup.to_bytes(sig, len(shingles))
    again, size = neardup.from_bytes(data)
    assert again.jaccard(sig) == 1.0 and size == len(shingles)
    assert len(data) == 4 * (neardup.NUM_PERM + 1)
    # Signatures stored before shingle counts were still load, without a count.
    assert neardup.from_bytes(data[:-4])[1] is None


def test_every_labelled_republication_shares_a_band_and_passes_the_filter() -> None:
    for pair in PAIRS:
        if pair["label"] != "duplicate":
            continue
        a, b = neardup.shingles(pair["a"]), neardup.shingles(pair["b"])
        sig_a, sig_b = neardup.signature(a), neardup.signature(b)
        assert set(neardup.band_keys(sig_a)) & set(neardup.band_keys(sig_b)), pair["note"]
        assert neardup.plausible(sig_b, len(b), sig_a, len(a)), pair["note"]
        # A signature stored without its size is never ruled out.
        assert neardup.plausible(sig_b, len(b), sig_a, None)


def test_the_replica_republication_is_linked_and_the_two_sessions_are_not(crawled) -> None:
    with sqlite3.connect(crawled.db) as conn:
        rows = {
            key: (article_id, duplicate_of, similarity)
            for article_id, key, duplicate_of, similarity in conn.execute(
                "SELECT id, article_key, duplicate_of, similarity FROM articles"
            )
        }
    original, copy = rows["id:3479"], rows["id:3482"]
    assert copy[1] == original[0] and copy[2] >= neardup.THRESHOLD
    assert rows["id:3418"][1] is None and rows["id:3541"][1] is None
    assert [key for key, row in rows.items() if row[1] is not None] == ["id:3482"]


def test_the_band_index_is_built_from_stored_signatures_on_upgrade(tmp_path) -> None:
    from sqlalchemy import func, select

    from crawler.text.dates import now_local
    from pipelines.archive.engine import open_engine
    from pipelines.archive.schema import article_bands, article_signatures, upgrade
    from pipelines.archive.storage import Store

    engine = open_engine(tmp_path / "bands.db")
    body = PAIRS[0]["a"]
    with Store(engine, "s") as store:
        store.save(
            {"url": "https://a.vn/x-1.html", "canonical_url": "https://a.vn/x-1.html",
             "article_key": "id:1", "fingerprint": "f1", "title": "T", "body": body},
            now_local(),
        )  # fmt: skip
    with engine.begin() as conn:
        expected = conn.execute(select(func.count()).select_from(article_bands)).scalar_one()
        conn.execute(article_bands.delete())
        conn.exec_driver_sql("DELETE FROM schema_migrations WHERE version >= 7")
        upgrade(conn, now_local())
        assert (
            conn.execute(select(func.count()).select_from(article_bands)).scalar_one()
            == (expected)
            > 0
        )
        assert conn.execute(select(func.count()).select_from(article_signatures)).scalar_one()
    engine.dispose()


def test_the_batch_filter_agrees_with_the_single_one() -> None:
    sigs = []
    for pair in PAIRS:
        for text in (pair["a"], pair["b"]):
            shingles = neardup.shingles(text)
            sigs.append((neardup.signature(shingles), len(shingles)))
    sig, size = sigs[0]
    stored = [neardup.to_bytes(s, n) for s, n in sigs]
    stored.append(stored[1][:-4])  # a signature saved before sizes were
    expected = [neardup.plausible(sig, size, *neardup.from_bytes(d)) for d in stored]
    assert neardup.plausible_stored(sig, size, stored) == expected
    assert any(expected) and not all(expected)


@pytest.mark.parametrize("size", [1, 7, 400, 3000])
def test_signature_equals_datasketch(size: int) -> None:
    # Signatures are stored: ours must stay the values datasketch's own MinHash gives.
    hashes = np.random.default_rng(size).integers(0, 2**64 - 1, size=size, dtype=np.uint64)
    reference = MinHash(
        num_perm=neardup.NUM_PERM,
        seed=neardup.SEED,
        hashfunc=lambda value: value,
        scheme=neardup.SCHEME,
    )
    reference.update_batch((hashes & np.uint64(0xFFFFFFFF)).tolist())
    ours = neardup.signature(hashes)
    assert ours.hashvalues.dtype == reference.hashvalues.dtype
    assert np.array_equal(ours.hashvalues, reference.hashvalues)
