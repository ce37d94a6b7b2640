"""`wheretowatch watchlist calendar`: the watched titles' dates ahead, as an iCalendar file."""

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from wheretowatch.cli.commands.watchlist.writing import check_writable, shown, write_to_stdout
from wheretowatch.cli.options import RegionOption
from wheretowatch.cli.output import Output, reporting, settings_for
from wheretowatch.errors import OutputError, UsageError

# The titles a warning names one by one; past these it counts the rest.
NAMED = 3


def calendar_command(
    ctx: typer.Context,
    output_file: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file (replaced whole, at once) instead of stdout; - is stdout.",
            dir_okay=False,
        ),
    ] = None,
    days: Annotated[
        int, typer.Option("--days", help="How many days ahead, from today.", min=1, max=3660)
    ] = 365,
    region: RegionOption = None,
    offline: Annotated[
        bool,
        typer.Option("--offline", help="Use only cached answers; make no request."),
    ] = False,
) -> None:
    """Write the watched titles' dates ahead as a calendar file (iCalendar) to subscribe to.

    Films give their digital and physical releases in each of their regions (a festival
    showing is no release); series their next episode or season premiere. Each event
    keeps its UID from run to run, so a calendar updates an event whose date TMDB moves
    instead of adding a copy. Answers come from the cache; titles with none, or an
    expired one, are fetched (not with --offline).

    \b
    Examples:
      wheretowatch watchlist calendar -o ~/calendars/wheretowatch.ics
      wheretowatch watchlist calendar --region GB --days 90
      wheretowatch watchlist calendar --offline > dates.ics
    """
    from wheretowatch.files import write_output_file
    from wheretowatch.lists.calendar import build, icalendar_text
    from wheretowatch.settings.regions import select_regions

    output = Output.of(ctx)
    with reporting(output):
        settings = settings_for(output)
        regions: tuple[str, ...] = ()
        if region is not None:
            selection = select_regions(region, "--region")
            if selection.all_regions:
                raise UsageError(
                    "--region all means no filter: leave --region out for every region."
                )
            regions = selection.codes
        if output_file is not None and str(output_file) == "-":
            output_file = None
        if output_file is not None:
            check_writable(output_file, "--output", settings)
        calendar = build(settings, days=days, regions=regions, offline=offline, warn=output.warn)
        if calendar.missing:
            output.warn(left_out(calendar.missing, offline=offline))
        text = icalendar_text(calendar.events)
        if output_file is None:
            write_to_stdout(output, text)
        else:
            what = f"--output {output_file}"
            write_output_file(output_file, text, error=OutputError, what=what, on_terminal=shown)
            count = len(calendar.events)
            output.note(f"{count} event{'' if count == 1 else 's'} written to {output_file}.")


def left_out(missing: Sequence[tuple[str, str]], *, offline: bool) -> str:
    """The warning for titles whose dates could not be read: how many, and the first
    few by name with their reasons (label, why)."""
    count = len(missing)
    one = count == 1
    why = "not cached" if offline else "could not be fetched"
    named = [f"{label} ({reason.rstrip('.')})" if reason else label for label, reason in missing]
    listed = "; ".join(named[:NAMED])
    if count > NAMED:
        listed += f"; and {count - NAMED} more"
    return (
        f"{count} title{'' if one else 's'} {why}, so {'its' if one else 'their'} dates are "
        f"left out: {listed}."
    )
