"""`wheretowatch cache info`: how much is cached, and how old it is."""

from datetime import UTC, datetime

import typer

from wheretowatch.cli.options import JsonOption
from wheretowatch.cli.output import Output, reporting, settings_for
from wheretowatch.cli.views.cache import cache_info_document, cache_info_view
from wheretowatch.settings.client import open_cache


def cache_info_command(ctx: typer.Context, json_output: JsonOption = False) -> None:
    """Show where the cache is, its size, entry count, and oldest and newest entry.

    \b
    Examples:
      wheretowatch cache info
      wheretowatch cache info --json
    """
    output = Output.of(ctx, json=json_output)
    with reporting(output):
        settings = settings_for(output)
        cache = open_cache(settings, warn=output.warn)
        info = cache.info()
        cache.close()
        limit = settings.cache_size_bytes
        output.show(
            lambda: cache_info_view(info, limit, datetime.now(UTC)),
            lambda: cache_info_document(info, limit),
        )
