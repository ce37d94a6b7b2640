"""`wheretowatch watchlist import`: a Letterboxd, IMDb, Trakt or TMDB export onto the watchlist."""

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from wheretowatch.cli.commands.watchlist.writing import check_not_the_input, check_writable
from wheretowatch.cli.options import JsonOption, RegionOption
from wheretowatch.cli.output import Output, reporting, settings_for
from wheretowatch.cli.progress import progress_bar
from wheretowatch.cli.views.imports import import_document, import_report_view
from wheretowatch.errors import ExitCode, OutputError, UsageError
from wheretowatch.settings.regions import select_regions


class FormatChoice(StrEnum):
    AUTO = "auto"
    LETTERBOXD = "letterboxd"
    IMDB = "imdb"
    TRAKT = "trakt"
    TMDB = "tmdb"
    TEXT = "text"


def import_command(
    ctx: typer.Context,
    file: Annotated[
        str,
        typer.Argument(
            help="An export from Letterboxd, IMDb, Trakt or TMDB, or a text file with one "
            "title a line; - reads standard input.",
            metavar="FILE",
            show_default=False,
        ),
    ],
    format: Annotated[
        FormatChoice,
        typer.Option("--format", "-f", help="The file's format (auto: told by its content)."),
    ] = FormatChoice.AUTO,
    region: RegionOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Match and report, but change nothing.")
    ] = False,
    unmatched: Annotated[
        Path | None,
        typer.Option(
            "--unmatched",
            help="Write the ambiguous and unmatched rows to this file, in the input's own "
            "format, to fix and import again.",
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help="List every row, not only those that need attention."),
    ] = False,
    json_output: JsonOption = False,
) -> None:
    """Add every title of another service's watchlist or list export.

    Rows are matched by TMDB id, then IMDb id, then by exact title and year; a row that
    fits several titles, or none, is reported and never added. Importing the same file
    again adds only what is missing. Exit status: 0 every title added or already
    watched, 4 some rows unmatched or ambiguous, 7 some failed on TMDB errors (run it
    again to retry them).

    \b
    Examples:
      wheretowatch watchlist import watchlist.csv
      wheretowatch watchlist import ratings.csv --region GB --dry-run
      wheretowatch watchlist import list.csv --unmatched to-fix.csv
      pbpaste | wheretowatch watchlist import -
    """
    from wheretowatch.files import read_regular_file
    from wheretowatch.lists import importing as importer
    from wheretowatch.lists.formats import MAX_BYTES, ImportFormat, read_export, write_rows

    output = Output.of(ctx, json=json_output)
    with reporting(output):
        settings = settings_for(output)
        regions = select_regions(region, "--region") if region else None
        if unmatched is not None:
            if str(unmatched) == "-":
                raise UsageError(
                    "--unmatched - would mix the rows to fix into the report on stdout.",
                    hint="Name a file, for example --unmatched to-fix.csv",
                )
            # Before the import, not after it.
            check_writable(unmatched, "--unmatched", settings)
            check_not_the_input(unmatched, file)
        if file == "-":
            if sys.stdin is None:  # started with stdin closed (`<&-`)
                raise UsageError("- reads standard input, which is closed.", hint=_GIVE_FILE)
            data = sys.stdin.buffer.read(MAX_BYTES + 1)
        else:
            read = read_regular_file(Path(file), limit=MAX_BYTES, error=UsageError, what="file")
            if read is None:
                raise UsageError(f"There is no file {file}.", hint="Check the path.")
            data = read
        chosen = None if format is FormatChoice.AUTO else ImportFormat(format.value)
        export = read_export(data, chosen, name=file)
        try:
            with progress_bar(output, "Importing") as progress:
                report = importer.run(
                    settings,
                    export,
                    regions=regions,
                    dry_run=dry_run,
                    warn=output.warn,
                    on_start=progress.start,
                    on_progress=progress.advance,
                )
        except KeyboardInterrupt:
            kept = "" if dry_run else " What was matched so far is on the watchlist;"
            output.warn(f"interrupted.{kept} run the same import again to finish.")
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        # The report first: the watchlist has changed, and says so whatever happens next.
        output.show(
            lambda: import_report_view(report, verbose=verbose), lambda: import_document(report)
        )
        if report.unreachable is not None:
            left = sum(result.unreached for result in report.results)
            output.unreachable(
                report.unreachable,
                f"{left} rows not matched; run the same import again to finish them.",
            )
        if unmatched is not None:
            rows = write_rows(export, [r.source for r in report.unmatched])
            _write_unmatched(output, unmatched, rows, count=len(report.unmatched))
    raise typer.Exit(report.exit_code)


def _write_unmatched(output: Output, path: Path, rows: str, *, count: int) -> None:
    """The rows to fix, after the report: if they cannot be written, the report stands."""
    from wheretowatch.files import write_output_file

    try:
        write_output_file(path, rows, error=OutputError, what=f"--unmatched {path}")
    except OutputError as error:
        error.hint = "The import itself is done: the rows to fix are in its report."
        if not output.json:
            raise
        # Its document is out already: stdout keeps one; the error goes in words.
        Output(color=output.color).report(error)
        raise typer.Exit(error.exit_code) from None
    if count and not output.json:
        output.note(f"{count} rows to fix are in {path}.")


_GIVE_FILE = "Give the file's name instead of -, or pipe the file in."
