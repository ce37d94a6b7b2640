"""`wheretowatch cache`: TMDB's answers kept on disk."""

import typer

from wheretowatch.cli.commands.cache import clear, info, path

cache_app = typer.Typer(
    name="cache",
    help="Inspect or clear the disk cache of TMDB answers.",
    epilog="\b\nExamples:\n  wheretowatch cache info\n  wheretowatch cache clear --older-than 7d",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# Each subcommand is a module of its own, registered in the order --help lists them.
cache_app.command("info")(info.cache_info_command)
cache_app.command("clear")(clear.cache_clear_command)
cache_app.command("path")(path.cache_path_command)
