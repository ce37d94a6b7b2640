"""`wheretowatch watchlist list`: the watchlist with where each title streams now."""

from dataclasses import replace
from typing import Annotated

import typer

from wheretowatch.cli.options import (
    JsonOption,
    ServiceOption,
)
from wheretowatch.cli.output import Output, reporting, settings_for
from wheretowatch.cli.views.document import dumps_items
from wheretowatch.cli.views.watchlist import (
    availability_document,
    availability_view,
    by_service_view,
    nothing_on_services,
)
from wheretowatch.errors import ExitCode, UsageError


def list_command(
    ctx: typer.Context,
    mine: Annotated[
        bool, typer.Option("--mine", help="Only titles streaming on your services.")
    ] = False,
    by_service: Annotated[
        bool,
        typer.Option(
            "--by-service",
            help="Group titles under each of your services, then elsewhere, rent or buy "
            "only, nowhere, unknown.",
        ),
    ] = False,
    offline: Annotated[
        bool,
        typer.Option("--offline", help="Use only what is cached; the rest is unknown."),
    ] = False,
    service: ServiceOption = None,
    json_output: JsonOption = False,
) -> None:
    """List the watched titles and where each streams now in its regions.

    Answers come from the cache; titles with none, or an expired one, are fetched.
    Your services come first and are marked. Exit status with --mine: 0 when at least
    one title streams on your services, 3 when none does.

    \b
    Examples:
      wheretowatch watchlist list
      wheretowatch watchlist list --mine --service Netflix
      wheretowatch watchlist list --by-service --offline
      wheretowatch watchlist list --json | jq -r '.titles[].title'
    """
    from datetime import UTC, datetime

    from wheretowatch.cli.progress import progress_bar
    from wheretowatch.lists import availability

    output = Output.of(ctx, json=json_output)
    with reporting(output):
        settings = settings_for(output, services=service)
        if (mine or by_service) and not settings.services:
            option = "--mine" if mine else "--by-service"
            raise UsageError(
                f"{option} needs your services, and none are set.",
                hint="Name them with --service Netflix, or set services in the config file.",
            )
        with progress_bar(output, "Checking availability") as progress:
            listing = availability.check(
                settings,
                offline=offline,
                warn=output.warn,
                on_start=progress.start,
                on_progress=progress.advance,
            )
        failed = [t for t in listing.titles if t.result is None and not t.gone and not offline]
        if listing.unreachable is not None:
            output.unreachable(
                listing.unreachable, f"{len(failed)} titles not fetched, shown as unknown."
            )
        elif failed:
            output.warn(f"{len(failed)} titles could not be fetched; they are shown as unknown.")
        if mine:
            checked = len(listing.titles)
            listing = replace(
                listing, titles=tuple(t for t in listing.titles if t.on_mine(listing.services))
            )
            if not listing.titles and not output.json:
                output.show(nothing_on_services(checked), None)
                raise typer.Exit(ExitCode.NOT_AVAILABLE)
        if output.json:
            document = availability_document(listing)
            output.out.file.write(dumps_items(document, "titles") + "\n")
        elif by_service:
            output.show(by_service_view(listing), None)
        else:
            output.show(availability_view(listing, datetime.now(UTC)), None)
    if listing.unreachable is not None:
        raise typer.Exit(ExitCode.UPSTREAM)
    if mine and not listing.titles:
        raise typer.Exit(ExitCode.NOT_AVAILABLE)
