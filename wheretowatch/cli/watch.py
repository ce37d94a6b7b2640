"""`wheretowatch watchlist` and `wheretowatch refresh`: titles to watch for, and what changed.

What only these commands need is imported inside them, off the path of a lookup.
"""

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from wheretowatch import render, schema
from wheretowatch.cli.output import (
    JsonOption,
    LanguageOption,
    Output,
    RegionOption,
    ServiceOption,
    TypeOption,
    YearOption,
    client_for,
    complete_watched,
    reporting,
    settings_for,
)
from wheretowatch.errors import ExitCode, NotFoundError, UsageError
from wheretowatch.models import MediaType, OwnServices, RegionSelection
from wheretowatch.region import select_regions
from wheretowatch.service import LookupRequest, lookup, normalize_title
from wheretowatch.tmdb import CacheMode

if TYPE_CHECKING:
    from wheretowatch.changes import Change
    from wheretowatch.watchlist import WatchedTitle

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


@watchlist_app.command("add")
def add_command(
    title: Annotated[str | None, typer.Argument(help="Film or series title.")] = None,
    region: RegionOption = None,
    media_type: TypeOption = None,
    year: YearOption = None,
    tmdb_id: TmdbIdOption = None,
    language: LanguageOption = None,
) -> None:
    """Add a title: resolved once now, kept by TMDB id.

    Without --region, each refresh uses the region setting in effect then.

    \b
    Examples:
      wheretowatch watchlist add "Drawing Closer" --region GB,US
      wheretowatch watchlist add --tmdb-id 1396 --type tv
    """
    from wheretowatch.watchlist import WatchedTitle, Watchlist

    output = Output()
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
        )
        with client_for(settings, output) as tmdb:
            details = lookup(tmdb, request).title
        entry = WatchedTitle(
            tmdb_id=details.tmdb_id,
            media_type=details.media_type,
            title=details.title,
            year=details.year,
            original_language=details.original_language,
            regions=_stored_regions(regions),
            added_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        entry, added = Watchlist(settings.data_dir).add(entry)
        where = ", ".join(entry.regions) or f"your region setting ({settings.region or 'unset'})"
        verb = "Added" if added else "Already watching"
        kind = "series" if entry.media_type is MediaType.TV else "film"
        output.show(
            render.safe(
                f"{verb} {entry.label}, {kind}, TMDB id {entry.tmdb_id}; regions: {where}."
            ),
            None,
        )


@watchlist_app.command("remove")
def remove_command(
    title: Annotated[
        str | None, typer.Argument(help="Title as listed.", autocompletion=complete_watched)
    ] = None,
    tmdb_id: TmdbIdOption = None,
    media_type: TypeOption = None,
) -> None:
    """Remove a title, by its name as listed or by --tmdb-id.

    \b
    Examples:
      wheretowatch watchlist remove "Drawing Closer"
      wheretowatch watchlist remove --tmdb-id 1396 --type tv
    """
    from wheretowatch.watchlist import Watchlist

    output = Output()
    with reporting(output):
        if (title is None) == (tmdb_id is None):
            raise UsageError("Give a title or --tmdb-id.")
        settings = settings_for(output)
        watchlist = Watchlist(settings.data_dir)
        matches = _matcher(title, tmdb_id, media_type)
        found = [t for t in watchlist.titles() if matches(t)]
        if len(found) > 1:
            ids = ", ".join(
                f"{t.label} (--tmdb-id {t.tmdb_id} --type {t.media_type})" for t in found
            )
            raise UsageError(f"Several watched titles match: {ids}.", hint="Pick one by id.")
        removed = watchlist.remove(matches)
        if not removed:
            raise NotFoundError(
                "No such title on the watchlist.", hint="`wheretowatch watchlist list` shows it."
            )
        output.show(render.safe(f"Removed {removed[0].label} from the watchlist."), None)


@watchlist_app.command("list")
def list_command(json_output: JsonOption = False) -> None:
    """List the watched titles.

    \b
    Examples:
      wheretowatch watchlist list
      wheretowatch watchlist list --json | jq -r '.titles[].title'
    """
    from wheretowatch.watchlist import Watchlist

    output = Output(json=json_output)
    with reporting(output):
        settings = settings_for(output)
        titles = Watchlist(settings.data_dir).titles()
        output.show(render.watchlist_table(titles), lambda: schema.watchlist_document(titles))


def refresh_command(
    all_cached: Annotated[
        bool, typer.Option("--all-cached", help="Also fetch anew every title in the cache.")
    ] = False,
    mine: Annotated[
        bool, typer.Option("--mine", help="Report only changes on your own services.")
    ] = False,
    service: ServiceOption = None,
    wait: Annotated[
        float,
        typer.Option("--wait", help="Seconds to wait for another refresh to finish.", min=0),
    ] = 60.0,
    json_output: JsonOption = False,
) -> None:
    """Fetch watched titles anew and report what changed.

    One line a change; nothing when nothing changed, so cron mails only news. Exit
    status: 0 no change, 5 changes, 7 a title could not be refreshed, 8 another
    refresh is running.

    \b
    Examples:
      wheretowatch refresh
      wheretowatch refresh --mine --service Netflix --service "BBC iPlayer"
      wheretowatch refresh --mine --json
    """
    from wheretowatch.changes import ordered
    from wheretowatch.datafile import locked
    from wheretowatch.refresh import cached_requests, refresh_cached, refresh_watchlist
    from wheretowatch.watchlist import Snapshots, Watchlist

    output = Output(json=json_output)
    with reporting(output):
        settings = settings_for(output, services=service)
        snapshots = Snapshots(settings.data_dir)
        default = (
            select_regions(settings.region, settings.source("region")) if settings.region else None
        )
        with locked(snapshots.lock_path, timeout=wait, what="refreshing"):
            titles = Watchlist(settings.data_dir).titles()
            previous = snapshots.load()
            with client_for(settings, output, CacheMode.REFRESH) as tmdb:
                watched = {title.key for title in titles}
                extra = cached_requests(tmdb, skip=watched) if all_cached else []
                with _progress(output, len(titles) + len(extra)) as tick:
                    report = refresh_watchlist(
                        tmdb,
                        titles,
                        previous,
                        default_regions=default,
                        language=settings.language,
                        services=OwnServices(settings.services),
                        on_progress=tick,
                    )
                    failures = list(report.failures)
                    failures += refresh_cached(tmdb, extra, on_progress=tick)
            snapshots.save(report.snapshots)
        changes = [c for c in ordered(report.changes) if c.mine or not mine]
        for label, error in failures:
            output.warn(f"could not refresh {label}: {error.message}")
        _show_changes(output, changes)
    if failures:
        raise typer.Exit(ExitCode.UPSTREAM)
    raise typer.Exit(ExitCode.CHANGED if changes else ExitCode.OK)


def _show_changes(output: Output, changes: "list[Change]") -> None:
    if output.json:
        output.show([], lambda: schema.changes_document(changes))
        return
    for change in changes:
        output.show(render.safe(change.sentence()), None)


@contextmanager
def _progress(output: Output, total: int) -> Iterator[Callable[[], None]]:
    """A progress bar on a terminal; nothing at all when either stream is redirected."""
    if not (sys.stdout.isatty() and sys.stderr.isatty()) or total == 0:
        yield lambda: None
        return
    from rich.progress import Progress

    with Progress(console=output.err, transient=True) as progress:
        task = progress.add_task("Refreshing", total=total)
        yield lambda: progress.advance(task)


def _stored_regions(selection: RegionSelection | None) -> tuple[str, ...]:
    if selection is None:
        return ()
    return ("all",) if selection.all_regions else selection.codes


def _matcher(
    title: str | None, tmdb_id: int | None, media_type: MediaType | None
) -> "Callable[[WatchedTitle], bool]":
    if tmdb_id is not None:
        return lambda t: t.tmdb_id == tmdb_id and media_type in (None, t.media_type)
    wanted = normalize_title(title or "")
    return lambda t: (
        wanted in (normalize_title(t.title), normalize_title(t.label))
        and (media_type in (None, t.media_type))
    )
