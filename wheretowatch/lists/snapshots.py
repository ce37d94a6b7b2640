"""The availability each watched title had at the last refresh, to compare against.

Kept in the data directory beside the watchlist, replaced atomically; a refresh holds
`refresh.lock` while it runs, so two refreshes never interleave their snapshots.

The file is the project's own format, read strictly: a row that cannot be read is an
error naming the file, never dropped, since a dropped row would show up as a false
"appeared" at the next refresh.

The changes not yet delivered everywhere (see `outbox`) are kept in the same file, under
"undelivered": written in the same atomic replace as the snapshots they were computed
against, so no crash can advance one without the other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from wheretowatch.datafile import damaged, read_json, write_json
from wheretowatch.models import ALL_REGIONS, Category, Provider, RegionOffers

FORMAT = 1
# What versions before 0.2 wrote for "every region".
_OLD_ALL_REGIONS = "*"


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The availability a refresh last saw for one title, in the regions it checked."""

    fetched_at: str
    regions_checked: tuple[str, ...]  # codes, or ("all",)
    offers: Mapping[str, RegionOffers]
    # For a whole series: the newest season with an episode aired or announced, so the
    # next refresh can tell a new season from one it knew of (None: not known yet).
    latest_season: int | None = None
    # For a film: each region's next digital release date, as this refresh saw it, so the
    # next can tell one announced, moved or passed (None: not known, a snapshot from
    # before wheretowatch kept them; {}: none ahead anywhere).
    digital: Mapping[str, date] | None = None
    # TMDB answered 404 for the title: said once, then no longer a failure of the refresh.
    gone: bool = False

    @property
    def all_regions(self) -> bool:
        return self.regions_checked == (ALL_REGIONS,)


class Snapshots:
    """The last availability `refresh` saw, per watched title."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / "snapshots.json"
        self.lock_path = directory / "refresh.lock"

    def load(self) -> dict[str, Snapshot]:
        return self.load_with_undelivered()[0]

    def load_with_undelivered(self) -> tuple[dict[str, Snapshot], list[object]]:
        """The snapshots, and the undelivered changes' rows (for `outbox` to read)."""
        data = read_json(self.path)
        if data is None:
            return {}, []
        if not (isinstance(data, dict) and data.get("format") == FORMAT):
            raise damaged(self.path, f"expected an object with format {FORMAT}")
        rows = data.get("titles")
        if not isinstance(rows, dict):
            raise damaged(self.path, "expected titles by key")
        undelivered = data.get("undelivered", [])
        if not isinstance(undelivered, list):
            raise damaged(self.path, "expected a list of undelivered changes")
        snapshots = {str(key): self._snapshot(key, row) for key, row in rows.items()}
        return snapshots, undelivered

    def save(self, snapshots: Mapping[str, Snapshot], undelivered: Sequence[object] = ()) -> None:
        titles = {key: _snapshot_dict(snapshot) for key, snapshot in sorted(snapshots.items())}
        document: dict[str, object] = {"format": FORMAT, "titles": titles}
        if undelivered:
            document["undelivered"] = list(undelivered)
        write_json(self.path, document)

    def _snapshot(self, key: str, row: object) -> Snapshot:
        try:
            return _read_snapshot(row)
        except (KeyError, TypeError, ValueError):
            raise damaged(self.path, f"the snapshot of {key} could not be read") from None


def _read_snapshot(row: object) -> Snapshot:
    if not isinstance(row, dict):
        raise TypeError
    regions = _strings(row["regions_checked"])
    if regions == (_OLD_ALL_REGIONS,):
        regions = (ALL_REGIONS,)
    offers, latest = row["offers"], row.get("latest_season")
    if not isinstance(offers, dict) or not (latest is None or _is_int(latest)):
        raise TypeError
    if not isinstance(gone := row.get("gone", False), bool):
        raise TypeError
    return Snapshot(
        fetched_at=_string(row["fetched_at"]),
        regions_checked=regions,
        offers={_string(code): _read_offers(code, value) for code, value in offers.items()},
        latest_season=latest,
        digital=_read_digital(row.get("digital")),
        gone=gone,
    )


def _read_digital(value: object) -> dict[str, date] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise TypeError
    return {_string(code): date.fromisoformat(_string(day)) for code, day in value.items()}


def _read_offers(code: str, row: object) -> RegionOffers:
    if not isinstance(row, dict):
        raise TypeError
    link = row.get("link")
    if link is not None and not isinstance(link, str):
        raise TypeError
    categories = {c.value: tuple(_read_provider(p) for p in _list(row, c.value)) for c in Category}
    return RegionOffers(region=code, link=link, **categories)


def _read_provider(row: object) -> Provider:
    if not isinstance(row, dict):
        raise TypeError
    provider_id, priority = row["provider_id"], row["display_priority"]
    if not (_is_int(provider_id) and _is_int(priority)):
        raise TypeError
    return Provider(provider_id, _string(row["provider_name"]), priority)


def _list(row: dict[str, Any], key: str) -> list[object]:
    value = row.get(key, [])
    if not isinstance(value, list):
        raise TypeError
    return value


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise TypeError
    return tuple(_string(item) for item in value)


def _string(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError
    return value


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _snapshot_dict(snapshot: Snapshot) -> dict[str, Any]:
    row: dict[str, Any] = {
        "fetched_at": snapshot.fetched_at,
        "regions_checked": list(snapshot.regions_checked),
        "offers": {code: _offers_dict(offers) for code, offers in snapshot.offers.items()},
    }
    if snapshot.latest_season is not None:
        row["latest_season"] = snapshot.latest_season
    if snapshot.digital is not None:
        row["digital"] = {code: day.isoformat() for code, day in sorted(snapshot.digital.items())}
    if snapshot.gone:
        row["gone"] = True
    return row


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
