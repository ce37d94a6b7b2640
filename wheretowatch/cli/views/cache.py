"""The disk cache: where, how big, how old."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from rich.text import Text

from wheretowatch.cli.views.document import SCHEMA_VERSION, JSONValue, timestamp, utc
from wheretowatch.cli.views.text import describe_age, describe_size, safe

if TYPE_CHECKING:
    from wheretowatch.tmdb import CacheInfo


def cache_info_view(info: CacheInfo, size_limit: int, now: datetime) -> Text:
    """Plain lines, not a table: a long path is never cut short."""
    rows = [
        ("Location", str(info.directory)),
        ("Size", f"{describe_size(info.size_bytes)} of {describe_size(size_limit)}"),
        ("Entries", str(info.entries)),
    ]
    for label, stamp in (("Oldest entry", info.oldest), ("Newest entry", info.newest)):
        rows.append((label, "—" if stamp is None else _describe_moment(stamp, now)))
    view = Text()
    for index, (label, value) in enumerate(rows):
        view.append(("\n" if index else "") + f"{label:<14}", "bold")
        view.append_text(safe(value))
    return view


def _describe_moment(stamp: float, now: datetime) -> str:
    moment = datetime.fromtimestamp(stamp, UTC)
    return f"fetched {describe_age(moment, now)} ({moment:%Y-%m-%d %H:%M} UTC)"


def cache_info_document(info: CacheInfo, size_limit: int) -> dict[str, JSONValue]:
    return {
        "schema": SCHEMA_VERSION,
        "directory": str(info.directory),
        "size_bytes": info.size_bytes,
        "size_limit_bytes": size_limit,
        "entries": info.entries,
        "oldest": None if info.oldest is None else timestamp(utc(info.oldest)),
        "newest": None if info.newest is None else timestamp(utc(info.newest)),
    }
