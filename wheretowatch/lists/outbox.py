"""Changes found but not yet delivered everywhere they are due: delivered at least once.

A refresh keeps the changes it found, each with the destinations that owe it ("stdout",
and each notification target by its secret-free id), in the same write that advances
the snapshots they were computed against; then it delivers them, and crosses off each
destination that accepted a change. What a destination has not accepted (a full disk,
a closed pipe, a notification service down) stays here, and the next refresh delivers
it again, with its own news, to that destination only. So a change can reach a person
twice (a target that took it but timed out before saying so), never zero times.

They are kept in the snapshot file itself, so that the snapshots and the changes computed
against them advance in one atomic replace, under the refresh lock (see `snapshots`).
Each change keeps when it was found, so that a destination's backlog says since when
it is owed (`backlogs`, for doctor); `drop` gives up what is owed to destinations that
will never take it (a target that keeps refusing, one no longer configured).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

from wheretowatch.datafile import damaged, locked
from wheretowatch.errors import DeliveryError
from wheretowatch.lists.changes import Change, Event, NewSeason, ReleaseChange, ReleaseKind
from wheretowatch.lists.snapshots import Snapshots
from wheretowatch.lists.watchlist import WatchedTitle
from wheretowatch.models import Category, Episode, MediaType, Provider

T = TypeVar("T")


class Destination(Protocol):
    """Somewhere changes are delivered: stdout, or a notification target."""

    @property
    def id(self) -> str:
        """Stable and secret-free: what the outbox records as owed."""

    @property
    def label(self) -> str:
        """How a person is told of it (never a secret)."""

    @property
    def timeout(self) -> float | None:
        """Seconds it may take; None: as long as it takes, in the caller's thread."""

    def deliver(self, changes: Sequence[Event]) -> None:
        """Deliver `changes` (possibly none); raise DeliveryError if they were not taken."""


class PartlyDelivered(DeliveryError):
    """A destination took some of its changes (`taken`, each in a message it accepted)
    and not the rest: only the rest stays owed to it."""

    def __init__(self, message: str, taken: Sequence[Event]) -> None:
        super().__init__(message)
        self.taken = tuple(taken)


# The id of stdout as a destination (see cli/commands/refresh.py).
STDOUT = "stdout"


@dataclass(frozen=True, slots=True)
class Pending:
    """A change and the destinations that have not yet accepted it; `since`: when the
    refresh that found it ran (ISO 8601; None in files from before it was kept)."""

    change: Event
    owed: frozenset[str]
    since: str | None = None


@dataclass(frozen=True, slots=True)
class Backlog:
    """What one destination is owed: how many changes, and since when (the oldest)."""

    id: str
    count: int
    since: str | None


@dataclass(frozen=True, slots=True)
class Delivery:
    """What one round of delivery did: changes now taken by at least one destination,
    and each destination that failed, with why and how many changes it still owes."""

    delivered: tuple[Event, ...]
    failed: tuple[tuple[str, DeliveryError, int], ...]
    outbox: tuple[Pending, ...]


def rows(pending: Sequence[Pending]) -> list[dict[str, Any]]:
    """The undelivered changes as the snapshot file keeps them."""
    return [_pending_dict(item) for item in pending]


def read(rows: Sequence[object], path: Path) -> list[Pending]:
    """The undelivered changes from the snapshot file at `path`, read strictly."""
    pending = []
    for number, row in enumerate(rows, 1):
        try:
            pending.append(_read_pending(row))
        except (KeyError, TypeError, ValueError):
            raise damaged(path, f"undelivered change {number} could not be read") from None
    return pending


def enqueue(
    pending: Sequence[Pending],
    changes: Iterable[Event],
    owed: Iterable[str],
    *,
    since: str | None = None,
) -> list[Pending]:
    """`pending` with `changes` (found at `since`) added, each owed to `owed` (if any
    destination is)."""
    due = frozenset(owed)
    if not due:
        return list(pending)
    return [*pending, *(Pending(change, due, since) for change in changes)]


def backlogs(pending: Sequence[Pending]) -> list[Backlog]:
    """Each destination owed something, by id: how many changes, since when."""
    counts: dict[str, int] = {}
    oldest: dict[str, str | None] = {}
    for item in pending:
        for key in item.owed:
            counts[key] = counts.get(key, 0) + 1
            known = oldest.get(key, item.since)
            # An unknown time is older than any known one: it predates their keeping.
            oldest[key] = None if known is None or item.since is None else min(known, item.since)
    return [Backlog(key, counts[key], oldest[key]) for key in sorted(counts)]


def describe_since(since: str | None) -> str:
    """ "since 2026-12-08 04:30 UTC", for a person."""
    if since is None:
        return "since before wheretowatch kept the time"
    return f"since {datetime.fromisoformat(since):%Y-%m-%d %H:%M} UTC"


