"""The lookup: resolve a title, fetch where it can be watched, pick its trailers.

Callable from Python as well as from the CLI:

    from wheretowatch.where.lookup import LookupRequest, lookup
    from wheretowatch.settings.loading import load_settings
    from wheretowatch.settings.regions import select_regions
    from wheretowatch.settings.client import open_client

    with open_client(load_settings()) as tmdb:
        result = lookup(tmdb, LookupRequest("Drawing Closer", regions=select_regions("GB", "me")))

A cold lookup costs two requests (search, then details with `append_to_response`), one
with a TMDB id. A season's costs one more, sent at the same time as the details (the
season's own details, videos and providers, appended too), so it takes no longer. A title
ending in a year ("dune 1984") whose whole text matches no title exactly costs one more
search, for "dune" from 1984. How the best match is chosen is `ranking.rank_matches`;
which videos are its trailers, `trailers.select_trailers`.
"""

import re
import threading
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

from wheretowatch.errors import NotFoundError, UsageError
from wheretowatch.models import (
    MAX_ID,
    MAX_SEASON,
    MAX_TITLE_LENGTH,
    MAX_YEAR,
    MIN_YEAR,
    Fetched,
    LookupResult,
    MediaType,
    RegionOffers,
    RegionSelection,
    SeasonDetails,
    TitleDetails,
    TitleMatch,
)
from wheretowatch.tmdb import TMDBClient
from wheretowatch.where.ranking import (
    is_ambiguous,
    is_exact,
    missed_year,
    needs_choice,
    rank_matches,
)
from wheretowatch.where.trailers import select_trailers, video_languages
from wheretowatch.where.typed import TitleInput

# Given the candidates, best first, returns the one the user means (a prompt, in the CLI).
Chooser = Callable[[Sequence[TitleMatch]], TitleMatch]

OTHER_MATCHES = 4
CHOICES = 10
_IMDB_ID = r"tt\d{5,10}"  # compiled on first use: most lookups have no IMDb id


class LookupRequest(NamedTuple):
    """One title to look up: by search text, TMDB id or IMDb id (exactly one), in
    `regions` (always give them: the default asks for none)."""

    query: str | None = None
    regions: RegionSelection = RegionSelection((), "nowhere")
    language: str = "en-US"
    media_type: MediaType | None = None
    year: int | None = None
    tmdb_id: int | None = None
    imdb_id: str | None = None
    # With tmdb_id, if known (the watchlist keeps it): asks for the same videos, and so
    # sends the same request, as a lookup by title.
    original_language: str | None = None
    # "dune 1984": ("dune", 1984), searched only if `query` matches no title exactly.
    trailing_year: tuple[str, int] | None = None
    # What was typed (a title, an id, an address), for messages and a batch's labels.
    text: str | None = None
    # One season of a series (0 holds the specials); implies a series.
    season: int | None = None

    @classmethod
    def for_title(
        cls,
        title: TitleInput,
        *,
        regions: RegionSelection,
        language: str,
        media_type: MediaType | None = None,
        year: int | None = None,
        season: int | None = None,
    ) -> "LookupRequest":
        """The lookup of a typed title (`parse_title`), with --type, --year and --season."""
        if media_type is not None and title.media_type not in (None, media_type):
            raise UsageError(
                f"{title.text} is a {_KIND[title.media_type]}, not a {_KIND[media_type]}.",
                hint="Drop --type, or give the other address.",
            )
        if year is not None and title.year not in (None, year):
            raise UsageError(
                f"The title gives the year {title.year}, --year gives {year}.",
                hint="Give the year once.",
            )
        if season is not None and title.season not in (None, season):
            raise UsageError(
                f"The address gives season {title.season}, --season gives {season}.",
                hint="Give the season once.",
            )
        return cls(
            query=title.query,
            regions=regions,
            language=language,
            media_type=title.media_type or media_type,
            year=year if year is not None else title.year,
            tmdb_id=title.tmdb_id,
            imdb_id=title.imdb_id,
            trailing_year=title.trailing_year,
            text=title.text,
            season=season if season is not None else title.season,
        )


