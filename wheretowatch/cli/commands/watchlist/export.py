"""`wheretowatch watchlist export`: the watchlist as CSV or JSON, to import elsewhere or back."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from wheretowatch.cli.commands.watchlist.writing import check_writable, shown, write_to_stdout
from wheretowatch.cli.output import Output, reporting, settings_for
from wheretowatch.errors import OutputError


class ExportChoice(StrEnum):
    CSV = "csv"
    JSON = "json"
    LETTERBOXD = "letterboxd"


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
            check_writable(output_file, "--output", settings)
        written = export(Watchlist(settings.data_dir).titles(), ExportFormat(format.value))
        if output_file is None:
            write_to_stdout(output, written.text)
        else:
            what = f"--output {output_file}"
            write_output_file(
                output_file, written.text, error=OutputError, what=what, on_terminal=shown
            )
        if written.left_out:
            output.warn(
                f"left out {written.left_out} series: Letterboxd keeps films only "
                "(--format csv or json keeps them)."
            )
