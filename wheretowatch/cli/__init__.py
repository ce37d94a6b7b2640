"""Command-line wiring: options -> Settings -> library -> views. Nothing else.

This package is the only part of wheretowatch that knows Typer and Rich, and nothing
imports it. `root` is the root group (`app`); `commands/` holds one module per command and the
registry of their names; `views/` what each feature shows, as text and as JSON;
`output` the one place where expected errors become messages and exit statuses.
"""

import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wheretowatch.cli.root import app

__all__ = ["app", "main"]


def main() -> None:
    """The console script: one command, then exit."""
    # Start-up makes tens of thousands of objects that live until exit (modules, classes,
    # Typer's and Rich's tables): the collector would walk them again and again for
    # nothing, a fifth of a cached lookup. Paused while the command line loads, what it
    # made is set aside for good; young objects are then collected far less often, so
    # that the modules a command loads on first use are not walked many times either
    # (measured: as fast as never collecting, where CPython's default cost 2%).
    gc.disable()
    from wheretowatch.cli.root import run

    gc.freeze()
    gc.set_threshold(*_THRESHOLDS)
    gc.enable()
    run()


# Young objects between collections (CPython's default is 700, 10, 10). Refcounting
# frees almost everything a command makes; the cycles left wait a little longer.
_THRESHOLDS = (50_000, 20, 20)


def __getattr__(name: str) -> object:
    # `from wheretowatch.cli import app`, for the tests and the docs' generator.
    if name == "app":
        from wheretowatch.cli.root import app

        return app
    raise AttributeError(f"module 'wheretowatch.cli' has no attribute {name!r}")
