"""What streams in a region on the asked services, best first: TMDB's discover, paged.

    result = browse(client, query, services=mine.services, language="en-GB")

How the titles are found, and what it costs (each answer is cached like a search):

- one discover query per asked service and type of title (`with_watch_providers` the
  service's provider ids, ads tiers included), so that each title names the services
  that carry it: the lists come in the asked order (`sort_by`), and are merged in it;
- pages are read lazily, the first page of every query at once: a query reads no more
  pages than the merge takes titles from it, so at most ⌈limit/20⌉ pages, never one
  past TMDB's `total_pages` (nor its 500th); --exclude-watchlist reads on, one page at
  a time, while watched titles are dropped (at most as many more titles as are watched);
- with --any-service, one query per type without a provider filter, and a details
  request per title shown (cached, and shared with lookups) to name its services.

Which is cheaper: per-service queries cost services × pages requests, details cost pages +
limit. For the default limit of 20 (one page), per-service queries cost less up to 21
services, so named services always take them; "any service" cannot be asked one by one.
"""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from wheretowatch.discover.genres import resolve_genres
from wheretowatch.discover.people import PersonChooser, find_person
from wheretowatch.discover.query import PAGE_SIZE, BrowseQuery, Sort
from wheretowatch.discover.tally import Count, Tally, log
from wheretowatch.errors import NotFoundError
from wheretowatch.models import (
    DiscoveredTitle,
    DiscoverPage,
    Genre,
    MediaType,
    Person,
    ResolvedService,
    TitleDetails,
    title_key,
)
from wheretowatch.tmdb import MAX_PAGES, TMDBClient
from wheretowatch.where.batch import map_ordered
from wheretowatch.where.trailers import video_languages

_SEED_RANGE = 1_000_000  # a seed made up for --random is short enough to type again


class BrowsedTitle(NamedTuple):
    """One title found: what TMDB's discover says of it, and which services carry it."""

    tmdb_id: int
    media_type: MediaType
    title: str
    original_title: str
    year: int | None
    release_date: str | None
    original_language: str | None
    vote_average: float
    vote_count: int
    popularity: float
    genre_ids: tuple[int, ...]
    services: tuple[str, ...]  # the asked services that carry it, in the asked order
    runtime: int | None = None  # minutes, when known (from a cached or fetched lookup)

    @property
    def key(self) -> str:
        return title_key(self.media_type, self.tmdb_id)


class DiscoverRequest(NamedTuple):
    """One discover query as sent (less `page`, `language` and `include_adult`)."""

    media_type: MediaType
    service: str | None  # None: any service
    params: Mapping[str, str]


class BrowseResult(NamedTuple):
    """A browse: the query as understood, the titles found, and what it cost."""

    query: BrowseQuery
    language: str
    services: tuple[ResolvedService, ...]  # () with any_service
    media_types: tuple[MediaType, ...]  # those asked, after --genre and --person
    genres: Mapping[MediaType, tuple[Genre, ...]]
    person: Person | None
    requests: tuple[DiscoverRequest, ...]
    titles: tuple[BrowsedTitle, ...]
    excluded: int  # titles dropped as on the watchlist
    seed: int | None  # --random's
    counts: Mapping[str, Count]  # answers read, by kind
    fetched_at: datetime
    from_cache: bool = False
    stale: bool = False
    stale_reason: str | None = None
    added: int | None = None  # with --add: titles new on the watchlist

    @property
    def cost(self) -> Count:
        return Count(
            sum(c.read for c in self.counts.values()),
            sum(c.cached for c in self.counts.values()),
        )


