"""What reading an export yields, whatever the format: rows, problems, and the file.

Every format module builds these and nothing else, so the importer, the views and
`write_rows` see one shape whether the file came from Letterboxd, IMDb, Trakt, TMDB or
wheretowatch itself.
"""

from dataclasses import dataclass
from enum import StrEnum

from wheretowatch.models import MediaType


class ImportFormat(StrEnum):
    LETTERBOXD = "letterboxd"
    IMDB = "imdb"
    TRAKT = "trakt"
    TMDB = "tmdb"
    TEXT = "text"


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportRow:
    """One title as the export gives it; `raw` is the row as it was in the file.

    `row` is what the user sees: a CSV record's first physical line (preamble and header
    counted), a JSON item's 1-based index, a text line's number. `original_title` is
    IMDb's Original Title or TMDB's original_title/original_name, when the file has one.
    `season` is kept for Trakt season and episode items, whose show is what gets added,
    and read from wheretowatch's own exports, where it is a watched season.
    `skip_reason` marks rows the watchlist does not keep (an episode, a video game).
    """

    row: int
    title: str | None
    year: int | None = None
    original_title: str | None = None
    tmdb_id: int | None = None
    imdb_id: str | None = None
    media_type: MediaType | None = None
    season: int | None = None
    skip_reason: str | None = None
    # Only in wheretowatch's own exports, so that a round trip loses nothing.
    original_language: str | None = None
    regions: tuple[str, ...] | None = None
    added_at: str | None = None
    raw: str


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row the reader could not make sense of, and why."""

    row: int
    reason: str
    raw: str


@dataclass(frozen=True, slots=True)
class ImportFile:
    """What an export holds. `header` lets `write_rows` write a file of the same format."""

    format: ImportFormat
    rows: tuple[ImportRow, ...]
    problems: tuple[RowProblem, ...]
    header: str


class RowError(Exception):
    """Why one row cannot be read; becomes a RowProblem."""
