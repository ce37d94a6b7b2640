"""CSV exports read record by record, each row numbered as an editor shows it.

Letterboxd, IMDb and wheretowatch's own CSV differ only in their columns; what is hard
is shared: quoted fields over several lines, a quote never closed, rows wider than the
header, Letterboxd's list preamble above the real header. A CSV format declares its
columns (`CsvFormat`) and how to build a row from them; reading the table is done here.
"""

import csv
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice

from wheretowatch.errors import UsageError
from wheretowatch.lists.formats.rows import (
    ImportFile,
    ImportFormat,
    ImportRow,
    RowError,
    RowProblem,
)
from wheretowatch.lists.formats.source import FORMATS_HINT, shown, split_lines, strip_end

_LIST_PREAMBLE = "letterboxd list export"


@dataclass(frozen=True, slots=True)
class Cells:
    """One record's fields, read by (case-folded) column name."""

    columns: Mapping[str, int]
    fields: Sequence[str]

    def get(self, column: str) -> str:
        index = self.columns.get(column)
        if index is None or index >= len(self.fields):
            return ""
        return _unguarded(self.fields[index]).strip()


# The characters `export` guards with a leading "'" so a spreadsheet shows text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _unguarded(field: str) -> str:
    """A field without the "'" an export put before a formula-like start."""
    return field[1:] if field.startswith("'") and field[1:].startswith(_FORMULA_STARTS) else field


@dataclass(frozen=True, slots=True, kw_only=True)
class CsvFormat:
    """A CSV export: how its header is told apart, and how one of its rows is read."""

    format: ImportFormat
    expected: str  # what the file should have been, for "… is not {expected}."
    fits: Callable[[Mapping[str, int]], bool]  # a header this format can read
    recognises: Callable[[Mapping[str, int]], bool]  # a header only this format has
    row: Callable[[int, Cells, str], ImportRow]
    recognises_first_line: Callable[[str], bool] | None = None


def read_table(text: str, spec: CsvFormat, name: str) -> ImportFile:
    lines = split_lines(text)
    header_lines, header = _find_header(lines, spec, name)
    columns = column_index(header)
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
            rows.append(spec.row(record.line, Cells(columns, record.fields), record.raw))
        except RowError as exc:
            problems.append(RowProblem(record.line, str(exc), record.raw))
    return ImportFile(
        spec.format, tuple(rows), tuple(problems), header="".join(lines[:header_lines])
    )


def write_lines(header: str, raws: Sequence[str]) -> str:
    """A header (none for a text file) and rows as they were, with the file's line ends."""
    newline = "\r\n" if header.endswith("\r\n") else "\n"
    header = header if not header or header.endswith("\n") else header + newline
    return header + "".join(raw + newline for raw in raws)


def is_list_preamble(line: str) -> bool:
    """Whether a line opens a Letterboxd list export: its list's own header comes first."""
    return line.strip().casefold().startswith(_LIST_PREAMBLE)


def column_index(header: Sequence[str]) -> dict[str, int]:
    """Header names, trimmed and case-folded, to their index; the first of a repeated name wins."""
    columns: dict[str, int] = {}
    for index, column in enumerate(header):
        columns.setdefault(column.strip().casefold(), index)
    return columns


def first_fields(lines: list[str]) -> list[str]:
    for record in _records(lines, 0):
        if record.fields and any(field.strip() for field in record.fields):
            return record.fields
    return []


def looks_like_csv(lines: list[str], width: int) -> bool:
    """A header of 3+ columns and rows of the same width: a CSV, not a list of titles."""
    if width < 3:
        return False
    records = (record for record in _records(lines, 0) if record.fields)
    widths = [len(record.fields or ()) for record in islice(records, 6)][1:]
    return bool(widths) and all(count == width for count in widths)


@dataclass(frozen=True, slots=True)
class _Record:
    line: int  # 1-based physical line of its start
    end: int  # 0-based index of the line after it
    fields: list[str] | None  # None: not valid CSV, see `error`
    raw: str
    error: str | None = None


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
        yield _Record(first + 1, start + consumed, fields, strip_end(text), error)


def _is_unclosed(record: str) -> bool:
    """Whether the file's last record ends inside a quoted field."""
    # Python's csv reads an unclosed quote to the end of the file without complaint,
    # swallowing every row after it; only its strict mode says so.
    if '"' not in record:
        return False
    try:
        for _ in csv.reader(split_lines(record), strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _find_header(lines: list[str], spec: CsvFormat, name: str) -> tuple[int, list[str]]:
    """How many lines the preamble and header take, and the header's fields."""
    # A list export's preamble describes the list (its own Name column, no Year) above a
    # blank line; the films' header is the first with both.
    preamble = is_list_preamble(lines[0])
    for record in _records(lines, 0):
        if record.fields is not None and not any(field.strip() for field in record.fields):
            continue
        columns = column_index(record.fields or [])
        if spec.fits(columns) and not (preamble and "year" not in columns):
            return record.end, record.fields or []
        if not preamble:
            break
    raise UsageError(f"{shown(name)} is not {spec.expected}.", hint=FORMATS_HINT)


def _check_width(fields: Sequence[str], width: int) -> None:
    if len(fields) > width and any(field.strip() for field in fields[width:]):
        raise RowError(
            f"has {len(fields)} fields but the header has {width} (a comma in an unquoted field?)"
        )
