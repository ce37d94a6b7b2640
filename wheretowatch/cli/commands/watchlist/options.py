"""What the watchlist's commands share: how a watched title is named on the line."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from wheretowatch.cli.views.text import kind
from wheretowatch.models import MediaType
from wheretowatch.where.ranking import normalize_title

if TYPE_CHECKING:
    from wheretowatch.lists.watchlist import WatchedTitle


TmdbIdOption = Annotated[
    int | None,
    typer.Option("--tmdb-id", help="The title's TMDB id.", metavar="ID", show_default=False),
]


SeasonOption = Annotated[
    int | None,
    typer.Option(
        "--season",
        help="One season of the series (0 for its specials).",
        metavar="NUMBER",
        show_default=False,
    ),
]


def matcher(
    title: str | None, tmdb_id: int | None, media_type: MediaType | None, season: int | None
) -> "Callable[[WatchedTitle], bool]":
    def kind(t: "WatchedTitle") -> bool:
        # A series and its seasons share a name and an id: --season picks a season's
        # entry, its absence the whole series'.
        return media_type in (None, t.media_type) and t.season == season

    if tmdb_id is not None:
        return lambda t: t.tmdb_id == tmdb_id and kind(t)
    wanted = normalize_title(title or "")
    return lambda t: wanted in (normalize_title(t.title), normalize_title(t.label)) and kind(t)


def id_words(title: "WatchedTitle") -> str:
    season = f" --season {title.season}" if title.season is not None else ""
    return f"--tmdb-id {title.tmdb_id} --type {kind(title.media_type)}{season}"
