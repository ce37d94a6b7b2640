"""`wheretowatch watchlist` and `wheretowatch refresh`: titles to watch for, and what changed.

What only these commands need is imported inside them, off the path of a lookup.
"""

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Annotated

import typer

from wheretowatch import render, schema
from wheretowatch.cli.options import (
    JsonOption,
    LanguageOption,
    RegionOption,
    ServiceOption,
    TypeOption,
    YearOption,
    complete_watched,
)
from wheretowatch.cli.output import Output, reporting, settings_for
from wheretowatch.errors import ExitCode, NotFoundError, UsageError
from wheretowatch.models import MediaType, RegionSelection
from wheretowatch.region import select_regions
from wheretowatch.service import LookupRequest, normalize_title

if TYPE_CHECKING:
    from wheretowatch.watch.watchlist import WatchedTitle

watchlist_app = typer.Typer(
    name="watchlist",
    help="Titles to watch; refresh reports when they reach a service.",
    epilog='\b\nExamples:\n  wheretowatch watchlist add "Drawing Closer" --region GB,US\n'
    "  wheretowatch watchlist list\n  wheretowatch refresh",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

TmdbIdOption = Annotated[
    int | None, typer.Option("--tmdb-id", help="The title's TMDB id.", show_default=False)
]
SeasonOption = Annotated[
    int | None,
    typer.Option(
        "--season",
        help="One season of the series (0 for its specials).",
        show_default=False,
    ),
]


@watchlist_app.command("add")
def add_command(
    ctx: typer.Context,
    title: Annotated[str | None, typer.Argument(help="Film or series title.")] = None,
    region: RegionOption = None,
    media_type: TypeOption = None,
    year: YearOption = None,
    tmdb_id: TmdbIdOption = None,
    imdb_id: Annotated[
        str | None,
        typer.Option("--imdb-id", help="The title's IMDb id (tt0137523).", show_default=False),
    ] = None,
    language: LanguageOption = None,
    season: SeasonOption = None,
) -> None:
    """Add a title: resolved once now, kept by TMDB id.

    Without --region, each refresh uses the region setting in effect then. With
    --season, that season of the series is watched: a series and each of its seasons
    are entries of their own.

    \b
    Examples:
      wheretowatch watchlist add "Drawing Closer" --region GB,US
      wheretowatch watchlist add --tmdb-id 1396 --type tv
      wheretowatch watchlist add --imdb-id tt0137523
      wheretowatch watchlist add "Severance" --season 2 --region GB
    """
    from wheretowatch.watch.watchlist import Watchlist, add

    output = Output.of(ctx)
    with reporting(output):
        settings = settings_for(output, language=language)
        regions = select_regions(region, "--region") if region else None
        request = LookupRequest(
            query=title,
            # Resolving needs no region; the watched regions are stored as given.
            regions=regions or RegionSelection(codes=(), source="--region", all_regions=True),
            language=settings.language,
            media_type=media_type,
            year=year,
            tmdb_id=tmdb_id,
            imdb_id=imdb_id,
            season=season,
        )
        before = {t.key: t.regions for t in Watchlist(settings.data_dir).titles()}
        entry, added = add(settings, request, regions=regions, warn=output.warn)
        setting = settings.region.describe() if settings.region else "unset"
        where = ", ".join(entry.regions) or f"your region setting ({setting})"
        verb = "Added" if added else "Already watching"
        if not added and before.get(entry.key) != entry.regions:
            was = ", ".join(before.get(entry.key) or ()) or "your region setting"
            verb = f"Changed the regions (were: {was}) of"
        kind = "series" if entry.media_type is MediaType.TV else "film"
        output.show(
            render.safe(
                f"{verb} {entry.label}, {kind}, TMDB id {entry.tmdb_id}; regions: {where}."
            ),
            None,
        )


@watchlist_app.command("remove")
def remove_command(
    ctx: typer.Context,
    title: Annotated[
        str | None, typer.Argument(help="Title as listed.", autocompletion=complete_watched)
    ] = None,
    tmdb_id: TmdbIdOption = None,
    media_type: TypeOption = None,
    season: SeasonOption = None,
) -> None:
    """Remove a title, by its name as listed or by --tmdb-id.

    \b
    Examples:
      wheretowatch watchlist remove "Drawing Closer"
      wheretowatch watchlist remove --tmdb-id 1396 --type tv
      wheretowatch watchlist remove "Severance" --season 2
    """
    from wheretowatch.watch.watchlist import Watchlist

    output = Output.of(ctx)
    with reporting(output):
        if (title is None) == (tmdb_id is None):
            raise UsageError("Give a title or --tmdb-id.")
        settings = settings_for(output)
        watchlist = Watchlist(settings.data_dir)
        matches = _matcher(title, tmdb_id, media_type, season)
        found = [t for t in watchlist.titles() if matches(t)]
        if len(found) > 1:
            ids = ", ".join(f"{t.label} ({_pick(t)})" for t in found)
            raise UsageError(f"Several watched titles match: {ids}.", hint="Pick one by id.")
        removed = watchlist.remove(matches)
        if not removed:
            raise NotFoundError(
                "No such title on the watchlist.",
                hint="`wheretowatch watchlist list` shows it; a season needs --season.",
            )
        output.show(render.safe(f"Removed {removed[0].label} from the watchlist."), None)


@watchlist_app.command("list")
def list_command(
    ctx: typer.Context,
    mine: Annotated[
        bool, typer.Option("--mine", help="Only titles streaming on your services.")
    ] = False,
    by_service: Annotated[
        bool,
        typer.Option(
            "--by-service",
            help="Group titles under each of your services, then elsewhere, rent or buy "
            "only, nowhere, unknown.",
        ),
    ] = False,
    offline: Annotated[
        bool,
        typer.Option("--offline", help="Use only what is cached; the rest is unknown."),
    ] = False,
    service: ServiceOption = None,
    json_output: JsonOption = False,
) -> None:
    """List the watched titles and where each streams now in its regions.

    Answers come from the cache; titles with none, or an expired one, are fetched.
    Your services come first and are marked. Exit status with --mine: 0 when at least
    one title streams on your services, 3 when none does.

    \b
    Examples:
      wheretowatch watchlist list
      wheretowatch watchlist list --mine --service Netflix
      wheretowatch watchlist list --by-service --offline
      wheretowatch watchlist list --json | jq -r '.titles[].title'
    """
    from datetime import UTC, datetime

    from wheretowatch.cli.progress import progress_bar
    from wheretowatch.watch import availability

    output = Output.of(ctx, json=json_output)
    with reporting(output):
        settings = settings_for(output, services=service)
        if (mine or by_service) and not settings.services:
            option = "--mine" if mine else "--by-service"
            raise UsageError(
                f"{option} needs your services, and none are set.",
                hint="Name them with --service Netflix, or set services in the config file.",
            )
        with progress_bar(output, "Checking availability") as progress:
            listing = availability.check(
                settings,
                offline=offline,
                warn=output.warn,
                on_start=progress.start,
                on_progress=progress.advance,
            )
        failed = [t for t in listing.titles if t.result is None and not offline]
        if failed:
            output.warn(f"{len(failed)} titles could not be fetched; they are shown as unknown.")
        if mine:
            checked = len(listing.titles)
            listing = replace(
                listing, titles=tuple(t for t in listing.titles if t.on_mine(listing.services))
            )
            if not listing.titles and not output.json:
                output.show(render.nothing_on_services(checked), None)
                raise typer.Exit(ExitCode.NOT_AVAILABLE)
        if output.json:
            document = schema.availability_document(listing)
            output.out.file.write(schema.dumps_items(document, "titles") + "\n")
        elif by_service:
            output.show(render.by_service_view(listing), None)
        else:
            output.show(render.availability_view(listing, datetime.now(UTC)), None)
    if mine and not listing.titles:
        raise typer.Exit(ExitCode.NOT_AVAILABLE)


def _matcher(
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


def _pick(title: "WatchedTitle") -> str:
    season = f" --season {title.season}" if title.season is not None else ""
    return f"--tmdb-id {title.tmdb_id} --type {title.media_type}{season}"
