"""`wheretowatch upcoming`: films going digital in a region soon, with their dates."""

from typing import Annotated

import typer
from rich.text import Text

from wheretowatch.cli.options import JsonOption, LanguageOption, RegionOption, client_for
from wheretowatch.cli.output import Output, reporting, settings_for
from wheretowatch.errors import ExitCode, UsageError
from wheretowatch.models import MediaType


def upcoming_command(
    ctx: typer.Context,
    region: RegionOption = None,
    days: Annotated[
        int, typer.Option("--days", help="How many days ahead, from today.", min=0, max=366)
    ] = 14,
    limit: Annotated[
        int,
        typer.Option(
            "--limit", help="At most this many films (TMDB sends 20 a request).", min=1, max=10000
        ),
    ] = 20,
    watchlist: Annotated[
        bool, typer.Option("--watchlist", help="Only films on your watchlist.")
    ] = False,
    language: LanguageOption = None,
    json_output: JsonOption = False,
) -> None:
    """List films going digital (to stream, rent or buy) in a region soon, by date.

    Each film's date is its digital release in the region, with TMDB's note (often the
    service). Exit status: 0 when a film is listed, 3 when none.

    \b
    Examples:
      wheretowatch upcoming --region GB
      wheretowatch upcoming --region US --days 30 --limit 60
      wheretowatch upcoming --watchlist --json
    """
    from wheretowatch.cli.views.releases import upcoming_document, upcoming_view
    from wheretowatch.lists.watchlist import Watchlist
    from wheretowatch.settings.regions import select_regions
    from wheretowatch.where import releases
    from wheretowatch.where.arrivals import digital_arrivals

    output = Output.of(ctx, json=json_output)
    with reporting(output):
        settings = settings_for(output, language=language)
        selection = select_regions(region, "--region") if region else settings.region
        if selection is None or selection.all_regions or len(selection.codes) != 1:
            raise UsageError(
                "upcoming lists one region at a time.",
                hint="Name it: wheretowatch upcoming --region GB",
            )
        only = None
        if watchlist:
            only = {
                t.tmdb_id
                for t in Watchlist(settings.data_dir).titles()
                if t.media_type is MediaType.MOVIE
            }
        with client_for(settings, output) as tmdb:
            arrivals = digital_arrivals(
                tmdb,
                selection.codes[0],
                today=releases.today(),
                language=settings.language,
                days=days,
                limit=limit,
                only=only,
            )
        if not arrivals.films and not output.json:
            where = " on your watchlist" if watchlist else ""
            message = f"No film{where} goes digital in {arrivals.region} in the next {days} days."
            output.show([Text(message)], None)
        else:
            output.show(upcoming_view(arrivals), upcoming_document(arrivals))
    raise typer.Exit(ExitCode.OK if arrivals.films else ExitCode.NOT_AVAILABLE)
