"""`wheretowatch cache path`: where the cache lives."""

import typer

from wheretowatch.cli.output import Output, reporting, settings_for


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
