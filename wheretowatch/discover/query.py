"""What a browse asks for, parsed once: `BrowseQuery`, every filter a typed value.

    query = BrowseQuery.build(region="GB", min_rating=7, sort="rating", limit=45)

Everything that can be checked without TMDB is checked here, and a bad value is a
`UsageError` (exit 2) naming the flag. What needs TMDB (genre names, a person's name,
service names) is resolved in `browsing`, once per run.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import NamedTuple

from wheretowatch.errors import UsageError
from wheretowatch.models import MAX_YEAR, MIN_YEAR, STREAMING, Category, MediaType

PAGE_SIZE = 20  # TMDB's discover answers 20 titles a page
MAX_LIMIT = 1000  # 50 pages a query: far more than a person reads, far below TMDB's 500
DEFAULT_LIMIT = 20
# With --min-rating or --sort rating, a title needs this many votes: a 10/10 from three
# votes must not lead. TMDB's own "top rated" lists use a floor for the same reason.
DEFAULT_MIN_VOTES = 100
# --random draws from the best RANDOM_POOL titles (or twice --limit, if more).
RANDOM_POOL = 60
# Streaming: by subscription, free, or free with ads. --how adds rent and buy.
_HOW_WORDS = {
    "stream": STREAMING,
    "streaming": STREAMING,
    "flatrate": (Category.FLATRATE,),
    "subscription": (Category.FLATRATE,),
    "free": (Category.FREE,),
    "ads": (Category.ADS,),
    "rent": (Category.RENT,),
    "buy": (Category.BUY,),
}
FIRST_YEAR, LAST_YEAR = MIN_YEAR, MAX_YEAR


class Sort(StrEnum):
    """The orders a browse can come in, and TMDB's `sort_by` for each."""

    POPULAR = "popular"
    RATING = "rating"
    NEWEST = "newest"
    TITLE = "title"

    def sort_by(self, media_type: MediaType) -> str:
        film = media_type is MediaType.MOVIE
        return {
            Sort.POPULAR: "popularity.desc",
            Sort.RATING: "vote_average.desc",
            Sort.NEWEST: "primary_release_date.desc" if film else "first_air_date.desc",
            Sort.TITLE: "title.asc" if film else "name.asc",
        }[self]


