"""The watchlist: titles resolved once and kept by TMDB id, in the data directory.

It lives in the data directory, not the cache: clearing the cache loses nothing. It is
human-readable JSON, replaced atomically under `watchlist.lock` (see `datafile`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wheretowatch.datafile import damaged, locked, read_json, write_json
from wheretowatch.errors import ConfigError
from wheretowatch.models import (
    MAX_TITLE_LENGTH,
    MAX_YEAR,
    MIN_YEAR,
    LookupResult,
    MediaType,
    RegionSelection,
    TitleDetails,
    encodable,
    language_code,
    title_key,
)
from wheretowatch.settings.client import open_client
from wheretowatch.settings.loading import Settings
from wheretowatch.settings.regions import select_regions
from wheretowatch.tmdb import Progress
from wheretowatch.where.lookup import Chooser, LookupRequest, lookup

FORMAT = 1
LOCK_TIMEOUT = 10.0


@dataclass(frozen=True, slots=True)
class WatchedTitle:
    """A title on the watchlist, resolved once and kept by TMDB id."""

    tmdb_id: int
    media_type: MediaType
    title: str
    year: int | None = None
    original_language: str | None = None
    regions: tuple[str, ...] = ()  # empty: the region setting at refresh time
    added_at: str = ""
    # One season of the series; a whole series and its seasons are separate entries.
    season: int | None = None
    imdb_id: str | None = None

    @property
    def key(self) -> str:
        return title_key(self.media_type, self.tmdb_id, self.season)

    @property
    def label(self) -> str:
        label = f"{self.title} ({self.year})" if self.year else self.title
        return label if self.season is None else f"{label}, season {self.season}"

    @classmethod
    def from_details(
        cls,
        details: TitleDetails,
        regions: RegionSelection | None,
        added_at: str,
        season: int | None = None,
    ) -> WatchedTitle:
        """The entry a lookup makes; `regions` None follows the region setting."""
        return cls(
            tmdb_id=details.tmdb_id,
            media_type=details.media_type,
            title=details.title,
            year=details.year,
            original_language=details.original_language,
            regions=regions.stored if regions else (),
            added_at=added_at,
            season=season,
            imdb_id=details.imdb_id,
        )


class Watchlist:
    """The watchlist file. A value in it that no command would store (a language of any
    length, a year of no calendar) is read as absent, and `warn` told so once a read:
    a value stored by an older version, or by hand, must not make every run fail."""

    def __init__(
        self,
        directory: Path,
        *,
        lock_timeout: float = LOCK_TIMEOUT,
        warn: Callable[[str], None] = lambda message: None,
    ) -> None:
        self.path = directory / "watchlist.json"
        self._lock = directory / "watchlist.lock"
        self._timeout = lock_timeout
        self._warn = warn

    def titles(self) -> list[WatchedTitle]:
        data = read_json(self.path)
        if data is None:
            return []
        entries = [self._entry(row) for row in self._rows(data)]
        titles = [_checked(entry) for entry in entries]
        repaired = [t.label for t, e in zip(titles, entries, strict=True) if t != e]
        if repaired:
            self._warn(
                f"{len(repaired)} watchlist entr{'y' if len(repaired) == 1 else 'ies'} "
                f"in {self.path} held a value no title has (first: {repaired[0][:60]!r}); "
                "it is ignored, and dropped at the next change to the watchlist."
            )
        return titles

    def add(self, title: WatchedTitle) -> tuple[WatchedTitle, bool]:
        """Add a title, or update its regions if it is there: (the entry kept, whether new)."""
        with locked(self._lock, timeout=self._timeout, what="editing the watchlist"):
            titles = self.titles()
            existing = next((t for t in titles if t.key == title.key), None)
            if existing is None:
                self._write([*titles, title])
                return title, True
            if title.regions and title.regions != existing.regions:
                existing = replace(existing, regions=title.regions)
                self._write([existing if t.key == title.key else t for t in titles])
            return existing, False

    def add_many(self, titles: Iterable[WatchedTitle]) -> int:
        """Add every title not already there, in one write; returns how many were new."""
        with locked(self._lock, timeout=self._timeout, what="editing the watchlist"):
            current = self.titles()
            known = {t.key for t in current}
            new = []
            for title in titles:
                if title.key not in known:
                    known.add(title.key)
                    new.append(title)
            if new:
                self._write([*current, *new])
            return len(new)

    def remove(self, matches: Callable[[WatchedTitle], bool]) -> list[WatchedTitle]:
        """Remove the titles `matches` picks; returns them."""
        with locked(self._lock, timeout=self._timeout, what="editing the watchlist"):
            titles = self.titles()
            removed = [t for t in titles if matches(t)]
            if removed:
                self._write([t for t in titles if not matches(t)])
            return removed

    def _write(self, titles: Sequence[WatchedTitle]) -> None:
        document = {"format": FORMAT, "titles": [_as_dict(t) for t in titles]}
        write_json(self.path, document, keep_last_good=True)

    def _rows(self, data: object) -> list[Any]:
        if not (isinstance(data, dict) and data.get("format") == FORMAT):
            raise damaged(self.path, f"expected an object with format {FORMAT}")
        rows = data.get("titles")
        if not isinstance(rows, list):
            raise damaged(self.path, "expected a list of titles")
        return rows

    def _entry(self, row: Any) -> WatchedTitle:
        # Strict: dropping an entry we cannot read would lose it at the next write.
        try:
            regions = row.get("regions", [])
            # A list: "GB" would pass as the codes G and B, and be written back so.
            if not isinstance(regions, list) or not all(isinstance(c, str) for c in regions):
                raise TypeError
            year, season = row.get("year"), row.get("season")
            if not isinstance(row["tmdb_id"], int) or not isinstance(row["title"], str):
                raise TypeError
            if any(v is not None and not isinstance(v, int) for v in (year, season)):
                raise TypeError
            return WatchedTitle(
                tmdb_id=row["tmdb_id"],
                media_type=MediaType(row["media_type"]),
                title=row["title"],
                year=year,
                original_language=row.get("original_language"),
                regions=tuple(regions),
                added_at=str(row.get("added_at", "")),
                season=season,
                imdb_id=_optional_str(row.get("imdb_id")),
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            raise damaged(self.path, f"an entry could not be read: {row!r:.80}") from None


def _checked(title: WatchedTitle) -> WatchedTitle:
    """`title` with each stored value no title has read as absent (or cut to length): a
    region code no region has is dropped, so that it fails no later refresh."""
    language = language_code(title.original_language)
    year = title.year if title.year is None or MIN_YEAR <= title.year <= MAX_YEAR else None
    name = encodable(title.title)[:MAX_TITLE_LENGTH]
    regions = tuple(code for code in title.regions if _is_region(code))
    if (language, year, name, regions) == (
        title.original_language,
        title.year,
        title.title,
        title.regions,
    ):
        return title
    return replace(title, original_language=language, year=year, title=name, regions=regions)


def _is_region(code: str) -> bool:
    try:
        select_regions(code, "the watchlist", error=ConfigError)
    except ConfigError:
        return False
    return True


def lookup_request(
    title: WatchedTitle, default_regions: RegionSelection | None, language: str
) -> LookupRequest:
    """The lookup of a watched title, by id, in its regions (else `default_regions`)."""
    if title.regions:
        regions = select_regions(title.regions, "the watchlist", error=ConfigError)
    elif default_regions is not None:
        regions = default_regions
    else:
        raise ConfigError(
            f"{title.label} is watched in your region setting, but no region is set.",
            hint="Set region in the config file or WHERETOWATCH_REGION, or give the title its "
            f'own: wheretowatch watchlist add "{title.title}" --region GB',
        )
    return LookupRequest(
        regions=regions,
        language=language,
        media_type=title.media_type,
        tmdb_id=title.tmdb_id,
        original_language=title.original_language,
        season=title.season,
    )


def _optional_str(value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError
    return value


def _as_dict(title: WatchedTitle) -> dict[str, Any]:
    row: dict[str, Any] = {
        "tmdb_id": title.tmdb_id,
        "media_type": title.media_type.value,
        "title": title.title,
        "year": title.year,
        "original_language": title.original_language,
        "regions": list(title.regions),
        "added_at": title.added_at,
    }
    # Only a season entry, or one with an IMDb id, says so: older rows read as they did.
    if title.season is not None:
        row["season"] = title.season
    if title.imdb_id is not None:
        row["imdb_id"] = title.imdb_id
    return row


def add(
    settings: Settings,
    request: LookupRequest,
    *,
    regions: RegionSelection | None,
    warn: Callable[[str], None] = lambda message: None,
    choose: Chooser | None = None,
    progress: Progress | None = None,
) -> tuple[WatchedTitle, bool, LookupResult]:
    """Resolve `request` to one title (or, with its `season`, that season of a series;
    `choose` picks when the search leaves a doubt) and watch it in `regions` (None: the
    region setting at each refresh). Returns the entry kept, whether it is new, and the
    lookup that resolved it."""
    with open_client(settings, warn=warn, progress=progress) as tmdb:
        # A guess is never added: an inexact pick is an error naming it.
        result = lookup(tmdb, request, choose=choose, exact_only=True)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    entry = WatchedTitle.from_details(result.title, regions, now, season=request.season)
    kept, added = Watchlist(settings.data_dir).add(entry)
    return kept, added, result
