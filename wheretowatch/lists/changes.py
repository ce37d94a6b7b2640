"""What changed between two looks at a title's availability, in sentences for cron mail."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from wheretowatch.attribution import TMDB_URL
from wheretowatch.lists.watchlist import WatchedTitle
from wheretowatch.models import (
    STREAMING,
    Category,
    Episode,
    MyServices,
    Provider,
    RegionOffers,
    ReleaseDates,
)
from wheretowatch.where.releases import digital_dates, last_digital, next_digital

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


class ReleaseKind(StrEnum):
    """What happened to a watched film's digital release in a region (`change` in JSON)."""

    ANNOUNCED = "digital_date"  # a date appeared where none was known
    MOVED = "digital_date_moved"  # the date known before is gone, another stands
    PASSED = "digital_released"  # the date passed and none of your services streams it


@dataclass(frozen=True, slots=True)
class ReleaseChange:
    """News of a watched film's digital release in one of its regions."""

    title: WatchedTitle
    region: str
    kind: ReleaseKind
    day: date
    note: str = ""
    previous: date | None = None  # the date it moved from
    # Where it can be had instead, for a release that passed: "rent on Apple TV".
    elsewhere: str = ""
    # Not about a service the user has: `--mine` keeps it, as news of a film they watch.
    mine: bool = True

    def sentence(self) -> str:
        return f"{self.title.label}: {self.phrase()}"

    def phrase(self) -> str:
        """ "digital release in GB on 2027-03-12 (Netflix)", and so on."""
        note = f" ({self.note})" if self.note else ""
        day = self.day.isoformat()
        if self.kind is ReleaseKind.MOVED and self.previous is not None:
            moved = f"moved from {self.previous.isoformat()} to {day}"
            return f"digital release in {self.region} {moved}{note}"
        if self.kind is ReleaseKind.PASSED:
            elsewhere = f": {self.elsewhere}" if self.elsewhere else ""
            where = f"not on your services in {self.region}{elsewhere}"
            return f"released digitally on {day}{note}; {where}"
        return f"digital release in {self.region} on {day}{note}"

    @property
    def watch_page(self) -> str:
        title = self.title
        return f"{TMDB_URL}/{title.media_type.value}/{title.tmdb_id}/watch?locale={self.region}"


Event = Change | NewSeason | ReleaseChange


def release_changes(
    title: WatchedTitle,
    before: Mapping[str, date],
    release_dates: ReleaseDates,
    offers: Mapping[str, RegionOffers],
    regions: Iterable[str],
    services: MyServices,
    today: date,
) -> list[ReleaseChange]:
    """What became of the digital dates `before` held (each region's next one, as the
    last refresh saw it), in `regions`: announced, moved, or passed while none of the
    user's services streams the film there. Each is told once: the next snapshot holds
    the date now ahead, or none (see `next_digital_dates`)."""
    changes = []
    for region in regions:
        dates = release_dates.get(region, ())
        known, coming = before.get(region), next_digital(dates, today)
        listed = {d.date for d in digital_dates(dates)}
        if known is not None and known not in listed:
            moved_to = coming or last_digital(dates, today)
            if moved_to is not None:
                changes.append(
                    ReleaseChange(
                        title, region, ReleaseKind.MOVED, moved_to.date, moved_to.note, known
                    )
                )
            continue
        if known is not None and known < today:
            passed = next(d for d in digital_dates(dates) if d.date == known)
            streaming = offers.get(region)
            on_mine = streaming is not None and any(
                services.includes(p) for c in STREAMING for p in streaming.providers(c)
            )
            if not on_mine:
                changes.append(
                    ReleaseChange(
                        title,
                        region,
                        ReleaseKind.PASSED,
                        known,
                        passed.note,
                        elsewhere=_elsewhere(streaming),
                    )
                )
        if coming is not None and coming.date != known:
            changes.append(
                ReleaseChange(title, region, ReleaseKind.ANNOUNCED, coming.date, coming.note)
            )
    return changes


def next_digital_dates(release_dates: ReleaseDates, today: date) -> dict[str, date]:
    """What a snapshot keeps: each region's next digital date, from `today` on."""
    found = {code: next_digital(dates, today) for code, dates in release_dates.items()}
    return {code: release.date for code, release in found.items() if release is not None}


_HOW = {
    Category.FLATRATE: "stream on",
    Category.FREE: "free on",
    Category.ADS: "free with ads on",
    Category.RENT: "rent on",
    Category.BUY: "buy on",
}


def _elsewhere(offers: RegionOffers | None) -> str:
    """ "rent on Apple TV; buy on Apple TV": how the film can be had in the region."""
    if offers is None:
        return ""
    ways = [
        f"{_HOW[c]} {', '.join(p.provider_name for p in offers.providers(c))}"
        for c in Category
        if offers.providers(c)
    ]
    return "; ".join(ways)


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
