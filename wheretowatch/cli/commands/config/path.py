"""`wheretowatch config path`: where the config file is (or would be)."""

import os

import typer

from wheretowatch.settings.paths import config_file


def config_path_command() -> None:
    """Print the config file's path, whether or not it exists.

    \b
    Examples:
      wheretowatch config path
      cat "$(wheretowatch config path)"
    """
    typer.echo(str(config_file(os.environ)))
