"""The outbox's bookkeeping, with destinations made in the test: who owes what, and when."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from wheretowatch.errors import DataFileError, DeliveryError
from wheretowatch.lists import outbox
from wheretowatch.lists.changes import Change, Event, NewSeason
from wheretowatch.lists.outbox import Pending
from wheretowatch.lists.snapshots import Snapshots
from wheretowatch.lists.watchlist import WatchedTitle
from wheretowatch.models import Category, Episode, MediaType, Provider

FILM = WatchedTitle(tmdb_id=990002, media_type=MediaType.MOVIE, title="Nowhere Film", year=2001)
NETFLIX = Provider(8, "Netflix", 0)


def change(region: str = "GB", appeared: bool = True) -> Change:
    return Change(FILM, region, Category.FLATRATE, NETFLIX, appeared, mine=True)


@dataclass
class Recorder:
    id: str
    fails: bool = False
    timeout: float | None = None
    delay: float = 0.0
    received: list[list[Event]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"recorder {self.id}"

    def deliver(self, changes: Sequence[Event]) -> None:
        time.sleep(self.delay)
        if self.fails:
            raise DeliveryError("refused")
        self.received.append(list(changes))


def test_a_change_leaves_only_when_every_destination_took_it() -> None:
    good, bad = Recorder("good"), Recorder("bad", fails=True)
    pending = outbox.enqueue([], [change()], [good.id, bad.id])
    first = outbox.deliver(pending, [good, bad])
    assert first.delivered == (change(),)
    assert [(label, count) for label, _, count in first.failed] == [("recorder bad", 1)]
    assert first.outbox == (Pending(change(), frozenset({"bad"})),)
    bad.fails = False
    second = outbox.deliver(list(first.outbox), [good, bad])
    assert good.received == [[change()], []]  # not twice to the one that had it
    assert bad.received == [[change()]]
    assert second.outbox == ()


def test_owed_to_a_destination_not_in_this_run_stays_owed() -> None:
    pending = outbox.enqueue([], [change()], ["stdout", "notify:gone"])
    stdout = Recorder("stdout")
    delivery = outbox.deliver(pending, [stdout])
    assert delivery.outbox == (Pending(change(), frozenset({"notify:gone"})),)
    assert delivery.failed == ()


def test_without_destinations_nothing_is_kept() -> None:
    assert outbox.enqueue([], [change()], []) == []


def test_a_timed_destination_that_overruns_fails_without_holding_up_the_others() -> None:
    slow = Recorder("slow", timeout=0.2, delay=2.0)
    fast = Recorder("fast", timeout=5.0)
    started = time.monotonic()
    delivery = outbox.deliver(outbox.enqueue([], [change()], ["slow", "fast"]), [slow, fast])
    assert time.monotonic() - started < 1.5
    ((label, error, count),) = delivery.failed
    assert (label, error.message, count) == ("recorder slow", "no answer within 0.2 seconds", 1)
    assert fast.received == [[change()]]


def test_undelivered_changes_round_trip_through_the_snapshot_file(tmp_path: Path) -> None:
    store = Snapshots(tmp_path)
    pending = outbox.enqueue([], [change("GB"), change("US", appeared=False)], ["stdout"])
    store.save({}, outbox.rows(pending))
    snapshots, rows = store.load_with_undelivered()
    assert snapshots == {}
    assert outbox.read(rows, store.path) == pending
    store.save({}, [])
    assert "undelivered" not in store.path.read_text()


@pytest.mark.parametrize(
    "row",
    [
        "not an object",
        {"title": {}, "owed": ["stdout"]},
        {**outbox.rows([Pending(change(), frozenset({"stdout"}))])[0], "owed": []},
        {**outbox.rows([Pending(change(), frozenset({"stdout"}))])[0], "category": "lease"},
    ],
)
def test_an_unreadable_undelivered_change_is_a_damaged_file(tmp_path: Path, row: object) -> None:
    with pytest.raises(DataFileError, match=r"undelivered change 1 could not be read"):
        outbox.read([row], tmp_path / "snapshots.json")


def test_a_new_season_and_a_season_entry_survive_the_file(tmp_path: Path) -> None:
    series = WatchedTitle(95396, MediaType.TV, "Severance", 2022)
    season = WatchedTitle(95396, MediaType.TV, "Severance", 2022, season=2)
    pending = [
        Pending(NewSeason(series, Episode(3, 1, "2026-12-03")), frozenset({"stdout"})),
        Pending(replace(change(), title=season), frozenset({"stdout", "ntfys-1"})),
    ]
    store = Snapshots(tmp_path)
    store.save({}, outbox.rows(pending))
    _, rows = store.load_with_undelivered()
    read = outbox.read(rows, store.path)
    assert read == pending
    assert read[0].change.sentence() == (
        "Severance (2022): new season 3 announced: S03E01 on 2026-12-03"
    )
    assert read[1].change.title.label == "Severance (2022), season 2"


def test_despite_interrupts_runs_the_action_again_after_ctrl_c() -> None:
    from wheretowatch.lists.outbox import despite_interrupts

    calls: list[int] = []

    def record() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise KeyboardInterrupt  # a second and a third Ctrl-C, pressed in a hurry
        return "recorded"

    assert despite_interrupts(record) == "recorded"
    assert len(calls) == 3


def test_a_backlog_counts_each_destinations_changes_since_the_oldest(tmp_path: Path) -> None:
    pending = outbox.enqueue([], [change("GB")], ["a", "b"], since="2026-01-02T03:04:05+00:00")
    pending = outbox.enqueue(pending, [change("US")], ["a"], since="2026-02-01T00:00:00+00:00")
    store = Snapshots(tmp_path)
    store.save({}, outbox.rows(pending))

    assert outbox.read_backlogs(store) == [
        outbox.Backlog("a", 2, "2026-01-02T03:04:05+00:00"),
        outbox.Backlog("b", 1, "2026-01-02T03:04:05+00:00"),
    ]
    assert outbox.describe_since("2026-01-02T03:04:05+00:00") == "since 2026-01-02 03:04 UTC"
    old = [Pending(change(), frozenset({"a"}))]  # a file from before `since` was kept
    assert outbox.backlogs([*old, *pending])[0] == outbox.Backlog("a", 3, None)
    assert outbox.without(pending, ["a"]) == [replace(pending[0], owed=frozenset({"b"}))]

    gone = outbox.drop(store, ["a"], wait=0)

    assert [b.id for b in gone] == ["a"]
    assert outbox.read_backlogs(store) == [outbox.Backlog("b", 1, "2026-01-02T03:04:05+00:00")]