def without(pending: Sequence[Pending], ids: Iterable[str]) -> list[Pending]:
    """`pending` with nothing owed to `ids` any more: a change owed to no one leaves."""
    gone = frozenset(ids)
    return [replace(item, owed=item.owed - gone) for item in pending if item.owed - gone]


def read_backlogs(snapshots: Snapshots) -> list[Backlog]:
    """Each destination's backlog in the snapshot file, read as it stands (no lock: a
    replace is atomic, so this is one refresh's state or the next's)."""
    return backlogs(read(snapshots.load_with_undelivered()[1], snapshots.path))


def drop(snapshots: Snapshots, ids: Iterable[str], *, wait: float) -> list[Backlog]:
    """Give up every change owed to `ids`, in one atomic replace under the refresh lock
    (waiting `wait` seconds for a refresh to finish); returns what each of them was owed.
    The snapshots are written back as they were: only the outbox changes."""
    wanted = frozenset(ids)
    with locked(snapshots.lock_path, timeout=wait, what="refreshing"):
        current, found = snapshots.load_with_undelivered()
        pending = read(found, snapshots.path)
        gone = [backlog for backlog in backlogs(pending) if backlog.id in wanted]
        if gone:
            snapshots.save(current, rows(without(pending, wanted)))
    return gone


def despite_interrupts(action: Callable[[], T]) -> T:
    """`action`, run again whenever Ctrl-C (or SIGTERM, made one) stops it: for recording
    what was delivered, which must outlast the second Ctrl-C people press to hurry an
    interrupted run along, or the next run delivers it all again. It must be safe to
    repeat: a replace of the snapshot file is atomic."""
    while True:
        try:
            return action()
        except KeyboardInterrupt:
            continue


class DeliveryInterrupted(BaseException):
    """Ctrl-C (or SIGTERM) while delivering: `delivery` crosses off what was taken before
    it, to be saved before `cause` goes on, so that nothing is delivered twice."""

    def __init__(self, delivery: Delivery, cause: BaseException) -> None:
        super().__init__("delivery interrupted")
        self.delivery = delivery
        self.cause = cause


def deliver(pending: Sequence[Pending], destinations: Sequence[Destination]) -> Delivery:
    """Deliver to each destination what it owes; returns what remains owed.

    Destinations with a `timeout` (notification targets) are sent to at once, each in
    its own thread, and one that has not answered in time counts as failed: a slow
    service delays no other and never holds up the run. Those without (stdout) are
    delivered to in this thread meanwhile. Owed to a destination not given here (a
    target dropped from the config, or used only by another cron job) stays owed.
    """
    outcomes: dict[str, DeliveryError | None] = {}
    owed = {d.id: [p.change for p in pending if d.id in p.owed] for d in destinations}
    timed = [d for d in destinations if d.timeout is not None]
    threads = []
    for destination in timed:
        thread = threading.Thread(
            target=_deliver_one, args=(destination, owed[destination.id], outcomes), daemon=True
        )
        thread.start()
        threads.append((destination, thread, time.monotonic() + (destination.timeout or 0)))
    try:
        for destination in destinations:
            if destination.timeout is None:
                _deliver_one(destination, owed[destination.id], outcomes)
        for destination, thread, deadline in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
            if thread.is_alive():
                # Left to finish or fail on its own (a daemon thread); the change stays owed.
                outcomes.setdefault(
                    destination.id,
                    DeliveryError(f"no answer within {destination.timeout:g} seconds"),
                )
        return _result(pending, destinations, owed, outcomes)
    except (KeyboardInterrupt, SystemExit) as stop:
        # Stopped while a slow target keeps us waiting, or just after: what stdout and the
        # quicker targets took is theirs; the next refresh must not give it to them again.
        done = dict(outcomes)
        taken = {key for key, error in done.items() if error is None}
        left = despite_interrupts(lambda: _crossed_off(pending, taken, [], _partly(done)))
        raise DeliveryInterrupted(left, stop) from None


def _result(
    pending: Sequence[Pending],
    destinations: Sequence[Destination],
    owed: dict[str, list[Event]],
    outcomes: dict[str, DeliveryError | None],
) -> Delivery:
    failed = []
    partly = _partly(outcomes)
    for destination in destinations:
        error = outcomes.get(destination.id, DeliveryError("no answer"))
        if error is not None:
            left = len(owed[destination.id]) - len(partly.get(destination.id, ()))
            failed.append((destination.label, error, left))
    accepted = {key for key, error in outcomes.items() if error is None}
    return _crossed_off(pending, accepted, failed, partly)


def _partly(outcomes: dict[str, DeliveryError | None]) -> dict[str, frozenset[Event]]:
    """The changes each partly successful destination took."""
    return {
        key: frozenset(error.taken)
        for key, error in outcomes.items()
        if isinstance(error, PartlyDelivered)
    }


