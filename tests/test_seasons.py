"""Series season by season: `--season N`, `--seasons`, the series header, and watching a
season, through the CLI against the fake server (Severance and Breaking Bad have seasons)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import RunCli
from tests.fake_catalogue import next_episode
from tests.fake_tmdb import FakeTMDB
from wheretowatch.models import MediaType
from wheretowatch.tmdb.payload import parse_details, parse_season

pytestmark = pytest.mark.usefixtures("online")

SEVERANCE = 95396
BREAKING_BAD = 1396


def document(run: RunCli, *args: str) -> dict[str, Any]:
    result = run(*args, "--json")
    assert result.stderr == ""
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


# --- a season's lookup -------------------------------------------------------------------


def test_a_season_by_title_costs_three_requests_in_two_round_trips(
    run: RunCli, fake: FakeTMDB
) -> None:
    fake.latency = 0.2  # long enough for the two season requests to overlap on the server
    result = run("Severance", "--season", "2", "--region", "GB,US")
    assert result.exit_code == 0, result.stderr
    assert fake.paths()[0] == "/3/search/tv"
    assert sorted(fake.paths()[1:]) == [f"/3/tv/{SEVERANCE}", f"/3/tv/{SEVERANCE}/season/2"]
    assert fake.max_in_flight == 2  # the series and the season at the same time
    season = fake.requests[fake.paths().index(f"/3/tv/{SEVERANCE}/season/2")]
    assert season.query["append_to_response"] == "videos,watch/providers"


def test_a_season_by_id_is_one_round_trip_and_warm_costs_nothing(
    run: RunCli, fake: FakeTMDB
) -> None:
    fake.latency = 0.2
    args = ("--tmdb-id", str(SEVERANCE), "--type", "tv", "--season", "2", "-r", "US")
    cold = run(*args)
    assert cold.exit_code == 0, cold.stderr
    assert len(fake.requests) == 2
    assert fake.max_in_flight == 2
    warm = run(*args)
    assert warm.exit_code == 0
    assert len(fake.requests) == 2
    assert "from the cache" in warm.stdout
    assert warm.stdout.split("Data fetched")[0] == cold.stdout.split("Data fetched")[0]


def test_a_season_by_title_warm_makes_no_request(run: RunCli, fake: FakeTMDB) -> None:
    assert run("Severance", "--season", "1", "-r", "GB").exit_code == 0
    assert len(fake.requests) == 3
    assert run("Severance", "--season", "1", "-r", "GB").exit_code == 0
    assert len(fake.requests) == 3


def test_the_season_header_trailers_and_availability(run: RunCli) -> None:
    result = run("Severance", "--season", "2", "-r", "GB,US")
    assert result.exit_code == 0
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[1] == "Series · TMDB id 95396 · 3 seasons · returning · next: S03E01 on 2026-12-03"
    assert lines[2] == "Season 2 · air date 2025-01-16 · 10 episodes"
    assert "Not available to stream, rent or buy here." in result.stdout  # GB: not season 2
    assert "Apple TV+" in result.stdout  # US
    # The season's own trailer first, then the series'.
    trailers = result.stdout.split("Trailers")[1]
    assert trailers.index("Season 2 Trailer") < trailers.index("Severance - Official Trailer")


def test_a_season_not_streaming_in_the_region_exits_3(run: RunCli) -> None:
    result = run("Severance", "--season", "3", "-r", "GB")
    assert result.exit_code == 3
    assert "Season 3 · air date 2026-12-03 · 0 episodes" in result.stdout


def test_a_season_in_json(run: RunCli) -> None:
    answer = document(run, "Severance", "--season", "2", "-r", "GB,US")
    assert answer["season"] == {
        "season_number": 2,
        "name": "Season 2",
        "air_date": "2025-01-16",
        "episode_count": 10,
    }
    assert answer["number_of_seasons"] == 3
    assert answer["status"] == "returning"
    assert answer["next_episode"] == {
        "season_number": 3,
        "episode_number": 1,
        "air_date": "2026-12-03",
    }
    assert answer["availability"]["GB"]["flatrate"] == []
    assert [p["provider_name"] for p in answer["availability"]["US"]["flatrate"]] == ["Apple TV+"]
    # Its link is the series' watch page, as TMDB gives it for a season.
    assert answer["availability"]["US"]["link"].startswith(
        "https://www.themoviedb.org/tv/95396-severance/watch"
    )
    assert answer["trailers"][0]["name"] == "Severance - Season 2 Trailer"


def test_a_season_the_series_does_not_have_exits_4_naming_how_many(run: RunCli) -> None:
    result = run("Breaking Bad", "--season", "9", "-r", "GB")
    assert result.exit_code == 4
    assert result.stdout == ""
    assert "error: Breaking Bad has 5 seasons; there is no season 9." in result.stderr
    assert "hint: Ask for a season from 1 to 5" in result.stderr


def test_a_missing_season_in_json(run: RunCli) -> None:
    result = run("Breaking Bad", "--season", "9", "-r", "GB", "--json")
    assert result.exit_code == 4
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "not_found"
    assert error["message"] == "Breaking Bad has 5 seasons; there is no season 9."


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("Dune", "--type", "movie", "--season", "1"), "A film has no seasons"),
        (("Breaking Bad", "--season", "1", "--seasons"), "Give --season N or --seasons"),
        (("--from", "-", "--season", "1"), "--season goes with one series"),
        (("Breaking Bad", "--seasons", "-r", "all"), "--seasons shows a column a region"),
        (("Breaking Bad", "--season", "-1"), "-1 is not a season number."),
    ],
)
def test_season_options_misused_exit_2(
    run: RunCli, fake: FakeTMDB, args: tuple[str, ...], message: str
) -> None:
    result = run(*args, "-r", "GB") if "-r" not in args else run(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""
    assert fake.requests == []


def test_season_implies_a_series(run: RunCli, fake: FakeTMDB) -> None:
    # Without --type, the search is for series only, and the id is taken as a series'.
    assert run("Breaking Bad", "--season", "1", "-r", "GB").exit_code == 0
    assert fake.paths()[0] == "/3/search/tv"
    fake.reset()
    assert run("--tmdb-id", "1396", "--season", "1", "-r", "GB").exit_code == 0
    assert "/3/tv/1396" in fake.paths()


# --- the series header ---------------------------------------------------------------------


def test_a_series_header_shows_seasons_status_and_next_episode(run: RunCli, fake: FakeTMDB) -> None:
    ended = run("Breaking Bad", "-r", "GB")
    assert ended.stdout.splitlines()[1] == "Series · TMDB id 1396 · 5 seasons · ended"
    returning = run("Severance", "-r", "GB")
    assert "3 seasons · returning · next: S03E01 on 2026-12-03" in returning.stdout
    assert len(fake.requests) == 4  # search and details each: the header costs nothing more


def test_a_cancelled_series_says_so(run: RunCli, fake: FakeTMDB) -> None:
    fake.tv[SEVERANCE] |= {"status": "Canceled", "next_episode_to_air": None}
    result = run("Severance", "-r", "GB")
    assert result.stdout.splitlines()[1] == "Series · TMDB id 95396 · 3 seasons · cancelled"
    assert document(run, "Severance", "-r", "GB", "--refresh")["status"] == "cancelled"


def test_series_json_has_seasons_status_and_next_episode_and_films_do_not(
    run: RunCli,
) -> None:
    series = document(run, "Breaking Bad", "-r", "GB")
    assert (series["number_of_seasons"], series["status"], series["next_episode"]) == (
        5,
        "ended",
        None,
    )
    assert "season" not in series
    film = document(run, "Drawing Closer", "-r", "GB")
    assert "number_of_seasons" not in film
    assert "season" not in film


def test_series_details_parse_tolerantly() -> None:
    details = parse_details(
        {
            "id": 1,
            "name": "S",
            "number_of_seasons": "three",
            "status": None,
            "next_episode_to_air": {"season_number": 2},
            "seasons": [{"season_number": 1, "episode_count": "x"}, "junk", {"name": "no number"}],
        },
        MediaType.TV,
    )
    assert details.series is not None
    assert details.series.number_of_seasons is None
    assert details.series.state is None
    assert details.series.next_episode is None
    assert [(s.season_number, s.episode_count) for s in details.series.seasons] == [(1, None)]
    season = parse_season({"season_number": 4, "episodes": None, "name": None})
    assert (season.name, season.episode_count, season.offers) == ("Season 4", None, {})


# --- --seasons -----------------------------------------------------------------------------


def test_seasons_table_a_row_a_season_a_column_a_region(run: RunCli) -> None:
    result = run("Breaking Bad", "--seasons", "-r", "GB,US")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    rows = [line for line in result.stdout.splitlines() if line.startswith("│")]
    assert len(rows) == 5  # the specials are left out
    assert "Streams in GB" in result.stdout
    assert "Streams in US" in result.stdout
    first, last = rows[0].split("│"), rows[-1].split("│")
    assert [c.strip() for c in first[1:4]] == ["1", "2008", "7"]
    assert (first[4].strip(), first[5].strip()) == ("Netflix", "Netflix")
    assert (last[4].strip(), last[5].strip()) == ("rent or buy only", "Netflix")


def test_seasons_costs_one_request_a_season_concurrently_then_none(
    run: RunCli, fake: FakeTMDB
) -> None:
    fake.latency = 0.1
    assert run("--tmdb-id", "1396", "--type", "tv", "--seasons", "-r", "GB").exit_code == 0
    seasons = [p for p in fake.paths() if "/season/" in p]
    assert sorted(seasons) == [f"/3/tv/1396/season/{n}/watch/providers" for n in range(1, 6)]
    assert len(fake.requests) == 6  # the series' details, then its five seasons
    assert fake.max_in_flight > 1
    again = run("--tmdb-id", "1396", "--type", "tv", "--seasons", "-r", "GB")
    assert again.exit_code == 0
    assert len(fake.requests) == 6
    assert "from the cache" in again.stdout


def test_seasons_json(run: RunCli) -> None:
    answer = document(run, "Severance", "--seasons", "-r", "GB")
    assert [s["season_number"] for s in answer["seasons"]] == [1, 2, 3]
    assert [s["available"] for s in answer["seasons"]] == [True, False, False]
    assert answer["seasons"][0]["availability"]["GB"]["flatrate"][0]["provider_name"] == (
        "Apple TV+"
    )
    assert answer["seasons"][1]["episode_count"] == 10
    assert answer["number_of_seasons"] == 3
    assert answer["available"] is True


def test_seasons_of_a_series_streaming_nowhere_asked_exits_3(run: RunCli) -> None:
    result = run("Severance", "--seasons", "-r", "JP")
    assert result.exit_code == 3
    assert result.stdout.count("│ —") >= 3


# --- watching a season ---------------------------------------------------------------------


def test_a_season_and_its_series_are_two_entries(run: RunCli) -> None:
    added = run("watchlist", "add", "Severance", "--season", "2", "-r", "GB,US")
    assert added.exit_code == 0, added.stderr
    assert added.stdout.startswith("Added Severance (2022), season 2, series")
    assert run("watchlist", "add", "Severance", "-r", "GB").stdout.startswith("Added Severance")
    again = run("watchlist", "add", "Severance", "--season", "2")
    assert again.stdout.startswith("Already watching Severance (2022), season 2")
    titles = document(run, "watchlist", "list")["titles"]
    assert [(t["title"], t["season"]) for t in titles] == [("Severance", 2), ("Severance", None)]
    listed = run("watchlist", "list").stdout
    assert "Severance (2022), season 2" in listed
    removed = run("watchlist", "remove", "Severance", "--season", "2")
    assert removed.stdout == "Removed Severance (2022), season 2 from the watchlist.\n"
    assert [t["season"] for t in document(run, "watchlist", "list")["titles"]] == [None]


def test_adding_a_season_the_series_lacks_exits_4(run: RunCli) -> None:
    result = run("watchlist", "add", "Severance", "--season", "7")
    assert result.exit_code == 4
    assert "Severance has 3 seasons; there is no season 7." in result.stderr


def test_refresh_reports_a_watched_seasons_own_change(run: RunCli, fake: FakeTMDB) -> None:
    run("watchlist", "add", "Severance", "--season", "2", "-r", "GB,US")
    run("watchlist", "add", "Severance", "-r", "GB,US")
    assert run("refresh").exit_code == 0  # the first look is a baseline
    season = fake.tv[SEVERANCE]["_seasons"][2]
    season["_providers"] = {**season["_providers"], "GB": fake.tv[SEVERANCE]["_providers"]["GB"]}
    fake.requests.clear()
    result = run("refresh")
    assert result.exit_code == 5
    # Only the season changed: the whole series streamed in GB already.
    assert result.stdout == "Severance (2022), season 2 is now streaming on Apple TV+ in GB\n"
    paths = fake.paths()
    assert f"/3/tv/{SEVERANCE}/season/2" in paths
    assert not any(p.startswith("/3/search") for p in paths)


def test_refresh_json_names_the_season(run: RunCli, fake: FakeTMDB) -> None:
    run("watchlist", "add", "Severance", "--season", "1", "-r", "GB")
    run("refresh")
    fake.tv[SEVERANCE]["_seasons"][1]["_providers"] = {}
    events = json.loads(run("refresh", "--json").stdout)
    assert [(e["title"]["season"], e["change"], e["region"]) for e in events] == [(1, "left", "GB")]


def test_a_new_season_announced_is_reported_once(run: RunCli, fake: FakeTMDB) -> None:
    fake.tv[SEVERANCE]["next_episode_to_air"] = None
    run("watchlist", "add", "Severance", "-r", "GB")
    assert run("refresh").exit_code == 0
    fake.tv[SEVERANCE]["next_episode_to_air"] = next_episode(SEVERANCE, 3, 1, "2026-12-03")
    announced = run("refresh")
    assert announced.exit_code == 5
    assert announced.stdout == ("Severance (2022): new season 3 announced: S03E01 on 2026-12-03\n")
    assert run("refresh").stdout == ""  # once


def test_a_new_season_event_in_json(run: RunCli, fake: FakeTMDB) -> None:
    fake.tv[SEVERANCE]["next_episode_to_air"] = None
    run("watchlist", "add", "Severance", "-r", "GB")
    run("refresh")
    fake.tv[SEVERANCE]["next_episode_to_air"] = next_episode(SEVERANCE, 3, 1, "2026-12-03")
    (event,) = json.loads(run("refresh", "--json").stdout)
    assert event["change"] == "new_season"
    assert event["title"]["tmdb_id"] == SEVERANCE
    assert event["next_episode"] == {
        "season_number": 3,
        "episode_number": 1,
        "air_date": "2026-12-03",
    }
    assert event["message"].startswith("Severance (2022): new season 3 announced")


def test_the_next_episode_of_a_known_season_is_no_news(run: RunCli, fake: FakeTMDB) -> None:
    fake.tv[SEVERANCE]["next_episode_to_air"] = next_episode(SEVERANCE, 2, 5, "2025-02-13")
    run("watchlist", "add", "Severance", "-r", "GB")
    run("refresh")
    fake.tv[SEVERANCE]["next_episode_to_air"] = next_episode(SEVERANCE, 2, 6, "2025-02-20")
    assert run("refresh").stdout == ""


def test_a_snapshot_from_before_seasons_is_a_baseline(
    run: RunCli, fake: FakeTMDB, isolated: Any
) -> None:
    run("watchlist", "add", "Severance", "-r", "GB")
    run("refresh")
    path = isolated / "xdg-data" / "wheretowatch" / "snapshots.json"
    data = json.loads(path.read_text())
    del data["titles"][f"tv/{SEVERANCE}"]["latest_season"]  # as 0.1 wrote it
    path.write_text(json.dumps(data))
    result = run("refresh")
    assert (result.exit_code, result.stdout) == (0, "")
    assert json.loads(path.read_text())["titles"][f"tv/{SEVERANCE}"]["latest_season"] == 3


def test_a_lasting_fault_on_the_season_fails_in_plain_words(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("time.sleep", lambda seconds: None)  # no waiting through retries
    body = {"status_code": 9, "status_message": "Service offline."}
    fake.fail(503, body, path_prefix=f"/3/tv/{SEVERANCE}/season/", times=10)
    result = run("Severance", "--season", "2", "-r", "GB")
    assert result.exit_code == 7
    assert result.stdout == ""
    assert "error: TMDB answered HTTP 503: Service offline." in result.stderr


def test_seasons_on_a_narrow_screen_fold_service_names_never_cut_them(
    run: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "60")

    result = run("Breaking Bad", "--seasons", "--region", "GB,US,JP,DE")

    assert result.exit_code == 0
    assert "…" not in result.stdout
    table = [line for line in result.stdout.splitlines() if line[:1] in "┏┃┡│└"]
    assert table
    assert max(len(line) for line in table) <= 60
    assert "Netfl" in result.stdout


def test_seasons_of_a_series_claiming_1500_looks_up_the_first_100_and_says_so(
    run: RunCli, fake: FakeTMDB
) -> None:
    from tests.fake_catalogue import endless_series

    fake.tv[SEVERANCE] = endless_series(1500)
    args = ("--tmdb-id", str(SEVERANCE), "--type", "tv", "--seasons", "-r", "GB")

    result = run(*args)

    assert result.exit_code == 3  # streaming nowhere asked
    assert len([p for p in fake.paths() if "/season/" in p]) == 100
    assert result.stderr == (
        "warning: Severance has 1,500 seasons; only the first 100 were looked up. "
        "Ask for a later one with --season N.\n"
    )
    answer = run(*args, "--json")
    assert answer.exit_code == 3
    parsed = json.loads(answer.stdout)
    assert [s["season_number"] for s in parsed["seasons"]] == list(range(1, 101))
    assert parsed["seasons_left_out"] == 1400
    assert answer.stderr == result.stderr
    fake.reset()
    assert document(run, "Severance", "--seasons", "-r", "GB")["seasons_left_out"] == 0


def test_a_series_without_last_episode_takes_its_latest_season_from_seasons(
    run: RunCli, fake: FakeTMDB
) -> None:
    fake.tv[SEVERANCE]["next_episode_to_air"] = None
    fake.tv[SEVERANCE]["last_episode_to_air"] = None
    run("watchlist", "add", "Severance", "-r", "GB")
    assert run("refresh").exit_code == 0
    fake.tv[SEVERANCE]["next_episode_to_air"] = next_episode(SEVERANCE, 3, 1, "2026-12-03")
    announced = run("refresh")
    assert announced.exit_code == 5
    assert "new season 3 announced" in announced.stdout
