"""`wheretowatch regions`: the region codes TMDB knows, and their names."""

import typer

from wheretowatch.cli.options import (
    JsonOption,
    LanguageOption,
    client_for,
)
from wheretowatch.cli.output import Output, reporting, settings_for
from wheretowatch.cli.views.catalog import regions_document, regions_table


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
        output.show(regions_table(regions), regions_document(regions))