class BrowseQuery(NamedTuple):
    """A browse as asked: the region, what kinds of offer, the filters, the order.

    `services` are names as typed (None: the services setting); `any_service` asks every
    service instead. `genres` and `person` are resolved against TMDB when the browse runs.
    """

    region: str
    media_types: tuple[MediaType, ...] = (MediaType.MOVIE, MediaType.TV)
    categories: tuple[Category, ...] = STREAMING
    any_service: bool = False
    genres: tuple[str, ...] = ()
    min_rating: float | None = None
    min_votes: int | None = None
    since: int | None = None
    until: int | None = None
    max_runtime: int | None = None
    languages: tuple[str, ...] = ()
    person: str | None = None
    sort: Sort = Sort.POPULAR
    limit: int = DEFAULT_LIMIT
    exclude_watchlist: bool = False
    random: bool = False
    seed: int | None = None

    @classmethod
    def build(
        cls,
        *,
        region: str,
        media_type: MediaType | str | None = None,
        how: str | Sequence[str] | None = None,
        any_service: bool = False,
        genres: str | Sequence[str] = (),
        min_rating: float | None = None,
        min_votes: int | None = None,
        since: int | None = None,
        until: int | None = None,
        max_runtime: int | None = None,
        language: str | Sequence[str] | None = None,
        person: str | None = None,
        sort: Sort | str = Sort.POPULAR,
        limit: int = DEFAULT_LIMIT,
        exclude_watchlist: bool = False,
        random: bool = False,
        seed: int | None = None,
    ) -> BrowseQuery:
        """A query from values as people give them; a bad one is a UsageError."""
        types = (MediaType(media_type),) if media_type else (MediaType.MOVIE, MediaType.TV)
        person = person.strip() if person is not None else None
        if person == "":
            raise UsageError("--person is empty.", hint="Give a name or a TMDB id: --person 287")
        if person is not None:
            if types == (MediaType.TV,):
                raise UsageError(
                    "--person finds films only: TMDB's discover has no people for series.",
                    hint="Drop --type series, or drop --person.",
                )
            types = (MediaType.MOVIE,)
        if not 1 <= limit <= MAX_LIMIT:
            raise UsageError(
                f"--limit must be from 1 to {MAX_LIMIT}, not {limit}.",
                hint="Ask for a page of 20: --limit 20 (the default).",
            )
        if min_rating is not None and not 0 <= min_rating <= 10:
            raise UsageError(
                f"--min-rating is out of 10: {min_rating:g} is not.", hint="For example: 7"
            )
        if min_votes is not None and min_votes < 0:
            raise UsageError(f"--min-votes cannot be negative ({min_votes}).")
        if max_runtime is not None and max_runtime <= 0:
            raise UsageError(
                f"--max-runtime is in minutes, more than 0 (not {max_runtime}).",
                hint="For example: --max-runtime 100",
            )
        for flag, year in (("--since", since), ("--until", until)):
            if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
                raise UsageError(f"{flag} takes a year, such as 1999 (not {year}).")
        if since is not None and until is not None and since > until:
            raise UsageError(
                f"--since {since} is after --until {until}: nothing is both.",
                hint="Swap them, or give the same year to both for one year.",
            )
        return cls(
            region=region,
            media_types=types,
            categories=parse_how(how),
            any_service=any_service,
            genres=_names([genres] if isinstance(genres, str) else genres),
            min_rating=min_rating,
            min_votes=min_votes,
            since=since,
            until=until,
            max_runtime=max_runtime,
            languages=parse_languages(language),
            person=person,
            sort=parse_sort(sort),
            limit=limit,
            exclude_watchlist=exclude_watchlist,
            random=random or seed is not None,
            seed=seed,
        )

    @property
    def vote_floor(self) -> int | None:
        """The votes a title needs: --min-votes, else DEFAULT_MIN_VOTES when ratings
        matter (--min-rating, --sort rating), else none."""
        if self.min_votes is not None:
            return self.min_votes
        if self.min_rating is not None or self.sort is Sort.RATING:
            return DEFAULT_MIN_VOTES
        return None

    @property
    def wanted(self) -> int:
        """How many titles to read in order: --limit, or the pool --random draws from."""
        if not self.random:
            return self.limit
        return max(RANDOM_POOL, 2 * self.limit)

    def filters(self, media_type: MediaType) -> dict[str, str]:
        """TMDB's discover parameters for what can be said without TMDB (genres, person
        and providers are added once resolved), for one type of title."""
        film = media_type is MediaType.MOVIE
        dated = "primary_release_date" if film else "first_air_date"
        params = {
            "watch_region": self.region,
            "with_watch_monetization_types": "|".join(c.value for c in self.categories),
            "sort_by": self.sort.sort_by(media_type),
        }
        if self.min_rating is not None:
            params["vote_average.gte"] = f"{self.min_rating:g}"
        if self.vote_floor:
            params["vote_count.gte"] = str(self.vote_floor)
        if self.since is not None:
            params[f"{dated}.gte"] = f"{self.since:04d}-01-01"
        if self.until is not None:
            params[f"{dated}.lte"] = f"{self.until:04d}-12-31"
        if self.max_runtime is not None:
            params["with_runtime.lte"] = str(self.max_runtime)
        if self.languages:
            params["with_original_language"] = "|".join(self.languages)
        return params


def parse_sort(value: Sort | str) -> Sort:
    if isinstance(value, Sort):
        return value
    try:
        return Sort(value.strip().lower())
    except ValueError:
        choices = ", ".join(s.value for s in Sort)
        raise UsageError(f"--sort takes one of {choices} (not {value!r}).") from None


def parse_how(how: str | Sequence[str] | None) -> tuple[Category, ...]:
    """Streaming, widened by --how: "rent,buy" adds renting and buying."""
    words = _names([how] if isinstance(how, str) else (how or ()))
    wanted = list(STREAMING)
    for word in words:
        found = _HOW_WORDS.get(word.lower())
        if found is None:
            choices = ", ".join(_HOW_WORDS)
            raise UsageError(
                f"--how takes {choices} (not {word!r}).", hint="For example: --how rent,buy"
            )
        wanted += found
    return tuple(c for c in Category if c in wanted)


def parse_languages(language: str | Sequence[str] | None) -> tuple[str, ...]:
    """Original languages as ISO 639-1 codes: "ja", "ko,ja", "pt-BR" (read as "pt")."""
    codes = []
    for given in _names([language] if isinstance(language, str) else (language or ())):
        code = given.split("-")[0].split("_")[0].lower()
        if not (len(code) == 2 and code.isascii() and code.isalpha()):
            raise UsageError(
                f"--language takes a two-letter language code (ISO 639-1), not {given!r}.",
                hint="For example: --language ja, or --language ko,ja",
            )
        codes.append(code)
    return tuple(dict.fromkeys(codes))


def _names(values: Sequence[str]) -> tuple[str, ...]:
    """Each value split at commas, trimmed, the empty ones dropped."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())
