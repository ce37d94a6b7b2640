"""Asking which of several candidates is meant: only of a person at a terminal.

Never with --json, --quiet, --no-input (WHERETOWATCH_NO_INPUT=1), or when stdin or stdout
is not a terminal: a script gets the best candidate, as it always has.
"""

from collections.abc import Sequence

import typer

from wheretowatch.cli.output import Output
from wheretowatch.cli.views.lookup import candidates_view
from wheretowatch.cli.views.text import safe
from wheretowatch.errors import ExitCode, UsageError
from wheretowatch.models import TitleMatch
from wheretowatch.where.lookup import Chooser


def chooser(output: Output, *, no_input: bool) -> Chooser | None:
    """The prompt to pick a candidate with, if this run may ask; else None."""
    if no_input or output.json or output.quiet:
        return None
    if not output.streams.interactive:
        return None
    return lambda matches: _ask(output, matches)


def _ask(output: Output, matches: Sequence[TitleMatch]) -> TitleMatch:
    console = output.err
    output.print(console, candidates_view(matches))
    if len(matches) == 1:
        # A single candidate that is not the title asked for is a question too.
        if _answer(output, "Is this the one? [Y/n] ").casefold() in ("", "y", "yes"):
            return matches[0]
        raise _none_chosen()
    question = f"Which one? [1-{len(matches)}, Enter for 1] "
    while True:
        answer = _answer(output, question)
        if not answer:
            return matches[0]
        if answer.isdigit() and 1 <= int(answer) <= len(matches):
            return matches[int(answer) - 1]
        console.print(safe(f"Type a number from 1 to {len(matches)}, or Enter for 1."))


def _answer(output: Output, question: str) -> str:
    console = output.err
    try:
        return console.input(question).strip()
    except KeyboardInterrupt:
        console.print()
        raise typer.Exit(ExitCode.INTERRUPTED) from None
    except EOFError:
        console.print()
        raise _none_chosen() from None


def _none_chosen() -> UsageError:
    return UsageError("No title chosen.", hint="Add --year or --type, or give the TMDB id.")
