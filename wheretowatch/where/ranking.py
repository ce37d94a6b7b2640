"""Which of TMDB's candidates the user means, when a title is searched for.

TMDB orders a search by popularity, so a popular near-match can come before the very
title that was typed. The lookup, the catalogue search and the watchlist import all need
the same answer to "is this the title, exactly?" and "is the pick a guess?", so the rules
live here, once, apart from the requests that fetch the candidates.
"""

import unicodedata
from collections.abc import Sequence

from wheretowatch.models import TitleMatch


def rank_matches(
    matches: Sequence[TitleMatch], query: str, year: int | None = None
) -> list[TitleMatch]:
    """Order candidates: exact title matches first, then the asked year, then TMDB's order.

    A title matches exactly when its title or original title equals the query once case,
    accents, punctuation and spacing are ignored. TMDB's own order (by popularity) breaks
    every tie, so a popular near-match never hides an exact one, and among several exact
    matches `--year` picks the one from that year.
    """

    def rank(match: TitleMatch) -> tuple[bool, bool]:
        return (not is_exact(match, query), year is not None and match.year != year)

    return sorted(matches, key=rank)  # sorted() is stable: TMDB's order breaks ties


def is_exact(match: TitleMatch, query: str) -> bool:
    """Whether the candidate's title or original title is the query (see `normalize_title`)."""
    wanted = normalize_title(query)
    return wanted in (normalize_title(match.title), normalize_title(match.original_title))


def needs_choice(matches: Sequence[TitleMatch], query: str, year: int | None) -> bool:
    """Whether the best candidate is a guess: it is not the title exactly, or not from the
    asked year, or one of several exact ones the year does not single out. The rule is
    the same for one candidate as for several."""
    if not matches:
        return False
    best = rank_matches(matches, query, year)[0]
    return (
        not is_exact(best, query) or missed_year(best, year) or is_ambiguous(matches, query, year)
    )


def is_ambiguous(matches: Sequence[TitleMatch], query: str, year: int | None) -> bool:
    """Whether several candidates are the title exactly and the year does not decide."""
    exact = [match for match in matches if is_exact(match, query)]
    return len(exact) > 1 and (year is None or sum(match.year == year for match in exact) != 1)


def missed_year(match: TitleMatch, year: int | None) -> bool:
    """Whether a year was asked for and the candidate is not from it."""
    return year is not None and match.year != year


def normalize_title(text: str) -> str:
    """Fold case, accents, punctuation and spacing away: "Amélie!" -> "amelie"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    # Only the Latin-script diacritics go: a Japanese voicing mark changes the word.
    unaccented = "".join(ch for ch in decomposed if not "\u0300" <= ch <= "\u036f")
    return "".join(ch for ch in unicodedata.normalize("NFC", unaccented) if ch.isalnum())
