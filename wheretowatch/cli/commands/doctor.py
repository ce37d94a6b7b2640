"""`wheretowatch doctor`: every setting and file checked, each problem with its fix."""

import os

import typer

from wheretowatch.cli.options import JsonOption
from wheretowatch.cli.output import Output, reporting
from wheretowatch.cli.views.doctor import doctor_document, doctor_view
from wheretowatch.cli.views.text import safe


def doctor_command(ctx: typer.Context, json_output: JsonOption = False) -> None:
    """Check the setup and name every problem at once, each with what to do.

    Checks the credential (present, the right kind, accepted by TMDB), the region, your
    services, the config file, the cache, data and config directories, the cache, the
    watchlist and snapshot files, changes owed to a notification target, and that TMDB
    can be reached. Exit 0 when all is well, 6 when something is misconfigured, 7 when
    TMDB cannot be reached, 9 when changes are owed to a target (or to stdout).

    \b
    Examples:
      wheretowatch doctor
      wheretowatch doctor --json | jq '.checks[] | select(.ok | not)'
    """
    from wheretowatch.doctor import diagnose, exit_status

    output = Output.of(ctx, json=json_output)
    with reporting(output):
        checks = diagnose(os.environ)
        status = exit_status(checks)
        failed = sum(not check.ok and not check.skipped for check in checks)
        summary = (
            "All is well." if not failed else f"{failed} problem{'s' if failed > 1 else ''} found."
        )
        output.show(
            [doctor_view(checks), safe(summary)],
            lambda: doctor_document(checks, int(status)),
        )
    raise typer.Exit(status)
