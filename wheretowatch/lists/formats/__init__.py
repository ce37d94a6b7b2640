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
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import islice

from wheretowatch.errors import UsageError
from wheretowatch.models import MediaType

MAX_BYTES = 64 * 1024 * 1024
# The same limits as service.py's lookups (not imported: it pulls in the HTTP stack), so a
# row a lookup would refuse is reported here, with its row number.
MAX_TITLE_LENGTH = 500
MIN_YEAR, MAX_YEAR = 1870, 2200

_IMDB_ID = re.compile(r"tt\d{5,10}", re.ASCII | re.IGNORECASE)
_PERSON_ID = re.compile(r"nm\d{5,10}", re.ASCII | re.IGNORECASE)
_TMDB_ID = re.compile(r"[1-9]\d{0,9}", re.ASCII)
_YEAR = re.compile(r"\d{4}", re.ASCII)
_DATE_YEAR = re.compile(r"(\d{4})(?:-\d\d-\d\d)?", re.ASCII)
# A field wrapped over lines (or holding tabs) is still one title: the breaks become a space.
_BREAKS = re.compile(r"[ \t\r\n]*[\t\r\n][ \t\r\n]*")
# "#Alive" (2020) is a film, so a comment is "#" followed by a space, another "#" or nothing.
_COMMENT = re.compile(r"#(?:\s|#|$)")
# What starts a JSON export, and not a title such as "[REC]" (2007).
_JSON_START = re.compile(r'\s*(?:\{|\[\s*(?:[\[{"\]]|\Z))')
_LIST_PREAMBLE = "letterboxd list export"
_TRAKT_TYPES = ("movie", "show", "season", "episode", "person")
_FORMATS_HINT = (
    "wheretowatch reads Letterboxd and IMDb CSV exports, Trakt and TMDB JSON, and text files "
    "with one title a line; --format names the format if it is not recognised."
)

# IMDb's Title Type, with spaces, hyphens and case removed: every generation's spelling.
_IMDB_FILMS = frozenset(
    {"movie", "featurefilm", "documentary", "tvmovie", "short", "shortfilm", "video"}
    | {"tvshort", "tvspecial"}  # TMDB keeps these as films
)
_IMDB_SERIES = frozenset({"tvseries", "tvminiseries", "miniseries"})
_IMDB_SKIPPED = frozenset(
    {"tvepisode", "videogame", "podcastseries", "podcastepisode", "musicvideo", "tvpilot"}
)


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


class _RowError(Exception):
    """Why one row cannot be read; becomes a RowProblem."""


def read_export(data: bytes, format: ImportFormat | None = None, *, name: str = "-") -> ImportFile:
    """Read an export file, in `format` or the one its content shows (UsageError if none fits)."""
    text = _decode(data, name)
    _check_text(text, name)
    chosen = format or detect_format(text, name=name)
    if chosen is ImportFormat.TEXT:
        return _read_text(text)
    if chosen in (ImportFormat.TRAKT, ImportFormat.TMDB):
        return _read_json(text, chosen, name)
    return _read_csv(text, chosen, name)


def detect_format(text: str, *, name: str = "-") -> ImportFormat:
    """Which format decoded export text is in; UsageError if it is none of them."""
    text = text.removeprefix("\ufeff")
    _check_text(text, name)
    if _JSON_START.match(text):
        return _json_format(_parse_json(text, name), name)
    lines = _lines(text)
    if _is_list_preamble(lines[0]):
        return ImportFormat.LETTERBOXD
    header = _first_fields(lines)
    columns = _columns(header)
    if "const" in columns:
        return ImportFormat.IMDB
    if _is_letterboxd(columns):
        return ImportFormat.LETTERBOXD
    if _looks_like_csv(lines, len(header)):
        raise UsageError(
            f"{_shown(name)} looks like a CSV file, but its columns ({', '.join(header)}) are "
            "not those of a Letterboxd or IMDb export.",
            hint=_FORMATS_HINT,
        )
    return ImportFormat.TEXT


