"""`watchlist calendar`: an iCalendar file of the watched titles' dates ahead, one event
a date, the same UIDs run after run, and no request with --offline.

The clock is pinned (`where.releases.today`) before the catalogue's dates: Severance's
next episode airs 2026-12-03, Winter Orchard goes to Netflix in GB on 2027-03-12."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import icalendar
import pytest

from tests import fake_catalogue as catalogue
from tests.conftest import RunCli
from tests.fake_tmdb import FakeTMDB
from wheretowatch.where import releases

pytestmark = pytest.mark.usefixtures("online")

WINTER_ORCHARD = catalogue.NOT_YET_STREAMING_IN_GB


@pytest.fixture(autouse=True)
def pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(releases, "today", lambda: date(2026, 11, 1))


def watch(run: RunCli) -> None:
    for args in (
        ("Winter Orchard", "-r", "GB,US"),
        ("--tmdb-id", "95396", "--type", "tv", "-r", "GB"),
        ("--tmdb-id", "438631", "--type", "movie", "-r", "IT"),
    ):
        added = run("watchlist", "add", *args)
        assert added.exit_code == 0, added.stderr


def events(text: str) -> list[icalendar.cal.component.Component]:
    calendar = icalendar.Calendar.from_ical(text)
    return list(calendar.walk("VEVENT"))


def test_one_event_a_date_ahead_with_title_kind_region_and_service(
    run: RunCli, fake: FakeTMDB
) -> None:
    watch(run)
    result = run("watchlist", "calendar")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    found = [(str(e["SUMMARY"]), e.decoded("DTSTART")) for e in events(result.stdout)]
    # Severance's next episode, then Winter Orchard on Netflix in GB; Dune's Venice
    # showing is no release, and every other date is past.
    assert found == [
        ("Severance (2022): season 3 premiere, S03E01", date(2026, 12, 3)),
        ("Winter Orchard (2025): digital release in GB", date(2027, 3, 12)),
    ]
    orchard = events(result.stdout)[1]
    assert "Netflix" in str(orchard["DESCRIPTION"])
    assert orchard.decoded("DTEND") == date(2027, 3, 13)


def test_uids_stay_the_same_across_runs_and_when_a_date_moves(run: RunCli, fake: FakeTMDB) -> None:
    watch(run)
    first = {str(e["UID"]) for e in events(run("watchlist", "calendar").stdout)}
    second = {str(e["UID"]) for e in events(run("watchlist", "calendar").stdout)}
    assert first == second
    assert "movie-990100-GB-digital-netflix@wheretowatch" in first
    film = fake.movies[WINTER_ORCHARD]
    fake.movies[WINTER_ORCHARD] = {
        **film,
        "_release_dates": catalogue.releases(
            GB=[catalogue.release("2027-04-02", catalogue.DIGITAL, "Netflix")]
        ),
    }
    assert run("cache", "clear").exit_code == 0
    moved = events(run("watchlist", "calendar").stdout)
    uid = {str(e["UID"]): e.decoded("DTSTART") for e in moved}
    assert uid["movie-990100-GB-digital-netflix@wheretowatch"] == date(2027, 4, 2)


def test_offline_makes_no_request_and_days_and_region_narrow_it(
    run: RunCli, fake: FakeTMDB, tmp_path: Path
) -> None:
    watch(run)
    assert run("watchlist", "calendar").exit_code == 0
    fake.reset()
    target = tmp_path / "dates.ics"
    result = run("watchlist", "calendar", "--offline", "--days", "60", "-o", str(target))
    assert result.exit_code == 0
    assert fake.requests == []
    assert result.stdout == ""
    assert result.stderr == f"1 event written to {target}.\n"
    (only,) = events(target.read_text())
    assert str(only["SUMMARY"]).startswith("Severance")
    us = run("watchlist", "calendar", "--offline", "--region", "US")
    assert [str(e["SUMMARY"]) for e in events(us.stdout)] == [
        "Severance (2022): season 3 premiere, S03E01"
    ]


def test_offline_with_nothing_cached_says_what_is_left_out(run: RunCli, fake: FakeTMDB) -> None:
    watch(run)
    assert run("cache", "clear").exit_code == 0
    fake.reset()
    result = run("watchlist", "calendar", "--offline")
    assert result.exit_code == 0
    assert fake.requests == []
    said = " ".join(result.stderr.split())
    assert (
        "3 titles not cached, so their dates are left out: Winter Orchard (2025) (--offline:"
        in said
    )
    assert said.count("this lookup is not in the cache") == 3
    assert events(result.stdout) == []


def test_a_hostile_title_reaches_the_calendar_without_escapes_or_bidi(
    run: RunCli, fake: FakeTMDB
) -> None:
    movie = fake.movies[WINTER_ORCHARD]
    fake.movies[WINTER_ORCHARD] = {**movie, "title": "Winter\x1b[2J Orchard\u202e"}
    added = run("watchlist", "add", "--tmdb-id", str(WINTER_ORCHARD), "-r", "GB")
    assert added.exit_code == 0, added.stderr
    result = run("watchlist", "calendar")
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert "\u202e" not in result.stdout
    assert [str(e["SUMMARY"]) for e in events(result.stdout)] == [
        "Winter [2J Orchard (2025): digital release in GB"
    ]


@pytest.mark.parametrize(
    ("missing", "offline", "words"),
    [
        (
            [("Winter Orchard (2025)", "TMDB is not answering.")],
            False,
            "1 title could not be fetched, so its dates are left out: "
            "Winter Orchard (2025) (TMDB is not answering).",
        ),
        (
            [(f"Film {n}", "" if n == 2 else "gone") for n in range(1, 6)],
            True,
            "5 titles not cached, so their dates are left out: Film 1 (gone); Film 2; "
            "Film 3 (gone); and 2 more.",
        ),
    ],
)
def test_what_is_left_out_is_counted_in_words_and_named(
    missing: list[tuple[str, str]], offline: bool, words: str
) -> None:
    from wheretowatch.cli.commands.watchlist.calendar import left_out

    assert left_out(missing, offline=offline) == words
