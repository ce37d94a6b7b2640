"""A client-side rate limit shared by every thread that talks to TMDB.

TMDB answers 429 above about 40 requests a second per key. Rather than find that limit
by hitting it, requests are paced just under it (GCRA: evenly spaced, with a small burst
allowed so a single lookup never waits), and a 429 that gets through anyway pauses
everyone, not only the thread that received it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RateLimiter:
    def __init__(
        self,
        rate: float,
        *,
        burst: int = 4,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self._interval = 1.0 / rate
        self._tolerance = (burst - 1) * self._interval
        self._clock = clock if clock is not None else time.monotonic
        self._sleep = sleep if sleep is not None else time.sleep
        self._lock = threading.Lock()
        self._theoretical_arrival = self._clock()

    def acquire(self) -> None:
        """Wait until one more request may start."""
        with self._lock:
            now = self._clock()
            arrival = max(self._theoretical_arrival, now)
            start = max(now, arrival - self._tolerance)
            self._theoretical_arrival = arrival + self._interval
        if start > now:
            self._sleep(start - now)

    def hold_off(self, seconds: float) -> None:
        """Start no request for `seconds` (TMDB said 429, with or without Retry-After)."""
        with self._lock:
            self._theoretical_arrival = max(
                self._theoretical_arrival, self._clock() + seconds + self._tolerance
            )
