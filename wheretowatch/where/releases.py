"""When a film can be streamed in a region: its release dates, read for what they say.

TMDB gives each region's dates by type (premiere, limited, theatrical, digital, physical,
TV) with a note that often names the service ("Netflix") and sometimes a festival
("Venice Film Festival"). A date whose note names a festival or a premiere is shown as
such and never counts as a release: a film shown at Venice is not out in Italy.

Each region is read on its own. Another region's date is never taken for this region's:
where this region has none, the answer says so, and may add another region's date
labelled with that region (`RegionRelease.borrowed`).
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import NamedTuple

from wheretowatch.models import (
    STREAMING,
    RegionOffers,
    ReleaseDate,
    ReleaseDates,
    ReleaseType,
    TitleDetails,
)

# Words in a note that make a date a festival showing or a premiere, never a release.
_FESTIVAL_WORDS = ("festival", "premiere", "première", "fest")
# Whose date to add, labelled, when a region has none: these first, then by code.
_BORROW_FIRST = ("US", "GB")


def today() -> date:
    """The day release dates are read against (UTC): the one clock tests pin."""
    return datetime.now(UTC).date()


class Outlook(StrEnum):
    """What a region's release dates say about streaming there."""

    STREAMING = "streaming"  # on a subscription or free service in the region now
    COMING = "coming"  # a digital release ahead, in this region
    RELEASED = "released"  # released digitally here, yet no service streams it now
    UNDATED = "undated"  # TMDB has no digital date for this region
    UNKNOWN = "unknown"  # the release dates are not known (an answer cached before)


class RegionRelease(NamedTuple):
    """One region's release dates and what they say: `digital` is the date the outlook is
    about (this region's own); `borrowed` another region's, for a region without one."""

    region: str
    outlook: Outlook
    dates: tuple[ReleaseDate, ...] = ()
    digital: ReleaseDate | None = None
    borrowed: tuple[str, ReleaseDate] | None = None


def is_festival(release: ReleaseDate) -> bool:
    """Whether the date is a festival showing or a premiere, by its type or its note."""
    if release.type is ReleaseType.PREMIERE:
        return True
    note = release.note.casefold()
    return any(word in note for word in _FESTIVAL_WORDS)


def digital_dates(dates: Iterable[ReleaseDate]) -> list[ReleaseDate]:
    """The digital releases that count (no festival), in date order."""
    found = (d for d in dates if d.type is ReleaseType.DIGITAL and not is_festival(d))
    return sorted(found, key=lambda d: d.date)


def next_digital(dates: Iterable[ReleaseDate], today: date) -> ReleaseDate | None:
    """The first digital release from `today` on."""
    return next((d for d in digital_dates(dates) if d.date >= today), None)


def last_digital(dates: Iterable[ReleaseDate], today: date) -> ReleaseDate | None:
    """The latest digital release before `today`."""
    past = [d for d in digital_dates(dates) if d.date < today]
    return past[-1] if past else None


def streams(offers: RegionOffers | None) -> bool:
    """Whether a subscription or free service (with ads or not) carries it."""
    return offers is not None and any(offers.providers(c) for c in STREAMING)


def region_release(
    release_dates: ReleaseDates | None,
    region: str,
    offers: RegionOffers | None,
    today: date,
) -> RegionRelease:
    """What `region`'s dates say, beside where the film streams there now."""
    if release_dates is None:
        return RegionRelease(region, Outlook.STREAMING if streams(offers) else Outlook.UNKNOWN)
    dates = release_dates.get(region, ())
    coming, past = next_digital(dates, today), last_digital(dates, today)
    if streams(offers):
        return RegionRelease(region, Outlook.STREAMING, dates, coming or past)
    if coming is not None:
        return RegionRelease(region, Outlook.COMING, dates, coming)
    if past is not None:
        return RegionRelease(region, Outlook.RELEASED, dates, past)
    return RegionRelease(
        region, Outlook.UNDATED, dates, borrowed=_borrowed(release_dates, region, today)
    )


def region_releases(
    title: TitleDetails,
    regions: Sequence[str],
    availability: Mapping[str, RegionOffers],
    today: date,
) -> list[RegionRelease]:
    """`region_release` for each of `regions` (none for a series: TMDB dates films)."""
    if title.series is not None:
        return []
    return [
        region_release(title.release_dates, code, availability.get(code), today) for code in regions
    ]


def _borrowed(
    release_dates: ReleaseDates, region: str, today: date
) -> tuple[str, ReleaseDate] | None:
    others = sorted(
        (code for code in release_dates if code != region),
        key=lambda code: (code not in _BORROW_FIRST, _rank(code), code),
    )
    for code in others:
        found = next_digital(release_dates[code], today) or last_digital(release_dates[code], today)
        if found is not None:
            return code, found
    return None


def _rank(code: str) -> int:
    return _BORROW_FIRST.index(code) if code in _BORROW_FIRST else len(_BORROW_FIRST)
