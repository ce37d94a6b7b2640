"""Trakt's JSON watchlist: typed items (movie, show, season, episode, person).

Each Trakt item wraps the title it is about under its type's name, with Trakt's own ids
beside TMDB's and IMDb's. A season or episode is on the list for its show, so the show is
the row, with the season kept; a person is kept as a row the watchlist skips.
"""

from collections.abc import Mapping

from wheretowatch.lists.formats.document import JsonFormat
from wheretowatch.lists.formats.fields import (
    json_imdb_id,
    json_text,
    json_tmdb_id,
    json_year,
    read_title,
)
from wheretowatch.lists.formats.rows import ImportFormat, ImportRow, RowError
from wheretowatch.models import MediaType

_TYPES = ("movie", "show", "season", "episode", "person")


def _claims(item: Mapping[str, object]) -> bool:
    return item.get("type") in _TYPES


def _row(index: int, item: object, raw: str) -> ImportRow:
    if not isinstance(item, dict):
        raise RowError("not a JSON object")
    kind = item.get("type")
    if kind not in _TYPES:
        raise RowError(f"Trakt item type {kind!r} is not movie, show, season or episode")
    # Season and episode items carry their own ids; the title to add is the show beside them.
    holder = {"movie": "movie", "person": "person"}.get(str(kind), "show")
    obj = item.get(holder)
    if not isinstance(obj, dict):
        raise RowError(f"a {kind} item without its {holder}")
    if kind == "person":
        title = read_title(json_text(obj.get("name")), fold=True)
        return ImportRow(row=index, title=title, skip_reason="a person, not a title", raw=raw)
    ids = obj.get("ids", {})
    ids = {} if ids is None else ids
    if not isinstance(ids, dict):
        raise RowError("ids is not a JSON object")
    return ImportRow(
        row=index,
        title=read_title(json_text(obj.get("title")), fold=True),
        year=json_year(obj.get("year")),
        tmdb_id=json_tmdb_id(ids.get("tmdb")),
        imdb_id=json_imdb_id(ids.get("imdb")),
        media_type=MediaType.MOVIE if kind == "movie" else MediaType.TV,
        season=_season(kind, item.get(str(kind))),
        raw=raw,
    )


def _season(kind: object, obj: object) -> int | None:
    if not isinstance(obj, dict) or kind not in ("season", "episode"):
        return None
    number = obj.get("number" if kind == "season" else "season")
    return number if isinstance(number, int) and not isinstance(number, bool) else None


TRAKT = JsonFormat(
    format=ImportFormat.TRAKT,
    expected="a Trakt watchlist: expected a JSON list of movie, show, season or episode items",
    claims=_claims,
    row=_row,
    # An empty Trakt watchlist is a bare []: TMDB's lists come wrapped in an object.
    empty=True,
)
