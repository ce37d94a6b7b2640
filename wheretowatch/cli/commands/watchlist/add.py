"""`wheretowatch watchlist add`: look a title up and keep it on the watchlist."""

from typing import Annotated

import typer

from wheretowatch.cli.commands.watchlist.options import SeasonOption, TmdbIdOption
from wheretowatch.cli.options import (
    LanguageOption,
    NoInputOption,
    RegionOption,
    TitleWords,
    TypeOption,
    YearOption,
)
from wheretowatch.cli.output import Output, reporting, settings_for
from wheretowatch.cli.prompt import chooser
from wheretowatch.cli.status import status_line
from wheretowatch.cli.views.lookup import other_matches_view
from wheretowatch.cli.views.text import kind, safe
from wheretowatch.models import RegionSelection
from wheretowatch.settings.regions import select_regions
from wheretowatch.where.typed import join_words, parse_title


def add_command(
    ctx: typer.Context,
    words: TitleWords = None,
    region: RegionOption = None,
    media_type: TypeOption = None,
    year: YearOption = None,
    tmdb_id: TmdbIdOption = None,
    imdb_id: Annotated[
        str | None,
        typer.Option(
            "--imdb-id", help="The title's IMDb id (tt0137523).", metavar="ID", show_default=False
        ),
    ] = None,
    language: LanguageOption = None,
    no_input: NoInputOption = False,
    season: SeasonOption = None,
) -> None:
    """Add a title: resolved once now, kept by TMDB id.

    Without --region, each refresh uses the region setting in effect then. With
    --season, that season of the series is watched: a series and each of its seasons
    are entries of their own. On a terminal, when several titles could be meant, it
    asks which one.

    \b
    Examples:
      wheretowatch watchlist add Drawing Closer --region GB,US
      wheretowatch watchlist add "Dune (1984)"
      wheretowatch watchlist add --tmdb-id 1396 --type series
      wheretowatch watchlist add --imdb-id tt0137523
      wheretowatch watchlist add Severance --season 2 --region GB
    """
    from wheretowatch.api import build_request
    from wheretowatch.lists.watchlist import Watchlist, add

    output = Output.of(ctx)
    with reporting(output):
        settings = settings_for(output, language=language)
        regions = select_regions(region, "--region") if region else None
        # Resolving needs no region; the watched regions are stored as given.
        anywhere = regions or RegionSelection(codes=(), source="--region", all_regions=True)
        request = build_request(
            settings,
            parse_title(join_words(words)) if words else None,
            media_type=media_type,
            year=year,
            tmdb_id=tmdb_id,
            imdb_id=imdb_id,
            season=season,
            regions=anywhere,
        )
        before = {t.key: t.regions for t in Watchlist(settings.data_dir).titles()}
        choose = chooser(output, no_input=no_input)
        entry, added, result = add(
            settings,
            request,
            regions=regions,
            warn=output.warn,
            choose=choose,
            progress=status_line(output),
        )
        setting = settings.region.describe() if settings.region else "unset"
        where = ", ".join(entry.regions) or f"your region setting ({setting})"
        verb = "Added" if added else "Already watching"
        if not added and before.get(entry.key) != entry.regions:
            was = ", ".join(before.get(entry.key) or ()) or "your region setting"
            verb = f"Changed the regions (were: {was}) of"
        output.show(
            safe(
                f"{verb} {entry.label}, {kind(entry.media_type)}, "
                f"TMDB id {entry.tmdb_id}; regions: {where}."
            ),
            None,
        )
        if (not result.exact or result.ambiguous) and result.other_matches:
            # A guess was stored (no exact match, or one of several that no year decided):
            # say what else was meant, and how to have it instead.
            output.print(output.err, other_matches_view(result.other_matches))
