"""What changed between two looks at a title's availability, in sentences for cron mail."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from wheretowatch.attribution import TMDB_URL
from wheretowatch.lists.watchlist import WatchedTitle
from wheretowatch.models import Category, Episode, MyServices, Provider, RegionOffers

_APPEARED = {
    Category.FLATRATE: "is now streaming on",
    Category.FREE: "is now free on",
    Category.ADS: "is now free with ads on",
    Category.RENT: "can now be rented on",
    Category.BUY: "can now be bought on",
}
_GONE = {
    Category.FLATRATE: "left",
    Category.FREE: "is no longer free on",
    Category.ADS: "is no longer free with ads on",
    Category.RENT: "can no longer be rented on",
    Category.BUY: "can no longer be bought on",
}


@dataclass(frozen=True, slots=True)
class Change:
    title: WatchedTitle
    region: str
    category: Category
    provider: Provider
    appeared: bool
    mine: bool = False

    def sentence(self) -> str:
        return f"{self.title.label} {self.phrase()}"

    def phrase(self) -> str:
        """The sentence without its subject: "is now streaming on Netflix in GB"."""
        verb = (_APPEARED if self.appeared else _GONE)[self.category]
        return f"{verb} {self.provider.provider_name} in {self.region}"

    @property
    def watch_page(self) -> str:
        """TMDB's page of where to watch the title in the change's region."""
        title = self.title
        return f"{TMDB_URL}/{title.media_type.value}/{title.tmdb_id}/watch?locale={self.region}"


@dataclass(frozen=True, slots=True)
class NewSeason:
    """A watched series' next episode is in a season the last refresh did not know of."""

    title: WatchedTitle
    episode: Episode
    # Not about a service: `--mine` keeps it, as news of the series the user watches.
    mine: bool = True

    def sentence(self) -> str:
        return f"{self.title.label}: {self.phrase()}"

    def phrase(self) -> str:
        """The sentence without its subject: "new season 3 announced: S03E01 on …"."""
        when = f" on {self.episode.air_date}" if self.episode.air_date else ""
        return f"new season {self.episode.season_number} announced: {self.episode.code}{when}"

    @property
    def watch_page(self) -> str:
        return f"{TMDB_URL}/tv/{self.title.tmdb_id}/watch"


Event = Change | NewSeason


def announced(title: WatchedTitle, before: int | None, after: Episode | None) -> list[NewSeason]:
    """The new season, if TMDB now announces an episode of a season newer than `before`
    (the newest season the last refresh knew with an episode aired or announced)."""
    if before is None or after is None or after.season_number <= before:
        return []
    return [NewSeason(title, after)]


def diff(
    title: WatchedTitle,
    before: Mapping[str, RegionOffers],
    after: Mapping[str, RegionOffers],
    regions: Iterable[str],
    services: MyServices,
) -> list[Change]:
    """Providers that appeared or left, per region and category, in the given regions."""
    changes = []
    empty = RegionOffers(region="", link=None)
    for region in regions:
        old, new = before.get(region, empty), after.get(region, empty)
        for category in Category:
            old_ids = {p.provider_id: p for p in old.providers(category)}
            new_ids = {p.provider_id: p for p in new.providers(category)}
            for appeared, side, other in ((True, new_ids, old_ids), (False, old_ids, new_ids)):
                for provider_id, provider in side.items():
                    if provider_id not in other:
                        mine = services.includes(provider)
                        changes.append(Change(title, region, category, provider, appeared, mine))
    return changes


def ordered(changes: Iterable[Event]) -> list[Event]:
    """The user's own services first; otherwise as found (title by title, region by region)."""
    return sorted(changes, key=lambda change: not change.mine)
