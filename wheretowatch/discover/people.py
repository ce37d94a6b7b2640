"""A person's name, as typed for --person, made a TMDB id with one search.

    an id              "287" is that person, with no request
    one exact name     the search's only person of that very name (case and accents aside)
    one result         whatever the name, when the search finds one person only

Anything else is ambiguous: `choose` (a question at a terminal) picks among the
candidates, and without it the `AmbiguousPersonError` lists them with their ids.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from wheretowatch.discover.genres import fold
from wheretowatch.discover.tally import Tally
from wheretowatch.errors import UsageError
from wheretowatch.models import Person
from wheretowatch.tmdb import TMDBClient

MAX_CANDIDATES = 8

PersonChooser = Callable[[Sequence[Person]], Person]


class AmbiguousPersonError(UsageError):
    """Several people could be meant, and nobody can be asked."""

    def __init__(self, name: str, candidates: Sequence[Person]) -> None:
        listed = "; ".join(describe(person) for person in candidates[:MAX_CANDIDATES])
        super().__init__(
            f"{len(candidates)} people match {name!r}: {listed}.",
            hint=f"Give the id of the one you mean: --person {candidates[0].person_id}",
        )
        self.candidates = tuple(candidates)


def describe(person: Person) -> str:
    """ "Brad Pitt (Acting; Fight Club, Se7en), id 287"."""
    about = [person.department] if person.department else []
    if person.known_for:
        about.append(", ".join(person.known_for[:2]))
    detail = f" ({'; '.join(about)})" if about else ""
    return f"{person.name}{detail}, id {person.person_id}"


def find_person(
    client: TMDBClient,
    name: str,
    *,
    language: str,
    choose: PersonChooser | None = None,
    tally: Tally | None = None,
) -> Person:
    """The person `name` means: at once for an id, else from a search."""
    text = name.strip()
    if text.isascii() and text.isdigit() and int(text) > 0:
        return Person(int(text), f"person {text}", None, 0.0)
    fetched = client.search_people(text, language=language)
    if tally is not None:
        tally.note("people search", fetched)
    people = fetched.value
    if not people:
        raise UsageError(
            f"TMDB knows no person named {text!r}.",
            hint="Check the spelling, or give the person's TMDB id: --person 287",
        )
    exact = [p for p in people if fold(p.name) == fold(text)]
    if len(exact) == 1:
        return exact[0]
    candidates = exact or people
    if len(candidates) == 1:
        return candidates[0]
    if choose is None:
        raise AmbiguousPersonError(text, candidates)
    return choose(candidates[:MAX_CANDIDATES])