_KIND = {MediaType.MOVIE: "film", MediaType.TV: "series", None: "film or series"}


def lookup(
    client: TMDBClient,
    request: LookupRequest,
    *,
    choose: Chooser | None = None,
    exact_only: bool = False,
) -> LookupResult:
    """Resolve the request to one title and say where it (or the asked season) can be
    watched.

    When the search leaves a doubt (the best candidate is not the title exactly, or not
    from the asked year, or several are exact and the year does not decide), `choose`, if
    given, picks among the candidates, one or several. Without it the best is taken, and
    the result says it is not exact (`exact`, `missed_year`); with `exact_only` (adding to
    the watchlist) such a pick is a `NotFoundError` naming the candidate instead.
    """
    _check(request)
    if request.season is not None:
        request = request._replace(media_type=MediaType.TV)
    resolved = _resolve(client, request, choose)
    chosen, others, exact, ambiguous, missed = resolved.value
    if exact_only and chosen is not None and (not exact or missed is not None):
        raise not_exact(request.text or request.query or "", chosen, exact=exact, year=missed)
    media_type = chosen.media_type if chosen else (request.media_type or MediaType.MOVIE)
    tmdb_id = chosen.tmdb_id if chosen else request.tmdb_id
    assert tmdb_id is not None  # _check guarantees an id or a query
    original = chosen.original_language if chosen else request.original_language
    languages = video_languages(request.language, original)

    asked = None if request.regions.all_regions else request.regions.codes

    def details() -> Fetched[TitleDetails]:
        return client.details(
            media_type,
            tmdb_id,
            language=request.language,
            video_languages=languages,
            regions=asked,
        )

    season: Fetched[SeasonDetails] | None = None
    if request.season is None:
        fetched = details()
    else:
        fetched, season = _with_season(
            client, details, tmdb_id, request.season, request.language, languages
        )
    title = fetched.value
    shown = video_languages(request.language, title.original_language)
    trailers = select_trailers(title.videos, shown)
    if season is not None:
        # The season's own trailers first: they show what the user asked about.
        own = select_trailers(season.value.videos, shown)
        trailers = own + tuple(v for v in trailers if v not in own)
    parts: list[Fetched[Any]] = [f for f in (fetched, season, resolved) if f is not None]
    stale = next((f for f in parts if f.stale), None)
    return LookupResult(
        query=request.text if request.text is not None else request.query,
        title=title,
        other_matches=tuple(others[:OTHER_MATCHES]),
        regions=request.regions,
        availability=select_availability(
            season.value.offers if season else title.offers, request.regions
        ),
        trailers=trailers,
        language=request.language,
        # The older of the two answers: the data is no newer than that.
        fetched_at=min(fetched.fetched_at, season.fetched_at) if season else fetched.fetched_at,
        from_cache=all(f.from_cache for f in parts),
        stale=stale is not None,
        stale_reason=stale.stale_reason if stale else None,
        exact=exact,
        ambiguous=ambiguous,
        missed_year=missed,
        season=season.value if season else None,
    )


def _with_season(
    client: TMDBClient,
    details: Callable[[], Fetched[TitleDetails]],
    series_id: int,
    number: int,
    language: str,
    languages: Sequence[str],
) -> tuple[Fetched[TitleDetails], Fetched[SeasonDetails]]:
    """The series' details and one season's, fetched at the same time: one round trip."""
    outcome: list[Fetched[SeasonDetails] | BaseException] = []

    def fetch_season() -> None:
        try:
            outcome.append(
                client.season(series_id, number, language=language, video_languages=languages)
            )
        except BaseException as error:  # raised in the caller's thread below
            outcome.append(error)

    worker = threading.Thread(target=fetch_season, name="wheretowatch-season", daemon=True)
    worker.start()
    try:
        series = details()
    finally:
        worker.join()
    season = outcome[0]
    if isinstance(season, NotFoundError):
        raise no_such_season(series.value, number) from None
    if isinstance(season, BaseException):
        raise season
    return series, season


