"""`wheretowatch watchlist` and `wheretowatch refresh`: titles to watch for, and what changed.

What only these commands need is imported inside them, off the path of a lookup.
"""

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
    from rich.progress import Progress, TaskID

    from wheretowatch.watch.changes import Change
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


@watchlist_app.command("add")
def add_command(
    ctx: typer.Context,
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
    from wheretowatch.watch.watchlist import add

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
        )
        entry, added = add(settings, request, regions=regions, warn=output.warn)
        setting = settings.region.describe() if settings.region else "unset"
        where = ", ".join(entry.regions) or f"your region setting ({setting})"
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
    ctx: typer.Context,
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
    from wheretowatch.watch.watchlist import Watchlist

    output = Output.of(ctx)
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
def list_command(ctx: typer.Context, json_output: JsonOption = False) -> None:
    """List the watched titles.

    \b
    Examples:
      wheretowatch watchlist list
      wheretowatch watchlist list --json | jq -r '.titles[].title'
    """
    from wheretowatch.watch.watchlist import Watchlist

    output = Output.of(ctx, json=json_output)
    with reporting(output):
        settings = settings_for(output)
        titles = Watchlist(settings.data_dir).titles()
        output.show(render.watchlist_table(titles), lambda: schema.watchlist_document(titles))


def refresh_command(
    ctx: typer.Context,
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
    from wheretowatch.watch import refresh

    output = Output.of(ctx, json=json_output)
    with reporting(output), _progress(output) as progress:
        settings = settings_for(output, services=service)
        report = refresh.run(
            settings,
            all_cached=all_cached,
            wait=wait,
            warn=output.warn,
            on_start=progress.start,
            on_progress=progress.advance,
        )
    with reporting(output):
        for label, error in report.failures:
            output.warn(f"could not refresh {label}: {error.message}")
        changes = [c for c in report.changes if c.mine or not mine]
        _show_changes(output, changes)
    if report.failures:
        raise typer.Exit(ExitCode.UPSTREAM)
    raise typer.Exit(ExitCode.CHANGED if changes else ExitCode.OK)


def _show_changes(output: Output, changes: "list[Change]") -> None:
    if output.json:
        output.show([], lambda: schema.changes_document(changes))
        return
    for change in changes:
        output.show(render.safe(change.sentence()), None)


class _Progress:
    """A progress bar on stderr, shown only when both streams are a terminal."""

    def __init__(self, output: Output) -> None:
        self._output = output
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def start(self, total: int) -> None:
        if total == 0 or not (sys.stdout.isatty() and sys.stderr.isatty()):
            return
        from rich.progress import Progress

        self._bar = Progress(console=self._output.err, transient=True)
        self._bar.start()
        self._task = self._bar.add_task("Refreshing", total=total)

    def advance(self) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.advance(self._task)

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()


@contextmanager
def _progress(output: Output) -> Iterator[_Progress]:
    progress = _Progress(output)
    try:
        yield progress
    finally:
        progress.stop()


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
