"""Letterboxd's CSV exports, and the CSV its own importer takes.

Letterboxd exports a watchlist, diary, ratings or watched films as Name, Year and a
Letterboxd URI, and a list with a preamble describing the list above the films' header;
its importer takes Title, Year, tmdbID and imdbID, the shape wheretowatch's own CSV
export extends. All of them are read here, as one format.
"""

from collections.abc import Mapping

from wheretowatch.lists.formats import own
from wheretowatch.lists.formats.fields import (
    read_imdb_id,
    read_language,
    read_title,
    read_tmdb_id,
    read_year,
)
from wheretowatch.lists.formats.rows import ImportFormat, ImportRow, RowError
from wheretowatch.lists.formats.table import Cells, CsvFormat, is_list_preamble


def _fits(columns: Mapping[str, int]) -> bool:
    return any(column in columns for column in ("name", "title", "tmdbid", "imdbid"))


def _recognises(columns: Mapping[str, int]) -> bool:
    """Letterboxd's exports (Name, Year, URI) or the CSV its importer takes (Title, ids)."""
    if "name" in columns:
        return any(column in columns for column in ("year", "letterboxd uri", "url"))
    return "title" in columns and any(c in columns for c in ("year", "tmdbid", "imdbid"))


def _row(line: int, cells: Cells, raw: str) -> ImportRow:
    # Letterboxd cannot say film from miniseries: both are in its exports, media_type stays None.
    title = read_title(cells.get("name") or cells.get("title"), fold=True)
    tmdb_id = read_tmdb_id(cells.get("tmdbid"))
    imdb_id = read_imdb_id(cells.get("imdbid"))
    if title is None and tmdb_id is None and imdb_id is None:
        raise RowError("no name and no id")
    return ImportRow(
        row=line,
        title=title,
        year=read_year(cells.get("year")),
        tmdb_id=tmdb_id,
        imdb_id=imdb_id,
        media_type=own.read_type(cells.get("type")),
        season=own.read_season(cells.get("season")),
        original_language=read_language(cells.get("language")),
        regions=own.read_regions(cells.get("regions")) if "regions" in cells.columns else None,
        added_at=cells.get("added") or None,
        raw=raw,
    )


LETTERBOXD = CsvFormat(
    format=ImportFormat.LETTERBOXD,
    expected="a Letterboxd export: expected a CSV header with a Name or Title column",
    fits=_fits,
    recognises=_recognises,
    row=_row,
    recognises_first_line=is_list_preamble,
)
