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
from typing import Any, Literal, NamedTuple

import typer
from rich.console import Console, RenderableType
from rich.text import Text

from wheretowatch import render, schema
from wheretowatch.errors import WheretowatchError
from wheretowatch.settings import Settings, load_settings

View = RenderableType | list[RenderableType]
ColorMode = Literal["auto", "always", "never"]


def _replace_unencodable(stream: object) -> None:
    """Let a stream whose encoding cannot show a title (latin-1, EUC-JP) print `?` for
    what it cannot encode instead of crashing: the rest of the answer is worth more."""
    if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
        with contextlib.suppress(ValueError, OSError):  # closed, or not reconfigurable
            stream.reconfigure(errors="replace")


class RootOptions(NamedTuple):
    """The root command's options, handed to every command on the Typer context."""

    color: ColorMode = "auto"


def _console(stderr: bool, color: ColorMode) -> Console:
    _replace_unencodable(sys.stderr if stderr else sys.stdout)
    # auto: Rich's own detection (colour and links on a terminal, none when piped, and it
    # honours NO_COLOR, TERM=dumb and COLUMNS); always: as on a terminal; never: plain text.
    options: dict[str, Any] = {"highlight": False, "markup": False, "emoji": False}
    if color == "always":
        options["force_terminal"] = True
        if os.environ.get("TERM") in ("dumb", "unknown"):
            options["color_system"] = "standard"  # Rich turns a dumb terminal's colour off
    elif color == "never":
        options["color_system"] = None
    return Console(stderr=stderr, **options)


class Output:
    """Where a command's results and messages go: stdout and stderr, as text or JSON."""

    def __init__(self, *, json: bool = False, quiet: bool = False, color: ColorMode = "auto"):
        self.json = json
        self.quiet = quiet
        self.color: ColorMode = color

    @classmethod
    def of(cls, ctx: typer.Context, *, json: bool = False, quiet: bool = False) -> "Output":
        """The output of a command, in the colour mode the root command was given."""
        root = ctx.obj if isinstance(ctx.obj, RootOptions) else RootOptions()
        return cls(json=json, quiet=quiet, color=root.color)

    # One console per stream for the whole command run (a batch prints many times).
    @cached_property
    def out(self) -> Console:
        return _console(stderr=False, color=self.color)

    @cached_property
    def err(self) -> Console:
        return _console(stderr=True, color=self.color)

    def show(self, view: View | Callable[[], View], document: Any, lines: bool = False) -> None:
        """Print the view, or with --json the document; either may be given as a callable,
        so that only the one printed is built."""
        if self.quiet:
            return
        if self.json:
            built = document() if callable(document) else document
            self.out.file.write(schema.dumps(built, compact=lines) + "\n")
            return
        console = self.out
        parts = view() if callable(view) else view
        for part in parts if isinstance(parts, list) else [parts]:
            # Rich may fold or crop text to the width; links must stay whole, so plain text
            # is left to the terminal to wrap. Tables are laid out to the width as usual.
            console.print(part, soft_wrap=isinstance(part, Text))

    def report(self, error: WheretowatchError, query: str | None = None) -> None:
        """An expected error: JSON on stdout with --json, else plain words on stderr."""
        if self.json:
            document = schema.error_document(error, query)
            self.out.file.write(schema.dumps(document, compact=query is not None) + "\n")
            return
        message = render.safe(f"error: {error.message}", "bold red")
        if error.hint:
            message.append("\n")
            message.append_text(render.safe(f"hint: {error.hint}"))
        self.err.print(message, soft_wrap=True)

    def warn(self, message: str) -> None:
        self.err.print(render.safe(f"warning: {message}", "yellow"), soft_wrap=True)

    def warn_stale(self, reason: str | None, fetched_at: datetime) -> None:
        if reason is not None:
            age = render.describe_age(fetched_at, datetime.now(UTC))
            self.warn(f"{reason.rstrip('.')}. Showing cached data fetched {age}.")


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
