"""Films going digital in a region soon: what `upcoming` lists.

TMDB's discover (`/3/discover/movie` with `region`, `with_release_type=4` and the
`release_date.gte/.lte` window) names the films, 20 a page: `limit` films cost
⌈limit/20⌉ pages, never past `total_pages` nor page 500. Discover's rows carry only a
film's primary release date, not the day it goes digital in the region nor TMDB's note;
those come from each film's own details, the same answer a lookup uses (so free when
it is cached, one request each when not). Listed by that digital date, earliest first.
"""

from collections.abc import Collection
from datetime import date, datetime, timedelta
from typing import NamedTuple

from wheretowatch.models import (
    LookupResult,
    MediaType,
    RegionSelection,
    ReleaseDate,
    TitleMatch,
)
from wheretowatch.tmdb import TMDBClient
from wheretowatch.where.batch import lookup_many
from wheretowatch.where.lookup import LookupRequest
from wheretowatch.where.releases import digital_dates

PAGE_SIZE = 20
LAST_PAGE = 500  # TMDB answers no page past it
DEFAULT_DAYS = 14
DEFAULT_LIMIT = 20


class Arrival(NamedTuple):
    """A film and its digital release in the region within the window (None: TMDB's
    discover listed it, but its own dates could not be read)."""

    film: TitleMatch
    release: ReleaseDate | None


class Arrivals(NamedTuple):
    region: str
    since: date
    until: date
    films: tuple[Arrival, ...]
    fetched_at: datetime
    requests_pages: int  # discover pages read


def digital_arrivals(
    client: TMDBClient,
    region: str,
    *,
    today: date,
    language: str,
    days: int = DEFAULT_DAYS,
    limit: int = DEFAULT_LIMIT,
    only: Collection[int] | None = None,
) -> Arrivals:
    """Films going digital in `region` from `today` to `days` ahead, at most `limit`,
    only those with an id in `only` if given (the watchlist's films)."""
    until = today + timedelta(days=days)
    films: list[TitleMatch] = []
    page, pages, fetched_at = 1, 1, None
    wanted = -(-limit // PAGE_SIZE)
    while page <= min(pages, LAST_PAGE):
        answer = client.digital_releases(region, today, until, page, language=language)
        fetched_at = fetched_at or answer.fetched_at
        pages = answer.value.total_pages
        films += [f for f in answer.value.films if only is None or f.tmdb_id in only]
        # With `only`, the watched films may be on any page: read on until `limit` are found.
        if len(films) >= limit or (only is None and page >= wanted):
            break
        page += 1
    arrivals = _dated(client, films[:limit], region, language, today, until)
    return Arrivals(
        region, today, until, tuple(arrivals), fetched_at or datetime.now().astimezone(), page
    )


def _dated(
    client: TMDBClient,
    films: list[TitleMatch],
    region: str,
    language: str,
    since: date,
    until: date,
) -> list[Arrival]:
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
    arrivals = []
    for film, outcome in zip(
        films, lookup_many(client, requests, workers=client.concurrency), strict=True
    ):
        release = _in_window(outcome.result, region, since, until)
        if outcome.result is None or release is not None:
            arrivals.append(Arrival(film, release))
    # Undated ones last: discover vouches they belong, but not for which day.
    return sorted(arrivals, key=lambda a: a.release.date if a.release else date.max)


def _in_window(
    result: LookupResult | None, region: str, since: date, until: date
) -> ReleaseDate | None:
    if result is None or result.title.release_dates is None:
        return None
    found = digital_dates(result.title.release_dates.get(region, ()))
    return next((d for d in found if since <= d.date <= until), None)
