"""Picking one's services at setup: the region's most common first, the rest on request.

TMDB lists over a hundred services in a region (over five hundred unfiltered); printed one
a line, Netflix scrolls away. The picker shows the first SHORTLIST in TMDB's order for the
region (its display priority) in columns that fit the width, numbered; `?` lists them
all, with the same numbers. Two services of the same name (TMDB lists some twice) are told
apart by their ids. On a terminal with readline, Tab completes a name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from wheretowatch.cli.views.text import safe

if TYPE_CHECKING:
    from rich.columns import Columns

    from wheretowatch.models import Provider

SHORTLIST = 20
SHOW_ALL = "?"


def labels(providers: Sequence[Provider]) -> list[str]:
    """Each provider's name, with its id where another one has the same name."""
    counts = Counter(p.provider_name.casefold() for p in providers)
    return [
        f"{p.provider_name} (id {p.provider_id})"
        if counts[p.provider_name.casefold()] > 1
        else p.provider_name
        for p in providers
    ]


def numbered(providers: Sequence[Provider], *, everything: bool = False) -> Columns:
    """The shortlist (or, with `everything`, all of them), numbered, in columns."""
    from rich.columns import Columns

    shown = list(zip(labels(providers), providers, strict=True))
    if not everything:
        shown = shown[:SHORTLIST]
    width = len(str(len(shown)))
    return Columns(
        [safe(f"{n:>{width}}. {label}") for n, (label, _) in enumerate(shown, 1)],
        column_first=True,
        padding=(0, 2),
    )


def more(providers: Sequence[Provider]) -> str:
    """What the prompt says of the services not shown."""
    hidden = len(providers) - min(len(providers), SHORTLIST)
    return f"; {SHOW_ALL} lists all {len(providers)}" if hidden else ""


def split_picks(answer: str, listed: Sequence[Provider]) -> tuple[list[str] | None, list[str]]:
    """(names picked by number, names typed), or (None, [the bad number]). A number is
    the same whether its service was on the shortlist or only in the whole list."""
    picked: list[str] = []
    names: list[str] = []
    for part in (p.strip() for p in answer.split(",")):
        if not part:
            continue
        if part.isascii() and part.isdigit():
            number = int(part)
            if not 1 <= number <= len(listed):
                return None, [part]
            picked.append(listed[number - 1].provider_name)
        else:
            names.append(part)
    return picked, names


@contextmanager
def completing(names: Sequence[str]) -> Iterator[None]:
    """Tab completes a service's name while asking, where readline is there (a terminal
    on Linux or macOS); a name may hold spaces, so only a comma separates."""
    try:
        import readline
    except ImportError:  # Windows, or a Python built without it
        yield
        return
    previous = (readline.get_completer(), readline.get_completer_delims())
    choices = sorted(set(names), key=str.casefold)

    def complete(text: str, state: int) -> str | None:
        typed = text.lstrip().casefold()
        found = [name for name in choices if name.casefold().startswith(typed)]
        return found[state] if state < len(found) else None

    readline.set_completer(complete)
    readline.set_completer_delims(",")
    readline.parse_and_bind("tab: complete")
    try:
        yield
    finally:
        readline.set_completer(previous[0])
        readline.set_completer_delims(previous[1])
