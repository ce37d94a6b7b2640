"""`wheretowatch completion`: the shell completion script, to install by hand."""

from typing import Annotated

import typer

from wheretowatch.cli.options import COMPLETE_VAR
from wheretowatch.cli.output import Output, reporting
from wheretowatch.cli.typer_private import completion_script
from wheretowatch.errors import UsageError

SHELLS = ("bash", "zsh", "fish")


def completion_command(
    ctx: typer.Context,
    shell: Annotated[
        str,
        typer.Argument(
            help="bash, zsh or fish.",
            metavar="SHELL",
            show_default=False,
            autocompletion=lambda incomplete: [s for s in SHELLS if s.startswith(incomplete)],
        ),
    ],
) -> None:
    """Print the shell completion script for SHELL, to source from your shell's startup
    file (--install-completion does that for the shell it detects).

    \b
    Examples:
      wheretowatch completion bash > ~/.local/share/bash-completion/completions/wheretowatch
      wheretowatch completion zsh > "${fpath[1]}/_wheretowatch"
      wheretowatch completion fish > ~/.config/fish/completions/wheretowatch.fish
    """
    with reporting(Output.of(ctx)):
        if shell not in SHELLS:
            raise UsageError(f"No completion script for {shell!r}.", hint="Give bash, zsh or fish.")
        # The scripts that --install-completion installs, printed.
        script = completion_script(prog_name="wheretowatch", complete_var=COMPLETE_VAR, shell=shell)
    typer.echo(script.strip())
