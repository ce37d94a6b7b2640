"""`watchlist export`: the watchlist as a file other tools, and `watchlist import`, read.

    csv         Title, Year, Type, tmdbID, imdbID, Season, Language, Regions, Added
    json        {"items": [...]}: TMDB list items, plus the watchlist's own fields
    letterboxd  Title, Year, tmdbID, imdbID: what Letterboxd's importer takes; films only

Every one imports back by TMDB id, with no search and no request, into the same entries:
the column names are those `letterboxd` reads (Letterboxd's importer CSV) and the items
those `tmdb` reads (TMDB's lists), with `own`'s fields for what the formats cannot hold.
Writing sits beside reading so that a column renamed here is seen to need its reader.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from wheretowatch.lists.watchlist import WatchedTitle
from wheretowatch.models import UNSAFE_CHARACTERS, MediaType

CSV_COLUMNS = (
    "Title",
    "Year",
    "Type",
    "tmdbID",
    "imdbID",
    "Season",
    "Language",
    "Regions",
    "Added",
)
LETTERBOXD_COLUMNS = ("Title", "Year", "tmdbID", "imdbID")
# What a spreadsheet takes for a formula at the start of a cell (OWASP's CSV injection):
# such a field is written after a "'", which spreadsheets show as text and `table` strips.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# C0 and C1 controls (ESC included): never written raw to a file or a pipe. In CSV they
# become a space, as a line break inside a title does on import.
_CSV_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# What json.dumps leaves raw with ensure_ascii=False: the C1 controls and DEL, and the
# invisible and bidirectional characters (see views/text); escaped as \uXXXX like C0.
# Not C0: json.dumps escapes it inside strings, and the layout's line breaks are C0 too.
_JSON_RAW = re.compile(UNSAFE_CHARACTERS.pattern.replace("\x00-\x1f", ""))


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"
    LETTERBOXD = "letterboxd"


@dataclass(frozen=True, slots=True)
class Export:
    """An export's text, and how many titles its format could not hold (series, for
    Letterboxd)."""

    text: str
    left_out: int = 0


def export(titles: Sequence[WatchedTitle], format: ExportFormat) -> Export:
    """The watchlist as a file in `format`."""
    if format is ExportFormat.JSON:
        document = {"items": [_item(title) for title in titles]}
        text = json.dumps(document, indent=2, ensure_ascii=False)
        return Export(_JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")
    if format is ExportFormat.LETTERBOXD:
        films = [t for t in titles if t.media_type is MediaType.MOVIE]  # seasons are series
        rows = [[t.title, _year(t), str(t.tmdb_id), t.imdb_id or ""] for t in films]
        return Export(_csv(LETTERBOXD_COLUMNS, rows), left_out=len(titles) - len(films))
    return Export(_csv(CSV_COLUMNS, [_csv_row(title) for title in titles]))


def _csv_row(title: WatchedTitle) -> list[str]:
    return [
        title.title,
        _year(title),
        title.media_type.value,
        str(title.tmdb_id),
        title.imdb_id or "",
        str(title.season) if title.season is not None else "",
        title.original_language or "",
        " ".join(title.regions),
        title.added_at,
    ]


def _item(title: WatchedTitle) -> dict[str, Any]:
    # TMDB's own names ("title" for films, "name" for series), so TMDB list readers read it.
    name = "name" if title.media_type is MediaType.TV else "title"
    return {
        "id": title.tmdb_id,
        "media_type": title.media_type.value,
        name: title.title,
        "year": title.year,
        "imdb_id": title.imdb_id,
        "season": title.season,
        "original_language": title.original_language,
        "regions": list(title.regions),
        "added_at": title.added_at,
    }


def _year(title: WatchedTitle) -> str:
    return str(title.year) if title.year else ""


def _csv(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([_cell(field) for field in row] for row in rows)
    return buffer.getvalue()


def _cell(field: str) -> str:
    """A field as a spreadsheet shows it, text and not a formula, on one line."""
    field = _CSV_CONTROLS.sub(" ", field)
    return "'" + field if field.startswith(FORMULA_STARTS) else field
