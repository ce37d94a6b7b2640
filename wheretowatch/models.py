"""Typed values that flow from the TMDB client to the service and the renderers.

TMDB JSON is turned into these in `wheretowatch.tmdb.payload`; nothing past the client sees a
raw dict. All are frozen: a lookup result is a value, safe to cache, compare and share.
Strings in them came from TMDB and are untrusted: renderers must show them literally.

They are NamedTuples rather than dataclasses: a cached lookup creates every one of these
classes and little else, and a frozen dataclass costs seven times as much to create
(about 0.45 ms each, a tenth of the whole cached lookup for twenty of them). Compare
them field by field, as values; `_replace` makes a changed copy.
"""

import re
from collections.abc import Mapping
from datetime import date, datetime
from enum import IntEnum, StrEnum
from types import MappingProxyType
from typing import Generic, NamedTuple, TypeVar
from urllib.parse import quote

T = TypeVar("T")
U = TypeVar("U")
ALL_REGIONS = "all"


class MediaType(StrEnum):
    MOVIE = "movie"
    TV = "tv"


class Category(StrEnum):
    """How a provider offers a title, in the order tables show them."""

    FLATRATE = "flatrate"
    FREE = "free"
    ADS = "ads"
    RENT = "rent"
    BUY = "buy"


# To watch without paying per title: a subscription, free, or free with ads.
STREAMING = (Category.FLATRATE, Category.FREE, Category.ADS)


# A lone UTF-16 surrogate ("\ud800" in JSON) is valid JSON but no text: it cannot be
# encoded, so it would fail every file write and every terminal it reached.
_SURROGATES = re.compile("[\ud800-\udfff]")


# What untrusted text must never show raw, on a terminal or in a notification: C0 and C1
# controls (ESC starts terminal sequences), the bidi overrides, embeddings and isolates
# (U+202E reverses the rest of a line), the zero-width and direction marks, the Arabic
# letter mark, the line and paragraph separators, and the zero-width no-break space.
# What TMDB's values can be, defined once: the payload, what people type and the import
# formats check against the same limits.
MAX_TITLE_LENGTH = 500
MIN_YEAR, MAX_YEAR = 1870, 2200
MAX_ID = 2**31 - 1  # TMDB's ids are 32-bit signed integers
MAX_SEASON = 9_999

UNSAFE_CHARACTERS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)


def encodable(text: str) -> str:
    """`text` with every lone surrogate replaced by U+FFFD: a text any file takes."""
    return text if text.isascii() else _SURROGATES.sub("\ufffd", text)


def language_code(value: object) -> str | None:
    """An ISO 639 language code ("en", "fil") lowercased, or None for anything else: a
    stored or sent language is one of these, never a text of any length."""
    if isinstance(value, str) and 2 <= len(value) <= 3 and value.isascii() and value.isalpha():
        return value.lower()
    return None


def title_key(media_type: MediaType, tmdb_id: int, season: int | None = None) -> str:
    """How the watchlist and its snapshots name a title: "movie/550", "tv/1396", and a
    season of a series: "tv/1396/season/2"."""
    key = f"{media_type.value}/{tmdb_id}"
    return key if season is None else f"{key}/season/{season}"


class TitleMatch(NamedTuple):
    """One search candidate."""

    tmdb_id: int
    media_type: MediaType
    title: str
    original_title: str
    year: int | None
    original_language: str | None
    popularity: float = 0.0


class Provider(NamedTuple):
    """A streaming service. `display_priority` orders providers (lower first) in a region."""

    provider_id: int
    provider_name: str
    display_priority: int
    logo_path: str | None = None


class RegionOffers(NamedTuple):
    """Where a title can be watched in one region. `link` is TMDB's watch page."""

    region: str
    link: str | None
    flatrate: tuple[Provider, ...] = ()
    free: tuple[Provider, ...] = ()
    ads: tuple[Provider, ...] = ()
    rent: tuple[Provider, ...] = ()
    buy: tuple[Provider, ...] = ()

    def providers(self, category: Category) -> tuple[Provider, ...]:
        offers: tuple[Provider, ...] = getattr(self, category.value)
        return offers

    @property
    def available(self) -> bool:
        return any(self.providers(category) for category in Category)


class Video(NamedTuple):
    name: str
    key: str
    site: str
    type: str
    official: bool
    language: str | None
    published_at: str | None

    @property
    def url(self) -> str | None:
        # The key is untrusted: quoting it keeps it inside the URL's query or path.
        key = quote(self.key, safe="")
        if self.site == "YouTube":
            return f"https://www.youtube.com/watch?v={key}"
        if self.site == "Vimeo":
            return f"https://vimeo.com/{key}"
        return None


