"""Near duplicates: a republished article with small edits, linked to its original.

Similarity of two bodies is the share of the shorter body's word 3-shingles
(over `normalized_words`) that the other body also holds. A republication
with a changed title, changed dates, or a paragraph added, removed or
rewritten keeps nearly all of its shingles (0.92 to 1.0 on the labelled
pairs of tests/data/near_duplicate_pairs.json), while two different reports
of one event or of one template (two sessions of a Party committee) share
their formulas but not their sentences (below 0.6). `THRESHOLD` = 0.9 sits
in that gap.

Finding the candidates is MinHash with LSH (datasketch, 128 permutations):
the LSH index returns the stored bodies whose estimated Jaccard similarity
may reach `CANDIDATE_JACCARD`, and only those are compared exactly. A body
with an added paragraph has a Jaccard similarity below its containment
(0.9 containment with 30% more text is 0.64 Jaccard), hence the lower
candidate threshold. Signatures are stored (table `article_signatures`) so
the index is rebuilt at open without re-reading every body.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from pipelines.dedup import normalized_words

THRESHOLD = 0.9
CANDIDATE_JACCARD = 0.5
NUM_PERM = 128
SHINGLE_WORDS = 3
# Below this many shingles (about a 40-word body) a few shared phrases make
# any two notices look alike; such bodies are neither linked nor indexed.
MIN_SHINGLES = 40
SEED = 1
SCHEME = "affine32"

# One set of permutations for every signature, computed once: signatures are
# stored, so they must stay comparable across processes and versions.
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def shingles(body: str | None) -> set[str]:
    """The word 3-shingles of a body, case-folded and NFC."""
    words = normalized_words(body or "")
    n = SHINGLE_WORDS
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def _hash(shingle: bytes) -> int:
    # crc32 is stable across processes (unlike hash()) and far faster than
    # datasketch's default sha1; 32 bits is what MinHash keeps anyway.
    return zlib.crc32(shingle)


def signature(shingle_set: Iterable[str]) -> LeanMinHash:
    m = MinHash(
        num_perm=NUM_PERM, seed=SEED, hashfunc=_hash, permutations=_PERMUTATIONS, scheme=SCHEME
    )
    m.update_batch([s.encode() for s in shingle_set])
    return LeanMinHash(m)


def to_bytes(sig: LeanMinHash) -> bytes:
    # Hash values fit in 32 bits (datasketch masks them), half the space of its uint64.
    return sig.hashvalues.astype("<u4").tobytes()


def from_bytes(data: bytes) -> LeanMinHash:
    values = np.frombuffer(data, dtype="<u4").astype(np.uint64)
    return LeanMinHash(seed=SEED, hashvalues=values, scheme=SCHEME)


def containment(a: set[str], b: set[str]) -> float:
    """The share of the smaller set found in the other: 1.0 when one body holds the other."""
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return len(small & large) / len(small)


def similarity(body_a: str | None, body_b: str | None) -> float:
    return containment(shingles(body_a), shingles(body_b))


class Index:
    """Stored bodies' signatures, queried for the near duplicates of a new body."""

    def __init__(self) -> None:
        self._lsh = MinHashLSH(threshold=CANDIDATE_JACCARD, num_perm=NUM_PERM)

    def __len__(self) -> int:
        return len(self._lsh.keys)

    def __contains__(self, key: int) -> bool:
        return key in self._lsh

    def add(self, key: int, sig: LeanMinHash) -> None:
        if key in self._lsh:
            self._lsh.remove(key)
        self._lsh.insert(key, sig, check_duplication=False)

    def remove(self, key: int) -> None:
        if key in self._lsh:
            self._lsh.remove(key)

    def candidates(self, sig: LeanMinHash) -> list[int]:
        return sorted(self._lsh.query(sig))


def best_match(
    body_shingles: set[str], candidates: Iterable[tuple[int, set[str]]]
) -> tuple[int, float] | None:
    """The most similar candidate at or above THRESHOLD: (key, similarity), else None."""
    best: tuple[int, float] | None = None
    for key, other in candidates:
        score = containment(body_shingles, other)
        if score >= THRESHOLD and (best is None or score > best[1]):
            best = (key, score)
    return best
