"""`wheretowatch notify`: notifications, tried before cron relies on them."""

import typer

from wheretowatch.cli.commands.notify import drop, test
from wheretowatch.notify.install import PIP, PIPX, UV

notify_app = typer.Typer(
    name="notify",
    help="Notifications from refresh, through Apprise (an optional extra).",
    epilog="\b\nApprise, added as the way wheretowatch was installed:\n"
    f"  pipx:  {PIPX}\n  uv:    {UV}\n  pip:   {PIP}  (in wheretowatch's venv)\n"
    "\b\nExamples:\n  wheretowatch notify test\n  wheretowatch notify test "
    "json://127.0.0.1:8080/hook\n  wheretowatch notify drop --all-unconfigured",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# Each subcommand is a module of its own, registered in the order --help lists them.
notify_app.command("test")(test.notify_test_command)
notify_app.command("drop")(drop.notify_drop_command)
