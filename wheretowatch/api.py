"""wheretowatch from Python: what the command line does, as typed values.

    from wheretowatch import lookup, refresh, watchlist

    result = lookup("Drawing Closer", region="GB")
    for code, offers in result.availability.items():
        print(code, [p.provider_name for p in offers.flatrate])

    for title in watchlist():
        print(title.label, title.regions)
    for change in refresh().changes:
        print(change.sentence())

Settings come from the same places as for the command (environment, config file,
locale), and the disk cache and data files are shared with it. Errors are
`wheretowatch.errors` exceptions. Neither Typer nor Rich is imported.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from wheretowatch.errors import ConfigError, UsageError
from wheretowatch.models import (
    Fetched,
    LookupResult,
    MediaType,
    Provider,
    RegionSelection,
    SeasonsResult,
    title_key,
)
from wheretowatch.settings.client import open_client
from wheretowatch.settings.loading import Settings, load_settings
from wheretowatch.tmdb import CacheMode, Progress
from wheretowatch.where.lookup import Chooser, LookupRequest
from wheretowatch.where.lookup import lookup as _lookup
from wheretowatch.where.services import my_services
from wheretowatch.where.typed import TitleInput, parse_title

if TYPE_CHECKING:
    from wheretowatch.discover.browsing import BrowseResult
    from wheretowatch.discover.people import PersonChooser
    from wheretowatch.discover.tally import Tally
    from wheretowatch.lists.calendar import Calendar
    from wheretowatch.lists.coverage import Plan
    from wheretowatch.lists.refresh import RefreshReport
    from wheretowatch.lists.watchlist import WatchedTitle
    from wheretowatch.where.arrivals import Arrivals
    from wheretowatch.where.releases import RegionRelease


def lookup(
    title: str | None = None,
    *,
    region: str | Sequence[str] | None = None,
    media_type: MediaType | str | None = None,
    year: int | None = None,
    tmdb_id: int | None = None,
    imdb_id: str | None = None,
    season: int | None = None,
    language: str | None = None,
    cache: CacheMode | str | None = CacheMode.NORMAL,
    settings: Settings | None = None,
    on_warning: Callable[[str], None] | None = None,
    choose: Chooser | None = None,
    progress: Progress | None = None,
) -> LookupResult:
    """Where `title` (or `tmdb_id`, or `imdb_id`) can be watched; with `season`, where
    that season of the series can.

    `title` is what a person types: "Fight Club", "Fight Club (1999)", "fight club 1999",
    an IMDb id (tt0137523), or an imdb.com or themoviedb.org address.
    `choose`, given the candidates best first, picks one when the search leaves a doubt
    (see `wheretowatch.where.lookup.lookup`); without it the best candidate is taken.
    `progress` is told what TMDB is being waited on for (see `wheretowatch.tmdb.Progress`).

    `region` is a code, several codes, or "all"; without it the configured region is used.
    `settings` (from `load_settings`) replaces the configured settings, region and language
    included, so it does not go with `region` or `language`.
    `cache` is "normal", "refresh", "offline" or "off" (None is "off").
    """
    settings = _settings(settings, region, language)
    request = build_request(
        settings,
        title,
        media_type=MediaType(media_type) if media_type else None,
        year=year,
        tmdb_id=tmdb_id,
        imdb_id=imdb_id,
        season=season,
    )
    mode = CacheMode(cache) if cache is not None else CacheMode.OFF
    warn = on_warning or _ignore
    with open_client(settings, mode=mode, warn=warn, progress=progress) as client:
        mine = my_services(client, settings, warn=warn)
        return _lookup(client, request, choose=choose)._replace(services=mine)


def seasons(
    title: str | None = None,
    *,
    region: str | Sequence[str] | None = None,
    year: int | None = None,
    tmdb_id: int | None = None,
    imdb_id: str | None = None,
    language: str | None = None,
    cache: CacheMode | str | None = CacheMode.NORMAL,
    settings: Settings | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> SeasonsResult:
    """Where each season of a series can be watched: one row a season, specials left out.

    The arguments are `lookup`'s; the title is always taken to be a series.
    """
    from wheretowatch.where.batch import lookup_seasons

    settings = _settings(settings, region, language)
    request = build_request(
        settings, title, media_type=MediaType.TV, year=year, tmdb_id=tmdb_id, imdb_id=imdb_id
    )
    mode = CacheMode(cache) if cache is not None else CacheMode.OFF
    with open_client(settings, mode=mode, warn=on_warning or _ignore) as client:
        mine = my_services(client, settings, warn=on_warning or _ignore)
        return lookup_seasons(client, request)._replace(services=mine)


def browse(
    *,
    region: str | None = None,
    media_type: MediaType | str | None = None,
    services: Sequence[str] | None = None,
    any_service: bool = False,
    how: str | Sequence[str] | None = None,
    genre: str | Sequence[str] = (),
    min_rating: float | None = None,
    min_votes: int | None = None,
    since: int | None = None,
    until: int | None = None,
    max_runtime: int | None = None,
    original_language: str | Sequence[str] | None = None,
    person: str | None = None,
    sort: str = "popular",
    limit: int = 20,
    exclude_watchlist: bool = False,
    random: bool = False,
    seed: int | None = None,
    add: bool = False,
    language: str | None = None,
    cache: CacheMode | str | None = CacheMode.NORMAL,
    settings: Settings | None = None,
    on_warning: Callable[[str], None] | None = None,
    choose_person: PersonChooser | None = None,
    progress: Progress | None = None,
) -> BrowseResult:
    """What streams in one region on your services, best first: TMDB's discover.

    `services` are names or ids (as for `--service`; default: the services setting);
    `any_service` asks every service instead. `how` widens streaming (subscription, free,
    with ads) with "rent" and "buy". `min_rating` (out of 10) and `sort="rating"` come with
    a floor of `min_votes` votes (100 unless given). `sort` is "popular", "rating",
    "newest" or "title". `original_language` is an ISO 639-1 code ("ja"), or several;
    `language` is the language titles are shown in, as for `lookup`. `person` is a name
    or a TMDB id (films only); when several people have that name, `choose_person` picks
    one, else it is a UsageError listing them. `random` draws `limit` titles from the
    best 60 (the same ones again for the same `seed`); `exclude_watchlist` leaves out the
    titles on the watchlist; `add` puts what was found on it.
    """
    from wheretowatch.discover.browsing import browse as _browse
    from wheretowatch.discover.browsing import watch
    from wheretowatch.discover.query import BrowseQuery
    from wheretowatch.discover.tally import Tally

    if settings is None:
        names = list(services) if services is not None else None
        flags = {"region": region, "language": language, "services": names}
        settings = load_settings(flags, os.environ)
    elif region is not None or language is not None or services is not None:
        raise TypeError("give settings, or region, language and services, not both")
    code = _one_region(settings, "browse")
    if any_service and settings.source("services") == "--service":
        raise UsageError(
            "Give services, or ask for any service, not both.",
            hint="Drop --any-service to see only your services.",
        )
    query = BrowseQuery.build(
        region=code,
        media_type=MediaType(media_type) if media_type else None,
        how=how,
        any_service=any_service,
        genres=genre,
        min_rating=min_rating,
        min_votes=min_votes,
        since=since,
        until=until,
        max_runtime=max_runtime,
        language=original_language,
        person=person,
        sort=sort,
        limit=limit,
        exclude_watchlist=exclude_watchlist,
        random=random,
        seed=seed,
    )
    if not any_service and not settings.services:
        raise ConfigError(
            "No services to look in: the services setting is not set.",
            hint="Name yours with `wheretowatch setup` (or `wheretowatch config set services "
            '"Netflix, BBC iPlayer"`), give --service NAME, or ask --any-service.',
        )
    watched: list[str] = []
    if exclude_watchlist:
        watched = [title_key(t.media_type, t.tmdb_id) for t in watchlist(settings=settings)]
    mode = CacheMode(cache) if cache is not None else CacheMode.OFF
    warn = on_warning or _ignore
    tally = Tally()
    with open_client(settings, mode=mode, warn=warn, progress=progress) as client:
        mine = (
            () if any_service else my_services(client, settings, on_fetch=_counter(tally)).services
        )
        result = _browse(
            client,
            query,
            services=mine,
            language=settings.language,
            watched=watched,
            choose_person=choose_person,
            tally=tally,
            warn=warn,
        )
    if add:
        assert settings.region is not None
        regions = (code,) if settings.region.source == "--region" else ()
        result = result._replace(added=watch(settings.data_dir, result.titles, regions))
    return result


def _counter(tally: Tally) -> Callable[[Fetched[list[Provider]]], object]:
    return lambda fetched: tally.note("provider list", fetched)


def _one_region(settings: Settings, command: str) -> str:
    """The one region `command` (browse, upcoming) looks in: TMDB's discover answers for
    one region at a time."""
    selection = settings.require_region()
    if selection.all_regions or len(selection.codes) != 1:
        first = selection.codes[0] if selection.codes else "GB"
        raise UsageError(
            f"{command} looks in one region at a time, not {selection.describe()} "
            f"(from {selection.source}): TMDB's discover answers for one region.",
            hint=f"Pass --region {first}",
        )
    return selection.codes[0]


def _settings(
    settings: Settings | None, region: str | Sequence[str] | None, language: str | None
) -> Settings:
    if settings is not None and (region is not None or language is not None):
        # Settings already hold a region and a language; quietly ignoring these would
        # answer for the wrong region.
        raise TypeError("give settings, or region and language, not both")
    if settings is None:
        regions = list(region) if region is not None and not isinstance(region, str) else region
        settings = load_settings({"region": regions, "language": language}, os.environ)
    return settings


def watchlist(*, settings: Settings | None = None) -> list[WatchedTitle]:
    """The watched titles, in the order they were added."""
    from wheretowatch.lists.watchlist import Watchlist

    return Watchlist((settings or load_settings()).data_dir).titles()


def refresh(
    *,
    settings: Settings | None = None,
    all_cached: bool = False,
    mine: bool = False,
    notify: bool = False,
    on_warning: Callable[[str], None] | None = None,
) -> RefreshReport:
    """Fetch every watched title anew, save the new snapshots, and say what changed.

    With `notify`, the changes also go to the targets of the notify setting, at least
    once: a target that did not take them is in `undelivered`, and the next refresh with
    `notify` sends them again.
    """
    from wheretowatch.lists import notifications
    from wheretowatch.lists import refresh as refreshing

    settings = settings or load_settings()
    return refreshing.run(
        settings,
        all_cached=all_cached,
        mine=mine,
        destinations=notifications.targets(settings) if notify else [],
        warn=on_warning or _ignore,
    )


def build_request(
    settings: Settings,
    title: str | TitleInput | None,
    *,
    media_type: MediaType | None = None,
    year: int | None = None,
    tmdb_id: int | None = None,
    imdb_id: str | None = None,
    season: int | None = None,
    regions: RegionSelection | None = None,
) -> LookupRequest:
    """The lookup the settings and arguments describe (shared with the command line);
    in the region setting unless `regions` are given."""
    regions = regions or settings.require_region()
    if title is None:
        return LookupRequest(
            regions=regions,
            language=settings.language,
            media_type=media_type,
            year=year,
            tmdb_id=tmdb_id,
            imdb_id=imdb_id,
            season=season,
        )
    if tmdb_id is not None or imdb_id is not None:
        raise UsageError(
            "Give exactly one of: a title, --tmdb-id or --imdb-id.",
            hint='For example: wheretowatch "Drawing Closer"',
        )
    return LookupRequest.for_title(
        parse_title(title) if isinstance(title, str) else title,
        regions=regions,
        language=settings.language,
        media_type=media_type,
        year=year,
        season=season,
    )


def _ignore(message: str) -> None:
    pass


def plan(
    *,
    region: str | Sequence[str] | None = None,
    max_services: int | None = None,
    budget: float | None = None,
    paid_only: bool = False,
    refresh: bool = False,
    settings: Settings | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> Plan:
    """Which services to pay for in `region` (a code or a few, not "all"; else the
    region setting): every service streaming watched titles, ranked; the greedy best
    set of at most `max_services` paid ones (`lists.coverage.DEFAULT_LIMIT`, or no limit
    with `budget`), free services first unless `paid_only`; what each of your services
    alone streams; what is left.

    Answered from the cache with no request; titles with no data or expired data are in
    `unknown`, and `refresh` fetches them first. `budget` needs the prices setting.
    """
    from wheretowatch.lists import planning

    return planning.plan(
        _settings(settings, region, None),
        max_services=max_services,
        budget=budget,
        paid_only=paid_only,
        refresh=refresh,
        warn=on_warning or _ignore,
    )


def release_outlook(result: LookupResult) -> list[RegionRelease]:
    """A film's release dates in each region a lookup asked for, and what they say: when
    it goes digital where it does not stream yet (`Outlook.COMING`), that it came out
    digitally yet streams nowhere (`RELEASED`), or that TMDB has no date (`UNDATED`,
    with another region's date, labelled, in `borrowed`). Empty for a series."""
    from wheretowatch.where import releases

    regions = list(result.regions.codes) or sorted(result.title.release_dates or ())
    return releases.region_releases(result.title, regions, result.availability, releases.today())


def calendar(
    *,
    settings: Settings | None = None,
    days: int = 365,
    region: Sequence[str] = (),
    offline: bool = False,
    on_warning: Callable[[str], None] | None = None,
) -> Calendar:
    """The watched titles' dates from today to `days` ahead (in `region` only, if
    given): `.events`, each with a UID that stays the same from run to run. Write them
    as an iCalendar file with `wheretowatch.lists.calendar.icalendar_text(events)`."""
    from wheretowatch.lists.calendar import build

    return build(
        settings or load_settings(),
        days=days,
        regions=tuple(region),
        offline=offline,
        warn=on_warning or _ignore,
    )


def upcoming(
    region: str | None = None,
    *,
    settings: Settings | None = None,
    days: int | None = None,
    limit: int | None = None,
    watched_only: bool = False,
    on_warning: Callable[[str], None] | None = None,
    progress: Progress | None = None,
) -> Arrivals:
    """Films going digital in `region` (else the region setting's only one) from today to
    `days` ahead (0 to 366; 14 when None), at most `limit` (1 to 10,000; 20), by date; a
    bad value is a UsageError. `limit` films cost ⌈limit/20⌉ discover requests; with `watched_only`
    (the watchlist's films) up to five times as many, and `on_warning` is told when that
    stopped before TMDB's last page. Each film's date and note come from its details
    (cached, or one request each): `on_warning` names those that could not be read
    (listed undated, with `error`), and when none could, their error is raised."""
    from wheretowatch.lists.watchlist import Watchlist
    from wheretowatch.where import releases
    from wheretowatch.where.arrivals import (
        DEFAULT_DAYS,
        DEFAULT_LIMIT,
        ArrivalsQuery,
        digital_arrivals,
    )

    settings = _settings(settings, region, None)
    query = ArrivalsQuery.build(
        region=_one_region(settings, "upcoming"),
        days=DEFAULT_DAYS if days is None else days,
        limit=DEFAULT_LIMIT if limit is None else limit,
    )
    only = None
    if watched_only:
        titles = Watchlist(settings.data_dir).titles()
        only = {t.tmdb_id for t in titles if t.media_type is MediaType.MOVIE}
    warn = on_warning or _ignore
    with open_client(settings, warn=warn, progress=progress) as client:
        return digital_arrivals(
            client,
            query,
            today=releases.today(),
            language=settings.language,
            only=only,
            warn=warn,
        )
