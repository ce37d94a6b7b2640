"""`wheretowatch help`: the help of wheretowatch, or of any command, by name."""

from typing import Annotated

import typer

from wheretowatch.cli.output import Output, reporting
from wheretowatch.errors import UsageError


def help_command(
    ctx: typer.Context,
    words: Annotated[
        list[str] | None,
        typer.Argument(help="A command, as typed after wheretowatch.", metavar="COMMAND..."),
    ] = None,
) -> None:
    """Show the help of wheretowatch, or of a command.

    A title called Help is wheretowatch lookup help.

    \b
    Examples:
      wheretowatch help
      wheretowatch help watchlist add
    """
    output = Output.of(ctx)
    with reporting(output):
        target = ctx.find_root()
        for word in words or []:
            group = target.command
            found = group.get_command(target, word) if hasattr(group, "get_command") else None
            if found is None:
                raise UsageError(
                    f"{' '.join(['wheretowatch', *(words or [])])} is not a command.",
                    hint="wheretowatch help lists the commands.",
                )
            target = typer.Context(found, info_name=word, parent=target)
        typer.echo(target.get_help())
