"""Output to stdout and stderr, and the one place where errors become exit statuses.

Expected errors become messages and exit statuses in exactly one place, `reporting`;
anything else is a bug and exits 1.
"""

import contextlib
import io
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypeGuard

import typer
from rich.table import Table
from rich.text import Text

from wheretowatch.cli.streams import Streams
from wheretowatch.cli.views.layout import Flow, Flows, Lines, prose
from wheretowatch.cli.views.text import describe_age, safe
from wheretowatch.errors import UnreachableError, WheretowatchError
from wheretowatch.settings.loading import Settings, load_settings

if TYPE_CHECKING:
    # Rich's console is made on first use (cli/console.py): --json never needs it, and
    # importing it costs a cached lookup more than the lookup itself.
    from rich.console import Console, RenderableType

    View = RenderableType | list[RenderableType]

ColorMode = Literal["auto", "always", "never"]
# Joins a run of texts, their lines kept.
_NEWLINE = Text("\n")


def replace_unencodable(stream: object) -> None:
    """Let a stream whose encoding cannot show a title (latin-1, EUC-JP) print `?` for
    what it cannot encode instead of crashing: the rest of the answer is worth more."""
    if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
        with contextlib.suppress(ValueError, OSError):  # closed, or not reconfigurable
            stream.reconfigure(errors="replace")


class RootOptions(NamedTuple):
    """The root command's options, handed to every command on the Typer context."""

    color: ColorMode = "auto"


def detach_stdout() -> None:
    """Stop writing to stdout for good (its reader went away, or its disk is full), so
    that Python's flush at exit does not report the same failure again as a traceback."""
    if sys.stdout is None:
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass  # no real file descriptor (an in-process test): nothing is flushed at exit


# A piped table may be as wide as its content, up to this: a sane line for any tool.
_WIDEST = 1000


class Output:
    """Where a command's results and messages go: stdout and stderr, as text or JSON."""

    def __init__(
        self,
        *,
        json: bool = False,
        quiet: bool = False,
        color: ColorMode = "auto",
        streams: Streams | None = None,
    ):
        self.json = json
        self.quiet = quiet
        self.color: ColorMode = color
        self._streams = streams

    @cached_property
    def streams(self) -> Streams:
        """Which streams are terminals: as given, else the process's, asked once."""
        return self._streams or Streams.of_process()

    @classmethod
    def of(cls, ctx: typer.Context, *, json: bool = False, quiet: bool = False) -> "Output":
        """The output of a command, in the colour mode the root command was given."""
        root = ctx.obj if isinstance(ctx.obj, RootOptions) else RootOptions()
        return cls(json=json, quiet=quiet, color=root.color)

    # One console per stream for the whole command run (a batch prints many times).
    @cached_property
    def out(self) -> "Console":
        return _make_console(stderr=False, color=self.color)

    @cached_property
    def err(self) -> "Console":
        return _make_console(stderr=True, color=self.color)

    def prepare(self) -> None:
        """Make the console the answers will print through now, while no other thread
        runs;
        loaded by a batch's first answer, with its workers under way, it would not be."""
        if not (self.json or self.quiet):
            _ = self.out

    def show(self, view: "View | Callable[[], View]", document: Any, lines: bool = False) -> None:
        """Print the view, or with --json the document; either may be given as a callable,
        so that only the one printed is built."""
        if self.quiet:
            return
        if self.json:
            from wheretowatch.cli.views.document import dumps  # only for --json

            built = document() if callable(document) else document
            _write_stdout(dumps(built, compact=lines) + "\n")
            return
        parts = view() if callable(view) else view
        for part in _joined(parts if isinstance(parts, list) else [parts]):
            self.print(self.out, part)

    @staticmethod
    def print(console: "Console", part: "RenderableType") -> None:
        """On a terminal, text wraps between words (a word longer than a line, a long
        link, folds) and tables fit the width; piped, a line of text stays one line and a
        table is as wide as its content, for grep and friends (COLUMNS still caps it)."""
        if isinstance(part, Flow | Flows | Lines):
            if not console.is_terminal:
                part = part.as_text()  # laid out for a terminal's width only
            else:
                # A command or path alone on its line is never wrapped by Rich (nor cut):
                # the terminal folds it, and a copy pastes it whole.
                for text in part.texts(console.width):
                    console.print(text, soft_wrap=text.no_wrap)
                return
        if _plain(part, console):
            # Piped without colour, a text is its characters: Rich would write the same
            # bytes (no wrapping, styles or links off a terminal), at many times the cost.
            # Flushed, as Rich does: else it may come after what stderr says next.
            console.file.write(part.plain + "\n")
            console.file.flush()
        elif console.is_terminal or columns() is not None:
            console.print(part, soft_wrap=isinstance(part, Text) and not console.is_terminal)
        elif isinstance(part, Text):
            console.print(part, soft_wrap=True)
        else:
            # A table is only as wide as its content (none expands): all the room it could
            # want, and it takes what it needs, without being measured twice.
            usual = console.width
            console.width = _WIDEST
            try:
                if _padded(part):
                    _print_unpadded(console, part)
                else:
                    console.print(part)
            finally:
                console.width = usual

    def report(
        self, error: WheretowatchError, query: str | None = None, line: int | None = None
    ) -> None:
        """An expected error: JSON on stdout with --json, else plain words on stderr; in a
        batch, the title it is about (`query`) and its line of the input."""
        if self.json and not self.quiet:  # --quiet: nothing on stdout, the error in words
            from wheretowatch.cli.views.document import dumps, error_document

            document = error_document(error, query)
            _write_stdout(dumps(document, compact=query is not None) + "\n")
            return
        # In a batch, which line and title it is about (a JSON line carries the "query").
        about = "" if query is None else f"{_shortened(query)}: "
        if line is not None:
            about = f"line {line}, {about}" if about else f"line {line}: "
        # Wrapped at a terminal's width under their own words; a command stays whole.
        lines = [Flow(prose(f"error: {about}{error.message}", "bold red"), indent=7)]
        # A hint of several lines (a suggestion after it) keeps its lines, each escaped.
        for number, said in enumerate((error.hint or "").split("\n") if error.hint else []):
            lines.append(Flow(prose(f"hint: {said}" if number == 0 else said), indent=6))
        self.print(self.err, Flows(lines))

    def unreachable(self, error: UnreachableError, left: str) -> None:
        """One line on stderr, even with --json, for a run that stopped asking TMDB once it
        could not be reached, never one a title: `left` says what was not done."""
        message = safe(f"error: TMDB unreachable: {error.reason}; {left}", "bold red")
        if error.hint:
            message.append("\n").append_text(safe(f"hint: {error.hint}"))
        self.print(self.err, message)

    def note(self, message: str) -> None:
        """A hint on stderr after the answer (none with --quiet)."""
        if not self.quiet:
            self.print(self.err, Flow(prose(message)))

    def warn(self, message: str) -> None:
        self.print(self.err, Flow(prose(f"warning: {message}", "yellow"), indent=9))

    def warn_stale(self, reason: str | None, fetched_at: datetime) -> None:
        if reason is not None:
            age = describe_age(fetched_at, datetime.now(UTC))
            self.warn(f"{reason.rstrip('.')}. Showing cached data fetched {age}.")


