"""`wheretowatch watchlist import` and `watchlist export`: lists kept on other services.

What only these commands need is imported inside them, off the path of a lookup.
"""

import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from wheretowatch.cli.options import JsonOption, RegionOption
from wheretowatch.cli.output import Output, reporting, settings_for
from wheretowatch.cli.progress import progress_bar
from wheretowatch.cli.views import render, schema
from wheretowatch.errors import ExitCode, OutputError, UsageError
from wheretowatch.settings.regions import select_regions

if TYPE_CHECKING:
    from wheretowatch.settings.loading import Settings


class FormatChoice(StrEnum):
    AUTO = "auto"
    LETTERBOXD = "letterboxd"
    IMDB = "imdb"
    TRAKT = "trakt"
    TMDB = "tmdb"
    TEXT = "text"


class ExportChoice(StrEnum):
    CSV = "csv"
    JSON = "json"
    LETTERBOXD = "letterboxd"


def import_command(
    ctx: typer.Context,
    file: Annotated[
        str,
        typer.Argument(
            help="An export from Letterboxd, IMDb, Trakt or TMDB, or a text file with one "
            "title a line; - reads standard input.",
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
            _check_writable(unmatched, "--unmatched", settings)
            _check_not_the_input(unmatched, file)
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
            lambda: render.import_report_view(report), lambda: schema.import_document(report)
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


def export_command(
    ctx: typer.Context,
    format: Annotated[
        ExportChoice,
        typer.Option(
            "--format",
            "-f",
            help="csv (every field), json, or letterboxd (the CSV Letterboxd's importer "
            "takes; films only).",
        ),
    ] = ExportChoice.CSV,
    output_file: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write to this file instead of stdout.", dir_okay=False
        ),
    ] = None,
) -> None:
    """Write the watchlist as a file that other services, and watchlist import, read.

    Every format imports back with no search and no request, into the same entries.

    \b
    Examples:
      wheretowatch watchlist export > watchlist.csv
      wheretowatch watchlist export --format letterboxd -o letterboxd.csv
      wheretowatch watchlist export --format json | jq '.items[].title'
    """
    from wheretowatch.files import write_output_file
    from wheretowatch.lists.formats.export import ExportFormat, export
    from wheretowatch.lists.watchlist import Watchlist

    output = Output.of(ctx)
    with reporting(output):
        settings = settings_for(output)
        if output_file is not None and str(output_file) == "-":
            output_file = None  # stdout, as - means everywhere
        if output_file is not None:
            _check_writable(output_file, "--output", settings)
        written = export(Watchlist(settings.data_dir).titles(), ExportFormat(format.value))
        if output_file is None:
            text = written.text
            sys.stdout.write(_shown(text) if sys.stdout.isatty() else text)
            sys.stdout.flush()
        else:
            what = f"--output {output_file}"
            write_output_file(
                output_file, written.text, error=OutputError, what=what, on_terminal=_shown
            )
        if written.left_out:
            output.warn(
                f"left out {written.left_out} series: Letterboxd keeps films only "
                "(--format csv or json keeps them)."
            )


_GIVE_FILE = "Give the file's name instead of -, or pipe the file in."


def _shown(text: str) -> str:
    """An export read by a person at a terminal, not a program: a title's escape sequences
    (TMDB's titles are edited by anyone) are shown, as everywhere else, not obeyed."""
    return "\n".join(render.visible(line) for line in text.split("\n"))


def _check_writable(path: Path, option: str, settings: "Settings") -> None:
    """A file the user names to write: its directory must exist (none is created), and it
    is none of wheretowatch's own (the watchlist, the snapshots, the config, the cache)."""
    if path.is_dir():
        raise UsageError(f"{option} {path} is a directory.", hint="Name a file to write.")
    if not path.absolute().parent.is_dir():
        raise UsageError(
            f"{option} {path}: the directory {path.absolute().parent} does not exist.",
            hint="Create it first, or name a file in an existing directory.",
        )
    target = Path(os.path.realpath(path))
    own = [settings.config_file.parent, settings.data_dir, settings.cache_dir]
    if any(target.parent == Path(os.path.realpath(directory)) for directory in own):
        raise UsageError(
            f"{option} {path} is in wheretowatch's own directory {target.parent}: "
            "it could replace the watchlist, its snapshots, the config or the cache.",
            hint="Name a file somewhere else, for example in your home directory.",
        )


def _check_not_the_input(path: Path, source: str) -> None:
    """The rows to fix must not replace the export they come from (with --dry-run too),
    named or given on stdin (`import - --unmatched list.csv < list.csv`), nor go where the
    report goes (`--unmatched /dev/stdout`, or the file stdout is redirected to)."""
    try:
        target = os.stat(path)
    except (OSError, ValueError):
        return  # not there yet: no file it could be
    if _same_file(target, lambda: os.stat(source) if source != "-" else _stdin()):
        raise UsageError(
            f"--unmatched {path} is the file being imported: it would replace it.",
            hint="Name another file, for example --unmatched to-fix.csv",
        )
    if _same_file(target, lambda: os.fstat(1)):
        raise UsageError(
            f"--unmatched {path} is where the report goes (stdout): the two would mix.",
            hint="Name a file of its own, for example --unmatched to-fix.csv",
        )


def _stdin() -> os.stat_result:
    return os.fstat(sys.stdin.fileno())


def _same_file(target: os.stat_result, other: "Callable[[], os.stat_result]") -> bool:
    try:
        found = other()
    except (OSError, ValueError, AttributeError):  # closed or None, or not a real descriptor
        return False
    return (found.st_dev, found.st_ino) == (target.st_dev, target.st_ino)
