"""`wheretowatch upcoming`: films going digital in a region soon, with their dates."""

from typing import Annotated

import typer
from rich.text import Text

from wheretowatch import api
from wheretowatch.cli.options import JsonOption, LanguageOption, OneRegionOption
from wheretowatch.cli.output import Output, reporting, settings_for
from wheretowatch.cli.status import status_line
from wheretowatch.errors import ExitCode
from wheretowatch.where.arrivals import DEFAULT_DAYS, DEFAULT_LIMIT, MAX_DAYS, MAX_LIMIT


def upcoming_command(
    ctx: typer.Context,
    region: OneRegionOption = None,
    days: Annotated[
        int,
        typer.Option(
            "--days", help=f"How many days ahead, from today (0 to {MAX_DAYS}).", metavar="DAYS"
        ),
    ] = DEFAULT_DAYS,
    limit: Annotated[
        int,
        typer.Option(
            "--limit",
            metavar="N",
            help=f"At most this many films, up to {MAX_LIMIT:,} (TMDB sends 20 a request).",
        ),
    ] = DEFAULT_LIMIT,
    watchlist: Annotated[
        bool, typer.Option("--watchlist", help="Only films on your watchlist.")
    ] = False,
    language: LanguageOption = None,
    json_output: JsonOption = False,
) -> None:
    """List films going digital (to stream, rent or buy) in a region soon, by date.

    Each film's date is its digital release in the region, with TMDB's note (often the
    service). With --watchlist, at most five times the requests --limit needs are made;
    a warning says when that stopped early. A film whose details could not be read is
    listed undated, with a warning. Exit status: 0 when a film is listed, 3 when none.

    \b
    Examples:
      wheretowatch upcoming --region GB
      wheretowatch upcoming --region US --days 30 --limit 60
      wheretowatch upcoming --watchlist --json
    """
    from wheretowatch.cli.views.releases import upcoming_document, upcoming_view

    output = Output.of(ctx, json=json_output)
    with reporting(output):
        settings = settings_for(output, region=region, language=language)
        arrivals = api.upcoming(
            settings=settings,
            days=days,
            limit=limit,
            watched_only=watchlist,
            on_warning=output.warn,
            progress=status_line(output),
        )
        if not arrivals.films and not output.json:
            where = " on your watchlist" if watchlist else ""
            ahead = (arrivals.until - arrivals.since).days
            message = f"No film{where} goes digital in {arrivals.region} in the next {ahead} days."
            output.show([Text(message)], None)
        else:
            output.show(upcoming_view(arrivals), upcoming_document(arrivals))
    raise typer.Exit(ExitCode.OK if arrivals.films else ExitCode.NOT_AVAILABLE)
