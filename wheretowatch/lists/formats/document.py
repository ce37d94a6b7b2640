"""JSON exports read item by item, and written back in the same container.

Trakt gives a bare list of typed items; TMDB a list wrapped in {"items": …} or
{"results": …}, or a bare list of title objects; wheretowatch's own JSON is TMDB's shape.
Parsing, finding the items, telling whose a bare list is, and writing chosen items back
in the container they came in are shared; a JSON format declares what its items look
like (`JsonFormat`) and how one is read.
"""

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from wheretowatch.errors import UsageError
from wheretowatch.lists.formats.rows import (
    ImportFile,
    ImportFormat,
    ImportRow,
    RowError,
    RowProblem,
)
from wheretowatch.lists.formats.source import FORMATS_HINT, shown

_LIST_KEYS = ("items", "results")


@dataclass(frozen=True, slots=True, kw_only=True)
class JsonFormat:
    """A JSON export: what its items (and its container) look like, how one item is read."""

    format: ImportFormat
    expected: str  # what the file should have been, for "… is not {expected}."
    claims: Callable[[Mapping[str, object]], bool]  # an item only this format has
    row: Callable[[int, object, str], ImportRow]
    wrapped: bool = False  # its items may come in {"items": …} or {"results": …}
    empty: bool = False  # an empty bare list is an export of this format
    # Raises UsageError, given the items and the file's name, when they are not titles
    # at all (a list of lists): refused before any row is read, let alone added.
    refuse: Callable[[Sequence[object], str], None] | None = None


def parse_json(text: str, name: str, expected: str | None = None) -> object:
    """The JSON in `text`; UsageError if there is none (and `expected`, what was asked for)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"{exc.msg} at line {exc.lineno}, column {exc.colno}"
    except (ValueError, RecursionError):
        where = "too deep or too large"
    if expected is None:
        message = f"{shown(name)} is not valid JSON ({where})."
    else:
        message = f"{shown(name)} is not {expected} (not valid JSON: {where})."
    raise UsageError(message, hint="Is the file complete? Export it again.")


def document_format(data: object, formats: Sequence[JsonFormat]) -> ImportFormat | None:
    """Which of `formats` a parsed JSON export is in, if any."""
    if isinstance(data, dict) and list_key(data) is not None:
        for spec in formats:
            if spec.wrapped:
                return spec.format
    if isinstance(data, list):
        found = _list_format(data, formats)
        if found is not None:
            return found
        if not data:
            for spec in formats:
                if spec.empty:
                    return spec.format
    return None


def read_document(
    text: str, spec: JsonFormat, formats: Sequence[JsonFormat], name: str
) -> ImportFile:
    """The export in `spec`'s format; `formats` are all there are, to say whose a list is."""
    data = parse_json(text, name, spec.expected)
    items, header = _items(data, spec, formats, name)
    if spec.refuse is not None:
        spec.refuse(items, name)
    rows: list[ImportRow] = []
    problems: list[RowProblem] = []
    for index, item in enumerate(items, 1):
        raw = dump(item)
        try:
            rows.append(spec.row(index, item, raw))
        except RowError as exc:
            problems.append(RowProblem(index, str(exc), raw))
    return ImportFile(spec.format, tuple(rows), tuple(problems), header=header)


def write_document(header: str, raws: Sequence[str]) -> str:
    """Items as they were, in the container (`header`) they were read from."""
    items = [json.loads(raw) for raw in raws]
    container: object = json.loads(header)
    if isinstance(container, dict):
        key = next(k for k, v in container.items() if isinstance(v, list))
        container[key] = items
    else:
        container = items
    return dump(container, indent=2) + "\n"


def list_key(data: Mapping[str, object]) -> str | None:
    for key in _LIST_KEYS:
        if isinstance(data.get(key), list):
            return key
    return None


def dump(value: object, indent: int | None = None) -> str:
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates from "\ud800" escapes: keep them escaped
        text = json.dumps(value, indent=indent)
    return text


def _list_format(items: list[object], formats: Sequence[JsonFormat]) -> ImportFormat | None:
    """Whose a JSON list's items are: the first item one format claims says (in the order
    of `formats`: Trakt's typed wrappers carry an id too)."""
    for item in items:
        if not isinstance(item, dict):
            continue
        for spec in formats:
            if spec.claims(item):
                return spec.format
    return None


def _items(
    data: object, spec: JsonFormat, formats: Sequence[JsonFormat], name: str
) -> tuple[list[object], str]:
    """The items of a JSON export and a header to write them back in the same container."""
    if isinstance(data, list) and _list_format(data, formats) in (spec.format, None):
        return data, "[]"
    if spec.wrapped and isinstance(data, dict):
        key = list_key(data)
        if key is not None:
            items = data[key]
            assert isinstance(items, list)
            return items, dump({key: []})
    raise UsageError(f"{shown(name)} is not {spec.expected}.", hint=FORMATS_HINT)
