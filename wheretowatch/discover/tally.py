"""What a browse cost: each answer it read, and whether TMDB or the cache gave it.

`--debug` logs the sum (and the HTTP log shows each request); `--json` carries it.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from typing import NamedTuple, TypeVar

from wheretowatch.models import Fetched

T = TypeVar("T")
log = logging.getLogger("wheretowatch.discover")


class Count(NamedTuple):
    """Answers of one kind: how many were read, how many of them came from the cache."""

    read: int = 0
    cached: int = 0

    @property
    def sent(self) -> int:
        """Requests that went to TMDB."""
        return self.read - self.cached


class Tally:
    """The answers a browse read, by kind ("discover page", "genre list"…); the oldest
    and any stale one, for the freshness line. Safe across threads."""

    def __init__(self) -> None:
        self.counts: dict[str, Count] = {}
        self.oldest: datetime | None = None
        self.stale_reason: str | None = None
        self.from_cache = True
        self._lock = threading.Lock()

    def note(self, what: str, fetched: Fetched[T]) -> T:
        """Count `fetched` as an answer of kind `what`; returns its value."""
        with self._lock:
            read, cached = self.counts.get(what, Count())
            self.counts[what] = Count(read + 1, cached + fetched.from_cache)
            if self.oldest is None or fetched.fetched_at < self.oldest:
                self.oldest = fetched.fetched_at
            if fetched.stale and self.stale_reason is None:
                self.stale_reason = fetched.stale_reason
            self.from_cache = self.from_cache and fetched.from_cache
        log.debug(f"browse: {what} {'from the cache' if fetched.from_cache else 'from TMDB'}")
        return fetched.value

    @property
    def total(self) -> Count:
        return Count(
            sum(c.read for c in self.counts.values()),
            sum(c.cached for c in self.counts.values()),
        )

    def describe(self) -> str:
        """ "4 answers, 3 requests to TMDB: discover page 3 (0 cached), provider list 2
        (2 cached)"."""
        total = self.total
        parts = [f"{what} {c.read} ({c.cached} cached)" for what, c in self.counts.items()]
        return f"{total.read} answers, {total.sent} requests to TMDB: {', '.join(parts)}"
