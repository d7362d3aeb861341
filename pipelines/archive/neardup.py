"""Near duplicates: a republished article with small edits, linked to its original.

Similarity of two bodies is the share of the shorter body's word 3-shingles
(over `normalized_words`) that the other body also holds. A republication
with a changed title, changed dates, or a paragraph added, removed or
rewritten keeps nearly all of its shingles (0.92 to 1.0 on the labelled
pairs of tests/data/near_duplicate_pairs.json), while two different reports
of one event or of one template (two sessions of a Party committee) share
their formulas but not their sentences (below 0.6). `THRESHOLD` = 0.9 sits
in that gap.

Finding the candidates is MinHash (datasketch, 128 permutations) with LSH
banding: 25 bands of 5 rows, whose hashes are stored in the database (table
`article_bands`, beside the signatures in `article_signatures`), so that a
lookup is one indexed query and the index costs no memory however large the
archive (datasketch's in-memory LSH took 460 MB for 50,000 articles). Two
bodies sharing a band have an estimated Jaccard similarity that may reach
about 0.5; a body with an added paragraph has a Jaccard similarity below its
containment (0.9 containment with 30% more text is 0.64 Jaccard), hence the
low band threshold. The candidates whose signatures and sizes make 0.9
containment impossible are then ruled out, and the rest compared exactly.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable

import numpy as np
from datasketch import LeanMinHash, MinHash

from pipelines.stages.identity import normalized_words

THRESHOLD = 0.9
# A band hash that more stored articles share than this is the boilerplate of a
# template (a weekly schedule, a recurring notice), not a sign of republication:
# a republication shares most of its 25 bands, and those are its own.
COMMON_BAND = 20
# 25 x 5 = 125 of the 128 values: a pair with Jaccard similarity 0.5 shares a
# band with probability 1 - (1 - 0.5**5)**25 = 0.55, one at 0.64 with 0.90.
BANDS, ROWS = 25, 5
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
_PERM_A, _PERM_B = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


# Odd multipliers that mix three word hashes into one 64-bit shingle hash.
_MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F))
_word_hashes: dict[str, int] = {}
# Vietnamese is written in syllables: a few tens of thousands of distinct
# words cover years of articles, so their hashes are worth remembering.
_WORD_CACHE = 200_000


def _word_hash_list(words: tuple[str, ...]) -> list[int]:
    known = _word_hashes.get
    hashes = [known(word) for word in words]
    if None in hashes:
        if len(_word_hashes) >= _WORD_CACHE:
            _word_hashes.clear()
        # crc32 is stable across processes, unlike hash(): signatures are stored.
        hashes = [
            _word_hashes.setdefault(word, zlib.crc32(word.encode())) if h is None else h
            for word, h in zip(words, hashes, strict=True)
        ]
    return hashes


def shingles(body: str | None) -> np.ndarray:
    """The word 3-shingles of a body (case-folded, NFC) as sorted unique 64-bit hashes.

    Hashes rather than strings: the whole computation stays in numpy, and
    two distinct shingles share a 64-bit hash too rarely to matter."""
    words = normalized_words(body or "")
    if len(words) < SHINGLE_WORDS:
        return np.empty(0, dtype=np.uint64)
    h = np.array(_word_hash_list(words), dtype=np.uint64)
    hashes = np.sort(h[:-2] * _MIX[0] + h[1:-1] * _MIX[1] + h[2:])
    # np.unique, for a sorted array, in a tenth of the time.
    return hashes[np.concatenate(([True], hashes[1:] != hashes[:-1]))]


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, which the affine32 scheme applies to its input."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def signature(shingle_hashes: np.ndarray) -> LeanMinHash:
    """The MinHash of a shingle set: the values datasketch's `MinHash.update_batch`
    gives with the affine32 scheme (tests hold the two equal), in one numpy
    expression rather than a Python call per shingle."""
    # The affine32 scheme takes 32-bit input hashes; its arithmetic wraps at 2**32.
    mixed = _fmix32(shingle_hashes.astype(np.uint32))[:, np.newaxis]
    with np.errstate(over="ignore"):
        values = (mixed * _PERM_A + _PERM_B).min(axis=0)
    return LeanMinHash(seed=SEED, hashvalues=values, scheme=SCHEME)


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


# Each band's hash input starts with its number, so that equal rows in two bands differ.
_BAND_PREFIXES = [band.to_bytes(1, "little") for band in range(BANDS)]


def band_keys(sig: LeanMinHash) -> list[int]:
    """The LSH band hashes of a signature, as signed 64-bit integers (SQL's BIGINT)."""
    raw = sig.hashvalues.astype("<u4").tobytes()
    width = 4 * ROWS
    return [
        int.from_bytes(
            hashlib.blake2b(
                prefix + raw[band * width : (band + 1) * width], digest_size=8
            ).digest(),
            "little",
            signed=True,
        )
        for band, prefix in enumerate(_BAND_PREFIXES)
    ]


def plausible(sig: LeanMinHash, size: int, other: LeanMinHash, other_size: int | None) -> bool:
    """Whether the estimated Jaccard similarity leaves room for THRESHOLD containment
    (a signature stored without its shingle count always does)."""
    if other_size is None:
        return True
    estimate = float(np.mean(sig.hashvalues == other.hashvalues))
    return estimate >= _plausible_jaccard(size, other_size)


def plausible_stored(sig: LeanMinHash, size: int, stored: list[bytes]) -> list[bool]:
    """`plausible` for many stored signatures (`to_bytes` form) at once: one array
    comparison instead of an object per candidate."""
    if not stored:
        return []
    mine = sig.hashvalues.astype(np.uint32)
    sized = [data for data in stored if len(data) > 4 * NUM_PERM]
    verdicts = {id(data): True for data in stored if len(data) <= 4 * NUM_PERM}
    if sized:
        table = np.frombuffer(b"".join(sized), dtype="<u4").reshape(len(sized), NUM_PERM + 1)
        estimates = (table[:, :NUM_PERM] == mine).mean(axis=1)
        small = np.minimum(table[:, NUM_PERM], size).astype(float)
        large = np.maximum(table[:, NUM_PERM], size).astype(float)
        least = THRESHOLD * small / (large + (1 - THRESHOLD) * small) - JACCARD_MARGIN
        verdicts.update(
            {id(data): bool(ok) for data, ok in zip(sized, estimates >= least, strict=True)}
        )
    return [verdicts[id(data)] for data in stored]


def candidate(sig: LeanMinHash, size: int, other: LeanMinHash, other_size: int | None) -> bool:
    """The in-memory form of the store's lookup: a shared band, and plausible."""
    shares = not set(band_keys(sig)).isdisjoint(band_keys(other))
    return shares and plausible(sig, size, other, other_size)


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
