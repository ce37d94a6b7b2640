"""`wheretowatch config` alone: every setting with where it came from, secrets masked."""

import typer
from rich.console import RenderableType

from wheretowatch.cli.options import JsonOption
from wheretowatch.cli.output import Output, reporting, settings_for
from wheretowatch.cli.views.catalog import services_table
from wheretowatch.cli.views.settings import config_document, settings_table
from wheretowatch.cli.views.text import safe
from wheretowatch.errors import ConfigError, WheretowatchError
from wheretowatch.models import MyServices
from wheretowatch.settings.loading import (
    Settings,
)


def config_command(ctx: typer.Context, json_output: JsonOption = False) -> None:
    """Show the settings and where each came from (the group's help says more)."""
    if ctx.invoked_subcommand is not None:
        return
    output = Output.of(ctx, json=json_output)
    with reporting(output):
        settings = settings_for(output)
        exists = settings.config_file.is_file()
        services = _resolved_services(settings, output)
        views: list[RenderableType] = settings_table(settings)
        if not exists:
            views.insert(
                0,
                safe(
                    "The config file does not exist yet: `wheretowatch setup`"
                    " or `wheretowatch config set` creates it."
                ),
            )
        if services:
            views.append(services_table(services))
        output.show(
            views,
            lambda: config_document(settings, file_exists=exists, services=services),
        )


def _resolved_services(settings: Settings, output: Output) -> MyServices | None:
    if not settings.services:
        return None
    from wheretowatch.cli.options import client_for
    from wheretowatch.where.services import my_services

    try:
        with client_for(settings, output) as tmdb:
            return my_services(tmdb, settings)
    except ConfigError as error:
        output.warn(error.message)
    except WheretowatchError as error:
        output.warn(f"Your services could not be resolved: {error.message}")
    return None
