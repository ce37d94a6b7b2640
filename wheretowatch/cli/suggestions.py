"""Slips of the keyboard: which command a mistyped word was probably meant to be."""

from collections.abc import Iterable

MAX_EDITS = 2
MIN_LENGTH = 3  # "ca" is two edits from "cache", and from countless titles


def closest_command(word: str, commands: Iterable[str]) -> str | None:
    """The command `word` is within two edits of ("serch" -> "search"), nearest first;
    None for an exact command name (it was meant), a short word, or nothing near."""
    typed = word.casefold()
    if len(typed) < MIN_LENGTH:
        return None
    near = sorted((edits(typed, name), name) for name in commands)
    for distance, name in near:
        if distance == 0:
            return None
        if distance <= MAX_EDITS:
            return name
    return None


def edits(a: str, b: str) -> int:
    """Insertions, deletions, substitutions and swaps of neighbours that turn a into b
    (optimal string alignment distance): "regoins" is one swap from "regions"."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        current = [i]
        for j, y in enumerate(b, start=1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]
