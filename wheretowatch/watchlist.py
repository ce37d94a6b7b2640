"""The watchlist and the availability snapshots `refresh` compares against.

Both live in the data directory, not the cache: clearing the cache loses neither. Both
are human-readable JSON, replaced atomically under a lock (see `datafile`). Editing the
watchlist takes `watchlist.lock` briefly; a refresh holds `refresh.lock` while it runs,
so two refreshes never interleave their snapshots.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from wheretowatch.datafile import damaged, locked, read_json, write_json
from wheretowatch.models import Category, MediaType, Provider, RegionOffers, title_key
from wheretowatch.payload import parse_offers

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

    @property
    def key(self) -> str:
        return title_key(self.media_type, self.tmdb_id)

    @property
    def label(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The availability a refresh last saw for one title, in the regions it checked."""

    fetched_at: str
    regions_checked: tuple[str, ...]
    offers: Mapping[str, RegionOffers]


class Watchlist:
    def __init__(self, directory: Path, *, lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.path = directory / "watchlist.json"
        self._lock = directory / "watchlist.lock"
        self._timeout = lock_timeout

    def titles(self) -> list[WatchedTitle]:
        data = read_json(self.path)
        if data is None:
            return []
        return [self._entry(row) for row in self._rows(data)]

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
        write_json(self.path, {"format": FORMAT, "titles": [_as_dict(t) for t in titles]})

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
            if not all(isinstance(code, str) for code in regions):
                raise TypeError
            year = row.get("year")
            if not isinstance(row["tmdb_id"], int) or not isinstance(row["title"], str):
                raise TypeError
            if year is not None and not isinstance(year, int):
                raise TypeError
            return WatchedTitle(
                tmdb_id=row["tmdb_id"],
                media_type=MediaType(row["media_type"]),
                title=row["title"],
                year=year,
                original_language=row.get("original_language"),
                regions=tuple(regions),
                added_at=str(row.get("added_at", "")),
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            raise damaged(self.path, f"an entry could not be read: {row!r:.80}") from None


class Snapshots:
    """The last availability `refresh` saw, per watched title."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / "snapshots.json"
        self.lock_path = directory / "refresh.lock"

    def load(self) -> dict[str, Snapshot]:
        data = read_json(self.path)
        if data is None:
            return {}
        if not (isinstance(data, dict) and data.get("format") == FORMAT):
            raise damaged(self.path, f"expected an object with format {FORMAT}")
        rows = data.get("titles")
        if not isinstance(rows, dict):
            raise damaged(self.path, "expected titles by key")
        return {str(key): self._snapshot(row) for key, row in rows.items()}

    def save(self, snapshots: Mapping[str, Snapshot]) -> None:
        titles = {key: _snapshot_dict(snapshot) for key, snapshot in sorted(snapshots.items())}
        write_json(self.path, {"format": FORMAT, "titles": titles})

    def _snapshot(self, row: Any) -> Snapshot:
        if not isinstance(row, dict) or not isinstance(row.get("regions_checked"), list):
            raise damaged(self.path, f"a snapshot could not be read: {row!r:.80}")
        return Snapshot(
            fetched_at=str(row.get("fetched_at", "")),
            regions_checked=tuple(str(code) for code in row["regions_checked"]),
            offers=parse_offers(row.get("offers")),
        )


def _as_dict(title: WatchedTitle) -> dict[str, Any]:
    return {
        "tmdb_id": title.tmdb_id,
        "media_type": title.media_type.value,
        "title": title.title,
        "year": title.year,
        "original_language": title.original_language,
        "regions": list(title.regions),
        "added_at": title.added_at,
    }


def _snapshot_dict(snapshot: Snapshot) -> dict[str, Any]:
    # Kept in TMDB's own watch/providers shape, so the tolerant parser reads it back.
    return {
        "fetched_at": snapshot.fetched_at,
        "regions_checked": list(snapshot.regions_checked),
        "offers": {code: _offers_dict(offers) for code, offers in snapshot.offers.items()},
    }


def _offers_dict(offers: RegionOffers) -> dict[str, Any]:
    document: dict[str, Any] = {"link": offers.link}
    for category in Category:
        providers = offers.providers(category)
        if providers:
            document[category.value] = [_provider_dict(p) for p in providers]
    return document


def _provider_dict(provider: Provider) -> dict[str, Any]:
    return {
        "provider_id": provider.provider_id,
        "provider_name": provider.provider_name,
        "display_priority": provider.display_priority,
    }
