"""Commands that list what TMDB knows, and the settings in effect."""

from typing import Annotated

import typer
from rich.console import RenderableType

from wheretowatch.cli.options import (
    JsonOption,
    LanguageOption,
    ServiceOption,
    TypeOption,
    YearOption,
    client_for,
    complete_media_type,
    complete_region,
    parse_media_type,
)
from wheretowatch.cli.output import Output, reporting, settings_for
from wheretowatch.cli.views import render, schema
from wheretowatch.errors import ExitCode, NotFoundError, UsageError
from wheretowatch.models import MediaType, MyServices
from wheretowatch.settings.loading import Settings
from wheretowatch.settings.regions import select_regions
from wheretowatch.tmdb import TMDBClient
from wheretowatch.where.lookup import search_typed
from wheretowatch.where.services import ServiceConfigError, my_services
from wheretowatch.where.typed import join_words, parse_title


def search_command(
    ctx: typer.Context,
    words: Annotated[
        list[str],
        typer.Argument(
            help='Text to search for (quotes optional), or "Title (1999)".',
            metavar="TITLE...",
            show_default=False,
        ),
    ],
    media_type: TypeOption = None,
    year: YearOption = None,
    language: LanguageOption = None,
    json_output: JsonOption = False,
) -> None:
    """List a search's candidates, best match first, with their ids.

    \b
    Examples:
      wheretowatch search drawing closer
      wheretowatch search Dune --type film --year 1984
      wheretowatch search "Dune (1984)" --json
    """
    output = Output.of(ctx, json=json_output)
    with reporting(output):
        title = parse_title(join_words(words))
        if title.query is None:
            raise UsageError(
                f"search takes words; {title.text} names one title already.",
                hint=f"Look it up: wheretowatch {title.text}",
            )
        if year is not None and title.year not in (None, year):
            raise UsageError(
                f"The title gives the year {title.year}, --year gives {year}.",
                hint="Give the year once.",
            )
        settings = settings_for(output, language=language)
        with client_for(settings, output) as tmdb:
            found, query, _ = search_typed(
                tmdb,
                title.query,
                trailing_year=title.trailing_year,
                language=settings.language,
                media_type=media_type,
                year=year if year is not None else title.year,
            )
        output.warn_stale(found.stale_reason, found.fetched_at)
        matches = found.value
        if not matches and not output.json:  # JSON: a document with no results says it
            raise NotFoundError(
                f"TMDB lists no film or series matching {title.query.strip()!r}.",
                hint="Check the spelling, try the original title, or drop --type / --year.",
            )
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
            fetched = tmdb.providers(media_type, region=code, language=settings.language)
            services = _services_or_warning(tmdb, settings, output)
        output.warn_stale(fetched.stale_reason, fetched.fetched_at)
        providers = fetched.value
        source = settings.source("services")

        def view() -> list[RenderableType]:
            table: RenderableType = render.providers_table(providers, services)
            return [table, render.services_view(services, source)] if services else [table]

        output.show(view, lambda: schema.providers_document(code, providers, services))


def _services_or_warning(tmdb: TMDBClient, settings: Settings, output: Output) -> MyServices:
    """Your services; a bad `services` setting is only a warning here, since this list is
    where the right names are found (a bad --service flag is still an error)."""
    try:
        return my_services(tmdb, settings)
    except ServiceConfigError as error:
        output.warn(f"{error.message} Your services are not marked below.")
        return MyServices()
