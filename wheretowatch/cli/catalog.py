"""Commands that list what TMDB knows, and the settings in effect."""

from typing import Annotated

import typer

from wheretowatch import render, schema
from wheretowatch.cli.options import (
    JsonOption,
    LanguageOption,
    TypeOption,
    YearOption,
    client_for,
    complete_region,
)
from wheretowatch.cli.output import Output, reporting, settings_for
from wheretowatch.errors import ExitCode, UsageError
from wheretowatch.models import MediaType
from wheretowatch.region import select_regions
from wheretowatch.service import my_services, search


def search_command(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="Text to search for.", show_default=False)],
    media_type: TypeOption = None,
    year: YearOption = None,
    language: LanguageOption = None,
    json_output: JsonOption = False,
) -> None:
    """List a search's candidates, best match first, with their ids.

    \b
    Examples:
      wheretowatch search "Drawing Closer"
      wheretowatch search Dune --type movie --year 1984
    """
    output = Output.of(ctx, json=json_output)
    with reporting(output):
        settings = settings_for(output, language=language)
        with client_for(settings, output) as tmdb:
            found = search(
                tmdb, query, language=settings.language, media_type=media_type, year=year
            )
        output.warn_stale(found.stale_reason, found.fetched_at)
        matches = found.value
        output.show(render.search_table(matches), schema.search_document(query, matches))
    raise typer.Exit(ExitCode.OK if matches else ExitCode.NOT_FOUND)


def regions_command(
    ctx: typer.Context, language: LanguageOption = None, json_output: JsonOption = False
) -> None:
    """List the region codes TMDB has availability data for.

    \b
    Examples:
      wheretowatch regions
      wheretowatch regions --language de --json | jq -r '.regions[].code'
    """
    output = Output.of(ctx, json=json_output)
    with reporting(output):
        settings = settings_for(output, language=language)
        with client_for(settings, output) as tmdb:
            fetched = tmdb.regions(language=settings.language)
        output.warn_stale(fetched.stale_reason, fetched.fetched_at)
        regions = fetched.value
        output.show(render.regions_table(regions), schema.regions_document(regions))


def providers_command(
    ctx: typer.Context,
    region: Annotated[
        str | None,
        typer.Option(
            "--region",
            "-r",
            help="Only providers in this region.",
            show_default=False,
            autocompletion=complete_region,
        ),
    ] = None,
    media_type: Annotated[
        MediaType, typer.Option("--type", "-t", help="Film or series providers.")
    ] = MediaType.MOVIE,
    language: LanguageOption = None,
    json_output: JsonOption = False,
) -> None:
    """List streaming providers and their ids (for `services`).

    \b
    Examples:
      wheretowatch providers --region GB
      wheretowatch providers --region JP --type tv --json
    """
    output = Output.of(ctx, json=json_output)
    with reporting(output):
        settings = settings_for(output, language=language)
        code = None
        if region is not None:
            selection = select_regions(region, "--region")
            if selection.all_regions or len(selection.codes) != 1:
                raise UsageError(
                    "providers takes a single region code.", hint="For example: --region GB"
                )
            code = selection.codes[0]
        with client_for(settings, output) as tmdb:
            fetched = tmdb.providers(media_type, region=code, language=settings.language)
            services = my_services(tmdb, settings)
        output.warn_stale(fetched.stale_reason, fetched.fetched_at)
        providers = fetched.value
        output.show(
            render.providers_table(providers, services), schema.providers_document(code, providers)
        )
