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

from wheretowatch.errors import UsageError
from wheretowatch.models import LookupResult, MediaType, RegionSelection, SeasonsResult
from wheretowatch.settings.client import open_client
from wheretowatch.settings.loading import Settings, load_settings
from wheretowatch.tmdb import CacheMode, Progress
from wheretowatch.where.lookup import Chooser, LookupRequest
from wheretowatch.where.lookup import lookup as _lookup
from wheretowatch.where.services import my_services
from wheretowatch.where.typed import TitleInput, parse_title

if TYPE_CHECKING:
    from wheretowatch.lists.refresh import RefreshReport
    from wheretowatch.lists.watchlist import WatchedTitle


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