def browse(
    client: TMDBClient,
    query: BrowseQuery,
    *,
    services: Sequence[ResolvedService],
    language: str,
    watched: Collection[str] = (),
    choose_person: PersonChooser | None = None,
    tally: Tally | None = None,
    warn: Callable[[str], None] = lambda message: None,
) -> BrowseResult:
    """The titles `query` asks for, on `services` (ignored with `query.any_service`), less
    those whose key (`title_key`) is in `watched` when `query.exclude_watchlist`."""
    tally = tally or Tally()
    types = query.media_types
    genres: dict[MediaType, tuple[Genre, ...]] = {}
    if query.genres:
        lists = {
            kind: tally.note("genre list", client.genres(kind, language=language)) for kind in types
        }
        genres = resolve_genres(query.genres, lists)
        if set(genres) != set(types):
            narrowed = ", ".join(_NOUN[kind] for kind in genres)
            warn(f"{', '.join(map(repr, query.genres))}: TMDB has that genre for {narrowed} only.")
        types = tuple(kind for kind in types if kind in genres)
    person = None
    if query.person is not None:
        person = find_person(
            client, query.person, language=language, choose=choose_person, tally=tally
        )
    asked = () if query.any_service else tuple(services)
    requests = tuple(
        DiscoverRequest(
            kind,
            service_name(service) if service else None,
            _params(query, kind, service, genres, person),
        )
        for kind in types
        for service in (asked or (None,))
    )
    dropped = {key for key in watched if query.exclude_watchlist}
    wanted = query.wanted
    most = min(MAX_PAGES, math.ceil((wanted + len(dropped)) / PAGE_SIZE))
    dropping = f" ({most} as watched titles are dropped)" if dropped else ""
    log.debug(
        f"browse: {len(requests)} discover queries, at most "
        f"{math.ceil(wanted / PAGE_SIZE)} pages each{dropping}"
    )
    carriers: dict[tuple[MediaType, int], set[int]] = {}

    def first(request: DiscoverRequest) -> DiscoverPage:
        return _page(client, request, 1, language, tally)

    firsts = list(map_ordered(first, requests, workers=client.concurrency))
    streams = [
        _titles(client, request, index % max(1, len(asked)), page, most, language, tally, carriers)
        for index, (request, page) in enumerate(zip(requests, firsts, strict=True))
    ]
    chosen: list[DiscoveredTitle] = []
    seen: set[tuple[MediaType, int]] = set()
    excluded = 0
    for found in heapq.merge(*streams, key=_sort_key(query.sort)):
        identity = (found.media_type, found.tmdb_id)
        if identity in seen:
            continue
        seen.add(identity)
        if title_key(*identity) in dropped:
            excluded += 1
            continue
        chosen.append(found)
        if len(chosen) >= wanted:
            break
    seed = None
    if query.random:
        seed = (
            query.seed if query.seed is not None else random.SystemRandom().randrange(_SEED_RANGE)
        )
        chosen = random.Random(seed).sample(chosen, min(query.limit, len(chosen)))
    chosen = chosen[: query.limit]
    if query.any_service:
        titles = _with_offers(client, chosen, query, language, tally)
    else:
        titles = [
            _browsed(
                title,
                tuple(
                    service_name(asked[i])
                    for i in sorted(carriers.get((title.media_type, title.tmdb_id), ()))
                ),
                _cached_runtime(client, title, language, query.region),
            )
            for title in chosen
        ]
    log.debug(f"browse: {tally.describe()}")
    return BrowseResult(
        query=query,
        language=language,
        services=asked,
        media_types=types,
        genres=genres,
        person=person,
        requests=requests,
        titles=tuple(titles),
        excluded=excluded,
        seed=seed,
        counts=dict(tally.counts),
        fetched_at=tally.oldest or datetime.now(UTC),
        from_cache=tally.from_cache and bool(tally.counts),
        stale=tally.stale_reason is not None,
        stale_reason=tally.stale_reason,
    )


_NOUN = {MediaType.MOVIE: "films", MediaType.TV: "series"}


def service_name(service: ResolvedService) -> str:
    """A service as TMDB names it ("Amazon Prime Video"), whatever was typed ("prime")."""
    return service.providers[0].provider_name if service.providers else service.name


def _params(
    query: BrowseQuery,
    kind: MediaType,
    service: ResolvedService | None,
    genres: Mapping[MediaType, tuple[Genre, ...]],
    person: Person | None,
) -> dict[str, str]:
    params = query.filters(kind)
    if service is not None:
        params["with_watch_providers"] = "|".join(str(i) for i in sorted(service.provider_ids))
    if genres.get(kind):
        params["with_genres"] = ",".join(str(g.genre_id) for g in genres[kind])
    if person is not None and kind is MediaType.MOVIE:
        params["with_people"] = str(person.person_id)
    return params


def _page(
    client: TMDBClient, request: DiscoverRequest, number: int, language: str, tally: Tally
) -> DiscoverPage:
    fetched = client.discover(request.media_type, request.params, page=number, language=language)
    return tally.note("discover page", fetched)


