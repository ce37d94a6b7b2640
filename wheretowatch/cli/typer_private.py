"""Every name wheretowatch takes from Typer's private modules, in one place.

Typer vendors Click and exports only a few of its names; the ones below are not among
them. tests/test_typer_private.py imports each, so a Typer release that moves one fails
a test instead of a user's command. Before raising Typer's upper bound, run it.
"""

from typer._click.exceptions import UsageError as ClickUsageError
from typer._click.shell_completion import CompletionItem, add_completion_class
from typer._click.utils import make_default_short_help
from typer._completion_classes import BashComplete

__all__ = [
    "BashComplete",
    "ClickUsageError",
    "CompletionItem",
    "add_completion_class",
    "completion_script",
    "make_default_short_help",
]


def completion_script(*, prog_name: str, complete_var: str, shell: str) -> str:
    """The script --install-completion installs for `shell` (loaded only when asked)."""
    from typer._completion_shared import get_completion_script

    script: str = get_completion_script(prog_name=prog_name, complete_var=complete_var, shell=shell)
    return script
