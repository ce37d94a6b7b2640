"""Read a watchlist export from another service into typed rows, without the network.

Formats (their shapes and quirks: shared/formats/IMPORTS.md), told apart by content:

    letterboxd   CSV: watchlist/watched/diary/ratings (Name, Year), a list export (with its
                 preamble), or the CSV Letterboxd's own importer takes (Title, Year, tmdbID, imdbID)
    imdb         CSV with a Const column, every generation of header
    trakt        JSON list of watchlist items (movie, show, season, episode)
    tmdb         JSON list: {"items": [...]}, {"results": [...]} or a bare list of title objects
    text         one title a line; blank lines and "# comments" skipped

A file that is none of these is a UsageError. Inside a readable file, a row that makes no
sense becomes a RowProblem with its row number: never a crash, never a silent drop. Matching
rows against TMDB happens elsewhere; so does parsing "Title (1999)", tt ids or URLs in text.

Each format is a module declaring what it is (a `CsvFormat` or `JsonFormat`: how it is
recognised, how a row is read); the registry below lists them, in the order that decides
a file both could read. wheretowatch's own exports are read as Letterboxd and TMDB files
(`own` holds the fields they add; `export` writes them).

    rows        ImportFormat, ImportRow, RowProblem, ImportFile: what reading yields
    source      bytes to text and lines, checked; MAX_BYTES
    fields      titles, years and ids, checked the same way in every format
    table       CSV read record by record;  document: JSON items and their container
    letterboxd  imdb  trakt  tmdb  text  own   one module per format
    export      the watchlist written as CSV or JSON, for other tools and for import
"""

import re
from collections.abc import Sequence

from wheretowatch.errors import UsageError
from wheretowatch.lists.formats.document import (
    JsonFormat,
    document_format,
    parse_json,
    read_document,
    write_document,
)
from wheretowatch.lists.formats.imdb import IMDB
from wheretowatch.lists.formats.letterboxd import LETTERBOXD
from wheretowatch.lists.formats.rows import ImportFile, ImportFormat, ImportRow, RowProblem
from wheretowatch.lists.formats.source import (
    FORMATS_HINT,
    MAX_BYTES,
    check_text,
    decode,
    shown,
    split_lines,
)
from wheretowatch.lists.formats.table import (
    CsvFormat,
    column_index,
    first_fields,
    looks_like_csv,
    read_table,
    write_lines,
)
from wheretowatch.lists.formats.text import read_text
from wheretowatch.lists.formats.tmdb import TMDB
from wheretowatch.lists.formats.trakt import TRAKT

__all__ = [
    "MAX_BYTES",
    "ImportFile",
    "ImportFormat",
    "ImportRow",
    "RowProblem",
    "detect_format",
    "read_export",
    "write_rows",
]

# The first that recognises a file wins: a Const column says IMDb even beside a Title.
CSV_FORMATS: tuple[CsvFormat, ...] = (IMDB, LETTERBOXD)
# Trakt's typed items carry an id too: their type says Trakt before the id says TMDB.
JSON_FORMATS: tuple[JsonFormat, ...] = (TRAKT, TMDB)
# Anything else that is text, and not a table, is a list of titles (ImportFormat.TEXT).

# What starts a JSON export, and not a title such as "[REC]" (2007).
_JSON_START = re.compile(r'\s*(?:\{|\[\s*(?:[\[{"\]]|\Z))')


def read_export(data: bytes, format: ImportFormat | None = None, *, name: str = "-") -> ImportFile:
    """Read an export file, in `format` or the one its content shows (UsageError if none fits)."""
    text = decode(data, name)
    check_text(text, name)
    chosen = format or detect_format(text, name=name)
    for csv_format in CSV_FORMATS:
        if csv_format.format is chosen:
            return read_table(text, csv_format, name)
    for json_format in JSON_FORMATS:
        if json_format.format is chosen:
            return read_document(text, json_format, JSON_FORMATS, name)
    return read_text(text)


def detect_format(text: str, *, name: str = "-") -> ImportFormat:
    """Which format decoded export text is in; UsageError if it is none of them."""
    text = text.removeprefix("\ufeff")
    check_text(text, name)
    if _JSON_START.match(text):
        found = document_format(parse_json(text, name), JSON_FORMATS)
        if found is None:
            raise UsageError(
                f"{shown(name)} is JSON, but not a Trakt watchlist or a TMDB list.",
                hint=FORMATS_HINT,
            )
        return found
    lines = split_lines(text)
    for csv_format in CSV_FORMATS:
        if csv_format.recognises_first_line and csv_format.recognises_first_line(lines[0]):
            return csv_format.format
    header = first_fields(lines)
    columns = column_index(header)
    for csv_format in CSV_FORMATS:
        if csv_format.recognises(columns):
            return csv_format.format
    if looks_like_csv(lines, len(header)):
        raise UsageError(
            f"{shown(name)} looks like a CSV file, but its columns ({', '.join(header)}) are "
            "not those of a Letterboxd or IMDb export.",
            hint=FORMATS_HINT,
        )
    return ImportFormat.TEXT


def write_rows(file: ImportFile, rows: Sequence[ImportRow | RowProblem]) -> str:
    """A file in `file`'s format holding just `rows` (taken from `file`), to fix and re-import."""
    raws = [row.raw for row in rows]
    if any(json_format.format is file.format for json_format in JSON_FORMATS):
        return write_document(file.header, raws)
    return write_lines(file.header, raws)
