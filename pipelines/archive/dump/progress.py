"""Watching the rows of a dump go by: their count and published range (for the
manifest), and a progress line for a person at a terminal."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any


@dataclass
class Tally:
    """What the rows passing through held: their number and published range."""

    rows: int = 0
    published_min: str | None = None
    published_max: str | None = None
    _progress: Callable[[int], None] | None = field(default=None, repr=False)

    def watch(self, rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for row in rows:
            self.rows += 1
            published = row.get("published")
            if published:
                if self.published_min is None or published < self.published_min:
                    self.published_min = published
                if self.published_max is None or published > self.published_max:
                    self.published_max = published
            if self._progress:
                self._progress(self.rows)
            yield row


class Progress:
    """`dumping 1,234/50,000 (2%)` on a terminal, redrawn at most ten times a second."""

    def __init__(self, total: int, stream: IO[str]) -> None:
        self.total = total
        self.stream = stream
        self._shown = 0.0

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if now - self._shown < 0.1 and done < self.total:
            return
        self._shown = now
        share = f" ({100 * done // self.total}%)" if self.total else ""
        self.stream.write(f"\rdumping {done:,}/{self.total:,}{share}")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()
