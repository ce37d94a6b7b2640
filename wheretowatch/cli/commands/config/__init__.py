"""`wheretowatch config`: the settings in effect, and the config file changed one key at a time."""

import typer

from wheretowatch.cli.commands.config import edit, path, show, unset
from wheretowatch.cli.commands.config import set as set_
from wheretowatch.cli.usage import WordsCommand

config_app = typer.Typer(
    name="config",
    help="Show the settings and where each came from; change them.\n\nWithout a command: "
    "every setting in effect with its source (secrets masked), whether the config file "
    "exists, and what each of your services resolved to.",
    epilog="\b\nExamples:\n  wheretowatch config\n  wheretowatch config set region GB US\n"
    '  wheretowatch config set services Netflix "BBC iPlayer"\n'
    "  wheretowatch config set api_token < token.txt\n  wheretowatch config --json | jq "
    "'.settings.region'",
    invoke_without_command=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# Each subcommand is a module of its own, registered in the order --help lists them.

config_app.callback()(show.config_command)
config_app.command("set", cls=WordsCommand)(set_.config_set_command)
config_app.command("unset", cls=WordsCommand)(unset.config_unset_command)
config_app.command("path")(path.config_path_command)
config_app.command("edit")(edit.config_edit_command)
