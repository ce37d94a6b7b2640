"""`wheretowatch cache clear`: forget cached answers, all or the old ones."""

from typing import Annotated

import typer

from wheretowatch.cli.output import Output, reporting, settings_for
from wheretowatch.cli.views.text import safe
from wheretowatch.errors import ConfigError, UsageError
from wheretowatch.settings.client import open_cache
from wheretowatch.settings.values import parse_duration


def cache_clear_command(
    ctx: typer.Context,
    older_than: Annotated[
        str | None,
        typer.Option(
            "--older-than",
            help="Only entries fetched longer ago: 12h, 7d, 2w.",
            metavar="AGE",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Delete cached answers (all, or those older than --older-than).

    \b
    Examples:
      wheretowatch cache clear
      wheretowatch cache clear --older-than 7d
    """
    output = Output.of(ctx)
    with reporting(output):
        try:
            seconds = None if older_than is None else parse_duration(older_than)
        except ValueError as exc:
            raise UsageError(
                f"--older-than {older_than!r}: {exc}.",
                hint="For example: --older-than 7d (or 30m, 6h, 2w).",
            ) from None
        settings = settings_for(output)
        cache = open_cache(settings, warn=output.warn)
        removed = cache.clear(seconds)
        failed = cache.failed
        cache.close()
        if failed:  # its job is the cache: stepping aside, as a lookup would, is failing
            raise ConfigError(
                f"The cache at {settings.cache_dir} could not be cleared.",
                hint=f"The warning above says why. Removing the directory {settings.cache_dir} "
                "clears it too: it holds nothing but cached answers.",
            )
        noun = "entry" if removed == 1 else "entries"
        output.show(safe(f"Removed {removed} cached {noun} from {settings.cache_dir}."), None)
