"""The synthetic articles' text: Vietnamese, NFC, and as unlike between unrelated
reports as real news is, so that the near-duplicate index is measured on
realistic candidates (crawler/replica/prose.py)."""

from __future__ import annotations

import itertools
import random
import unicodedata
from datetime import datetime

import numpy as np

from crawler.replica.prose import Prose
from crawler.replica.synthetic import ID_BASE, SyntheticSite
from crawler.text.dates import VN_TZ
from pipelines.archive import neardup

PUBLISHED = datetime(2020, 5, 4, 8, 30, tzinfo=VN_TZ)


def body(seed: int) -> str:
    prose = Prose(random.Random(seed), PUBLISHED)
    return "\n\n".join([prose.lead(), *prose.paragraphs()])


def test_text_is_deterministic_nfc_and_filled() -> None:
    text = body(1)
    assert text == body(1) and text != body(2)
    assert unicodedata.is_normalized("NFC", text)
    assert "{" not in text and "}" not in text
    assert len(text.split()) > 150


def test_unrelated_articles_share_few_shingles() -> None:
    sets = [neardup.shingles(body(seed)) for seed in range(60)]
    jaccard = [
        len(np.intersect1d(a, b)) / len(np.union1d(a, b))
        for a, b in itertools.combinations(sets, 2)
    ]
    # A bank of whole sentences gave 0.2 on average; real news from 8 sites gives 0.006.
    assert np.mean(jaccard) < 0.1
    assert max(jaccard) < 0.3 < neardup.THRESHOLD


def test_planted_near_duplicates_stay_near() -> None:
    site = SyntheticSite(3000, seed=3)
    pairs = [
        (site.article(int(a.near_duplicate_of) - ID_BASE), a)
        for a in map(site.article, range(3000))
        if a.near_duplicate_of
    ]
    assert pairs
    for original, copy in pairs:
        score = neardup.similarity(
            "\n\n".join([original.lead, *original.paragraphs]),
            "\n\n".join([copy.lead, *copy.paragraphs]),
        )
        assert score >= neardup.THRESHOLD, (original.id, copy.id, score)