def _shortened(text: str, most: int = 60) -> str:
    """A title as an error names it: a line of someone's file may be a whole paragraph."""
    return text if len(text) <= most else text[: most - 1] + "…"


def columns() -> int | None:
    """COLUMNS, if it is a width: 0 or junk would make Rich lay out to no width at all,
    and is treated as unset."""
    value = os.environ.get("COLUMNS", "")
    return int(value) if value.isascii() and value.isdigit() and int(value) > 0 else None


def _make_console(*, stderr: bool, color: ColorMode) -> "Console":
    from wheretowatch.cli.console import make_console

    return make_console(stderr=stderr, color=color)


def _plain(part: "RenderableType", console: "Console") -> TypeGuard[Text]:
    """A text Rich would write as its very characters: piped, no colour, no tab (Rich
    expands tabs; `safe` escapes them anyway)."""
    return (
        isinstance(part, Text)
        and not console.is_terminal
        and console.color_system is None
        and "\t" not in part.plain
    )


def _padded(part: "RenderableType") -> bool:
    """A table Rich pads with spaces to its width: one with a title, or without a box."""
    return isinstance(part, Table) and (part.title is not None or part.box is None)


def _print_unpadded(console: "Console", table: "RenderableType") -> None:
    """Piped (so without colour), each line ending at its last character: the spaces
    after it are Rich's padding, which grep and diff would see."""
    with console.capture() as captured:
        console.print(table)
    console.file.write("".join(line.rstrip() + "\n" for line in captured.get().splitlines()))
    console.file.flush()


def _write_stdout(text: str) -> None:
    """JSON goes straight to stdout, as Rich's console would write it, without Rich."""
    # Under a live progress bar, sys.stdout is Rich's proxy onto stderr: write past it.
    stream = getattr(sys.stdout, "rich_proxied_file", sys.stdout)
    if stream is not None:  # none at all under pythonw: nowhere to write
        replace_unencodable(stream)
        stream.write(text)


def _joined(parts: "list[RenderableType]") -> "Iterator[RenderableType]":
    """The parts, with each run of texts joined into one, lines kept: the same output,
    but Rich's cost is mostly per print (about 50 µs even for a blank line)."""
    run: list[Text] = []
    for part in parts:
        if isinstance(part, Text):
            run.append(part)
            continue
        if run:
            yield _NEWLINE.join(run)
            run = []
        yield part
    if run:
        yield _NEWLINE.join(run)


@contextmanager
def reporting(output: Output) -> Iterator[None]:
    """The one place where expected errors become messages and exit statuses."""
    try:
        yield
    except WheretowatchError as error:
        output.report(error)
        raise typer.Exit(error.exit_code) from None


def settings_for(output: Output, **flags: object) -> Settings:
    settings = load_settings(flags, os.environ)
    for warning in settings.warnings:
        output.warn(warning)
    return settings
