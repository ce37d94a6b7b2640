"""Many lookups in one run: bounded concurrency, answers in input order.

The rate limit lives in the transport, shared by every thread, so a batch of any size
runs at the rate TMDB allows; `concurrency` threads keep enough requests in flight to
reach that rate despite each one's latency.
"""

import threading
from collections.abc import Callable, Generator, Sequence
from typing import NamedTuple, TypeVar

from wheretowatch.errors import WheretowatchError
from wheretowatch.models import (
    Fetched,
    LookupResult,
    MediaType,
    RegionOffers,
    SeasonOffers,
    SeasonsResult,
    SeasonSummary,
)
from wheretowatch.tmdb import TMDBClient
from wheretowatch.where.lookup import LookupRequest, lookup, select_availability

T = TypeVar("T")
R = TypeVar("R")


class Outcome(NamedTuple):
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
) -> Generator[Outcome, None, None]:
    """Look every request up, `workers` at a time, yielding outcomes in input order."""
    return map_ordered(
        lambda request: _lookup_one(client, request),
        requests,
        workers=workers,
    )


# The most seasons `--seasons` looks up, a request each.
MAX_SEASONS = 100


def lookup_seasons(client: TMDBClient, request: LookupRequest) -> SeasonsResult:
    """A series season by season: its lookup, then one request per season (specials
    left out; the first MAX_SEASONS at most), `client.concurrency` at a time under the
    shared rate limit."""
    series = lookup(client, request._replace(media_type=MediaType.TV, season=None))
    info = series.title.series
    every = [s for s in (info.seasons if info else ()) if s.season_number > 0]
    # A request a season: a series claiming 1,500 seasons (a bad record, or a daily show)
    # must not cost 1,500 requests. The rest are one --season N away.
    seasons = every[:MAX_SEASONS]

    def fetch(season: SeasonSummary) -> Fetched[dict[str, RegionOffers]]:
        return client.season_providers(
            series.title.tmdb_id, season.season_number, language=request.language
        )

    fetched = list(map_ordered(fetch, seasons, workers=client.concurrency))
    stale = next((f for f in fetched if f.stale), None)
    return SeasonsResult(
        query=request.query,
        title=series.title,
        regions=request.regions,
        seasons=tuple(
            SeasonOffers(season, select_availability(offers.value, request.regions))
            for season, offers in zip(seasons, fetched, strict=True)
        ),
        language=request.language,
        fetched_at=min([series.fetched_at, *(f.fetched_at for f in fetched)]),
        from_cache=series.from_cache and all(f.from_cache for f in fetched),
        stale=series.stale or stale is not None,
        stale_reason=series.stale_reason or (stale.stale_reason if stale else None),
        seasons_left_out=len(every) - len(seasons),
    )


class _Progress:
    # A plain class: a dataclass costs a batch of one more to create than to run.
    __slots__ = ("started", "stopping", "yielded")

    def __init__(self) -> None:
        self.started = 0
        self.yielded = 0
        self.stopping = False


def map_ordered(
    function: Callable[[T], R],
    items: Sequence[T],
    *,
    workers: int,
) -> Generator[R, None, None]:
    """`function` over `items` on `workers` threads; results in input order.

    At most AHEAD_PER_WORKER x `workers` items are in flight or waiting to be yielded.
    Closing the iterator
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
        while (index := next_index()) is not None:
            try:
                outcome: tuple[R | None, BaseException | None] = (function(items[index]), None)
            except BaseException as error:  # handed to the caller's thread, raised there
                outcome = (None, error)
            with changed:
                done[index] = outcome
                changed.notify_all()

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
