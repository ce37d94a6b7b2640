"""What the config commands share: a setting's name on the line, and a word on stderr."""

from typing import Annotated

import typer

from wheretowatch.cli.output import Output
from wheretowatch.cli.views.text import safe
from wheretowatch.settings.loading import (
    known_keys,
)

KeyArgument = Annotated[
    str,
    typer.Argument(
        help="The setting: region, services, language, timeout, api_token… "
        "(`wheretowatch config` lists them).",
        metavar="KEY",
        show_default=False,
        autocompletion=lambda incomplete: [k for k in known_keys() if k.startswith(incomplete)],
    ),
]


def tell(output: Output, text: str) -> None:
    # soft_wrap: a path is printed whole, for the terminal to wrap, never cut in two.
    output.err.print(safe(text), soft_wrap=True)
