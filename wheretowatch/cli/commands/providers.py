"""`wheretowatch providers`: the services TMDB lists in a region, yours marked."""

from typing import Annotated

import typer
from rich.console import RenderableType

from wheretowatch.cli.options import (
    JsonOption,
    LanguageOption,
    ServiceOption,
    client_for,
    complete_media_type,
    complete_region,
    parse_media_type,
)
from wheretowatch.cli.output import Output, reporting, settings_for
from wheretowatch.cli.views.catalog import providers_document, providers_table, services_view
from wheretowatch.errors import UsageError
from wheretowatch.models import MediaType, MyServices
from wheretowatch.settings.loading import Settings
from wheretowatch.settings.regions import select_regions
from wheretowatch.tmdb import TMDBClient
from wheretowatch.where.services import ServiceConfigError, my_services


def providers_command(
    ctx: typer.Context,
    region: Annotated[
        str | None,
        typer.Option(
            "--region",
            "-r",
            help="Only providers in this region.",
            metavar="CODE",
            show_default=False,
            autocompletion=complete_region,
        ),
    ] = None,
    media_type: Annotated[
        MediaType,
        typer.Option(
            "--type",
            "-t",
            parser=parse_media_type,
            metavar="TYPE",
            help="Film or series providers.",
            autocompletion=complete_media_type,
        ),
    ] = MediaType.MOVIE,
    service: ServiceOption = None,
    language: LanguageOption = None,
    refresh: Annotated[
        bool,
        typer.Option(
            "--refresh",
            help="Fetch the list anew (it is otherwise kept for its lifetime, a week).",
        ),
    ] = False,
    json_output: JsonOption = False,
) -> None:
    """List streaming providers and their ids (for `services`), and which of them each
    of your services covers.

    \b
    Examples:
      wheretowatch providers --region GB
      wheretowatch providers --region JP --type series --json
      wheretowatch providers --service "prime video" --service netflix
    """
    output = Output.of(ctx, json=json_output)
    with reporting(output):
        settings = settings_for(output, language=language, services=service)
        code = None
        if region is not None:
            selection = select_regions(region, "--region")
            if selection.all_regions or len(selection.codes) != 1:
                raise UsageError(
                    "providers takes a single region code.", hint="For example: --region GB"
                )
            code = selection.codes[0]
        with client_for(settings, output) as tmdb:
            fetched = tmdb.providers(
                media_type, region=code, language=settings.language, refresh=refresh
            )
            services = _services_or_warning(tmdb, settings, output)
        output.warn_stale(fetched.stale_reason, fetched.fetched_at)
        providers = fetched.value
        source = settings.source("services")

        def view() -> list[RenderableType]:
            table: RenderableType = providers_table(providers, services)
            return [table, services_view(services, source)] if services else [table]

        output.show(view, lambda: providers_document(code, providers, services))


def _services_or_warning(tmdb: TMDBClient, settings: Settings, output: Output) -> MyServices:
    """Your services; a bad `services` setting is only a warning here, since this list is
    where the right names are found (a bad --service flag is still an error)."""
    try:
        return my_services(tmdb, settings)
    except ServiceConfigError as error:
        output.warn(f"{error.message} Your services are not marked below.")
        return MyServices()
