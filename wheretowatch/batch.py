"""Many lookups in one run: bounded concurrency, answers in input order.

The rate limit lives in the transport, shared by every thread, so a batch of any size
runs at the rate TMDB allows; `concurrency` threads keep enough requests in flight to
reach that rate despite each one's latency.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
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


# How many items may be started ahead of the one being yielded, per worker: enough to keep
# every worker busy while one slow answer holds up the output, few enough that a
# 5,000-title refresh does not hold 5,000 answers in memory at once.
AHEAD_PER_WORKER = 4


def lookup_many(
    client: TMDBClient, requests: Sequence[LookupRequest], *, workers: int
) -> Iterator[Outcome]:
    """Look every request up, `workers` at a time, yielding outcomes in input order."""
    return map_ordered(
        lambda request: _lookup_one(client, request),
        requests,
        workers=workers,
        on_thread_exit=client.release_thread,
    )


@dataclass
class _Progress:
    started: int = 0
    yielded: int = 0
    stopping: bool = False


def map_ordered(
    function: Callable[[T], R],
    items: Sequence[T],
    *,
    workers: int,
    on_thread_exit: Callable[[], None] = lambda: None,
) -> Iterator[R]:
    """`function` over `items` on `workers` threads; results in input order.

    At most AHEAD_PER_WORKER x `workers` items are in flight or waiting to be yielded.
    Each worker calls `on_thread_exit` as it ends, to close what it opened in its thread
    (SQLite connections belong to the thread that opened them). Closing the iterator
    early (Ctrl-C, an error) lets the items under way finish and starts no more.
    """
    ahead = AHEAD_PER_WORKER * max(1, workers)
    done: dict[int, tuple[R | None, BaseException | None]] = {}
    progress = _Progress()
    changed = threading.Condition()

    def next_index() -> int | None:
        with changed:
            while not progress.stopping and progress.started - progress.yielded >= ahead:
                changed.wait()
            if progress.stopping or progress.started >= len(items):
                return None
            progress.started += 1
            return progress.started - 1

    def work() -> None:
        try:
            while (index := next_index()) is not None:
                try:
                    outcome: tuple[R | None, BaseException | None] = (function(items[index]), None)
                except BaseException as error:  # handed to the caller's thread, raised there
                    outcome = (None, error)
                with changed:
                    done[index] = outcome
                    changed.notify_all()
        finally:
            on_thread_exit()

    threads = [
        threading.Thread(target=work, name=f"wheretowatch-{n}", daemon=True)
        for n in range(min(max(1, workers), len(items)))
    ]
    for thread in threads:
        thread.start()
    try:
        for index in range(len(items)):
            with changed:
                while index not in done:
                    changed.wait()
                result, error = done.pop(index)
                progress.yielded = index + 1
                changed.notify_all()
            if error is not None:
                raise error
            yield result  # type: ignore[misc]  # None only alongside an error
    finally:
        with changed:
            progress.stopping = True
            changed.notify_all()
        for thread in threads:
            thread.join()


def _lookup_one(client: TMDBClient, request: LookupRequest) -> Outcome:
    try:
        return Outcome(request, result=lookup(client, request))
    except WheretowatchError as error:
        return Outcome(request, error=error)
