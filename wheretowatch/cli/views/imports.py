"""An import's report: the counts, then each row that needs attention."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from wheretowatch.cli.views.document import SCHEMA_VERSION, JSONValue, title_document
from wheretowatch.cli.views.layout import Flow, Flows, words
from wheretowatch.cli.views.text import safe
from wheretowatch.models import (
    MediaType,
)

if TYPE_CHECKING:
    from rich.console import RenderableType

    from wheretowatch.lists.formats import ImportRow, RowProblem
    from wheretowatch.lists.importing import ImportReport, RowResult


from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wheretowatch.lists.importing import ImportReport, RowResult


def import_report_view(report: ImportReport, *, verbose: bool = False) -> list[RenderableType]:
    """`watchlist import`: the counts, each row that needs attention (every row with
    `verbose`), and the counts again after a list of rows, where they stay on screen."""
    from wheretowatch.lists.importing import Outcome  # only this command needs it

    counts = report.counts()
    verb = "Would add" if report.dry_run else "Added"
    summary = (
        f"{verb} {counts[Outcome.ADDED]}, already on your watchlist {counts[Outcome.ALREADY]}, "
        f"ambiguous {counts[Outcome.AMBIGUOUS]}, unmatched {counts[Outcome.UNMATCHED]}, "
        f"skipped {counts[Outcome.SKIPPED]}, failed {counts[Outcome.FAILED]} "
        f"({_rows(len(report.results))}, {source_label(report)})."
    )
    parts: list[RenderableType] = [Text(summary)]
    if report.dry_run:
        parts.append(Text("Dry run: the watchlist was not changed.", style="dim"))
    rows = [
        _import_row_line(result, dry_run=report.dry_run)
        for result in report.results
        # Rows TMDB was unreachable for are said in one line (on stderr), not one a row.
        if (verbose or result.needs_attention) and not result.unreached
    ]
    parts += rows
    if rows:
        parts.append(Text(summary))
    return parts


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"


def source_label(report: ImportReport) -> str:
    """What the file is: its format, or wheretowatch's own export (read as Letterboxd's
    CSV or TMDB's JSON, but not one of theirs)."""
    from wheretowatch.lists.formats import ImportRow

    own = any(
        isinstance(r.source, ImportRow) and r.source.regions is not None for r in report.results
    )
    if own:
        kind = "JSON" if report.file.format.value == "tmdb" else "CSV"
        return f"a wheretowatch {kind} export"
    return report.file.format.value


def _import_row_line(result: RowResult, *, dry_run: bool = False) -> Flows:
    """A row of the report; wrapped, it continues under its own words (a candidate's line
    under the candidate), never at column 0 where it would read as the next row."""
    from wheretowatch.lists.importing import Outcome

    outcome = {
        Outcome.ADDED: "would add" if dry_run else "added",
        Outcome.ALREADY: "already on your watchlist",
    }.get(result.outcome, result.outcome.value)
    if result.outcome is Outcome.ADDED and result.reason:
        outcome += ", but"
    about = describe_source(result.source) + (f": {result.reason}" if result.reason else "")
    style = "" if result.outcome is Outcome.SKIPPED else "yellow"
    head = [Text(f"row {result.row}: ", "bold"), Text(f"{outcome} ", style)]
    lines: list[Flow | Text] = [Flow([*head, *words(safe(about))], indent=4)]
    for candidate in result.candidates:
        kind = "series" if candidate.media_type is MediaType.TV else "film"
        year = f" ({candidate.year})" if candidate.year else ""
        named = safe(f"{candidate.title}{year}, {kind}, TMDB id {candidate.tmdb_id}")
        lines.append(Flow([Text("    "), *words(named)], indent=6))
    return Flows(lines)


def describe_source(source: ImportRow | RowProblem) -> str:
    from wheretowatch.lists.formats import ImportRow

    """What a row of an export said, in a few words: its title and year, else its ids."""
    if not isinstance(source, ImportRow):
        return source.raw[:80]
    words = source.title or source.imdb_id or f"TMDB id {source.tmdb_id}"
    if source.year:
        words += f" ({source.year})"
    if source.season is not None:
        words += f", season {source.season}"
    return words


def import_document(report: ImportReport) -> dict[str, JSONValue]:
    """`watchlist import --json`: the counts, and one entry per input row, in order."""
    return {
        "schema": SCHEMA_VERSION,
        "format": report.file.format.value,
        "dry_run": report.dry_run,
        "counts": {outcome.value: count for outcome, count in report.counts().items()},
        "rows": [_import_row(result) for result in report.results],
    }


def _import_row(result: RowResult) -> dict[str, JSONValue]:
    from wheretowatch.lists.formats import ImportRow

    source = result.source
    document: dict[str, JSONValue] = {"row": result.row}
    if isinstance(source, ImportRow):
        document["source"] = {
            "title": source.title,
            "year": source.year,
            "tmdb_id": source.tmdb_id,
            "imdb_id": source.imdb_id,
            "media_type": source.media_type.value if source.media_type else None,
            "season": source.season,
        }
    else:
        document["source"] = {"raw": source.raw}
    document["outcome"] = result.outcome.value
    if result.entry is not None:
        document["tmdb_id"] = result.entry.tmdb_id
        document["media_type"] = result.entry.media_type.value
        document["title"] = result.entry.title
        document["year"] = result.entry.year
    if result.candidates:
        document["candidates"] = [title_document(match) for match in result.candidates]
    if result.reason is not None:
        document["reason"] = result.reason
    return document
