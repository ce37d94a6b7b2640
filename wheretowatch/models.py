"""Typed values that flow from the TMDB client to the service and the renderers.

TMDB JSON is turned into these in `wheretowatch.tmdb.payload`; nothing past the client sees a
raw dict. All are frozen: a lookup result is a value, safe to cache, compare and share.
Strings in them came from TMDB and are untrusted: renderers must show them literally.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Generic, TypeVar
from urllib.parse import quote

T = TypeVar("T")
ALL_REGIONS = "all"
U = TypeVar("U")


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


def title_key(media_type: MediaType, tmdb_id: int) -> str:
    """How the watchlist and its snapshots name a title: "movie/550", "tv/1396"."""
    return f"{media_type.value}/{tmdb_id}"


@dataclass(frozen=True, slots=True)
class TitleMatch:
    """One search candidate."""

    tmdb_id: int
    media_type: MediaType
    title: str
    original_title: str
    year: int | None
    original_language: str | None
    popularity: float = 0.0


@dataclass(frozen=True, slots=True)
class Provider:
    """A streaming service. `display_priority` orders providers (lower first) in a region."""

    provider_id: int
    provider_name: str
    display_priority: int
    logo_path: str | None = None


@dataclass(frozen=True, slots=True)
class RegionOffers:
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


@dataclass(frozen=True, slots=True)
class Video:
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


@dataclass(frozen=True, slots=True)
class TitleDetails:
    tmdb_id: int
    media_type: MediaType
    title: str
    original_title: str
    year: int | None
    original_language: str | None
    imdb_id: str | None = None
    offers: Mapping[str, RegionOffers] = field(default_factory=dict)
    videos: tuple[Video, ...] = ()


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    english_name: str
    native_name: str


@dataclass(frozen=True, slots=True)
class Fetched(Generic[T]):
    """A value with the time TMDB served it, so every output can show the data's age."""

    value: T
    fetched_at: datetime
    from_cache: bool = False
    stale: bool = False
    stale_reason: str | None = None

    def with_value(self, value: U) -> Fetched[U]:
        """The same provenance for a value derived from this one."""
        return Fetched(value, self.fetched_at, self.from_cache, self.stale, self.stale_reason)


@dataclass(frozen=True, slots=True)
class RegionSelection:
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


@dataclass(frozen=True, slots=True)
class LookupResult:
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
    services: MyServices = field(default_factory=lambda: MyServices())
    # False when the search found no candidate whose title is the query: the pick is a guess.
    exact: bool = True

    @property
    def available(self) -> bool:
        return any(offers.available for offers in self.availability.values())


@dataclass(frozen=True, slots=True)
class ResolvedService:
    """One of the user's services and every TMDB provider it covers."""

    name: str
    providers: tuple[Provider, ...]

    @property
    def provider_ids(self) -> frozenset[int]:
        return frozenset(provider.provider_id for provider in self.providers)


@dataclass(frozen=True, slots=True)
class MyServices:
    """The user's resolved services, asked about one provider at a time (by its id)."""

    services: tuple[ResolvedService, ...] = ()
    _ids: frozenset[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Renderers ask once per provider shown: the union is worth computing once.
        ids = frozenset[int]().union(*(service.provider_ids for service in self.services))
        object.__setattr__(self, "_ids", ids)

    def includes(self, provider: Provider) -> bool:
        return provider.provider_id in self._ids

    def __bool__(self) -> bool:
        return bool(self.services)
