"""`watchlist calendar`: every watched title's dates ahead, as events for a calendar.

Films give their digital and physical releases in each of their regions (festival
showings never count), series their next episode (a season premiere when it is an
episode 1). The events are plain values (`dated`); `icalendar_text` writes them as an
iCalendar file (RFC 5545), importing icalendar only then.

An event keeps its UID across runs, so a calendar that subscribes to the file updates
events instead of adding copies. The UID names what the event is, never its date: a film's
release by TMDB id, region, type and note (the service: "netflix"), a series' episode by
TMDB id and episode code. So a release TMDB moves to another day is the same event, moved.
Two releases alike in all of that (two digital releases on Netflix in GB) are told apart
by their order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from wheretowatch.lists import availability
from wheretowatch.lists.watchlist import WatchedTitle
from wheretowatch.models import UNSAFE_CHARACTERS, Episode, ReleaseType, TitleDetails
from wheretowatch.settings.loading import Settings
from wheretowatch.where import releases
from wheretowatch.where.releases import is_festival

DEFAULT_DAYS = 365
DOMAIN = "wheretowatch"
_CALENDAR_TYPES = {ReleaseType.DIGITAL: "digital release", ReleaseType.PHYSICAL: "physical release"}
_SLUG = re.compile(r"[^a-z0-9]+")


class CalendarEvent(NamedTuple):
    """One all-day event: what happens (`kind`), to which title, where, on which day."""

    uid: str
    day: date
    title: str
    kind: str  # "digital release", "physical release", "episode", "season premiere"
    region: str | None  # None for a series' episode: it airs once for every region
    note: str = ""  # TMDB's note: often the service
    tmdb_id: int = 0
    media_type: str = "movie"

    @property
    def summary(self) -> str:
        where = f" in {self.region}" if self.region else ""
        return f"{self.title}: {self.kind}{where}"

    @property
    def description(self) -> str:
        lines = [f"On {self.note}." if self.note else "TMDB names no service."]
        lines.append(f"https://www.themoviedb.org/{self.media_type}/{self.tmdb_id}")
        return "\n".join(lines)


def dated(
    entries: Iterable[tuple[WatchedTitle, TitleDetails, Sequence[str]]],
    today: date,
    days: int = DEFAULT_DAYS,
    regions: Sequence[str] = (),
) -> list[CalendarEvent]:
    """The events from `today` to `days` ahead, of each watched title (with its details
    and the regions it is watched in; only `regions` if given), in date order."""
    until = today + timedelta(days=days)
    events: list[CalendarEvent] = []
    for title, details, watched in entries:
        asked = [r for r in watched if r in regions] if regions else list(watched)
        if details.series is not None:
            if title.season is None:
                events += _episode(title, details.series.next_episode)
        else:
            events += _releases(title, details, asked)
    return sorted(
        (e for e in events if today <= e.day <= until), key=lambda e: (e.day, e.title, e.uid)
    )


class Calendar(NamedTuple):
    """The events, and the watched titles whose dates could not be read (label, why)."""

    events: tuple[CalendarEvent, ...]
    missing: tuple[tuple[str, str], ...]


def build(
    settings: Settings,
    *,
    days: int = DEFAULT_DAYS,
    regions: Sequence[str] = (),
    offline: bool = False,
    warn: Callable[[str], None] = lambda message: None,
) -> Calendar:
    """The watchlist's calendar from TMDB's answers: cached ones first, then (unless
    `offline`) a request for each title not cached or expired, as `watchlist list` does."""
    listing = availability.check(settings, offline=offline, warn=warn)
    entries = []
    missing = []
    for entry in listing.titles:
        result = entry.result
        if result is None:
            missing.append((entry.title.label, entry.error.message if entry.error else ""))
            continue
        asked = result.regions.codes
        if result.regions.all_regions:
            asked = tuple(sorted(result.title.release_dates or ()))
        entries.append((entry.title, result.title, asked))
    events = dated(entries, releases.today(), days, regions)
    return Calendar(tuple(events), tuple(missing))


def _releases(
    title: WatchedTitle, details: TitleDetails, regions: Sequence[str]
) -> list[CalendarEvent]:
    events = []
    for region in regions:
        seen: dict[str, int] = {}
        for release in (details.release_dates or {}).get(region, ()):
            kind = _CALENDAR_TYPES.get(release.type)
            if kind is None or is_festival(release):
                continue
            identity = f"movie-{title.tmdb_id}-{region}-{release.type.word}-{_slug(release.note)}"
            seen[identity] = seen.get(identity, 0) + 1
            if seen[identity] > 1:
                identity += f"-{seen[identity]}"
            events.append(
                CalendarEvent(
                    f"{identity}@{DOMAIN}",
                    release.date,
                    title.label,
                    kind,
                    region,
                    release.note,
                    title.tmdb_id,
                    "movie",
                )
            )
    return events


def _episode(title: WatchedTitle, episode: Episode | None) -> list[CalendarEvent]:
    if episode is None or not episode.air_date:
        return []
    try:
        day = date.fromisoformat(episode.air_date)
    except ValueError:
        return []
    premiere = episode.episode_number == 1
    kind = f"season {episode.season_number} premiere" if premiere else "episode"
    return [
        CalendarEvent(
            f"tv-{title.tmdb_id}-{episode.code}@{DOMAIN}",
            day,
            title.label,
            f"{kind}, {episode.code}",
            None,
            "",
            title.tmdb_id,
            "tv",
        )
    ]


def _slug(note: str) -> str:
    return _SLUG.sub("-", note.casefold()).strip("-") or "none"


def icalendar_text(events: Sequence[CalendarEvent], now: datetime | None = None) -> str:
    """The events as an iCalendar file (RFC 5545): all-day events, CRLF line ends."""
    import icalendar  # only this command needs it

    stamp = now or datetime.now(UTC)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//wheretowatch//release dates//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "wheretowatch: release dates")
    for item in events:
        event = icalendar.Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.day)
        event.add("dtend", item.day + timedelta(days=1))
        event.add("summary", _text(item.summary))
        event.add("description", _text(item.description))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return str(calendar.to_ical(), "utf-8")


def _text(untrusted: str) -> str:
    """A calendar's text holds no control character (RFC 5545), nor a bidi override that
    would turn a title around in a calendar app: TMDB's strings are edited by anyone."""
    return UNSAFE_CHARACTERS.sub(_replacement, untrusted)


def _replacement(match: re.Match[str]) -> str:
    # A line break in the description is icalendar's to escape; the rest is dropped.
    return match.group() if match.group() == "\n" else " " if match.group() < " " else ""
