"""Films going digital in a region soon: what `upcoming` lists.

    query = ArrivalsQuery.build(region="GB", days=14, limit=20)   # a bad value: UsageError
    arrivals = digital_arrivals(client, query, today=today, language="en-GB")

TMDB's discover (`/3/discover/movie` with `region`, `with_release_type=4` and the
`release_date.gte/.lte` window) names the films, 20 a page: `limit` films cost
⌈limit/20⌉ pages, never past `total_pages` nor page 500. With `only` (the watchlist's
films) the watched ones may be on any page, so up to WATCHED_PAGES_FACTOR times as many
pages are read, and a warning says when that stopped before the last page.

Discover's rows carry only a film's primary release date, not the day it goes digital in
the region nor TMDB's note; those come from each film's own details, the same answer a
lookup uses (so free when it is cached, one request each when not). Listed by that
digital date, earliest first. A film whose details could not be read is listed undated
with the reason, and a warning names it; when none could be read, the error is raised.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from wheretowatch.errors import UsageError, WheretowatchError
from wheretowatch.models import (
    LookupResult,
    MediaType,
    RegionSelection,
    ReleaseDate,
    TitleMatch,
)
from wheretowatch.tmdb import TMDBClient
from wheretowatch.where.lookup import LookupRequest
from wheretowatch.where.releases import digital_dates

if TYPE_CHECKING:
    from wheretowatch.where.batch import Outcome

PAGE_SIZE = 20
LAST_PAGE = 500  # TMDB answers no page past it
DEFAULT_DAYS = 14
DEFAULT_LIMIT = 20
MAX_DAYS = 366  # a year ahead: TMDB rarely knows a digital date further out
MAX_LIMIT = 10_000
# With the watchlist only, this many times the pages `limit` needs are read at most:
# enough to find watched films among the window's others, never TMDB's 500 pages.
WATCHED_PAGES_FACTOR = 5
# More failed films than this are told in one line, not one line each.
FAILURES_NAMED = 3


class ArrivalsQuery(NamedTuple):
    """What `upcoming` asks for, checked once: one region, `days` ahead, `limit` films."""

    region: str
    days: int = DEFAULT_DAYS
    limit: int = DEFAULT_LIMIT

    @classmethod
    def build(
        cls, *, region: str, days: int = DEFAULT_DAYS, limit: int = DEFAULT_LIMIT
    ) -> ArrivalsQuery:
        """A query from values as people give them; a bad one is a UsageError."""
        if not 0 <= days <= MAX_DAYS:
            raise UsageError(
                f"--days must be from 0 to {MAX_DAYS}, not {days}.",
                hint=f"For example: --days {DEFAULT_DAYS}",
            )
        if not 1 <= limit <= MAX_LIMIT:
            raise UsageError(
                f"--limit must be from 1 to {MAX_LIMIT}, not {limit}.",
                hint=f"For example: --limit {DEFAULT_LIMIT}",
            )
        return cls(region, days, limit)

    def pages(self, *, watched_only: bool) -> int:
        """The most discover pages to read: ⌈limit/20⌉, times WATCHED_PAGES_FACTOR when
        only the watchlist's films are kept; never past TMDB's last page."""
        needed = -(-self.limit // PAGE_SIZE)
        return min(needed * WATCHED_PAGES_FACTOR if watched_only else needed, LAST_PAGE)


class Arrival(NamedTuple):
    """A film and its digital release in the region within the window. `release` is None
    when the film's details could not be read (`error` says why) or, with `error` None,
    when they name no digital date in the window although discover listed the film."""

    film: TitleMatch
    release: ReleaseDate | None
    error: str | None = None


class Arrivals(NamedTuple):
    region: str
    since: date
    until: date
    films: tuple[Arrival, ...]
    fetched_at: datetime
    requests_pages: int  # discover pages read


def digital_arrivals(
    client: TMDBClient,
    query: ArrivalsQuery,
    *,
    today: date,
    language: str,
    only: Collection[int] | None = None,
    warn: Callable[[str], None] = lambda message: None,
) -> Arrivals:
    """Films going digital in the query's region from `today` to `days` ahead, at most
    `limit`, only those with an id in `only` if given (the watchlist's films)."""
    until = today + timedelta(days=query.days)
    films, pages_read, fetched_at = _discovered(client, query, today, until, language, only, warn)
    arrivals = _dated(client, films[: query.limit], query.region, language, today, until, warn)
    return Arrivals(
        query.region,
        today,
        until,
        tuple(arrivals),
        fetched_at or datetime.now().astimezone(),
        pages_read,
    )


def _discovered(
    client: TMDBClient,
    query: ArrivalsQuery,
    since: date,
    until: date,
    language: str,
    only: Collection[int] | None,
    warn: Callable[[str], None],
) -> tuple[list[TitleMatch], int, datetime | None]:
    """Discover's films in the window (only those in `only`, if given), the pages read,
    and when the first was fetched."""
    films: list[TitleMatch] = []
    if only is not None and not only:
        return films, 0, None  # no watched film: nothing to look for
    most = query.pages(watched_only=only is not None)
    page, pages, fetched_at = 0, 1, None
    while page < min(pages, most) and len(films) < query.limit:
        page += 1
        answer = client.digital_releases(query.region, since, until, page, language=language)
        fetched_at = fetched_at or answer.fetched_at
        pages = answer.value.total_pages
        films += [f for f in answer.value.films if only is None or f.tmdb_id in only]
    if only is not None and len(films) < query.limit and page < min(pages, LAST_PAGE):
        warn(
            f"Stopped after {page} pages of TMDB's discover ({page * PAGE_SIZE} films, of "
            f"{pages} pages): watched films further on are not listed. A shorter --days, "
            "or a larger --limit, reads further."
        )
    return films, page, fetched_at


def _dated(
    client: TMDBClient,
    films: list[TitleMatch],
    region: str,
    language: str,
    since: date,
    until: date,
    warn: Callable[[str], None],
) -> list[Arrival]:
    # Imported here: `api` imports this module for its defaults on a cached lookup's path,
    # which must not load the batch machinery (threads, futures).
    from wheretowatch.where.batch import lookup_many

    selection = RegionSelection((region,), "--region")
    requests = [
        LookupRequest(
            regions=selection,
            language=language,
            media_type=MediaType.MOVIE,
            tmdb_id=film.tmdb_id,
            original_language=film.original_language,
        )
        for film in films
    ]
    outcomes = list(lookup_many(client, requests, workers=client.concurrency))
    pairs = list(zip(films, outcomes, strict=True))
    _report([(film, o.error) for film, o in pairs if o.error is not None], len(films), warn)
    rows = (_arrival(film, outcome, region, since, until) for film, outcome in pairs)
    arrivals = [row for row in rows if row is not None]
    # Undated ones last: discover vouches they belong, but not for which day.
    return sorted(arrivals, key=lambda a: a.release.date if a.release else date.max)


def _arrival(
    film: TitleMatch, outcome: Outcome, region: str, since: date, until: date
) -> Arrival | None:
    """The film's row: dated in the window, undated (no digital date, or its details
    failed: `error`), or None when its details date it outside the window."""
    if outcome.error is not None:
        return Arrival(film, None, outcome.error.message)
    found = _digital(outcome.result, region)
    if not found:
        return Arrival(film, None)
    release = next((d for d in found if since <= d.date <= until), None)
    return None if release is None else Arrival(film, release)


def _digital(result: LookupResult | None, region: str) -> Sequence[ReleaseDate]:
    if result is None or result.title.release_dates is None:
        return ()
    return digital_dates(result.title.release_dates.get(region, ()))


def _report(
    failed: Sequence[tuple[TitleMatch, WheretowatchError]],
    total: int,
    warn: Callable[[str], None],
) -> None:
    """Say which films' details could not be read; when none could, that is the answer,
    and its error is raised (a listing of films all undated would look like one)."""
    if not failed:
        return
    if len(failed) == total:
        raise failed[0][1]
    if len(failed) > FAILURES_NAMED:
        why = failed[0][1].message.rstrip(".")
        warn(
            f"The dates of {len(failed)} of {total} films could not be read ({why}); they are "
            "listed undated. Try again later."
        )
        return
    for film, error in failed:
        name = f"{film.title} ({film.year})" if film.year else film.title
        warn(
            f"The dates of {name} could not be read ({error.message.rstrip('.')}); "
            "it is listed undated."
        )