def _deliver_one(
    destination: Destination,
    changes: Sequence[Event],
    outcomes: dict[str, DeliveryError | None],
) -> None:
    try:
        destination.deliver(changes)
    except DeliveryError as error:
        outcomes.setdefault(destination.id, error)
    except Exception as exc:  # a plugin's own bug: this destination failed, not the run
        outcomes.setdefault(destination.id, DeliveryError(f"sending failed ({type(exc).__name__})"))
    else:
        outcomes.setdefault(destination.id, None)


def _crossed_off(
    pending: Sequence[Pending],
    taken: set[str],
    failed: list[tuple[str, DeliveryError, int]],
    partly: dict[str, frozenset[Event]] | None = None,
) -> Delivery:
    delivered, remaining = [], []
    for item in pending:
        took = taken | {key for key, changes in (partly or {}).items() if item.change in changes}
        if item.owed & took:
            delivered.append(item.change)
        left = item.owed - took
        if left:
            remaining.append(replace(item, owed=left))
    return Delivery(tuple(delivered), tuple(failed), tuple(remaining))


# --- the file's rows ---


def _pending_dict(item: Pending) -> dict[str, Any]:
    change, title = item.change, item.change.title
    row: dict[str, Any] = {
        "title": {
            "tmdb_id": title.tmdb_id,
            "media_type": title.media_type.value,
            "title": title.title,
            "year": title.year,
            "season": title.season,
        },
    }
    if isinstance(change, ReleaseChange):
        row["kind"] = "release"
        row["release"] = _release_dict(change)
    elif isinstance(change, NewSeason):
        episode = change.episode
        row["kind"] = "new_season"
        row["episode"] = {
            "season_number": episode.season_number,
            "episode_number": episode.episode_number,
            "air_date": episode.air_date,
        }
    else:
        row["kind"] = "change"
        row["region"] = change.region
        row["category"] = change.category.value
        row["provider"] = {
            "provider_id": change.provider.provider_id,
            "provider_name": change.provider.provider_name,
            "display_priority": change.provider.display_priority,
        }
        row["appeared"] = change.appeared
    row["mine"] = change.mine
    row["owed"] = sorted(item.owed)
    if item.since is not None:
        row["since"] = item.since
    return row


def _read_pending(row: object) -> Pending:
    if not isinstance(row, dict):
        raise TypeError
    title = _object(row["title"])
    year, season = title.get("year"), title.get("season")
    watched = WatchedTitle(
        tmdb_id=_int(title["tmdb_id"]),
        media_type=MediaType(title["media_type"]),
        title=_str(title["title"]),
        year=None if year is None else _int(year),
        season=None if season is None else _int(season),
    )
    change: Event
    if row.get("kind", "change") == "release":
        change = _read_release(watched, _object(row["release"]), _bool(row.get("mine", True)))
    elif row.get("kind", "change") == "new_season":
        episode = _object(row["episode"])
        air_date = episode.get("air_date")
        change = NewSeason(
            watched,
            Episode(
                _int(episode["season_number"]),
                _int(episode["episode_number"]),
                None if air_date is None else _str(air_date),
            ),
        )
    else:
        provider = _object(row["provider"])
        change = Change(
            title=watched,
            region=_str(row["region"]),
            category=Category(row["category"]),
            provider=Provider(
                _int(provider["provider_id"]),
                _str(provider["provider_name"]),
                _int(provider["display_priority"]),
            ),
            appeared=_bool(row["appeared"]),
            mine=_bool(row.get("mine", False)),
        )
    owed, since = row["owed"], row.get("since")
    if not isinstance(owed, list) or not owed:
        raise TypeError
    found = None if since is None else datetime.fromisoformat(_str(since)).isoformat()
    return Pending(change, frozenset(_str(item) for item in owed), found)


def _release_dict(change: ReleaseChange) -> dict[str, Any]:
    previous = change.previous
    return {
        "region": change.region,
        "change": change.kind.value,
        "date": change.day.isoformat(),
        "note": change.note,
        "previous": None if previous is None else previous.isoformat(),
        "elsewhere": change.elsewhere,
    }


def _read_release(title: WatchedTitle, row: dict[str, Any], mine: bool) -> ReleaseChange:
    previous = row.get("previous")
    return ReleaseChange(
        title=title,
        region=_str(row["region"]),
        kind=ReleaseKind(row["change"]),
        day=date.fromisoformat(_str(row["date"])),
        note=_str(row.get("note", "")),
        previous=None if previous is None else date.fromisoformat(_str(previous)),
        elsewhere=_str(row.get("elsewhere", "")),
        mine=mine,
    )


def _object(value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError
    return value


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError
    return value


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError
    return value


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError
    return value
