"""`wheretowatch config unset`: one key removed from the config file."""

import os

import typer

from wheretowatch.cli.commands.config.keys import KeyArgument, tell
from wheretowatch.cli.output import Output, reporting
from wheretowatch.errors import UsageError
from wheretowatch.settings.loading import known_keys
from wheretowatch.settings.paths import config_file


def config_unset_command(ctx: typer.Context, key: KeyArgument) -> None:
    """Remove one setting from the config file (its default applies again).

    \b
    Examples:
      wheretowatch config unset services
      wheretowatch config unset api_token
    """
    from wheretowatch.settings import file as configfile

    output = Output.of(ctx)
    with reporting(output):
        path = config_file(os.environ)
        present = configfile.read_values(path)
        # Any key the file holds goes, an unknown one included: it is what errors name.
        if key not in known_keys() and key not in present:
            raise UsageError(
                f"Unknown key {key!r}.", hint=f"Known keys: {', '.join(known_keys())}."
            )
        if key not in present:
            tell(output, f"{key} is not set in {path}; nothing to do.")
            return
        configfile.set_values(path, {key: None})
        tell(output, f"Removed {key} from {path}")
