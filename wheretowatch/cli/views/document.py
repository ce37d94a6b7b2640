"""What every --json document shares: its version, the attribution, how it is written.

Bump SCHEMA_VERSION when a key changes meaning or disappears; adding a key does not.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from wheretowatch.attribution import JUSTWATCH_NOTICE, TMDB_NOTICE
from wheretowatch.errors import WheretowatchError
from wheretowatch.models import (
    Category,
    Provider,
    RegionOffers,
    TitleDetails,
    TitleMatch,
    Video,
)

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


def offers_document(offers: RegionOffers) -> dict[str, JSONValue]:
    document: dict[str, JSONValue] = {"link": offers.link}
    for category in Category:
        document[category.value] = [provider_document(p) for p in offers.providers(category)]
    return document


def provider_document(provider: Provider) -> dict[str, JSONValue]:
    return {"provider_id": provider.provider_id, "provider_name": provider.provider_name}


def video_document(video: Video) -> dict[str, JSONValue]:
    return {
        "url": video.url,
        "name": video.name,
        "type": video.type,
        "official": video.official,
        "language": video.language,
        "published_at": video.published_at,
    }


def timestamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def utc(stamp: float) -> datetime:
    return datetime.fromtimestamp(stamp, UTC)
