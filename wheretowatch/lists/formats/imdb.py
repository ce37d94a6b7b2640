"""IMDb's CSV exports: watchlist, ratings, check-ins and lists, every generation of header.

IMDb names a title by its Const (tt…) and says what it is in Title Type, spelled
differently over the years; people, episodes and video games appear in the same lists
and are kept as rows the watchlist skips, with the reason, not as errors.
"""

import re
from collections.abc import Mapping

from wheretowatch.lists.formats.fields import read_imdb_id, read_title, read_year
from wheretowatch.lists.formats.rows import ImportFormat, ImportRow, RowError
from wheretowatch.lists.formats.table import Cells, CsvFormat
from wheretowatch.models import MediaType

_PERSON_ID = re.compile(r"nm\d{5,10}", re.ASCII | re.IGNORECASE)
# IMDb's Title Type, with spaces, hyphens and case removed: every generation's spelling.
_FILMS = frozenset(
    {"movie", "featurefilm", "documentary", "tvmovie", "short", "shortfilm", "video"}
    | {"tvshort", "tvspecial"}  # TMDB keeps these as films
)
_SERIES = frozenset({"tvseries", "tvminiseries", "miniseries"})
_SKIPPED = frozenset(
    {"tvepisode", "videogame", "podcastseries", "podcastepisode", "musicvideo", "tvpilot"}
)


def _has_const(columns: Mapping[str, int]) -> bool:
    return "const" in columns


def _row(line: int, cells: Cells, raw: str) -> ImportRow:
    const = cells.get("const")
    title = read_title(cells.get("title"), fold=True)
    if _PERSON_ID.fullmatch(const):
        return ImportRow(row=line, title=title, skip_reason="a person, not a title", raw=raw)
    imdb_id = read_imdb_id(const, column="Const")
    if title is None and imdb_id is None:
        raise RowError("no Const and no Title")
    media_type, skip_reason = _kind(cells.get("title type"))
    return ImportRow(
        row=line,
        title=title,
        year=read_year(cells.get("year")),
        original_title=read_title(cells.get("original title"), fold=True),
        imdb_id=imdb_id,
        media_type=media_type,
        skip_reason=skip_reason,
        raw=raw,
    )


def _kind(title_type: str) -> tuple[MediaType | None, str | None]:
    key = "".join(ch for ch in title_type.casefold() if ch.isalnum())
    if key in _FILMS:
        return MediaType.MOVIE, None
    if key in _SERIES:
        return MediaType.TV, None
    if key in _SKIPPED:
        return None, f"{title_type}: not a film or series"
    return None, None  # unknown or empty: the match decides


IMDB = CsvFormat(
    format=ImportFormat.IMDB,
    expected="an IMDb export: expected a CSV header with a Const column",
    fits=_has_const,
    recognises=_has_const,
    row=_row,
)
