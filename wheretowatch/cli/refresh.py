"""`wheretowatch refresh`: fetch watched titles anew and report what changed."""

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from wheretowatch import render, schema
from wheretowatch.cli.options import JsonOption, ServiceOption
from wheretowatch.cli.output import Output, reporting, settings_for
from wheretowatch.errors import ExitCode

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from wheretowatch.settings import Settings
    from wheretowatch.watch.changes import Change


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
        if report.first_on_services is not None and not output.json and sys.stdout.isatty():
            _show_first(output, report.titles, report.first_on_services, settings)
    if report.failures:
        raise typer.Exit(ExitCode.UPSTREAM)
    raise typer.Exit(ExitCode.CHANGED if changes else ExitCode.OK)


def _show_changes(output: Output, changes: "list[Change]") -> None:
    if output.json:
        output.show([], lambda: schema.changes_document(changes))
        return
    for change in changes:
        output.show(render.safe(change.sentence()), None)


def _show_first(output: Output, titles: int, streaming: int, settings: "Settings") -> None:
    # Cron and pipes get nothing: the first refresh sets a baseline, it is not news.
    noun = "title" if titles == 1 else "titles"
    line = f"Now watching {titles} {noun}"
    if settings.services:
        verb = "streams" if streaming == 1 else "stream"
        line += f"; {streaming} already {verb} on your services."
    else:
        line += "; set your services to learn which stream on them."
    output.show(render.safe(line), None)


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
