"""`wheretowatch watchlist`: titles to watch for; `refresh` reports when they reach a service."""

import typer

from wheretowatch.cli.commands.watchlist import add, calendar, export, import_, remove
from wheretowatch.cli.commands.watchlist import list as list_
from wheretowatch.cli.usage import WordsCommand

watchlist_app = typer.Typer(
    name="watchlist",
    help="Titles to watch; refresh reports when they reach a service.",
    epilog='\b\nExamples:\n  wheretowatch watchlist add "Drawing Closer" --region GB,US\n'
    "  wheretowatch watchlist list\n  wheretowatch refresh",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# Each subcommand is a module of its own, registered in the order --help lists them.

watchlist_app.command("add")(add.add_command)
watchlist_app.command("remove")(remove.remove_command)
watchlist_app.command("list")(list_.list_command)
watchlist_app.command("import", cls=WordsCommand)(import_.import_command)
watchlist_app.command("export")(export.export_command)
watchlist_app.command("calendar")(calendar.calendar_command)
