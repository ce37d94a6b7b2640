"""The JSON documents `--json` prints: one shape for an answer, one for an error.

Bump SCHEMA_VERSION when a key changes meaning or disappears; adding a key does not.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from wheretowatch.attribution import JUSTWATCH_NOTICE, TMDB_NOTICE
from wheretowatch.errors import WheretowatchError
from wheretowatch.models import (
    Category,
    Episode,
    LookupResult,
    MyServices,
    Provider,
    Region,
    RegionOffers,
    SeasonDetails,
    SeasonsResult,
    SeriesInfo,
    TitleDetails,
    TitleMatch,
    Video,
)
from wheretowatch.settings.loading import Settings

if TYPE_CHECKING:
    from wheretowatch.doctor import Check
    from wheretowatch.lists.availability import Listing, TitleAvailability
    from wheretowatch.lists.changes import Change, Event, NewSeason
    from wheretowatch.lists.importing import ImportReport, RowResult
    from wheretowatch.lists.watchlist import WatchedTitle
    from wheretowatch.tmdb import CacheInfo

SCHEMA_VERSION = 1
ATTRIBUTION = {"tmdb": TMDB_NOTICE, "justwatch": JUSTWATCH_NOTICE}

JSONValue = None | bool | int | float | str | list["JSONValue"] | dict[str, "JSONValue"]


def dumps(document: JSONValue, *, compact: bool = False) -> str:
    """Pretty JSON for one answer; one compact line each for JSON Lines."""
    # ensure_ascii keeps every control or bidi character from TMDB as a \\u escape.
    if compact:
        return json.dumps(document, ensure_ascii=True, separators=(",", ":"))
    return json.dumps(document, ensure_ascii=True, indent=2)


def dumps_items(document: dict[str, JSONValue], key: str) -> str:
    """Like `dumps`, but each item of the list `document[key]` on one compact line.

    Pretty-printing runs in pure Python: a 5,000-title watchlist took most of a second.
    """
    lines = ["{"]
    for name, value in document.items():
        if name != key:
            lines.append(f"  {json.dumps(name)}: {json.dumps(value, ensure_ascii=True)},")
    items = document[key]
    assert isinstance(items, list)
    encoded = [json.dumps(item, ensure_ascii=True, separators=(", ", ": ")) for item in items]
    lines.append(f"  {json.dumps(key)}: [")
    lines.append(",\n".join(f"    {item}" for item in encoded))
    lines.append("  ]")
    lines.append("}")
    return "\n".join(line for line in lines if line)


def _heading(query: str | None, title: TitleDetails) -> dict[str, JSONValue]:
    """What every answer about a title starts with: the query, the title, its series."""
    document: dict[str, JSONValue] = {
        "schema": SCHEMA_VERSION,
        "query": query,
        "title": title_document(title),
    }
    if title.series is not None:
        document |= series_document(title.series)
    return document


def lookup_document(result: LookupResult) -> dict[str, JSONValue]:
    document = _heading(result.query, result.title)
    if result.season is not None:
        document["season"] = season_document(result.season)
    return document | {
        "region_source": result.regions.source,
        "availability": {code: _offers(o) for code, o in result.availability.items()},
        "available": result.available,
        "trailers": [_video(video) for video in result.trailers],
        "other_matches": [title_document(match) for match in result.other_matches],
        "language": result.language,
        "fetched_at": _timestamp(result.fetched_at),
        "from_cache": result.from_cache,
        "stale": result.stale,
        "attribution": dict(ATTRIBUTION),
    }


def seasons_document(result: SeasonsResult) -> dict[str, JSONValue]:
    """`--seasons`: the series, then where each season can be watched."""
    return _heading(result.query, result.title) | {
        "region_source": result.regions.source,
        "seasons": [
            {
                "season_number": row.season.season_number,
                "name": row.season.name,
                "air_date": row.season.air_date,
                "episode_count": row.season.episode_count,
                "availability": {code: _offers(o) for code, o in row.availability.items()},
                "available": row.available,
            }
            for row in result.seasons
        ],
        "available": result.available,
        "language": result.language,
        "fetched_at": _timestamp(result.fetched_at),
        "from_cache": result.from_cache,
        "stale": result.stale,
        "attribution": dict(ATTRIBUTION),
    }


def series_document(series: SeriesInfo) -> dict[str, JSONValue]:
    """What a series lookup adds: its seasons, status and next episode (or null)."""
    episode = series.next_episode
    return {
        "number_of_seasons": series.number_of_seasons,
        "status": series.state,
        "next_episode": None if episode is None else _episode(episode),
    }


def _episode(episode: Episode) -> dict[str, JSONValue]:
    return {
        "season_number": episode.season_number,
        "episode_number": episode.episode_number,
        "air_date": episode.air_date,
    }


def season_document(season: SeasonDetails) -> dict[str, JSONValue]:
    return {
        "season_number": season.season_number,
        "name": season.name,
        "air_date": season.air_date,
        "episode_count": season.episode_count,
    }


def error_document(error: WheretowatchError, query: str | None = None) -> dict[str, JSONValue]:
    """An error; in a batch it names the query it belongs to."""
    document: dict[str, JSONValue] = {"schema": SCHEMA_VERSION}
    if query is not None:
        document["query"] = query
    document["error"] = {"code": error.code, "message": error.message, "hint": error.hint}
    return document


def title_document(title: TitleDetails | TitleMatch) -> dict[str, JSONValue]:
    return {
        "tmdb_id": title.tmdb_id,
        "media_type": title.media_type.value,
        "title": title.title,
        "original_title": title.original_title,
        "year": title.year,
    }


def _offers(offers: RegionOffers) -> dict[str, JSONValue]:
    document: dict[str, JSONValue] = {"link": offers.link}
    for category in Category:
        document[category.value] = [_provider(p) for p in offers.providers(category)]
    return document


def _provider(provider: Provider) -> dict[str, JSONValue]:
    return {"provider_id": provider.provider_id, "provider_name": provider.provider_name}


def _video(video: Video) -> dict[str, JSONValue]:
    return {
        "url": video.url,
        "name": video.name,
        "type": video.type,
        "official": video.official,
        "language": video.language,
        "published_at": video.published_at,
    }


def _timestamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def search_document(query: str, matches: list[TitleMatch]) -> dict[str, JSONValue]:
    return {
        "schema": SCHEMA_VERSION,
        "query": query,
        "results": [title_document(match) for match in matches],
        "attribution": {"tmdb": TMDB_NOTICE},
    }


def regions_document(regions: list[Region]) -> dict[str, JSONValue]:
    return {
        "schema": SCHEMA_VERSION,
        "regions": [
            {"code": r.code, "english_name": r.english_name, "native_name": r.native_name}
            for r in regions
        ],
        "attribution": dict(ATTRIBUTION),
    }


def providers_document(
    region: str | None, providers: list[Provider], services: MyServices | None = None
) -> dict[str, JSONValue]:
    """The providers, and what each of the user's services resolved to."""
    return {
        "schema": SCHEMA_VERSION,
        "region": region,
        "providers": [_provider(p) for p in providers],
        "services": [
            {"name": service.name, "providers": [_provider(p) for p in service.providers]}
            for service in (services.services if services else ())
        ],
        "attribution": dict(ATTRIBUTION),
    }


