"""Rich's consoles for stdout and stderr, made when a command first prints through one.

Apart from `output`: importing rich.console costs a cached lookup more than the lookup
itself, and `--json` never needs it.
"""

import os
import sys
from typing import Any

import typer
from rich.console import Console

from wheretowatch.cli.output import ColorMode, columns, detach_stdout, replace_unencodable
from wheretowatch.errors import ExitCode


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # Rich stops writing, as wanted, but exits 1, the status of a bug. The reader went
        # away (`wheretowatch dune | head -1`): end as a command stopped by SIGPIPE would.
        detach_stdout()
        raise typer.Exit(ExitCode.PIPE_CLOSED)


def make_console(stderr: bool, color: ColorMode) -> Console:
    replace_unencodable(sys.stderr if stderr else sys.stdout)
    # auto: Rich's own detection (colour and links on a terminal, none when piped, and it
    # honours NO_COLOR, TERM=dumb and COLUMNS); always: as on a terminal; never: plain text.
    options: dict[str, Any] = {"highlight": False, "markup": False, "emoji": False}
    if color == "always":
        options["force_terminal"] = True
        if os.environ.get("TERM") in ("dumb", "unknown"):
            options["color_system"] = "standard"  # Rich turns a dumb terminal's colour off
    elif color == "never":
        options["color_system"] = None
    if columns() is None:  # unset, or 0 or junk: Rich must not see it
        options["_environ"] = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    return _Console(stderr=stderr, **options)
