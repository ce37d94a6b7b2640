"""`watchlist list`: where each watched title can be watched now, from the cache first.

    from wheretowatch.settings import load_settings
    from wheretowatch.watch import availability

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
from dataclasses import dataclass

from wheretowatch.batch import map_ordered
from wheretowatch.errors import WheretowatchError
from wheretowatch.models import (
    Category,
    LookupResult,
    MyServices,
    Provider,
    RegionOffers,
)
from wheretowatch.service import lookup, my_services
from wheretowatch.settings import Settings
from wheretowatch.tmdb import CacheMode, TMDBClient
from wheretowatch.watch.refresh import lookup_request
from wheretowatch.watch.watchlist import WatchedTitle, Watchlist

# Watching without paying for each title: what "streams now" means.
STREAMING = (Category.FLATRATE, Category.FREE, Category.ADS)
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


def check(
    settings: Settings,
    *,
    offline: bool = False,
    warn: Callable[[str], None] = lambda message: None,
    on_start: Callable[[int], None] = lambda total: None,
    on_progress: Callable[[], None] = lambda: None,
) -> Listing:
    """Every watched title with where it can be watched now, and the user's services."""
    titles = Watchlist(settings.data_dir).titles()
    mode = CacheMode.OFFLINE if offline else CacheMode.NORMAL
    with TMDBClient.from_settings(settings, mode=mode, warn=warn) as client:
        services = my_services(client, settings)
        on_start(len(titles))

        def fetch(title: WatchedTitle) -> TitleAvailability:
            try:
                request = lookup_request(title, settings.region, settings.language)
                return TitleAvailability(title, result=lookup(client, request))
            except WheretowatchError as error:
                return TitleAvailability(title, error=error)

        found = []
        for entry in map_ordered(
            fetch, titles, workers=client.concurrency, on_thread_exit=client.release_thread
        ):
            on_progress()
            found.append(entry)
    return Listing(tuple(found), services)


def mine_first(offers: RegionOffers, category: Category, services: MyServices) -> list[Provider]:
    """The providers of a category, the user's own first (each group in TMDB's order)."""
    providers = offers.providers(category)
    return sorted(providers, key=lambda provider: not services.includes(provider))
