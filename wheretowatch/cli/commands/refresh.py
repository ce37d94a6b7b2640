"""`wheretowatch refresh`: fetch watched titles anew, report what changed, and notify."""

import contextlib
import math
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import pairwise
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from wheretowatch.cli.options import JsonOption, ServiceOption
from wheretowatch.cli.output import Output, detach_stdout, reporting, settings_for
from wheretowatch.cli.progress import ProgressBar, progress_bar
from wheretowatch.cli.views.layout import Flow, words
from wheretowatch.cli.views.text import safe, visible
from wheretowatch.cli.views.watchlist import changes_document
from wheretowatch.errors import DeliveryError, ExitCode, most_serious
from wheretowatch.files import reason

if TYPE_CHECKING:
    from wheretowatch.lists.changes import Event
    from wheretowatch.lists.refresh import RefreshReport
    from wheretowatch.settings.loading import Settings

NotifyOption = Annotated[
    list[str] | None,
    typer.Option(
        "--notify",
        metavar="URL",
        help="Also send the changes to this Apprise URL (repeatable), instead of the notify "
        "setting. A URL's secret shows in the process list: prefer the config file.",
        show_default=False,
    ),
]


def _finite(value: float) -> float:
    # The range check lets nan through (every comparison with it is false): a wait for ever.
    if not math.isfinite(value):
        raise typer.BadParameter(f"{value} is not a number of seconds.")
    return value


def refresh_command(
    ctx: typer.Context,
    all_cached: Annotated[
        bool, typer.Option("--all-cached", help="Also fetch anew every title in the cache.")
    ] = False,
    mine: Annotated[
        bool,
        typer.Option("--mine", help="Report and notify only changes on your own services."),
    ] = False,
    service: ServiceOption = None,
    notify: NotifyOption = None,
    wait: Annotated[
        float,
        typer.Option(
            "--wait",
            help="Seconds to wait for another refresh to finish.",
            min=0,
            metavar="SECONDS",
            callback=_finite,
        ),
    ] = 60.0,
    json_output: JsonOption = False,
) -> None:
    """Fetch watched titles anew and report what changed.

    One line a change; nothing when nothing changed, so cron mails only news. With
    notification targets (--notify, or the notify setting), one message a run that has
    changes goes to each. A change is kept until it has been printed and every target
    has taken it: one that could not be delivered is delivered again by the next
    refresh. Exit status: 0 no change, 5 changes, 7 a title could not be refreshed, 8
    another refresh is running, 9 changes not yet delivered everywhere.

    \b
    Examples:
      wheretowatch refresh
      wheretowatch refresh --mine --service Netflix --service "BBC iPlayer"
      wheretowatch refresh --mine --json
      wheretowatch refresh --notify ntfys://my-secret-topic
    """
    from wheretowatch.lists import notifications, refresh

    output = Output.of(ctx, json=json_output)
    with (
        _terminated_as_interrupted(),
        reporting(output),
        progress_bar(output, "Refreshing") as progress,
    ):
        settings = settings_for(output, services=service, notify=notify or None)
        # Checked before any fetching: a missing Apprise is found on every run, not only
        # on the day a title lands.
        targets = notifications.targets(settings)
        report = refresh.run(
            settings,
            all_cached=all_cached,
            wait=wait,
            mine=mine,
            destinations=[_Printed(output, progress), *targets],
            warn=output.warn,
            on_start=progress.start,
            on_progress=progress.advance,
        )
    if (
        report.first_on_services is not None
        and not output.json
        and output.streams.stdout_is_terminal
    ):
        _show_first(output, report.titles, report.first_on_services, settings)
    raise typer.Exit(_finish(output, report))