def no_such_season(series: TitleDetails, number: int) -> NotFoundError:
    """The error for a season the series does not have, saying which ones it has."""
    info = series.series
    count = info.number_of_seasons if info else None
    if count is None and info is not None:
        count = len([s for s in info.seasons if s.season_number > 0]) or None
    if not count:
        return NotFoundError(
            f"TMDB lists no season {number} of {series.title}.",
            hint=f"See the seasons it lists: wheretowatch --tmdb-id {series.tmdb_id} "
            "--type tv --seasons",
        )
    plural = "season" if count == 1 else "seasons"
    return NotFoundError(
        f"{series.title} has {count} {plural}; there is no season {number}.",
        hint=f"Ask for a season from 1 to {count}, or see them all: "
        f"wheretowatch --tmdb-id {series.tmdb_id} --type tv --seasons",
    )


def search(
    client: TMDBClient,
    query: str,
    *,
    language: str,
    media_type: MediaType | None = None,
    year: int | None = None,
) -> Fetched[list[TitleMatch]]:
    """Search candidates, best first (see `ranking.rank_matches`)."""
    query = _check_query(query)
    _check_year(year)
    found = client.search(query, media_type=media_type, language=language)
    return found.with_value(rank_matches(found.value, query, year))


def select_availability(
    offers: Mapping[str, RegionOffers], regions: RegionSelection
) -> dict[str, RegionOffers]:
    """The asked regions, in the asked order; every region with offers for `all`."""
    if regions.all_regions:
        return {code: offers[code] for code in sorted(offers) if offers[code].available}
    return {
        code: offers.get(code) or RegionOffers(region=code, link=None) for code in regions.codes
    }


# The chosen candidate, the others, whether it is exact, whether it is one of several
# exact ones that nothing (neither a year nor a person) chose between, and the year asked
# for when the candidate is not from it.
Resolved = tuple[TitleMatch | None, list[TitleMatch], bool, bool, int | None]


def _resolve(
    client: TMDBClient, request: LookupRequest, choose: Chooser | None
) -> Fetched[Resolved]:
    """The chosen candidate (None for a TMDB id), the others, whether it is exact, and
    whether it is an uncertain pick among several exact ones."""
    if request.tmdb_id is not None:
        return Fetched((None, [], True, False, None), datetime.now(UTC), from_cache=True)
    if request.imdb_id is not None:
        found = client.find_imdb(request.imdb_id, language=request.language)
        matches = [m for m in found.value if request.media_type in (None, m.media_type)]
        if not matches:
            raise NotFoundError(
                f"TMDB knows no film or series with IMDb id {request.imdb_id}.",
                hint="Check the id on imdb.com, or search by title instead.",
            )
        return found.with_value((matches[0], matches[1:], True, False, None))
    found, query, year = _search_with_fallback(client, request)
    matches = found.value
    if not matches:
        raise NotFoundError(
            f"No {_KIND[request.media_type]} matches {(request.text or query).strip()!r}.",
            hint="Check the spelling, try the original title, or drop --type / --year.",
        )
    if choose is not None and needs_choice(matches, query, year):
        # One candidate or several: a guess is never taken without asking.
        chosen = choose(matches[:CHOICES])
        others = [m for m in matches if m != chosen]
        return found.with_value((chosen, others, True, False, None))
    best = matches[0]
    exact = is_exact(best, query)
    ambiguous = exact and is_ambiguous(matches, query, year)
    missed = year if missed_year(best, year) else None
    return found.with_value((best, matches[1:], exact, ambiguous, missed))


def not_exact(asked: str, pick: TitleMatch, *, exact: bool, year: int | None) -> NotFoundError:
    """The error for a pick that is not what was asked (adding never takes a guess)."""
    what = f"{pick.title} ({pick.year})" if pick.year else pick.title
    kind = _KIND[pick.media_type]
    add = f"wheretowatch watchlist add --tmdb-id {pick.tmdb_id} --type {pick.media_type.value}"
    if exact and year is not None:
        return NotFoundError(
            f"Nothing matches {asked.strip()!r} from {year}; the closest is {what}, a {kind}.",
            hint=f"Give the right year, or add that one by its id: {add}",
        )
    return NotFoundError(
        f"No title is exactly {asked.strip()!r}; the closest is {what}, a {kind}.",
        hint=f"Check the spelling, or add that one by its id: {add}",
    )


