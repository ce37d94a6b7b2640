"""`upcoming`: films going digital in a region within --days, from TMDB's discover, by
date. The clock is pinned (`where.releases.today`) to 2027-03-01, and two films are
added going digital in GB in that fortnight beside Winter Orchard (2027-03-12): the
catalogue's dates are fixed, so reading them against the real day would drift."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests import fake_catalogue as catalogue
from tests.conftest import RunCli
from tests.fake_tmdb import FakeTMDB
from wheretowatch import api
from wheretowatch.errors import UsageError
from wheretowatch.where import releases

pytestmark = pytest.mark.usefixtures("online")

EARLY, LATE_PRIMARY, OUTSIDE = 991001, 991002, 991003


@pytest.fixture(autouse=True)
def pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(releases, "today", lambda: date(2027, 3, 1))


def add_film(
    fake: FakeTMDB, tmdb_id: int, name: str, primary: str, digital: str, note: str = ""
) -> None:
    """A film going digital in GB on `digital`, first released on `primary`."""
    fake.movies[tmdb_id] = catalogue.movie(
        tmdb_id,
        name,
        name,
        "en",
        primary,
        5.0,
        _providers={},
        _videos=[],
        _release_dates=catalogue.releases(GB=[catalogue.release(digital, catalogue.DIGITAL, note)]),
    )


@pytest.fixture
def coming(fake: FakeTMDB) -> FakeTMDB:
    add_film(fake, EARLY, "Lantern Crossing", "2026-06-01", "2027-03-03", "Prime Video")
    # Released first in 2024, so discover's primary-date order puts it first; its digital
    # day in GB is the window's last.
    add_film(fake, LATE_PRIMARY, "Quarry Road", "2024-01-01", "2027-03-15")
    add_film(fake, OUTSIDE, "Glass Atlas", "2026-01-01", "2027-04-20", "Netflix")
    return fake


def test_lists_the_windows_films_by_digital_date_with_the_documented_parameters(
    run: RunCli, coming: FakeTMDB
) -> None:
    result = run("upcoming", "--region", "GB", "--days", "14", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    document = json.loads(result.stdout)
    listed = [(f["title"], f["release"]["date"], f["release"]["note"]) for f in document["films"]]
    assert listed == [
        ("Lantern Crossing", "2027-03-03", "Prime Video"),
        ("Winter Orchard", "2027-03-12", "Netflix"),
        ("Quarry Road", "2027-03-15", None),
    ]
    (sent,) = coming.queries("/3/discover/movie")
    assert {k: sent[k] for k in sent if k != "language"} == {
        "region": "GB",
        "with_release_type": "4",
        "release_date.gte": "2027-03-01",
        "release_date.lte": "2027-03-15",
        "sort_by": "primary_release_date.asc",
        "include_adult": "false",
        "page": "1",
    }
    assert (document["region"], document["since"], document["until"]) == (
        "GB",
        "2027-03-01",
        "2027-03-15",
    )


def test_answers_are_cached(run: RunCli, coming: FakeTMDB) -> None:
    assert run("upcoming", "--region", "GB").exit_code == 0
    coming.reset()
    again = run("upcoming", "--region", "GB")
    assert again.exit_code == 0
    assert "Lantern Crossing" in again.stdout
    assert coming.requests == []


def test_limit_costs_a_discover_request_per_20_and_stops_at_the_last_page(
    run: RunCli, coming: FakeTMDB
) -> None:
    for n in range(45):  # with the three above in the window: 48, three pages
        tmdb_id = 992000 + n
        coming.movies[tmdb_id] = catalogue.movie(
            tmdb_id,
            f"Meridian Number {n}",
            f"Meridian Number {n}",
            "en",
            "2020-01-01",
            1.0,
            _providers={},
            _videos=[],
            _release_dates=catalogue.releases(
                GB=[catalogue.release("2027-03-05", catalogue.DIGITAL)]
            ),
        )
    result = run("upcoming", "-r", "GB", "--limit", "41", "--json")
    assert result.exit_code == 0
    assert [q["page"] for q in coming.queries("/3/discover/movie")] == ["1", "2", "3"]
    assert len(json.loads(result.stdout)["films"]) == 41
    before = len(coming.queries("/3/discover/movie"))
    everything = run("upcoming", "-r", "GB", "--limit", "10000", "--json", "--days", "13")
    pages = [q["page"] for q in coming.queries("/3/discover/movie")][before:]
    assert pages == ["1", "2", "3"]  # total_pages is 3: never a fourth, whatever the limit
    assert len(json.loads(everything.stdout)["films"]) == 47  # Quarry Road's 15th is out


def test_none_in_the_window_is_exit_3(run: RunCli, fake: FakeTMDB) -> None:
    result = run("upcoming", "--region", "GB", "--days", "5")
    assert result.exit_code == 3
    assert result.stdout == "No film goes digital in GB in the next 5 days.\n"


def test_watchlist_keeps_only_watched_films(run: RunCli, coming: FakeTMDB) -> None:
    assert run("watchlist", "add", "Winter Orchard", "-r", "GB").exit_code == 0
    result = run("upcoming", "--region", "GB", "--watchlist", "--json")
    assert result.exit_code == 0, result.stderr
    assert [f["title"] for f in json.loads(result.stdout)["films"]] == ["Winter Orchard"]


def test_one_region_at_a_time(run: RunCli) -> None:
    result = run("upcoming", "--region", "GB,US")
    assert result.exit_code == 2
    # The region is parsed once, by the settings, which know where it came from.
    assert "one region at a time, not GB, US (from --region)" in result.stderr
    assert "--region GB" in result.stderr


@pytest.mark.usefixtures("no_waiting")
def test_a_film_whose_details_fail_is_listed_undated_and_named(
    run: RunCli, coming: FakeTMDB
) -> None:
    coming.fail(500, b"", path_prefix=f"/3/movie/{EARLY}", times=100)
    result = run("upcoming", "--region", "GB", "--json")
    assert result.exit_code == 0, result.stderr
    assert "The dates of Lantern Crossing (2026) could not be read" in result.stderr
    films = {f["title"]: f for f in json.loads(result.stdout)["films"]}
    assert films["Lantern Crossing"]["release"] is None
    assert films["Lantern Crossing"]["error"]
    assert films["Winter Orchard"]["release"]["date"] == "2027-03-12"
    assert films["Winter Orchard"]["error"] is None
    shown = run("upcoming", "--region", "GB")
    assert "not known" in shown.stdout
    assert "could not be read" in shown.stdout


@pytest.mark.usefixtures("no_waiting")
def test_many_failed_films_are_told_in_one_line(run: RunCli, coming: FakeTMDB) -> None:
    for n in range(5):
        add_film(coming, 993000 + n, f"Pale Harbour {n}", "2026-02-01", "2027-03-06")
    coming.fail(500, b"", path_prefix="/3/movie/99300", times=1000)
    result = run("upcoming", "--region", "GB", "--json")
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert "The dates of 5 of 8 films could not be read" in result.stderr
    undated = [f["title"] for f in json.loads(result.stdout)["films"] if f["error"]]
    assert len(undated) == 5


@pytest.mark.usefixtures("no_waiting")
def test_when_no_films_details_can_be_read_it_is_the_error(run: RunCli, coming: FakeTMDB) -> None:
    coming.fail(500, b"", path_prefix="/3/movie/", times=1000)
    result = run("upcoming", "--region", "GB")
    assert result.exit_code == 7
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def test_watchlist_reads_a_bounded_number_of_pages_and_says_so(
    run: RunCli, coming: FakeTMDB
) -> None:
    # 120 films first released before any watched one: discover's first six pages.
    for n in range(120):
        add_film(coming, 994000 + n, f"Tin Lantern {n}", "2000-01-01", "2027-03-04")
    assert run("watchlist", "add", "Winter Orchard", "-r", "GB").exit_code == 0
    result = run("upcoming", "--region", "GB", "--watchlist")
    assert result.exit_code == 3
    assert [q["page"] for q in coming.queries("/3/discover/movie")] == ["1", "2", "3", "4", "5"]
    assert "Stopped after 5 pages of TMDB's discover" in result.stderr
    further = run("upcoming", "--region", "GB", "--watchlist", "--limit", "40", "--json")
    assert further.exit_code == 0, further.stderr
    assert [f["title"] for f in json.loads(further.stdout)["films"]] == ["Winter Orchard"]
    assert "Stopped" not in further.stderr


def test_an_empty_watchlist_asks_nothing(run: RunCli, coming: FakeTMDB) -> None:
    result = run("upcoming", "--region", "GB", "--watchlist")
    assert result.exit_code == 3
    assert coming.requests == []


@pytest.mark.parametrize(
    ("days", "limit", "words"),
    [
        (-1, 20, "--days must be from 0 to 366, not -1."),
        (367, 20, "--days must be from 0 to 366, not 367."),
        (14, -1, "--limit must be from 1 to 10000, not -1."),
        (14, 0, "--limit must be from 1 to 10000, not 0."),
    ],
)
def test_the_api_checks_days_and_limit_before_asking(
    coming: FakeTMDB, days: int, limit: int, words: str
) -> None:
    with pytest.raises(UsageError, match=words):
        api.upcoming("GB", days=days, limit=limit)
    assert coming.requests == []


def test_the_command_checks_them_in_the_same_words(run: RunCli, coming: FakeTMDB) -> None:
    result = run("upcoming", "--region", "GB", "--days", "-1")
    assert result.exit_code == 2
    assert "--days must be from 0 to 366, not -1." in result.stderr
    assert coming.requests == []


def test_the_api_and_the_command_give_the_same_films(run: RunCli, coming: FakeTMDB) -> None:
    warnings: list[str] = []
    arrivals = api.upcoming("GB", on_warning=warnings.append)
    assert [a.film.title for a in arrivals.films] == [
        "Lantern Crossing",
        "Winter Orchard",
        "Quarry Road",
    ]
    assert warnings == []