class Episode(NamedTuple):
    """An episode as a series' details name it: the next one to air, or the last aired."""

    season_number: int
    episode_number: int
    air_date: str | None

    @property
    def code(self) -> str:
        return f"S{self.season_number:02d}E{self.episode_number:02d}"


class SeasonSummary(NamedTuple):
    """A season as the series' details list it (season 0 holds the specials)."""

    season_number: int
    name: str
    air_date: str | None
    episode_count: int | None

    @property
    def year(self) -> int | None:
        head = (self.air_date or "")[:4]
        return int(head) if head.isdigit() and len(head) == 4 else None


# TMDB's series statuses in the words wheretowatch shows; others are kept, in lower case.
SERIES_STATES = {
    "returning series": "returning",
    "canceled": "cancelled",
}


class SeriesInfo(NamedTuple):
    """What a series' details say about its seasons, beside its title."""

    number_of_seasons: int | None = None
    status: str | None = None  # TMDB's words: "Returning Series", "Ended", "Canceled"…
    next_episode: Episode | None = None
    last_episode: Episode | None = None
    seasons: tuple[SeasonSummary, ...] = ()

    @property
    def state(self) -> str | None:
        """The status in plain words: "returning", "ended", "cancelled", "in production"…"""
        if not self.status:
            return None
        word = self.status.strip().lower()
        return SERIES_STATES.get(word, word)

    def season(self, number: int) -> SeasonSummary | None:
        return next((s for s in self.seasons if s.season_number == number), None)

    @property
    def latest_season(self) -> int | None:
        """The newest season with an episode aired or announced: what a new one is after."""
        numbers = [e.season_number for e in (self.last_episode, self.next_episode) if e]
        if not numbers:
            # Some answers have no last_episode_to_air: the seasons that have aired tell.
            today = date.today().isoformat()
            numbers = [
                s.season_number
                for s in self.seasons
                if s.season_number > 0
                and s.episode_count != 0  # announced, no episode listed yet
                and (s.air_date or "9999") <= today
            ]
        return max(numbers) if numbers else None


NO_OFFERS: Mapping[str, RegionOffers] = MappingProxyType({})


class TitleDetails(NamedTuple):
    tmdb_id: int
    media_type: MediaType
    title: str
    original_title: str
    year: int | None
    original_language: str | None
    imdb_id: str | None = None
    offers: Mapping[str, RegionOffers] = NO_OFFERS
    videos: tuple[Video, ...] = ()
    series: SeriesInfo | None = None  # for series only
    # Minutes: a film's running time, a series' usual episode length; None if TMDB has none.
    runtime: int | None = None
    release_dates: "ReleaseDates | None" = None  # films only; None: not known


class SeasonDetails(NamedTuple):
    """One season of a series, with its own videos and watch providers."""

    season_number: int
    name: str
    air_date: str | None
    episode_count: int | None
    offers: Mapping[str, RegionOffers] = NO_OFFERS
    videos: tuple[Video, ...] = ()


class Region(NamedTuple):
    code: str
    english_name: str
    native_name: str


class Fetched(NamedTuple, Generic[T]):
    """A value with the time TMDB served it, so every output can show the data's age."""

    value: T
    fetched_at: datetime
    from_cache: bool = False
    stale: bool = False
    stale_reason: str | None = None

    def with_value(self, value: U) -> "Fetched[U]":
        """The same provenance for a value derived from this one."""
        return Fetched(value, self.fetched_at, self.from_cache, self.stale, self.stale_reason)


class RegionSelection(NamedTuple):
    """The regions a lookup asks for, and where that choice came from."""

    codes: tuple[str, ...]
    source: str
    all_regions: bool = False

    @property
    def stored(self) -> tuple[str, ...]:
        """As the data files keep it: the codes, or ("all",). The one spelling of "all"."""
        return (ALL_REGIONS,) if self.all_regions else self.codes

    def describe(self) -> str:
        return ALL_REGIONS if self.all_regions else ", ".join(self.codes)


class ResolvedService(NamedTuple):
    """One of the user's services and every TMDB provider it covers."""

    name: str
    providers: tuple[Provider, ...]

    @property
    def provider_ids(self) -> frozenset[int]:
        return frozenset(provider.provider_id for provider in self.providers)


