"""What an incremental crawl fetches and how deep it walks each listing.

Pure decisions over what the archive already holds; the spider asks, the
archive answers, nothing here does I/O. The rule that keeps incremental
crawls complete: a listing may stop early at known articles only behind a
walk that ended well; after an interrupted walk the next one goes at least
as deep as the interrupted one got, whatever it finds on the way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass(frozen=True)
class WalkState:
    """How far a listing was walked, as the archive recorded it."""

    complete: bool
    deepest_page: int


@dataclass(frozen=True)
class Options:
    full: bool = False
    since: str | None = None
    max_known_pages: int = 1
    refresh_days: int = 2


@dataclass(frozen=True)
class Decision:
    follow_next: bool
    reason: str
    fetch: tuple[str, ...] = ()


@dataclass
class Frontier:
    known: Mapping[str, str | None]
    walks: Mapping[str, WalkState]
    options: Options
    now: datetime
    _known_streak: dict[str, int] = field(default_factory=dict)
    cut_by_since: set[str] = field(default_factory=set)

    @property
    def _refresh_from(self) -> str:
        return (self.now - timedelta(days=self.options.refresh_days)).date().isoformat()

    def wants_article(self, url: str) -> bool:
        """Fetch an article unless it is stored and not recent enough to be re-checked."""
        if url not in self.known:
            return True
        published = self.known[url]
        return (
            bool(published)
            and self.options.refresh_days > 0
            and (published[:10] >= self._refresh_from)
        )

    def all_walks_complete(self, listings: Sequence[str]) -> bool:
        return all(self.walks.get(name, WalkState(False, 0)).complete for name in listings)

    def listing_page(
        self, listing: str, page: int, items: Sequence[tuple[str, str | None]]
    ) -> Decision:
        """Decide, for one listing page's (url, date) items, what to fetch and whether
        to walk on to the next page."""
        since = self.options.since
        fresh = [(u, d) for u, d in items if not (since and d and d[:10] < since[:10])]
        fetch = tuple(u for u, _ in fresh if self.wants_article(u))
        if len(fresh) < len(items):
            self.cut_by_since.add(listing)
            return Decision(False, "older than --since", fetch)
        if self.options.full:
            return Decision(True, "full walk", fetch)
        state = self.walks.get(listing)
        if state is None:
            return Decision(True, "first walk of this listing", fetch)
        if not state.complete and page <= state.deepest_page:
            return Decision(True, "resuming an interrupted walk", fetch)
        if any(u not in self.known for u, _ in items):
            self._known_streak[listing] = 0
            return Decision(True, "new articles", fetch)
        streak = self._known_streak.get(listing, 0) + 1
        self._known_streak[listing] = streak
        if streak < self.options.max_known_pages:
            return Decision(True, "known page within --max-known-pages", fetch)
        return Decision(False, "nothing new", fetch)
