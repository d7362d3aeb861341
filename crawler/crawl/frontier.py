"""What an incremental crawl fetches and how deep it walks each listing.

Pure decisions over what the archive already holds; the spider asks, the
archive answers, nothing here does I/O.

The rule that keeps incremental crawls complete, whatever was killed or failed
before: a listing is walked to its end until one walk of it ends well. That walk
leaves anchors, the items of its first page: every item from them to the end was
stored then (or recorded as failed, and retried). A later walk may stop at a page
of known articles only once it has met an anchor, because only from there on is
the listing verified. Articles stored on the way by other paths (another category,
a related list, an interrupted run) never end a walk early. Only a walk that ends
well moves the anchors, so an interrupted walk leaves the verified part as it was.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass(frozen=True)
class WalkState:
    """A listing's walk as the archive recorded it: whether the last one ended well,
    and the first-page items of the last one that did."""

    complete: bool
    anchors: tuple[str, ...] = ()


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
    _anchored: set[str] = field(default_factory=set)
    cut_by_since: set[str] = field(default_factory=set)
    # The items of each listing's first page in this run: its anchors if the walk ends well.
    first_pages: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Every item listing pages showed in this run: a sidebar of the newest articles on
    # every page of a listing shows the same new ones again, and they are no reason to
    # walk on (they are being fetched from the first page that showed them).
    _met: set[str] = field(default_factory=set)

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
        return all(self.walks.get(name, WalkState(False)).complete for name in listings)

    def listing_page(
        self, listing: str, page: int, items: Sequence[tuple[str, str | None]]
    ) -> Decision:
        """Decide, for one listing page's (url, date) items, what to fetch and whether
        to walk on to the next page."""
        if page == 1:
            self.first_pages[listing] = tuple(u for u, _ in items)
        since = self.options.since
        fresh = [(u, d) for u, d in items if not (since and d and d[:10] < since[:10])]
        fetch = tuple(u for u, _ in fresh if self.wants_article(u))
        if len(fresh) < len(items):
            self.cut_by_since.add(listing)
            return Decision(False, "older than --since", fetch)
        if self.options.full:
            return Decision(True, "full walk", fetch)
        anchors = self.walks.get(listing, WalkState(False)).anchors
        if not anchors:
            return Decision(True, "no walk of this listing has ended well yet", fetch)
        if not set(anchors).isdisjoint(u for u, _ in items):
            self._anchored.add(listing)
        new = any(u not in self.known and u not in self._met for u, _ in items)
        self._met.update(u for u, _ in items)
        if new:
            self._known_streak[listing] = 0
            return Decision(True, "new articles", fetch)
        if listing not in self._anchored:
            return Decision(True, "known articles, but not yet the verified part", fetch)
        streak = self._known_streak.get(listing, 0) + 1
        self._known_streak[listing] = streak
        if streak < self.options.max_known_pages:
            return Decision(True, "known page within --max-known-pages", fetch)
        return Decision(False, "nothing new", fetch)
