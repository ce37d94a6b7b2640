"""`wheretowatch cache`: inspect or clear the disk cache."""

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from wheretowatch.cli.options import JsonOption
from wheretowatch.cli.output import Output, reporting, settings_for
from wheretowatch.cli.views import render, schema
from wheretowatch.errors import ConfigError, UsageError
from wheretowatch.settings.client import open_cache
from wheretowatch.settings.loading import Settings
from wheretowatch.settings.values import parse_duration

if TYPE_CHECKING:
    from wheretowatch.tmdb import DiskCache

cache_app = typer.Typer(
    name="cache",
    help="Inspect or clear the disk cache of TMDB answers.",
    epilog="\b\nExamples:\n  wheretowatch cache info\n  wheretowatch cache clear --older-than 7d",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _disk_cache(settings: Settings, output: Output) -> "DiskCache":

    return open_cache(settings, warn=output.warn)


@cache_app.command("info")
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
        cache = _disk_cache(settings, output)
        info = cache.info()
        cache.close()
        limit = settings.cache_size_bytes
        output.show(
            lambda: render.cache_info_view(info, limit, datetime.now(UTC)),
            lambda: schema.cache_info_document(info, limit),
        )


@cache_app.command("clear")
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
        cache = _disk_cache(settings, output)
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
        output.show(
            render.safe(f"Removed {removed} cached {noun} from {settings.cache_dir}."), None
        )


@cache_app.command("path")
def cache_path_command(ctx: typer.Context) -> None:
    """Print the cache directory (for scripts).

    \b
    Examples:
      wheretowatch cache path
      du -sh "$(wheretowatch cache path)"
    """
    output = Output.of(ctx)
    with reporting(output):
        typer.echo(str(settings_for(output).cache_dir))
