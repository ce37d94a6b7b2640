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
    LookupResult,
    MyServices,
    Provider,
    Region,
    RegionOffers,
    TitleDetails,
    TitleMatch,
    Video,
)
from wheretowatch.settings import Settings

if TYPE_CHECKING:
    from wheretowatch.doctor import Check
    from wheretowatch.tmdb import CacheInfo
    from wheretowatch.watch.changes import Change
    from wheretowatch.watch.watchlist import WatchedTitle

SCHEMA_VERSION = 1
ATTRIBUTION = {"tmdb": TMDB_NOTICE, "justwatch": JUSTWATCH_NOTICE}

JSONValue = None | bool | int | float | str | list["JSONValue"] | dict[str, "JSONValue"]


def dumps(document: JSONValue, *, compact: bool = False) -> str:
    """Pretty JSON for one answer; one compact line each for JSON Lines."""
    # ensure_ascii keeps every control or bidi character from TMDB as a \\u escape.
    if compact:
        return json.dumps(document, ensure_ascii=True, separators=(",", ":"))
    return json.dumps(document, ensure_ascii=True, indent=2)


def lookup_document(result: LookupResult) -> dict[str, JSONValue]:
    return {
        "schema": SCHEMA_VERSION,
        "query": result.query,
        "title": title_document(result.title),
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


def providers_document(region: str | None, providers: list[Provider]) -> dict[str, JSONValue]:
    return {
        "schema": SCHEMA_VERSION,
        "region": region,
        "providers": [
            {"provider_id": p.provider_id, "provider_name": p.provider_name} for p in providers
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
            }
            for t in titles
        ],
    }


def changes_document(changes: list[Change]) -> list[JSONValue]:
    """`refresh --json`: the change events, a list (empty when nothing changed)."""
    return [
        {
            "title": {
                "tmdb_id": c.title.tmdb_id,
                "media_type": c.title.media_type.value,
                "title": c.title.title,
                "year": c.title.year,
            },
            "region": c.region,
            "category": c.category.value,
            "provider_id": c.provider.provider_id,
            "provider_name": c.provider.provider_name,
            "change": "appeared" if c.appeared else "left",
            "mine": c.mine,
            "message": c.sentence(),
        }
        for c in changes
    ]


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
            {"name": c.name, "ok": c.ok, "message": c.message, "hint": c.hint} for c in checks
        ],
    }
