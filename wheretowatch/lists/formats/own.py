"""The fields only wheretowatch's own exports have, read back on import.

`watchlist export` writes Letterboxd's importer CSV and TMDB's list JSON (see `export`),
plus what a round trip must not lose: the type, a watched season, the original language,
the regions and when a title was added. Those files are read as Letterboxd and TMDB
files; these readers are what the two formats add for them.
"""

import re

from wheretowatch.lists.formats.rows import RowError
from wheretowatch.models import MediaType


def read_type(text: str) -> MediaType | None:
    """The Type column of wheretowatch's own CSV export ("movie" or "tv")."""
    if not text:
        return None
    try:
        return MediaType(text.casefold())
    except ValueError:
        raise RowError(f"Type {text!r} is not movie or tv") from None


def read_season(text: str) -> int | None:
    """The Season column of wheretowatch's own CSV export: a watched season's number."""
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or len(text) > 6:
        raise RowError(f"Season {text!r} is not a season number")
    return int(text)


def read_regions(text: str) -> tuple[str, ...]:
    """The Regions column of wheretowatch's own export: codes apart by spaces or commas."""
    return tuple(code for code in re.split(r"[\s,]+", text) if code)


def json_season(value: object) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 10**6:
        raise RowError("season is not a season number")
    return value


def json_regions(value: object) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise RowError("regions is not a list of region codes")
    return tuple(value)
