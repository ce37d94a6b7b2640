"""`watchlist list`: where each watched title can be watched now, from the cache first.

    from wheretowatch.settings.loading import load_settings
    from wheretowatch.lists import availability

    listing = availability.check(load_settings())
    for entry in listing.titles:
        if entry.on_mine(listing.services):
            print(entry.title.label)

Each title is looked up by TMDB id in its regions, as `refresh` does, but in the normal
cache mode: a fresh cached answer costs no request; a missing or expired one is fetched
under the shared rate limit. With `offline`, a title with nothing cached is unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass

from wheretowatch.errors import (
    DataFileError,
    NotFoundError,
    UnreachableError,
    WheretowatchError,
)
from wheretowatch.lists.watchlist import WatchedTitle, Watchlist, lookup_request
from wheretowatch.models import (
    STREAMING,
    Category,
    LookupResult,
    MediaType,
    MyServices,
    Provider,
    RegionOffers,
    RegionSelection,
)
from wheretowatch.settings.client import open_client
from wheretowatch.settings.loading import Settings
from wheretowatch.tmdb import CacheMode, NotCachedError, TMDBClient
from wheretowatch.where.batch import map_ordered
from wheretowatch.where.lookup import lookup
from wheretowatch.where.services import my_services

# Watching without paying for each title: what "streams now" means.
PAYING = (Category.RENT, Category.BUY)


@dataclass(frozen=True, slots=True)
class TitleAvailability:
    """A watched title and its lookup, or why there is none (then it is unknown)."""

    title: WatchedTitle
    result: LookupResult | None = None
    error: WheretowatchError | None = None

    def streaming(self) -> Iterator[tuple[str, Category, Provider]]:
        """(region, category, provider) for every way to stream it, in its regions."""
        if self.result is None:
            return
        for region, offers in self.result.availability.items():
            for category in STREAMING:
                for provider in offers.providers(category):
                    yield region, category, provider

    @property
    def gone(self) -> bool:
        """TMDB no longer has the title (it answered 404 for its id)."""
        return isinstance(self.error, NotFoundError)

    def on_mine(self, services: MyServices) -> bool:
        return any(services.includes(provider) for _, _, provider in self.streaming())

    @property
    def streams(self) -> bool:
        return next(self.streaming(), None) is not None

    @property
    def rent_or_buy(self) -> bool:
        return self.result is not None and any(
            offers.providers(category)
            for offers in self.result.availability.values()
            for category in PAYING
        )


@dataclass(frozen=True, slots=True)
class Listing:
    titles: tuple[TitleAvailability, ...]
    services: MyServices
    # Why TMDB stopped being reachable while titles were fetched (the rest not asked).
    unreachable: UnreachableError | None = None


def check(
    settings: Settings,
    *,
    offline: bool = False,
    warn: Callable[[str], None] = lambda message: None,
    on_start: Callable[[int], None] = lambda total: None,
    on_progress: Callable[[], None] = lambda: None,
    regions: RegionSelection | None = None,
) -> Listing:
    """Every watched title with where it can be watched now, and the user's services;
    with `regions`, in those regions rather than each title's own (for `plan`)."""
    titles = Watchlist(settings.data_dir, warn=warn).titles()
    # First from the cache alone, in this thread: for thousands of cached titles, handing
    # each to a worker costs more than the lookup itself. Then only the misses go out.
    gone = _gone(settings)
    with open_client(settings, mode=CacheMode.OFFLINE, warn=warn) as cache:
        services = _cached_services(cache, settings, warn) if offline else None
        found = [
            _gone_entry(title) if title.key in gone else _check_one(cache, settings, title, regions)
            for title in titles
        ]
    missing = [index for index, entry in enumerate(found) if _needs_fetching(entry)]
    if offline:
        # --offline asks nothing, ever: not even the provider lists.
        on_start(0)
        return Listing(tuple(found), services or MyServices())
    if not missing:
        on_start(0)
        return Listing(tuple(found), _services(settings, warn))
    with open_client(settings, warn=warn) as client:
        services = my_services(client, settings, warn=warn)
        on_start(len(missing))
        fetched = map_ordered(
            lambda index: _check_one(client, settings, titles[index], regions),
            missing,
            workers=client.concurrency,
        )
        with closing(fetched):  # an interrupted listing stops its workers first
            for index, entry in zip(missing, fetched, strict=True):
                on_progress()
                found[index] = entry
        unreachable = client.unreachable
    return Listing(tuple(found), services, unreachable)


def _gone(settings: Settings) -> set[str]:
    """The titles the last refresh found TMDB no longer has (404 for their id)."""
    from wheretowatch.lists.snapshots import Snapshots

    try:
        snapshots = Snapshots(settings.data_dir).load()
    except DataFileError:
        return set()  # the refresh reports a damaged file; a listing can do without it
    return {key for key, snapshot in snapshots.items() if snapshot.gone}


def _gone_entry(title: WatchedTitle) -> TitleAvailability:
    kind = "series" if title.media_type is MediaType.TV else "film"
    error = NotFoundError(f"TMDB no longer has the {kind} with id {title.tmdb_id}.")
    return TitleAvailability(title, error=error)


def _cached_services(
    client: TMDBClient, settings: Settings, warn: Callable[[str], None]
) -> MyServices:
    try:
        return my_services(client, settings, warn=warn)
    except NotCachedError:
        warn("--offline: TMDB's provider lists are not cached, so no service is marked yours.")
        return MyServices()


def _services(settings: Settings, warn: Callable[[str], None]) -> MyServices:
    with open_client(settings, warn=warn) as client:
        return my_services(client, settings, warn=warn)


def _check_one(
    client: TMDBClient,
    settings: Settings,
    title: WatchedTitle,
    regions: RegionSelection | None = None,
) -> TitleAvailability:
    try:
        request = lookup_request(title, settings.region, settings.language)
        if regions is not None:
            # The same request (the cache holds every region's offers); only these parsed.
            request = request._replace(regions=regions)
        return TitleAvailability(title, result=lookup(client, request))
    except WheretowatchError as error:
        return TitleAvailability(title, error=error)


def _needs_fetching(entry: TitleAvailability) -> bool:
    """Not cached, or cached but expired (an offline client marks it stale)."""
    if entry.result is not None:
        return entry.result.stale
    return isinstance(entry.error, NotCachedError)


def mine_first(offers: RegionOffers, category: Category, services: MyServices) -> list[Provider]:
    """The providers of a category, the user's own first (each group in TMDB's order)."""
    providers = offers.providers(category)
    return sorted(providers, key=lambda provider: not services.includes(provider))
