"""Many lookups in one run: bounded concurrency, answers in input order.

The rate limit lives in the transport, shared by every thread, so a batch of any size
runs at the rate TMDB allows; `concurrency` threads keep enough requests in flight to
reach that rate despite each one's latency.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from wheretowatch.errors import WheretowatchError
from wheretowatch.models import LookupResult
from wheretowatch.service import LookupRequest, lookup
from wheretowatch.tmdb import TMDBClient

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Outcome:
    """One title's answer, or the error that stopped it (never both)."""

    request: LookupRequest
    result: LookupResult | None = None
    error: WheretowatchError | None = None

    @property
    def label(self) -> str:
        request = self.request
        if request.query is not None:
            return request.query
        return f"tmdb:{request.tmdb_id}" if request.tmdb_id is not None else f"{request.imdb_id}"


def lookup_many(
    client: TMDBClient, requests: Sequence[LookupRequest], *, workers: int
) -> Iterator[Outcome]:
    """Look every request up, `workers` at a time, yielding outcomes in input order."""
    return map_ordered(lambda request: _lookup_one(client, request), requests, workers=workers)


def map_ordered(function: Callable[[T], R], items: Sequence[T], *, workers: int) -> Iterator[R]:
    """`function` over `items` on `workers` threads; results in input order."""
    pool = ThreadPoolExecutor(max_workers=max(1, min(workers, len(items) or 1)))
    try:
        futures: list[Future[R]] = [pool.submit(function, item) for item in items]
        for future in futures:
            yield future.result()
    finally:
        # An interrupted run should stop, not finish the remaining items first.
        pool.shutdown(wait=True, cancel_futures=True)


def _lookup_one(client: TMDBClient, request: LookupRequest) -> Outcome:
    try:
        return Outcome(request, result=lookup(client, request))
    except WheretowatchError as error:
        return Outcome(request, error=error)


def parse_title_lines(lines: Iterable[str]) -> list[str]:
    """Titles from a `--from` file: one a line; blank lines and `#` comments skipped."""
    titles = []
    for line in lines:
        text = line.strip()
        if text and not text.startswith("#"):
            titles.append(text)
    return titles
