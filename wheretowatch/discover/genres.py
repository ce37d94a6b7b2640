"""A genre as people type it ("sci-fi", "comedy", "18") found in TMDB's genre lists.

Films and series have lists of their own ("Science Fiction" is a film genre, "Sci-Fi &
Fantasy" a series one). A name resolves, in this order:

    an id            "878" means that genre
    an exact name    case, accents, spacing and punctuation ignored; "&" reads "and"
    a part of one    whole words of exactly one genre: "sci fi", "politics"

A name no genre has is a `UsageError` suggesting the closest names.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

from wheretowatch.errors import UsageError
from wheretowatch.models import Genre, MediaType

_NOUN = {MediaType.MOVIE: "film", MediaType.TV: "series"}


class GenreError(UsageError):
    """A genre name that is no genre, or several."""


def fold(name: str) -> tuple[str, ...]:
    """A name as comparable words: "Sci-Fi & Fantasy" -> ("sci", "fi", "and", "fantasy")."""
    decomposed = unicodedata.normalize("NFKD", name.casefold().replace("&", " and "))
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return tuple("".join(ch if ch.isalnum() else " " for ch in kept).split())


def find_genre(name: str, genres: Sequence[Genre]) -> Genre | list[Genre] | None:
    """The genre `name` means; a list when it is part of several; None when of none."""
    text = name.strip()
    if text.isascii() and text.isdigit():
        return next((g for g in genres if g.genre_id == int(text)), None)
    wanted = fold(text)
    if not wanted:
        return None
    exact = [g for g in genres if fold(g.name) == wanted]
    if exact:
        return exact[0]
    parts = [g for g in genres if _is_part(wanted, fold(g.name))]
    if len(parts) == 1:
        return parts[0]
    return parts or None


def resolve_genres(
    names: Sequence[str], lists: Mapping[MediaType, Sequence[Genre]]
) -> dict[MediaType, tuple[Genre, ...]]:
    """Each name resolved in the list of each type asked for (`lists`'s keys).

    A type in which some name is no genre is left out of the answer, so that "Science
    Fiction" asks for films only; a name that is a genre of no type asked for, or that is
    part of several genres, is a GenreError naming the closest.
    """
    found: dict[MediaType, list[Genre]] = {kind: [] for kind in lists}
    for name in names:
        answers = {kind: find_genre(name, genres) for kind, genres in lists.items()}
        several = [a for a in answers.values() if isinstance(a, list)]
        if several and not any(isinstance(a, Genre) for a in answers.values()):
            options = sorted({g.name for g in several[0]})
            raise GenreError(
                f"Genre {name!r} is ambiguous: which one of {', '.join(options)}?",
                hint="Give the whole name, in quotes if it has spaces.",
            )
        if not any(isinstance(a, Genre) for a in answers.values()):
            raise GenreError(f"Unknown genre {name!r}.", hint=_suggestion(name, lists))
        for kind, answer in answers.items():
            if isinstance(answer, Genre) and kind in found:
                found[kind].append(answer)
            else:
                found.pop(kind, None)
    if not found:
        raise GenreError(
            f"No film or series genre is all of {', '.join(map(repr, names))}.",
            hint="Give genres of one kind: films and series have lists of their own.",
        )
    return {kind: tuple(dict.fromkeys(genres)) for kind, genres in found.items()}


def _suggestion(name: str, lists: Mapping[MediaType, Sequence[Genre]]) -> str:
    import difflib  # only needed to explain a mistake

    names = list(dict.fromkeys(g.name for genres in lists.values() for g in genres))
    by_key = {" ".join(fold(n)): n for n in names}
    close = difflib.get_close_matches(" ".join(fold(name)), list(by_key), n=3, cutoff=0.6)
    kinds = " and ".join(_NOUN[kind] for kind in lists)
    listing = f"TMDB's {kinds} genres: {', '.join(names)}."
    if close:
        return f"Did you mean {' or '.join(repr(by_key[c]) for c in close)}? {listing}"
    return listing


def _is_part(wanted: tuple[str, ...], words: tuple[str, ...]) -> bool:
    """Whether `wanted` is a run of whole words of `words`: "fi and fantasy" is."""
    size = len(wanted)
    return any(words[start : start + size] == wanted for start in range(len(words) - size + 1))
