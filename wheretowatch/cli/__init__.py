"""Command-line wiring: options -> Settings -> library -> renderer. Nothing else.

This package is the only part of wheretowatch that knows Typer, and nothing imports it.
`app` assembles the commands; `output` holds what they share, including the one place
where expected errors become messages and exit statuses.
"""

import gc

# Start-up creates tens of thousands of objects (modules, classes, Typer's and Rich's
# tables) that all live until exit; the collector would walk them about fifty times for
# nothing, a fifth of a cached lookup. So it waits until they are built, then sets them
# aside for good (gc.freeze) and runs as usual for the work itself.
gc.disable()
try:
    from wheretowatch.cli.app import app, main
finally:
    gc.freeze()
    gc.enable()

__all__ = ["app", "main"]
