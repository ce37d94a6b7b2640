"""Release dates: when a film not streaming yet in a region will, in the lookup (table and
JSON), and `refresh` events for a watched film's digital release, delivered once.

The clock is pinned (`where.releases.today`): the catalogue's dates are fixed, so a test
that read them against the real day would change its answer once 2027-03-12 passed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests import fake_catalogue as catalogue
from tests.conftest import RunCli
from tests.fake_tmdb import FakeTMDB
from tests.receiver import Receiver
from wheretowatch.models import RegionOffers, ReleaseDate, ReleaseType
from wheretowatch.tmdb.payload import parse_details, parse_release_dates
from wheretowatch.where import releases
from wheretowatch.where.releases import Outlook, region_release

pytestmark = pytest.mark.usefixtures("online")

WINTER_ORCHARD = catalogue.NOT_YET_STREAMING_IN_GB
TODAY = date(2026, 12, 8)


@pytest.fixture(autouse=True)
def pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(releases, "today", lambda: TODAY)


def lookup_json(run: RunCli, *args: str) -> dict[str, Any]:
    result = run(*args, "--json")
    assert result.stderr == ""
    document: dict[str, Any] = json.loads(result.stdout)
    return document


# --- the lookup --------------------------------------------------------------------------


def test_a_film_not_streaming_yet_says_its_digital_date_in_two_cold_requests(
    run: RunCli, fake: FakeTMDB
) -> None:
    result = run("Winter Orchard", "--region", "GB")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert "Not streaming in GB yet. Digital release 2027-03-12 (Netflix)" in result.stdout
    assert "theatrical 2025-12-05" in result.stdout
    assert fake.paths() == ["/3/search/multi", f"/3/movie/{WINTER_ORCHARD}"]
    appended = fake.last(f"/3/movie/{WINTER_ORCHARD}").param("append_to_response")
    assert appended == "videos,watch/providers,release_dates"


def test_the_json_lists_each_regions_dates_by_type_in_words(run: RunCli, fake: FakeTMDB) -> None:
    document = lookup_json(run, "Winter Orchard", "--region", "GB")
    assert document["release_dates"]["GB"] == [
        {"type": "theatrical", "date": "2025-12-05", "note": None, "festival": False},
        {"type": "digital", "date": "2026-02-13", "note": "Premium VOD", "festival": False},
        {"type": "digital", "date": "2027-03-12", "note": "Netflix", "festival": False},
    ]
    assert document["release"]["GB"]["outlook"] == "coming"
    assert document["release"]["GB"]["digital"]["date"] == "2027-03-12"
    assert document["release"]["GB"]["other_region"] is None
    assert len(fake.requests) == 2


def test_a_cached_lookup_reads_the_dates_without_a_request(run: RunCli, fake: FakeTMDB) -> None:
    assert run("Winter Orchard", "--region", "GB").exit_code == 0
    fake.reset()
    again = run("Winter Orchard", "--region", "GB")
    assert "Digital release 2027-03-12 (Netflix)" in again.stdout
    assert fake.requests == []


def test_a_region_without_dates_never_borrows_another_silently(run: RunCli, fake: FakeTMDB) -> None:
    # Searching has dates in the US only.
    result = run("--tmdb-id", "489999", "--type", "movie", "--region", "GB")
    words = " ".join(result.stdout.split())  # the grid folds long lines at the width
    assert (
        "GB none on TMDB Not streaming in GB. TMDB has no digital release date for GB."
        " In US (not GB): digital release 2018-11-13." in words
    )
    assert words.count("2018-11-13") == 1
    document = lookup_json(run, "--tmdb-id", "489999", "--type", "movie", "--region", "GB")
    assert document["release_dates"] == {"GB": []}
    assert document["release"]["GB"]["digital"] is None
    assert document["release"]["GB"]["other_region"]["region"] == "US"


def test_a_festival_note_is_labelled_and_is_no_release(run: RunCli, fake: FakeTMDB) -> None:
    result = run("--tmdb-id", "438631", "--type", "movie", "--region", "IT")
    assert "festival showing (no release) 2021-09-03 (Venice Film Festival)" in result.stdout
    assert "TMDB has no digital release date for IT" in result.stdout
    document = lookup_json(run, "--tmdb-id", "438631", "--type", "movie", "--region", "IT")
    (venice,) = document["release_dates"]["IT"]
    assert venice == {
        "type": "premiere",
        "date": "2021-09-03",
        "note": "Venice Film Festival",
        "festival": True,
    }
    assert document["release"]["IT"]["outlook"] == "undated"


def test_a_digital_release_whose_note_names_a_festival_is_not_a_release() -> None:
    dates = {
        "GB": (ReleaseDate(ReleaseType.DIGITAL, date(2026, 11, 1), "London Film Festival online"),)
    }
    found = region_release(dates, "GB", None, TODAY)
    assert (found.outlook, found.digital) == (Outlook.UNDATED, None)


def test_a_past_digital_release_on_no_service_says_so() -> None:
    dates = {"GB": (ReleaseDate(ReleaseType.DIGITAL, date(2026, 2, 13), "Premium VOD"),)}
    offers = RegionOffers("GB", None)
    found = region_release(dates, "GB", offers, TODAY)
    assert found.outlook is Outlook.RELEASED
    assert found.digital == dates["GB"][0]


def test_an_answer_cached_before_release_dates_reads_as_unknown() -> None:
    details = parse_details({"id": 5, "title": "Old"}, catalogue_type(), 5)
    assert details.release_dates is None
    assert region_release(None, "GB", None, TODAY).outlook is Outlook.UNKNOWN
    assert parse_release_dates({"results": "nonsense"}) == {}
    broken = {"results": [{"iso_3166_1": "GB", "release_dates": [{"type": 9, "release_date": ""}]}]}
    assert parse_release_dates(broken) == {"GB": ()}


def catalogue_type() -> Any:
    from wheretowatch.models import MediaType

    return MediaType.MOVIE


def test_an_offline_lookup_uses_an_answer_cached_before_release_dates(
    run: RunCli, fake: FakeTMDB
) -> None:
    from wheretowatch.tmdb import client as tmdb_client

    asked = ("--tmdb-id", str(WINTER_ORCHARD), "--type", "movie", "-r", "GB")
    with pytest.MonkeyPatch.context() as older:  # as an older wheretowatch cached it
        older.setattr(tmdb_client, "FILM_APPENDED", tmdb_client.APPENDED)
        assert run(*asked).exit_code == 0
    fake.reset()
    result = run(*asked, "--offline")
    assert result.exit_code == 0, result.stderr
    assert "GB  not known" in result.stdout
    assert fake.requests == []
    assert lookup_json(run, *asked, "--offline")["release_dates"] is None


# --- refresh events ----------------------------------------------------------------------


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as receiving:
        yield receiving


def move_netflix_date(fake: FakeTMDB, to: str) -> None:
    film = fake.movies[WINTER_ORCHARD]
    gb = catalogue.releases(
        GB=[
            catalogue.release("2025-12-05", catalogue.THEATRICAL),
            catalogue.release("2026-02-13", catalogue.DIGITAL, "Premium VOD"),
            catalogue.release(to, catalogue.DIGITAL, "Netflix"),
        ]
    )
    fake.movies[WINTER_ORCHARD] = {**film, "_release_dates": gb}


def watch_winter_orchard(run: RunCli) -> None:
    assert run("watchlist", "add", "Winter Orchard", "-r", "GB").exit_code == 0
    assert run("refresh").exit_code == 0


def test_a_moved_date_is_reported_once_and_delivered_once(
    run: RunCli, fake: FakeTMDB, receiver: Receiver
) -> None:
    watch_winter_orchard(run)
    move_netflix_date(fake, "2027-04-02")
    target = f"json://127.0.0.1:{receiver.port}/secret"
    moved = run("refresh", "--json", "--notify", target)
    assert moved.exit_code == 5
    (event,) = json.loads(moved.stdout)
    assert event["change"] == "digital_date_moved"
    assert (event["previous_date"], event["date"], event["region"]) == (
        "2027-03-12",
        "2027-04-02",
        "GB",
    )
    assert event["message"] == (
        "Winter Orchard (2025): digital release in GB moved from 2027-03-12 to 2027-04-02 (Netflix)"
    )
    again = run("refresh", "--json", "--notify", target)
    assert again.exit_code == 0
    assert json.loads(again.stdout) == []
    (post,) = receiver.posts
    assert "moved from 2027-03-12 to 2027-04-02" in post["message"]


def test_a_date_that_appears_is_announced(run: RunCli, fake: FakeTMDB) -> None:
    film = fake.movies[WINTER_ORCHARD]
    fake.movies[WINTER_ORCHARD] = {**film, "_release_dates": []}
    watch_winter_orchard(run)
    move_netflix_date(fake, "2027-03-12")
    result = run("refresh")
    assert result.exit_code == 5
    assert result.stdout.splitlines() == [
        "Winter Orchard (2025): digital release in GB on 2027-03-12 (Netflix)"
    ]


def test_a_date_that_passes_off_your_services_says_how_to_get_it(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    watch_winter_orchard(run)
    monkeypatch.setattr(releases, "today", lambda: date(2027, 3, 13))
    result = run("refresh")
    assert result.exit_code == 5
    assert result.stdout.splitlines() == [
        "Winter Orchard (2025): released digitally on 2027-03-12 (Netflix); not on your"
        " services in GB: rent on Apple TV; buy on Apple TV"
    ]
    assert run("refresh").stdout == ""


def test_a_snapshot_from_before_release_dates_is_a_baseline(
    run: RunCli, fake: FakeTMDB, isolated: Path
) -> None:
    watch_winter_orchard(run)
    path = isolated / "xdg-data" / "wheretowatch" / "snapshots.json"
    document = json.loads(path.read_text())
    for row in document["titles"].values():
        del row["digital"]
    path.write_text(json.dumps(document))
    move_netflix_date(fake, "2027-04-02")
    assert (run("refresh").exit_code, run("refresh").stdout) == (0, "")
    assert "digital" in json.loads(path.read_text())["titles"][f"movie/{WINTER_ORCHARD}"]


def test_an_undelivered_release_event_survives_in_the_outbox(
    run: RunCli, fake: FakeTMDB, receiver: Receiver, isolated: Path
) -> None:
    watch_winter_orchard(run)
    move_netflix_date(fake, "2027-04-02")
    receiver.status = 500
    target = f"json://127.0.0.1:{receiver.port}/secret"
    assert run("refresh", "--notify", target).exit_code == 9
    path = isolated / "xdg-data" / "wheretowatch" / "snapshots.json"
    (row,) = json.loads(path.read_text())["undelivered"]
    assert row["kind"] == "release"
    receiver.status = 200
    delivered = run("refresh", "--notify", target)
    assert delivered.exit_code == 5
    assert "moved from 2027-03-12 to 2027-04-02" in receiver.posts[-1]["message"]
    assert "undelivered" not in json.loads(path.read_text())


def test_the_python_api_says_when(fake: FakeTMDB) -> None:
    import wheretowatch

    result = wheretowatch.lookup("Winter Orchard", region="GB")
    (gb,) = wheretowatch.release_outlook(result)
    assert gb.outlook is Outlook.COMING
    assert gb.digital == ReleaseDate(ReleaseType.DIGITAL, date(2027, 3, 12), "Netflix")
