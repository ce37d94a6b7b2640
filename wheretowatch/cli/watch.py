"""`wheretowatch watchlist` and `wheretowatch refresh`: titles to watch for, and what changed.

What only these commands need is imported inside them, off the path of a lookup.
"""

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Annotated

import typer

from wheretowatch.cli.options import (
    JsonOption,
    LanguageOption,
    NoInputOption,
    RegionOption,
    ServiceOption,
    TitleWords,
    TypeOption,
    YearOption,
    complete_watched,
)
from wheretowatch.cli.output import Output, reporting, settings_for
from wheretowatch.cli.prompt import chooser
from wheretowatch.cli.status import status_line
from wheretowatch.cli.views import render, schema
from wheretowatch.errors import ExitCode, NotFoundError, UsageError
from wheretowatch.models import MediaType, RegionSelection
from wheretowatch.settings.regions import select_regions
from wheretowatch.where.lookup import LookupRequest
from wheretowatch.where.ranking import normalize_title
from wheretowatch.where.typed import join_words, parse_title

if TYPE_CHECKING:
    from wheretowatch.lists.watchlist import WatchedTitle

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


@watchlist_app.command("add")
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
    from wheretowatch.lists.watchlist import Watchlist, add

    output = Output.of(ctx)
    with reporting(output):
        settings = settings_for(output, language=language)
        regions = select_regions(region, "--region") if region else None
        # Resolving needs no region; the watched regions are stored as given.
        anywhere = regions or RegionSelection(codes=(), source="--region", all_regions=True)
        if words:
            if tmdb_id is not None or imdb_id is not None:
                raise UsageError(
                    "Give a title, --tmdb-id or --imdb-id, not several.",
                    hint="Keep the one that names the title best; an id is the surest.",
                )
            request = LookupRequest.for_title(
                parse_title(join_words(words)),
                regions=anywhere,
                language=settings.language,
                media_type=media_type,
                year=year,
                season=season,
            )
        else:
            request = LookupRequest(
                regions=anywhere,
                language=settings.language,
                media_type=media_type,
                year=year,
                tmdb_id=tmdb_id,
                imdb_id=imdb_id,
                season=season,
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
            render.safe(
                f"{verb} {entry.label}, {render.kind(entry.media_type)}, "
                f"TMDB id {entry.tmdb_id}; regions: {where}."
            ),
            None,
        )
        if (not result.exact or result.ambiguous) and result.other_matches:
            # A guess was stored (no exact match, or one of several that no year decided):
            # say what else was meant, and how to have it instead.
            output.print(output.err, render.other_matches_view(result.other_matches))


@watchlist_app.command("remove")
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
    from wheretowatch.lists import availability

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
    return f"--tmdb-id {title.tmdb_id} --type {render.kind(title.media_type)}{season}"