def inexact_warning(result: LookupResult) -> str | None:
    """What to say when the title shown is not exactly the one asked for, else None."""
    title = result.title
    shown = f"{title.title} ({title.year})" if title.year else title.title
    asked = (result.query or "").strip()
    if not result.exact:
        return f"No title is exactly {asked!r}; showing the closest match, {shown}."
    if result.missed_year is not None:
        return f"Nothing matches {asked!r} from {result.missed_year}; showing {shown}."
    return None


def _search_with_fallback(
    client: TMDBClient, request: LookupRequest
) -> tuple[Fetched[list[TitleMatch]], str, int | None]:
    assert request.query is not None
    return search_typed(
        client,
        request.query,
        trailing_year=request.trailing_year,
        language=request.language,
        media_type=request.media_type,
        year=request.year,
    )


def search_typed(
    client: TMDBClient,
    query: str,
    *,
    trailing_year: tuple[str, int] | None,
    language: str,
    media_type: MediaType | None = None,
    year: int | None = None,
) -> tuple[Fetched[list[TitleMatch]], str, int | None]:
    """The search for the whole title; for "dune 1984" matching nothing exactly, the one
    for "dune" from 1984 if that finds the title exactly (or the whole one found nothing).
    Returns the candidates, and the query and year they answer."""
    whole = search(client, query, language=language, media_type=media_type, year=year)
    if trailing_year is None or any(is_exact(m, query) for m in whole.value):
        return whole, query, year
    rest, rest_year = trailing_year
    if year is not None:
        rest_year = year
    shorter = search(client, rest, language=language, media_type=media_type, year=rest_year)
    if any(is_exact(m, rest) for m in shorter.value) or (shorter.value and not whole.value):
        return shorter, rest, rest_year
    return whole, query, year


def _check(request: LookupRequest) -> None:
    given = [x for x in (request.query, request.tmdb_id, request.imdb_id) if x is not None]
    if len(given) != 1:
        raise UsageError(
            "Give exactly one of: a title, --tmdb-id or --imdb-id.",
            hint='For example: wheretowatch "Drawing Closer"',
        )
    if request.query is not None:
        _check_query(request.query)
    if request.tmdb_id is not None and not 0 < request.tmdb_id <= MAX_ID:
        raise UsageError(f"{request.tmdb_id} is not a TMDB id.", hint="TMDB ids are positive.")
    if request.imdb_id is not None and not re.fullmatch(_IMDB_ID, request.imdb_id):
        raise UsageError(
            f"{request.imdb_id!r} is not an IMDb id.",
            hint="IMDb ids look like tt0137523 (from the title's imdb.com address).",
        )
    _check_year(request.year)
    if request.season is not None:
        if request.media_type is MediaType.MOVIE:
            raise UsageError(
                "A film has no seasons: --season goes with a series.",
                hint="Drop --type movie, or give --type tv.",
            )
        check_season(request.season)


def check_season(number: int) -> None:
    if not 0 <= number <= MAX_SEASON:
        raise UsageError(
            f"{number} is not a season number.",
            hint="Seasons count from 1 (0 holds a series' specials).",
        )


def _check_query(query: str) -> str:
    text = query.strip()
    if not text:
        raise UsageError("The title is empty.", hint='For example: wheretowatch "Drawing Closer"')
    if len(text) > MAX_TITLE_LENGTH:
        raise UsageError(
            f"The title is {len(text)} characters long; at most {MAX_TITLE_LENGTH} are allowed.",
            hint="Give the title alone, without the text around it.",
        )
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise UsageError(
            "The title contains control characters.", hint="Type the title as plain text."
        )
    return text


def _check_year(year: int | None) -> None:
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        raise UsageError(
            f"{year} is not a plausible release year.",
            hint=f"Give a year between {MIN_YEAR} and {MAX_YEAR}.",
        )