def settings_document(settings: Settings) -> dict[str, JSONValue]:
    return {
        "schema": SCHEMA_VERSION,
        "config_file": str(settings.config_file),
        "settings": {
            key: {"value": value, "source": settings.source(key)}
            for key, value in settings.display_values().items()
        },
    }


def cache_info_document(info: CacheInfo, size_limit: int) -> dict[str, JSONValue]:
    return {
        "schema": SCHEMA_VERSION,
        "directory": str(info.directory),
        "size_bytes": info.size_bytes,
        "size_limit_bytes": size_limit,
        "entries": info.entries,
        "oldest": None if info.oldest is None else _timestamp(_utc(info.oldest)),
        "newest": None if info.newest is None else _timestamp(_utc(info.newest)),
    }


def _utc(stamp: float) -> datetime:
    return datetime.fromtimestamp(stamp, UTC)


def watchlist_document(titles: list[WatchedTitle]) -> dict[str, JSONValue]:
    return {
        "schema": SCHEMA_VERSION,
        "titles": [
            {
                "tmdb_id": t.tmdb_id,
                "media_type": t.media_type.value,
                "title": t.title,
                "year": t.year,
                "regions": list(t.regions),
                "added_at": t.added_at,
                "season": t.season,
            }
            for t in titles
        ],
    }


def changes_document(changes: Sequence[Event]) -> list[JSONValue]:
    """`refresh --json`: the events, a list (empty when nothing changed). Each has a
    `change`: "appeared" or "left" (a provider, in a region), or "new_season"."""
    from wheretowatch.lists.changes import Change  # only a refresh needs it

    return [_change(c) if isinstance(c, Change) else _new_season(c) for c in changes]


