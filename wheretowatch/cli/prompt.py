"""Asking which of several candidates is meant: only of a person at a terminal.

Never with --json, --quiet, --no-input (WHERETOWATCH_NO_INPUT=1), or when stdin or stdout
is not a terminal: a script gets the best candidate, as it always has.
"""

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

import typer
from rich.text import Text

from wheretowatch.cli.output import Output
from wheretowatch.cli.views.lookup import candidates_view
from wheretowatch.cli.views.text import safe
from wheretowatch.errors import ExitCode, UsageError
from wheretowatch.where.lookup import Chooser

if TYPE_CHECKING:
    from wheretowatch.discover.people import PersonChooser

T = TypeVar("T")


def may_ask(output: Output, *, no_input: bool) -> bool:
    """Whether this run may ask a question: a person at a terminal, no --json or --quiet."""
    if no_input or output.json or output.quiet:
        return False
    return output.streams.interactive


def chooser(output: Output, *, no_input: bool) -> Chooser | None:
    """The prompt to pick a candidate with, if this run may ask; else None."""
    if not may_ask(output, no_input=no_input):
        return None
    return lambda matches: _ask(output, matches, candidates_view, "title")


def person_chooser(output: Output, *, no_input: bool) -> "PersonChooser | None":
    """The prompt to pick one of several people (`browse --person`), if this run may ask."""
    if not may_ask(output, no_input=no_input):
        return None
    from wheretowatch.cli.views.browse import people_view

    return lambda people: _ask(output, people, people_view, "person")


def _ask(output: Output, matches: Sequence[T], view: Callable[[Sequence[T]], Text], what: str) -> T:
    console = output.err
    output.print(console, view(matches))
    if len(matches) == 1:
        # A single candidate that is not the one asked for is a question too.
        if _answer(output, "Is this the one? [Y/n] ", what).casefold() in ("", "y", "yes"):
            return matches[0]
        raise _none_chosen(what)
    question = f"Which one? [1-{len(matches)}, Enter for 1] "
    while True:
        answer = _answer(output, question, what)
        if not answer:
            return matches[0]
        if answer.isdigit() and 1 <= int(answer) <= len(matches):
            return matches[int(answer) - 1]
        console.print(safe(f"Type a number from 1 to {len(matches)}, or Enter for 1."))


def _answer(output: Output, question: str, what: str) -> str:
    console = output.err
    try:
        return console.input(question).strip()
    except KeyboardInterrupt:
        console.print()
        raise typer.Exit(ExitCode.INTERRUPTED) from None
    except EOFError:
        console.print()
        raise _none_chosen(what) from None


def _none_chosen(what: str) -> UsageError:
    hint = (
        "Add --year or --type, or give the TMDB id."
        if what == "title"
        else "Give the person's TMDB id: --person ID."
    )
    return UsageError(f"No {what} chosen.", hint=hint)
