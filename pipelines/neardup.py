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
# Three standard errors of a 128-permutation Jaccard estimate near 0.5.
JACCARD_MARGIN = 0.15
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


# Odd multipliers that mix three word hashes into one 64-bit shingle hash.
_MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F))
_word_hashes: dict[str, int] = {}
# Vietnamese is written in syllables: a few tens of thousands of distinct
# words cover years of articles, so their hashes are worth remembering.
_WORD_CACHE = 200_000


def _word_hash(word: str) -> int:
    found = _word_hashes.get(word)
    if found is None:
        if len(_word_hashes) >= _WORD_CACHE:
            _word_hashes.clear()
        # crc32 is stable across processes, unlike hash(): signatures are stored.
        found = _word_hashes[word] = zlib.crc32(word.encode())
    return found


def shingles(body: str | None) -> np.ndarray:
    """The word 3-shingles of a body (case-folded, NFC) as sorted unique 64-bit hashes.

    Hashes rather than strings: the whole computation stays in numpy, and
    two distinct shingles share a 64-bit hash too rarely to matter."""
    words = normalized_words(body or "")
    if len(words) < SHINGLE_WORDS:
        return np.empty(0, dtype=np.uint64)
    h = np.fromiter(map(_word_hash, words), dtype=np.uint64, count=len(words))
    return np.unique(h[:-2] * _MIX[0] + h[1:-1] * _MIX[1] + h[2:])


def _identity(value: int) -> int:
    return value


def signature(shingle_hashes: np.ndarray) -> LeanMinHash:
    m = MinHash(
        num_perm=NUM_PERM,
        seed=SEED,
        hashfunc=_identity,
        permutations=_PERMUTATIONS,
        scheme=SCHEME,
    )
    # The affine32 scheme takes 32-bit input hashes.
    m.update_batch((shingle_hashes & np.uint64(0xFFFFFFFF)).tolist())
    return LeanMinHash(m)


def to_bytes(sig: LeanMinHash, size: int) -> bytes:
    # Hash values fit in 32 bits (datasketch masks them), half the space of its
    # uint64; the shingle count follows them, for the candidate filter.
    return np.append(sig.hashvalues, size).astype("<u4").tobytes()


def from_bytes(data: bytes) -> tuple[LeanMinHash, int | None]:
    """The signature and shingle count (None in signatures stored before counts were)."""
    values = np.frombuffer(data, dtype="<u4").astype(np.uint64)
    size = int(values[NUM_PERM]) if len(values) > NUM_PERM else None
    return LeanMinHash(seed=SEED, hashvalues=values[:NUM_PERM], scheme=SCHEME), size


def _plausible_jaccard(size_a: int, size_b: int) -> float:
    """The least Jaccard similarity two shingle sets of these sizes can have when
    the smaller is THRESHOLD contained in the larger, less the estimate's error."""
    small, large = min(size_a, size_b), max(size_a, size_b)
    least = THRESHOLD * small / (large + (1 - THRESHOLD) * small)
    return least - JACCARD_MARGIN


def containment(a: np.ndarray, b: np.ndarray) -> float:
    """The share of the smaller shingle set found in the other (1.0: one body holds the other)."""
    if not len(a) or not len(b):
        return 0.0
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared / min(len(a), len(b))


def similarity(body_a: str | None, body_b: str | None) -> float:
    return containment(shingles(body_a), shingles(body_b))


class Index:
    """Stored bodies' signatures, queried for the near duplicates of a new body.

    Besides the LSH tables it keeps each signature (128 uint32) and shingle
    count: bodies written from one template share enough shingles to be LSH
    candidates of each other, and the estimated Jaccard similarity rules most
    of them out without reading and comparing their bodies."""

    def __init__(self) -> None:
        self._lsh = MinHashLSH(threshold=CANDIDATE_JACCARD, num_perm=NUM_PERM)
        self._sigs: dict[int, tuple[np.ndarray, int | None]] = {}

    def __len__(self) -> int:
        return len(self._lsh.keys)

    def __contains__(self, key: int) -> bool:
        return key in self._lsh

    def add(self, key: int, sig: LeanMinHash, size: int | None = None) -> None:
        if key in self._lsh:
            self._lsh.remove(key)
        self._lsh.insert(key, sig, check_duplication=False)
        self._sigs[key] = (sig.hashvalues.astype(np.uint32), size)

    def remove(self, key: int) -> None:
        if key in self._lsh:
            self._lsh.remove(key)
        self._sigs.pop(key, None)

    def candidates(self, sig: LeanMinHash, size: int | None = None) -> list[int]:
        found = sorted(self._lsh.query(sig))
        if size is None:
            return found
        mine = sig.hashvalues.astype(np.uint32)
        kept = []
        for key in found:
            theirs, their_size = self._sigs[key]
            if their_size is None or np.mean(mine == theirs) >= _plausible_jaccard(
                size, their_size
            ):
                kept.append(key)
        return kept


def best_match(
    body_shingles: np.ndarray, candidates: Iterable[tuple[int, np.ndarray]]
) -> tuple[int, float] | None:
    """The most similar candidate at or above THRESHOLD: (key, similarity), else None."""
    best: tuple[int, float] | None = None
    for key, other in candidates:
        score = containment(body_shingles, other)
        if score >= THRESHOLD and (best is None or score > best[1]):
            best = (key, score)
    return best
