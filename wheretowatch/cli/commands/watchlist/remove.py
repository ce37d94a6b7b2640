"""`wheretowatch watchlist remove`: take a title off the watchlist."""

from typing import Annotated

import typer

from wheretowatch.cli.commands.watchlist.options import (
    SeasonOption,
    TmdbIdOption,
    id_words,
    matcher,
)
from wheretowatch.cli.options import (
    TypeOption,
    complete_watched,
)
from wheretowatch.cli.output import Output, reporting, settings_for
from wheretowatch.cli.views.text import safe
from wheretowatch.errors import NotFoundError, UsageError
from wheretowatch.where.typed import join_words, parse_title


def remove_command(
    ctx: typer.Context,
    words: Annotated[
        list[str] | None,
        typer.Argument(
            help="The title as listed (quotes optional).",
            metavar="TITLE...",
            autocompletion=complete_watched,
            show_default=False,
        ),
    ] = None,
    tmdb_id: TmdbIdOption = None,
    media_type: TypeOption = None,
    season: SeasonOption = None,
) -> None:
    """Remove a title, by its name as listed or by --tmdb-id.

    \b
    Examples:
      wheretowatch watchlist remove Drawing Closer
      wheretowatch watchlist remove --tmdb-id 1396 --type series
      wheretowatch watchlist remove Severance --season 2
    """
    from wheretowatch.lists.watchlist import Watchlist

    output = Output.of(ctx)
    with reporting(output):
        title = join_words(words) if words else None
        if (title is None) == (tmdb_id is None):
            raise UsageError(
                "Give a title or --tmdb-id.",
                hint="`wheretowatch watchlist list` shows the titles as listed, with their ids.",
            )
        if title is not None:
            typed = parse_title(title)
            if typed.tmdb_id is not None:  # a themoviedb.org address names the id
                tmdb_id, media_type, title = typed.tmdb_id, typed.media_type, None
                season = season if season is not None else typed.season
        settings = settings_for(output)
        watchlist = Watchlist(settings.data_dir)
        matches = matcher(title, tmdb_id, media_type, season)
        found = [t for t in watchlist.titles() if matches(t)]
        if len(found) > 1:
            ids = ", ".join(f"{t.label} ({id_words(t)})" for t in found)
            raise UsageError(f"Several watched titles match: {ids}.", hint="Pick one by id.")
        removed = watchlist.remove(matches)
        if not removed:
            raise NotFoundError(
                "No such title on the watchlist.",
                hint="`wheretowatch watchlist list` shows it; a season needs --season.",
            )
        output.show(safe(f"Removed {removed[0].label} from the watchlist."), None)