def write_rows(file: ImportFile, rows: Sequence[ImportRow | RowProblem]) -> str:
    """A file in `file`'s format holding just `rows` (taken from `file`), to fix and re-import."""
    if file.format in (ImportFormat.TRAKT, ImportFormat.TMDB):
        items = [json.loads(row.raw) for row in rows]
        container: object = json.loads(file.header)
        if isinstance(container, dict):
            key = next(k for k, v in container.items() if isinstance(v, list))
            container[key] = items
        else:
            container = items
        return _dump(container, indent=2) + "\n"
    newline = "\r\n" if file.header.endswith("\r\n") else "\n"
    header = file.header if not file.header or file.header.endswith("\n") else file.header + newline
    return header + "".join(row.raw + newline for row in rows)


# Bytes to text.


def _decode(data: bytes, name: str) -> str:
    if len(data) > MAX_BYTES:
        raise UsageError(
            f"{_shown(name)} is {len(data) / 1024 / 1024:.0f} MB; files over "
            f"{MAX_BYTES // 1024 // 1024} MB are not read.",
            hint="Is it a watchlist export? They are far smaller.",
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UsageError(f"{_shown(name)} is not valid UTF-16.", hint=_FORMATS_HINT) from None
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Older IMDb exports are Windows-1252; its five unassigned bytes become U+FFFD.
        return data.decode("cp1252", errors="replace")


def _check_text(text: str, name: str) -> None:
    if "\x00" in text:
        raise UsageError(f"{_shown(name)} is not a text file.", hint=_FORMATS_HINT)
    if not text.strip():
        raise UsageError(f"{_shown(name)} is empty.", hint=_FORMATS_HINT)


def _lines(text: str) -> list[str]:
    """Physical lines with their ends. Only "\\n" ends one: never U+2028 or a lone "\\r"."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines or [""]


def _strip_end(line: str) -> str:
    # Stray carriage returns at the end go too, so a row written back reads the same.
    return line.rstrip("\r\n")


def _shown(name: str) -> str:
    return "standard input" if name == "-" else name


# Plain text.


def _read_text(text: str) -> ImportFile:
    rows: list[ImportRow] = []
    problems: list[RowProblem] = []
    for number, line in enumerate(_lines(text.removeprefix("\ufeff")), 1):
        raw = _strip_end(line)
        stripped = raw.strip()
        if not stripped or _COMMENT.match(stripped):
            continue
        try:
            rows.append(ImportRow(row=number, title=_title(raw, fold=False), raw=raw))
        except _RowError as exc:
            problems.append(RowProblem(number, str(exc), raw))
    return ImportFile(ImportFormat.TEXT, tuple(rows), tuple(problems), header="")


# CSV: Letterboxd and IMDb.


@dataclass(frozen=True, slots=True)
class _Record:
    line: int  # 1-based physical line of its start
    end: int  # 0-based index of the line after it
    fields: list[str] | None  # None: not valid CSV, see `error`
    raw: str
    error: str | None = None


@dataclass(frozen=True, slots=True)
class _Cells:
    columns: Mapping[str, int]
    fields: Sequence[str]

    def get(self, column: str) -> str:
        index = self.columns.get(column)
        return self.fields[index].strip() if index is not None and index < len(self.fields) else ""


def _read_csv(text: str, format: ImportFormat, name: str) -> ImportFile:
    lines = _lines(text)
    header_lines, header = _find_header(lines, format, name)
    columns = _columns(header)
    build = _imdb_row if format is ImportFormat.IMDB else _letterboxd_row
    rows: list[ImportRow] = []
    problems: list[RowProblem] = []
    for record in _records(lines, header_lines):
        if record.fields is None:
            problems.append(RowProblem(record.line, f"not valid CSV: {record.error}", record.raw))
            continue
        if not any(field.strip() for field in record.fields):
            continue  # a blank line is no row
        try:
            _check_width(record.fields, len(header))
            rows.append(build(record.line, _Cells(columns, record.fields), record.raw))
        except _RowError as exc:
            problems.append(RowProblem(record.line, str(exc), record.raw))
    return ImportFile(format, tuple(rows), tuple(problems), header="".join(lines[:header_lines]))


def _records(lines: list[str], start: int) -> Iterator[_Record]:
    """CSV records from lines[start:], each with the number of its first physical line."""
    # Lines keep their ends, so a quoted field keeps its own line breaks as they were.
    reader = csv.reader(lines[start:])
    consumed = 0
    while True:
        first = start + consumed
        fields: list[str] | None
        error = None
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            fields, error = None, str(exc)
        if reader.line_num == consumed:
            return  # no progress: nothing left to read
        consumed = reader.line_num
        text = "".join(lines[first : start + consumed])
        if fields is not None and start + consumed == len(lines) and _is_unclosed(text):
            fields, error = None, "a quoted field is never closed (it runs to the end of the file)"
        yield _Record(first + 1, start + consumed, fields, _strip_end(text), error)


def _is_unclosed(record: str) -> bool:
    """Whether the file's last record ends inside a quoted field."""
    # Python's csv reads an unclosed quote to the end of the file without complaint,
    # swallowing every row after it; only its strict mode says so.
    if '"' not in record:
        return False
    try:
        for _ in csv.reader(_lines(record), strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _find_header(lines: list[str], format: ImportFormat, name: str) -> tuple[int, list[str]]:
    """How many lines the preamble and header take, and the header's fields."""
    # A list export's preamble describes the list (its own Name column, no Year) above a
    # blank line; the films' header is the first with both.
    preamble = _is_list_preamble(lines[0])
    for record in _records(lines, 0):
        if record.fields is not None and not any(field.strip() for field in record.fields):
            continue
        columns = _columns(record.fields or [])
        if _fits(format, columns) and not (preamble and "year" not in columns):
            return record.end, record.fields or []
        if not preamble:
            break
    raise UsageError(
        f"{_shown(name)} is not {_EXPECTED[format]}.",
        hint=_FORMATS_HINT,
    )


_EXPECTED = {
    ImportFormat.LETTERBOXD: "a Letterboxd export: expected a CSV header with a Name or "
    "Title column",
    ImportFormat.IMDB: "an IMDb export: expected a CSV header with a Const column",
    ImportFormat.TRAKT: "a Trakt watchlist: expected a JSON list of movie, show, season or "
    "episode items",
    ImportFormat.TMDB: 'a TMDB list: expected JSON with "items" or "results", or a JSON list '
    "of titles with an id",
}


def _fits(format: ImportFormat, columns: Mapping[str, int]) -> bool:
    if format is ImportFormat.IMDB:
        return "const" in columns
    return any(column in columns for column in ("name", "title", "tmdbid", "imdbid"))


def _is_letterboxd(columns: Mapping[str, int]) -> bool:
    """Letterboxd's exports (Name, Year, URI) or the CSV its importer takes (Title, ids)."""
    if "name" in columns:
        return any(column in columns for column in ("year", "letterboxd uri", "url"))
    return "title" in columns and any(c in columns for c in ("year", "tmdbid", "imdbid"))


def _is_list_preamble(line: str) -> bool:
    return line.strip().casefold().startswith(_LIST_PREAMBLE)


def _columns(header: Sequence[str]) -> dict[str, int]:
    """Header names, trimmed and case-folded, to their index; the first of a repeated name wins."""
    columns: dict[str, int] = {}
    for index, column in enumerate(header):
        columns.setdefault(column.strip().casefold(), index)
    return columns


def _first_fields(lines: list[str]) -> list[str]:
    for record in _records(lines, 0):
        if record.fields and any(field.strip() for field in record.fields):
            return record.fields
    return []


def _looks_like_csv(lines: list[str], width: int) -> bool:
    """A header of 3+ columns and rows of the same width: a CSV, not a list of titles."""
    if width < 3:
        return False
    records = (record for record in _records(lines, 0) if record.fields)
    widths = [len(record.fields or ()) for record in islice(records, 6)][1:]
    return bool(widths) and all(count == width for count in widths)


def _check_width(fields: Sequence[str], width: int) -> None:
    if len(fields) > width and any(field.strip() for field in fields[width:]):
        raise _RowError(
            f"has {len(fields)} fields but the header has {width} (a comma in an unquoted field?)"
        )


def _letterboxd_row(line: int, cells: _Cells, raw: str) -> ImportRow:
    # Letterboxd cannot say film from miniseries: both are in its exports, media_type stays None.
    title = _title(cells.get("name") or cells.get("title"), fold=True)
    tmdb_id = _tmdb_id(cells.get("tmdbid"))
    imdb_id = _imdb_id(cells.get("imdbid"))
    if title is None and tmdb_id is None and imdb_id is None:
        raise _RowError("no name and no id")
    return ImportRow(
        row=line,
        title=title,
        year=_year(cells.get("year")),
        tmdb_id=tmdb_id,
        imdb_id=imdb_id,
        media_type=_own_type(cells.get("type")),
        season=_own_season(cells.get("season")),
        original_language=cells.get("language") or None,
        regions=_own_regions(cells.get("regions")) if "regions" in cells.columns else None,
        added_at=cells.get("added") or None,
        raw=raw,
    )


def _own_type(text: str) -> MediaType | None:
    """The Type column of wheretowatch's own CSV export ("movie" or "tv")."""
    if not text:
        return None
    try:
        return MediaType(text.casefold())
    except ValueError:
        raise _RowError(f"Type {text!r} is not movie or tv") from None


def _own_season(text: str) -> int | None:
    """The Season column of wheretowatch's own CSV export: a watched season's number."""
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or len(text) > 6:
        raise _RowError(f"Season {text!r} is not a season number")
    return int(text)


def _own_regions(text: str) -> tuple[str, ...]:
    """The Regions column of wheretowatch's own export: codes apart by spaces or commas."""
    return tuple(code for code in re.split(r"[\s,]+", text) if code)


def _imdb_row(line: int, cells: _Cells, raw: str) -> ImportRow:
    const = cells.get("const")
    title = _title(cells.get("title"), fold=True)
    if _PERSON_ID.fullmatch(const):
        return ImportRow(row=line, title=title, skip_reason="a person, not a title", raw=raw)
    imdb_id = _imdb_id(const, column="Const")
    if title is None and imdb_id is None:
        raise _RowError("no Const and no Title")
    media_type, skip_reason = _imdb_kind(cells.get("title type"))
    return ImportRow(
        row=line,
        title=title,
        year=_year(cells.get("year")),
        original_title=_title(cells.get("original title"), fold=True),
        imdb_id=imdb_id,
        media_type=media_type,
        skip_reason=skip_reason,
        raw=raw,
    )


def _imdb_kind(title_type: str) -> tuple[MediaType | None, str | None]:
    key = "".join(ch for ch in title_type.casefold() if ch.isalnum())
    if key in _IMDB_FILMS:
        return MediaType.MOVIE, None
    if key in _IMDB_SERIES:
        return MediaType.TV, None
    if key in _IMDB_SKIPPED:
        return None, f"{title_type}: not a film or series"
    return None, None  # unknown or empty: the match decides


# JSON: Trakt and TMDB.


def _read_json(text: str, format: ImportFormat, name: str) -> ImportFile:
    data = _parse_json(text, name, _EXPECTED[format])
    items, header = _json_items(data, format, name)
    build = _trakt_row if format is ImportFormat.TRAKT else _tmdb_row
    rows: list[ImportRow] = []
    problems: list[RowProblem] = []
    for index, item in enumerate(items, 1):
        raw = _dump(item)
        try:
            rows.append(build(index, item, raw))
        except _RowError as exc:
            problems.append(RowProblem(index, str(exc), raw))
    return ImportFile(format, tuple(rows), tuple(problems), header=header)


def _parse_json(text: str, name: str, expected: str | None = None) -> object:
    """The JSON in `text`; UsageError if there is none (and `expected`, what was asked for)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"{exc.msg} at line {exc.lineno}, column {exc.colno}"
    except (ValueError, RecursionError):
        where = "too deep or too large"
    if expected is None:
        message = f"{_shown(name)} is not valid JSON ({where})."
    else:
        message = f"{_shown(name)} is not {expected} (not valid JSON: {where})."
    raise UsageError(message, hint="Is the file complete? Export it again.")


def _json_format(data: object, name: str) -> ImportFormat:
    if isinstance(data, dict) and _list_key(data) is not None:
        return ImportFormat.TMDB
    if isinstance(data, list):
        found = _list_format(data)
        if found is not None:
            return found
        if not data:
            # An empty Trakt watchlist: TMDB's lists come wrapped in an object.
            return ImportFormat.TRAKT
    raise UsageError(
        f"{_shown(name)} is JSON, but not a Trakt watchlist or a TMDB list.", hint=_FORMATS_HINT
    )


def _list_format(items: list[object]) -> ImportFormat | None:
    """What a JSON list's items look like: Trakt's typed wrappers, TMDB's title objects."""
    for item in items:
        if not isinstance(item, dict):
            continue
        if item.get("type") in _TRAKT_TYPES:
            return ImportFormat.TRAKT
        if "id" in item or "media_type" in item:
            return ImportFormat.TMDB
    return None


def _list_key(data: Mapping[str, object]) -> str | None:
    for key in ("items", "results"):
        if isinstance(data.get(key), list):
            return key
    return None


def _json_items(data: object, format: ImportFormat, name: str) -> tuple[list[object], str]:
    """The items of a JSON export and a header to write them back in the same container."""
    if isinstance(data, list) and _list_format(data) in (format, None):
        return data, "[]"
    if format is ImportFormat.TMDB and isinstance(data, dict):
        key = _list_key(data)
        if key is not None:
            items = data[key]
            assert isinstance(items, list)
            return items, _dump({key: []})
    raise UsageError(f"{_shown(name)} is not {_EXPECTED[format]}.", hint=_FORMATS_HINT)


def _trakt_row(index: int, item: object, raw: str) -> ImportRow:
    if not isinstance(item, dict):
        raise _RowError("not a JSON object")
    kind = item.get("type")
    if kind not in _TRAKT_TYPES:
        raise _RowError(f"Trakt item type {kind!r} is not movie, show, season or episode")
    # Season and episode items carry their own ids; the title to add is the show beside them.
    holder = {"movie": "movie", "person": "person"}.get(str(kind), "show")
    obj = item.get(holder)
    if not isinstance(obj, dict):
        raise _RowError(f"a {kind} item without its {holder}")
    if kind == "person":
        title = _title(_json_str(obj.get("name")), fold=True)
        return ImportRow(row=index, title=title, skip_reason="a person, not a title", raw=raw)
    ids = obj.get("ids", {})
    ids = {} if ids is None else ids
    if not isinstance(ids, dict):
        raise _RowError("ids is not a JSON object")
    return ImportRow(
        row=index,
        title=_title(_json_str(obj.get("title")), fold=True),
        year=_json_year(obj.get("year")),
        tmdb_id=_json_tmdb_id(ids.get("tmdb")),
        imdb_id=_json_imdb_id(ids.get("imdb")),
        media_type=MediaType.MOVIE if kind == "movie" else MediaType.TV,
        season=_trakt_season(kind, item.get(str(kind))),
        raw=raw,
    )


def _trakt_season(kind: object, obj: object) -> int | None:
    if not isinstance(obj, dict) or kind not in ("season", "episode"):
        return None
    number = obj.get("number" if kind == "season" else "season")
    return number if isinstance(number, int) and not isinstance(number, bool) else None


def _tmdb_row(index: int, item: object, raw: str) -> ImportRow:
    if not isinstance(item, dict):
        raise _RowError("not a JSON object")
    media_type = _tmdb_kind(item)
    if item.get("media_type") == "person":
        title = _title(_json_str(item.get("name")), fold=True)
        return ImportRow(row=index, title=title, skip_reason="a person, not a title", raw=raw)
    tmdb_id = _json_tmdb_id(item.get("id"))
    if tmdb_id is None:
        raise _RowError("no TMDB id")
    title, original, date = ("name", "original_name", "first_air_date")
    if media_type is not MediaType.TV and ("title" in item or media_type is MediaType.MOVIE):
        title, original, date = ("title", "original_title", "release_date")
    return ImportRow(
        row=index,
        title=_title(_json_str(item.get(title)), fold=True),
        # "year" is wheretowatch's own export's; TMDB's lists give dates.
        year=_date_year(item.get(date)) or _json_year(item.get("year")),
        original_title=_title(_json_str(item.get(original)), fold=True),
        tmdb_id=tmdb_id,
        imdb_id=_json_imdb_id(item.get("imdb_id")),
        media_type=media_type,
        season=_json_season(item.get("season")),
        original_language=_json_str(item.get("original_language")).strip() or None,
        regions=_json_regions(item.get("regions")),
        added_at=_json_str(item.get("added_at")).strip() or None,
        raw=raw,
    )


def _json_season(value: object) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 10**6:
        raise _RowError("season is not a season number")
    return value


def _json_regions(value: object) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise _RowError("regions is not a list of region codes")
    return tuple(value)


def _tmdb_kind(item: Mapping[str, object]) -> MediaType | None:
    kind = item.get("media_type")
    if kind in ("movie", "tv"):
        return MediaType(str(kind))
    if kind not in (None, "person"):
        raise _RowError(f"media_type {kind!r} is not movie or tv")
    # v3 account lists leave media_type out (the path said it); the field names still tell.
    if "title" in item or "release_date" in item:
        return MediaType.MOVIE
    if "name" in item or "first_air_date" in item:
        return MediaType.TV
    return None


def _dump(value: object, indent: int | None = None) -> str:
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates from "\ud800" escapes: keep them escaped
        text = json.dumps(value, indent=indent)
    return text


# Field values, shared by the formats. Each raises _RowError for a value it cannot use.


def _title(text: str, *, fold: bool) -> str | None:
    if fold:
        text = _BREAKS.sub(" ", text)
    text = text.strip()
    if not text:
        return None
    if len(text) > MAX_TITLE_LENGTH:
        raise _RowError(f"the title is {len(text)} characters long; at most {MAX_TITLE_LENGTH}")
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in text):
        raise _RowError("the title contains control characters")
    return text


def _year(text: str) -> int | None:
    if not text:
        return None  # announced titles have no year yet
    if not _YEAR.fullmatch(text) or not MIN_YEAR <= int(text) <= MAX_YEAR:
        raise _RowError(f"Year {text!r} is not a year")
    return int(text)


def _tmdb_id(text: str, column: str = "tmdbID") -> int | None:
    if not text:
        return None
    if not _TMDB_ID.fullmatch(text):
        raise _RowError(f"{column} {text!r} is not a TMDB id")
    return int(text)


def _imdb_id(text: str, column: str = "imdbID") -> str | None:
    if not text:
        return None
    if not _IMDB_ID.fullmatch(text):
        raise _RowError(f"{column} {text!r} is not an IMDb id")
    return text.lower()


def _json_str(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _RowError(f"{_dump(value)[:40]} is not a text")
    return value


def _json_year(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return _year(str(value))
    return _year(_json_str(value).strip())


def _date_year(value: object) -> int | None:
    text = _json_str(value).strip()
    match = _DATE_YEAR.fullmatch(text)
    if text and match is None:
        raise _RowError(f"date {text!r} is not a date")
    return _year(match.group(1)) if match else None


def _json_tmdb_id(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return _tmdb_id(str(value), column="id")
    return _tmdb_id(_json_str(value).strip(), column="id")


def _json_imdb_id(value: object) -> str | None:
    return _imdb_id(_json_str(value).strip(), column="imdb id")