@contextmanager
def _terminated_as_interrupted() -> Iterator[None]:
    """SIGTERM (systemd stopping a unit, `timeout`) stops a refresh as Ctrl-C does, through
    its cleanup, so that what was delivered is recorded (Python's default is to die on the
    spot, and the next run would deliver it all again); then the process ends by SIGTERM
    after all, as whoever sent it expects (systemd counts that as a clean stop)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals are for the main thread alone (an embedding program's worker)
        return
    terminated = False

    def interrupt(signum: int, frame: FrameType | None) -> None:
        nonlocal terminated
        terminated = True
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        if terminated:
            _end_by_sigterm()


def _end_by_sigterm() -> None:
    with contextlib.suppress(OSError, ValueError, AttributeError):  # gone, closed or None
        sys.stdout.flush()  # what was delivered to stdout is out, and recorded as such
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGTERM)


def _finish(output: Output, report: "RefreshReport") -> ExitCode:
    for title in report.gone:
        # Once, the first refresh that finds it: then `watchlist list` shows it as gone.
        kind = " --type series" if title.media_type.value == "tv" else ""
        output.warn(
            f"TMDB no longer has {title.label}; remove it with "
            f"`wheretowatch watchlist remove --tmdb-id {title.tmdb_id}{kind}`"
        )
    for label, error in report.failures:
        output.warn(f"could not refresh {label}: {error.message}")
    statuses = [ExitCode.CHANGED if report.delivered else ExitCode.OK]
    if report.failures:
        statuses.append(ExitCode.UPSTREAM)
    refusing = dict(report.refusing)
    if report.unreachable is not None:
        noun = "title" if report.unreached == 1 else "titles"
        output.unreachable(
            report.unreachable, f"{report.unreached} {noun} not refreshed, snapshots kept."
        )
        statuses.append(ExitCode.UPSTREAM)
    for label, error, count in report.undelivered:
        if count:
            changes = f"{count} change{'s' if count != 1 else ''}"
            kept = "They are kept, and each refresh tries them again."
            if label in refusing:  # not the first run it refused
                kept += (
                    " It has refused more than one refresh: try it with `wheretowatch notify "
                    "test`, or give up what it is owed with `wheretowatch notify drop "
                    f"{refusing[label]}`."
                )
            output.warn(f"{changes} not delivered to {label}: {error.message}. {kept}")
            statuses.append(ExitCode.UNDELIVERED)
        elif label == _Printed.label:
            # Nothing was due, but the output itself failed (an empty --json list).
            closed = "closed the pipe" in error.message
            if not closed:
                output.warn(f"could not write to {label}: {error.message}")
            return ExitCode.PIPE_CLOSED if closed else ExitCode.OUTPUT_FAILED
        else:
            output.warn(f"could not write to {label}: {error.message}")
    return most_serious(statuses)


class _Printed:
    """stdout as a destination: a change counts as delivered once written and flushed."""

    id = "stdout"
    label = "standard output"
    timeout = None

    def __init__(self, output: Output, progress: ProgressBar) -> None:
        self._output = output
        self._progress = progress

    def deliver(self, changes: "Sequence[Event]") -> None:
        self._progress.stop()
        try:
            _show_changes(self._output, changes)
            self._output.out.file.flush()
        except BrokenPipeError:
            detach_stdout()
            raise DeliveryError("the reader closed the pipe") from None
        except OSError as exc:
            raise DeliveryError(reason(exc)) from None
        except UnicodeEncodeError as exc:
            raise DeliveryError(
                f"its encoding ({exc.encoding}) cannot show a title; set PYTHONIOENCODING=utf-8"
            ) from None


def _show_changes(output: Output, changes: "Sequence[Event]") -> None:
    if output.json:
        output.show([], lambda: changes_document(list(changes)))
        return
    # Written straight to the stream, not through Rich: a sentence needs no layout, and
    # Rich would silently print nothing at COLUMNS=0 or exit on a broken pipe, either
    # of which would count as delivered a change nobody saw.
    file = output.out.file
    # At a terminal a long sentence wraps under its own words, never at column 0.
    width = output.out.width if output.streams.stdout_is_terminal else None
    for change in changes:
        sentence = safe(change.sentence())
        if width is None:
            file.write(sentence.plain + "\n")
            continue
        for text in Flow(_pieces(change, sentence), indent=2).lines(width):
            file.write(text.plain + "\n")


def _pieces(change: "Event", sentence: Text) -> list[Text]:
    """A change's sentence as pieces to wrap: its title and its service never broken."""
    plain = sentence.plain
    label = visible(change.title.label)
    provider = getattr(change, "provider", None)
    name = visible(provider.provider_name) if provider is not None else None
    cuts = [0]
    if plain.startswith(label):
        cuts.append(len(label))
    if name and (at := plain.rfind(name)) >= cuts[-1]:
        cuts += [at, at + len(name)]
    cuts.append(len(plain))
    pieces: list[Text] = []
    for index, (start, end) in enumerate(pairwise(cuts)):
        part = sentence[start:end]
        whole = (index == 0 and len(cuts) > 2) or (name is not None and plain[start:end] == name)
        pieces += [part] if whole else words(part)
    return [piece for piece in pieces if piece.plain]


def _show_first(output: Output, titles: int, streaming: int, settings: "Settings") -> None:
    # Cron and pipes get nothing: the first refresh sets a baseline, it is not news.
    noun = "title" if titles == 1 else "titles"
    line = f"Now watching {titles} {noun}"
    if settings.services:
        verb = "streams" if streaming == 1 else "stream"
        line += f"; {streaming} already {verb} on your services."
    else:
        line += "; set your services to learn which stream on them."
    output.show(safe(line), None)