class MyServices(NamedTuple):
    """The user's resolved services, asked about one provider at a time (by its id)."""

    services: tuple[ResolvedService, ...] = ()

    def includes(self, provider: Provider) -> bool:
        wanted = provider.provider_id
        return any(p.provider_id == wanted for s in self.services for p in s.providers)

    def __bool__(self) -> bool:
        return bool(self.services)


NO_SERVICES = MyServices()


class LookupResult(NamedTuple):
    """Everything `wheretowatch TITLE` shows, in the same shape for the table and JSON."""

    query: str | None
    title: TitleDetails
    other_matches: tuple[TitleMatch, ...]
    regions: RegionSelection
    availability: Mapping[str, RegionOffers]
    trailers: tuple[Video, ...]
    language: str
    fetched_at: datetime
    from_cache: bool = False
    stale: bool = False
    stale_reason: str | None = None
    services: MyServices = NO_SERVICES
    # A season lookup: the availability and trailers are this season's.
    season: SeasonDetails | None = None
    # False when the search found no candidate whose title is the query: the pick is a guess.
    exact: bool = True
    # True when several candidates are the title exactly and no year decided: the pick,
    # though exact, is one of several (Dune 2021 or Dune 1984).
    ambiguous: bool = False
    # The year asked for, when the title shown is not from it (nothing was).
    missed_year: int | None = None

    @property
    def available(self) -> bool:
        return any(offers.available for offers in self.availability.values())


class SeasonOffers(NamedTuple):
    """One row of `--seasons`: a season and where it can be watched in the asked regions."""

    season: SeasonSummary
    availability: Mapping[str, RegionOffers]

    @property
    def available(self) -> bool:
        return any(offers.available for offers in self.availability.values())


class SeasonsResult(NamedTuple):
    """Everything `wheretowatch TITLE --seasons` shows: a series, season by season."""

    query: str | None
    title: TitleDetails
    regions: RegionSelection
    seasons: tuple[SeasonOffers, ...]
    language: str
    fetched_at: datetime
    from_cache: bool = False
    stale: bool = False
    stale_reason: str | None = None
    services: MyServices = NO_SERVICES
    # Seasons past the most one run looks up (see where.batch.MAX_SEASONS), not shown.
    seasons_left_out: int = 0

    @property
    def available(self) -> bool:
        return any(season.available for season in self.seasons)


# --- discover: what streams in a region, a page at a time ----------------------------


class Genre(NamedTuple):
    """One of TMDB's genres (`/3/genre/{movie,tv}/list`): films and series have their own."""

    genre_id: int
    name: str


class Person(NamedTuple):
    """A person from `/3/search/person`, with the titles TMDB says they are known for."""

    person_id: int
    name: str
    department: str | None
    popularity: float
    known_for: tuple[str, ...] = ()


class DiscoveredTitle(NamedTuple):
    """A row of `/3/discover/{movie,tv}`: a title and how people rated it."""

    tmdb_id: int
    media_type: MediaType
    title: str
    original_title: str
    year: int | None
    release_date: str | None  # YYYY-MM-DD: a film's primary release, a series' first airing
    original_language: str | None
    popularity: float
    vote_average: float
    vote_count: int
    genre_ids: tuple[int, ...] = ()


class DiscoverPage(NamedTuple):
    """One page of a discover query, with TMDB's totals (`total_pages` is at least 1)."""

    page: int
    total_pages: int
    total_results: int
    results: tuple[DiscoveredTitle, ...]


class ReleaseType(IntEnum):
    """TMDB's release types (`/movie/{id}/release_dates`), each with the word shown for it."""

    PREMIERE = 1
    LIMITED = 2
    THEATRICAL = 3
    DIGITAL = 4
    PHYSICAL = 5
    TV = 6

    @property
    def word(self) -> str:
        return self.name.lower()


class ReleaseDate(NamedTuple):
    """One release of a film in one region: its type, its day and TMDB's note (untrusted:
    often the service, "Netflix", sometimes a festival, "Venice Film Festival")."""

    type: ReleaseType
    date: date
    note: str = ""


# A film's release dates by region; None on TitleDetails: not known (an answer cached
# before wheretowatch asked for them, or a series).
ReleaseDates = Mapping[str, tuple[ReleaseDate, ...]]


class ReleasePage(NamedTuple):
    """One page of films with a release of the asked type in a region's date window
    (`/3/discover/movie`), and TMDB's paging totals."""

    films: tuple[TitleMatch, ...]
    page: int
    total_pages: int
    total_results: int