def _titles(
    client: TMDBClient,
    request: DiscoverRequest,
    index: int,
    first: DiscoverPage,
    most: int,
    language: str,
    tally: Tally,
    carriers: dict[tuple[MediaType, int], set[int]],
) -> Iterator[DiscoveredTitle]:
    """A query's titles in TMDB's order, a page read only when the one before is used up;
    every title read is noted as carried by the query's service (`index` of the asked)."""
    page, number = first, 1
    while True:
        for title in page.results:
            carriers.setdefault((title.media_type, title.tmdb_id), set()).add(index)
        yield from page.results
        if number >= min(page.total_pages, most) or not page.results:
            return
        number += 1
        page = _page(client, request, number, language, tally)


def _sort_key(sort: Sort) -> Callable[[DiscoveredTitle], tuple[float | str, ...]]:
    """The order TMDB sorts each query in, to merge the queries in: titles without the
    value (no date yet) last, as TMDB has them."""
    if sort is Sort.RATING:
        return lambda t: (-t.vote_average,)
    if sort is Sort.NEWEST:
        return lambda t: (t.release_date is None, _negative_date(t.release_date))
    if sort is Sort.TITLE:
        return lambda t: (t.title.casefold(),)
    return lambda t: (-t.popularity,)


def _negative_date(date: str | None) -> float:
    digits = (date or "").replace("-", "")
    return -float(digits) if digits.isdigit() else 0.0


def _browsed(
    title: DiscoveredTitle, services: tuple[str, ...], runtime: int | None
) -> BrowsedTitle:
    return BrowsedTitle(
        tmdb_id=title.tmdb_id,
        media_type=title.media_type,
        title=title.title,
        original_title=title.original_title,
        year=title.year,
        release_date=title.release_date,
        original_language=title.original_language,
        vote_average=title.vote_average,
        vote_count=title.vote_count,
        popularity=title.popularity,
        genre_ids=title.genre_ids,
        services=services,
        runtime=runtime,
    )


def _cached_runtime(
    client: TMDBClient, title: DiscoveredTitle, language: str, region: str
) -> int | None:
    """The running time a lookup of this title left in the cache, if any: no request. (A
    lookup by title knows the original language; one by id asks for common ones.)"""
    for original in dict.fromkeys([title.original_language, None]):
        details = client.cached_details(
            title.media_type,
            title.tmdb_id,
            language=language,
            video_languages=video_languages(language, original),
            regions=(region,),
        )
        if details is not None and details.runtime is not None:
            return details.runtime
    return None


def _with_offers(
    client: TMDBClient,
    chosen: Sequence[DiscoveredTitle],
    query: BrowseQuery,
    language: str,
    tally: Tally,
) -> list[BrowsedTitle]:
    """The titles with the services that carry them in the region (the asked kinds of
    offer), from each title's details: a request each, as a lookup makes (and caches)."""

    def details(title: DiscoveredTitle) -> TitleDetails | None:
        try:
            fetched = client.details(
                title.media_type,
                title.tmdb_id,
                language=language,
                video_languages=video_languages(language, title.original_language),
                regions=(query.region,),
            )
        except NotFoundError:
            return None  # gone from TMDB since the discover answer: shown without services
        return tally.note("title details", fetched)

    found = map_ordered(details, chosen, workers=client.concurrency)
    titles = []
    for title, detail in zip(chosen, found, strict=True):
        offers = detail.offers.get(query.region) if detail is not None else None
        names: list[str] = []
        if offers is not None:
            for category in query.categories:
                names += [p.provider_name for p in offers.providers(category)]
        runtime = detail.runtime if detail is not None else None
        titles.append(_browsed(title, tuple(dict.fromkeys(names)), runtime))
    return titles


def watch(data_dir: Path, titles: Iterable[BrowsedTitle], regions: Sequence[str] = ()) -> int:
    """Put the titles on the watchlist (watched in `regions`; none: the region setting at
    each refresh); returns how many were not there yet."""
    from wheretowatch.lists.watchlist import WatchedTitle, Watchlist

    now = datetime.now(UTC).isoformat(timespec="seconds")
    entries = [
        WatchedTitle(
            tmdb_id=title.tmdb_id,
            media_type=title.media_type,
            title=title.title,
            year=title.year,
            original_language=title.original_language,
            regions=tuple(regions),
            added_at=now,
        )
        for title in titles
    ]
    return Watchlist(data_dir).add_many(entries)