def _change(c: Change) -> dict[str, JSONValue]:
    return {
        "title": _watched(c.title),
        "region": c.region,
        "category": c.category.value,
        "provider_id": c.provider.provider_id,
        "provider_name": c.provider.provider_name,
        "change": "appeared" if c.appeared else "left",
        "mine": c.mine,
        "message": c.sentence(),
    }


def _new_season(event: NewSeason) -> dict[str, JSONValue]:
    return {
        "title": _watched(event.title),
        "change": "new_season",
        "next_episode": _episode(event.episode),
        "message": event.sentence(),
    }


def _watched(title: WatchedTitle) -> dict[str, JSONValue]:
    return {
        "tmdb_id": title.tmdb_id,
        "media_type": title.media_type.value,
        "title": title.title,
        "year": title.year,
        "season": title.season,
    }


def import_document(report: ImportReport) -> dict[str, JSONValue]:
    """`watchlist import --json`: the counts, and one entry per input row, in order."""
    return {
        "schema": SCHEMA_VERSION,
        "format": report.file.format.value,
        "dry_run": report.dry_run,
        "counts": {outcome.value: count for outcome, count in report.counts().items()},
        "rows": [_import_row(result) for result in report.results],
    }


def _import_row(result: RowResult) -> dict[str, JSONValue]:
    from wheretowatch.lists.formats import ImportRow

    source = result.source
    document: dict[str, JSONValue] = {"row": result.row}
    if isinstance(source, ImportRow):
        document["source"] = {
            "title": source.title,
            "year": source.year,
            "tmdb_id": source.tmdb_id,
            "imdb_id": source.imdb_id,
            "media_type": source.media_type.value if source.media_type else None,
            "season": source.season,
        }
    else:
        document["source"] = {"raw": source.raw}
    document["outcome"] = result.outcome.value
    if result.entry is not None:
        document["tmdb_id"] = result.entry.tmdb_id
        document["media_type"] = result.entry.media_type.value
        document["title"] = result.entry.title
        document["year"] = result.entry.year
    if result.candidates:
        document["candidates"] = [title_document(match) for match in result.candidates]
    if result.reason is not None:
        document["reason"] = result.reason
    return document


def availability_document(listing: Listing) -> dict[str, JSONValue]:
    """`watchlist list --json`: each title's watchlist fields and where it can be watched
    (shaped like the lookup's, each provider marked `mine` or not)."""
    return {
        "schema": SCHEMA_VERSION,
        "titles": [_title_availability(entry, listing.services) for entry in listing.titles],
    }


def _title_availability(entry: TitleAvailability, services: MyServices) -> dict[str, JSONValue]:
    title = entry.title
    result = entry.result
    document: dict[str, JSONValue] = {
        "tmdb_id": title.tmdb_id,
        "media_type": title.media_type.value,
        "title": title.title,
        "year": title.year,
        "regions": list(title.regions),
        "added_at": title.added_at,
        "season": title.season,
        "availability": None,
        "fetched_at": None,
        "stale": None,
        "on_my_services": entry.on_mine(services),
    }
    if result is not None:
        document["availability"] = {
            code: _offers_marked(offers, services) for code, offers in result.availability.items()
        }
        document["fetched_at"] = _timestamp(result.fetched_at)
        document["stale"] = result.stale
    elif entry.error is not None:
        document["error"] = {"code": entry.error.code, "message": entry.error.message}
    return document


def _offers_marked(offers: RegionOffers, services: MyServices) -> dict[str, JSONValue]:
    document: dict[str, JSONValue] = {"link": offers.link}
    for category in Category:
        document[category.value] = [
            {**_provider(p), "mine": services.includes(p)} for p in offers.providers(category)
        ]
    return document


def config_document(
    settings: Settings, *, file_exists: bool, services: MyServices | None
) -> dict[str, JSONValue]:
    """`config --json`: the settings, whether the file exists, what services resolved to."""
    document = settings_document(settings)
    document["config_file_exists"] = file_exists
    document["services_resolved"] = (
        None
        if services is None
        else [
            {
                "name": service.name,
                "providers": [
                    {"provider_id": p.provider_id, "provider_name": p.provider_name}
                    for p in service.providers
                ],
            }
            for service in services.services
        ]
    )
    return document


def doctor_document(checks: Sequence[Check], status: int) -> dict[str, JSONValue]:
    return {
        "schema": SCHEMA_VERSION,
        "ok": status == 0,
        "exit_status": status,
        "checks": [
            {"name": c.name, "ok": c.ok, "skipped": c.skipped, "message": c.message, "hint": c.hint}
            for c in checks
        ],
    }
