"""The near-duplicate index in the archive: each article's MinHash signature (table
`article_signatures`) and LSH band hashes (`article_bands`), the lookup of the stored
articles a body may nearly repeat, and a cache of recent bodies' shingles.

The signatures and the similarity are computed by neardup.py; this module reads and
writes them for the store (storage.py), which links the duplicates it finds."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from sqlalchemy import Connection, bindparam, func, select

from pipelines.archive import neardup
from pipelines.archive.schema import article_bands, article_signatures, articles

# Shingle sets of recently seen bodies kept for the exact near-duplicate check
# (a few KB each).
SHINGLE_CACHE = 5_000

_INSERT_SIGNATURE = article_signatures.insert()
_INSERT_BAND = article_bands.insert()


def _candidates_statement() -> Any:
    """The near-duplicate candidates of a signature in one statement: the stored
    articles sharing one of its LSH bands, leaving out the bands so many articles
    share that they are a template's boilerplate (neardup.COMMON_BAND), with each
    one's site, signature and original. The site is checked on the rows found:
    given it, the planner scanned every article of the site instead of walking
    the band index. One parameter per band rather than an expanding list, which
    SQLAlchemy would re-render for every lookup."""
    keys = [bindparam(f"band{band}") for band in range(neardup.BANDS)]
    own_bands = (
        select(article_bands.c.band_key)
        .where(article_bands.c.band_key.in_(keys))
        .group_by(article_bands.c.band_key)
        .having(func.count() <= bindparam("common"))
    )
    sharing = select(article_bands.c.article_id).where(article_bands.c.band_key.in_(own_bands))
    return (
        select(
            articles.c.id, articles.c.site, articles.c.duplicate_of, article_signatures.c.minhash
        )
        .join(article_signatures, article_signatures.c.article_id == articles.c.id)
        .where(articles.c.id.in_(sharing))
    )


# Built once: building a statement per item costs more than SQLite takes to run it.
_CANDIDATES = _candidates_statement()


def _signed(body: str | None) -> tuple[Any, Any] | None:
    """A body's shingles and signature; None for a body too short to compare."""
    shingles = neardup.shingles(body)
    if len(shingles) < neardup.MIN_SHINGLES:
        return None
    return shingles, neardup.signature(shingles)


class NearDuplicateIndex:
    """The signatures and bands of one site's articles, read and written on the
    connection each call is given (the store's, inside its transaction)."""

    def __init__(self, site: str) -> None:
        self.site = site
        # Recent bodies' shingles by article id.
        self._shingles: OrderedDict[int, Any] = OrderedDict()
        # Whether articles stored before signatures existed were signed (once).
        self._signed_older = False

    def forget(self) -> None:
        """Drop what is cached: after a rollback it may hold rows never committed."""
        self._shingles.clear()
        self._signed_older = False

    def sign_older_articles(self, conn: Connection) -> None:
        """Articles stored before signatures existed get theirs, once per index."""
        if self._signed_older:
            return
        unsigned = conn.execute(
            select(articles.c.id, articles.c.body)
            .outerjoin(article_signatures, article_signatures.c.article_id == articles.c.id)
            .where(articles.c.site == self.site, article_signatures.c.article_id.is_(None))
        ).all()
        for article_id, body in unsigned:
            signed = _signed(body)
            if signed:
                self._sign(conn, article_id, *signed)
        self._signed_older = True

    def remove(self, conn: Connection, article_id: int) -> None:
        """Take an article out of the index, before its body changes."""
        for table in (article_signatures, article_bands):
            conn.execute(table.delete().where(table.c.article_id == article_id))
        self._shingles.pop(article_id, None)

    def add(self, conn: Connection, article_id: int, body: str | None) -> tuple[int, float] | None:
        """Index an article's body; return the stored original it nearly repeats
        (with the similarity), else None. A short body is neither indexed nor linked."""
        signed = _signed(body)
        if signed is None:
            return None
        found = self._nearest(conn, *signed, article_id)
        self._sign(conn, article_id, *signed)
        self._remember(article_id, signed[0])
        return found

    def nearest(self, conn: Connection, body: str | None) -> tuple[int, float] | None:
        """The stored original that `body` nearly repeats, with the similarity;
        None when there is none. Reads only."""
        signed = _signed(body)
        return self._nearest(conn, *signed, None) if signed else None

    def _sign(self, conn: Connection, article_id: int, shingles: Any, sig: Any) -> None:
        conn.execute(
            _INSERT_SIGNATURE,
            {"article_id": article_id, "minhash": neardup.to_bytes(sig, len(shingles))},
        )
        conn.execute(
            _INSERT_BAND,
            [{"band_key": key, "article_id": article_id} for key in set(neardup.band_keys(sig))],
        )

    def _candidates(
        self, conn: Connection, article_id: int | None, sig: Any, size: int
    ) -> dict[int, int]:
        """Stored articles of this site sharing an LSH band with `sig` whose stored
        signature leaves room for a near duplicate, each with its original."""
        rows = [
            row
            for row in conn.execute(
                _CANDIDATES,
                {
                    "common": neardup.COMMON_BAND,
                    **{f"band{band}": key for band, key in enumerate(neardup.band_keys(sig))},
                },
            )
            if row.id != article_id and row.site == self.site
        ]
        verdicts = neardup.plausible_stored(sig, size, [row.minhash for row in rows])
        return {
            row.id: row.duplicate_of or row.id for row, ok in zip(rows, verdicts, strict=True) if ok
        }

    def _nearest(
        self, conn: Connection, shingles: Any, sig: Any, article_id: int | None
    ) -> tuple[int, float] | None:
        originals = self._candidates(conn, article_id, sig, len(shingles))
        if not originals:
            return None
        found = neardup.best_match(shingles, self._shingles_of(conn, sorted(originals)).items())
        return (originals[found[0]], found[1]) if found else None

    def _shingles_of(self, conn: Connection, ids: list[int]) -> dict[int, Any]:
        """The shingles of stored articles, through the cache.

        Bodies written from templates (a weekly schedule, a congress series) are
        candidates of many new articles: their shingles are kept rather than read
        and recomputed for each."""
        found = {c: self._shingles[c] for c in ids if c in self._shingles}
        for c in found:
            self._shingles.move_to_end(c)
        missing = [c for c in ids if c not in found]
        if missing:
            bodies = conn.execute(
                select(articles.c.id, articles.c.body).where(articles.c.id.in_(missing))
            )
            for article_id, body in bodies:
                found[article_id] = neardup.shingles(body)
                self._remember(article_id, found[article_id])
        return found

    def _remember(self, article_id: int, shingles: Any) -> None:
        self._shingles[article_id] = shingles
        self._shingles.move_to_end(article_id)
        while len(self._shingles) > SHINGLE_CACHE:
            self._shingles.popitem(last=False)
