"""Command-line wiring: options -> Settings -> library -> renderer. Nothing else.

This package is the only part of wheretowatch that knows Typer, and nothing imports it.
`app` assembles the commands; `output` holds what they share, including the one place
where expected errors become messages and exit statuses.
"""

from wheretowatch.collector import loading

with loading(lasting=True):  # see wheretowatch/collector.py: a cached lookup is mostly start-up
    from wheretowatch.cli.app import app, main

__all__ = ["app", "main"]
