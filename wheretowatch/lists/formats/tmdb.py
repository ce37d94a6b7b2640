"""TMDB's list JSON (v3 and v4 lists, account watchlists), and wheretowatch's own JSON.

TMDB wraps a list's titles in "items" or "results", or a file holds a bare list of title
objects; films have title and release_date, series name and first_air_date, and v3
account lists leave media_type out. `watchlist export --format json` writes this shape
with its own fields added, so it is read here too.
"""

from collections.abc import Mapping, Sequence

from wheretowatch.errors import UsageError
from wheretowatch.lists.formats import own
from wheretowatch.lists.formats.document import JsonFormat
from wheretowatch.lists.formats.fields import (
    date_year,
    json_imdb_id,
    json_text,
    json_tmdb_id,
    json_year,
    read_language,
    read_title,
)
from wheretowatch.lists.formats.rows import ImportFormat, ImportRow, RowError
from wheretowatch.lists.formats.source import shown
from wheretowatch.models import MediaType


def _claims(item: Mapping[str, object]) -> bool:
    return "id" in item or "media_type" in item


def _row(index: int, item: object, raw: str) -> ImportRow:
    if not isinstance(item, dict):
        raise RowError("not a JSON object")
    media_type = _kind(item)
    if item.get("media_type") == "person":
        title = read_title(json_text(item.get("name")), fold=True)
        return ImportRow(row=index, title=title, skip_reason="a person, not a title", raw=raw)
    tmdb_id = json_tmdb_id(item.get("id"))
    if tmdb_id is None:
        raise RowError("no TMDB id")
    title, original, date = ("name", "original_name", "first_air_date")
    if media_type is not MediaType.TV and ("title" in item or media_type is MediaType.MOVIE):
        title, original, date = ("title", "original_title", "release_date")
    return ImportRow(
        row=index,
        title=read_title(json_text(item.get(title)), fold=True),
        # "year" is wheretowatch's own export's; TMDB's lists give dates.
        year=date_year(item.get(date)) or json_year(item.get("year")),
        original_title=read_title(json_text(item.get(original)), fold=True),
        tmdb_id=tmdb_id,
        imdb_id=json_imdb_id(item.get("imdb_id")),
        media_type=media_type,
        season=own.json_season(item.get("season")),
        original_language=read_language(json_text(item.get("original_language"))),
        regions=own.json_regions(item.get("regions")),
        added_at=json_text(item.get("added_at")).strip() or None,
        raw=raw,
    )


def _kind(item: Mapping[str, object]) -> MediaType | None:
    kind = item.get("media_type")
    if kind in ("movie", "tv"):
        return MediaType(str(kind))
    if kind not in (None, "person"):
        raise RowError(f"media_type {kind!r} is not movie or tv")
    # v3 account lists leave media_type out (the path said it); the field names still tell.
    if "title" in item or "release_date" in item:
        return MediaType.MOVIE
    if "name" in item or "first_air_date" in item:
        return MediaType.TV
    return None


# What a list of lists (`/account/{id}/lists`, v3 and v4) or of people has, and a title lacks.
_LIST_FIELDS = ("number_of_items", "item_count")
_PERSON_FIELDS = ("known_for_department", "known_for")
_TITLE_FIELDS = ("media_type", "title", "release_date", "first_air_date")


def _refuse(items: Sequence[object], name: str) -> None:
    """Refuse a file whose items are not titles: every one a list, or every one a person.
    Read as titles, a page of the user's lists became series named after them."""
    objects = [item for item in items if isinstance(item, dict)]
    if not objects or len(objects) != len(items):
        return
    if any(field in item for item in objects for field in _TITLE_FIELDS):
        return
    count = len(objects)
    if all(any(field in item for field in _LIST_FIELDS) for item in objects):
        noun = "list" if count == 1 else "lists"
        raise UsageError(
            f"{shown(name)} lists your {count} TMDB {noun}, not titles: export one list.",
            hint="Export the items of a single list (TMDB's /list/{id} or /4/list/{id}), "
            "then import that file.",
        )
    if all(any(field in item for field in _PERSON_FIELDS) for item in objects):
        noun = "person" if count == 1 else "people"
        raise UsageError(
            f"{shown(name)} lists {count} {noun}, not titles.",
            hint="Import a list of films or series.",
        )


TMDB = JsonFormat(
    format=ImportFormat.TMDB,
    expected='a TMDB list: expected JSON with "items" or "results", or a JSON list '
    "of titles with an id",
    claims=_claims,
    row=_row,
    wrapped=True,
    refuse=_refuse,
)
