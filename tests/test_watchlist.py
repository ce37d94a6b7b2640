"""The watchlist and `refresh`, through the CLI against the fake server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TOKEN, RunCli
from tests.fake_catalogue import NETFLIX, offer
from tests.fake_tmdb import FakeTMDB
from tests.terminal import Terminal
from wheretowatch.datafile import locked

pytestmark = pytest.mark.usefixtures("online")


@pytest.fixture
def data_dir(isolated: Path) -> Path:
    return isolated / "xdg-data" / "wheretowatch"


def watched(run: RunCli) -> list[dict[str, object]]:
    result = run("watchlist", "list", "--json")
    assert result.exit_code == 0, result.stderr
    titles: list[dict[str, object]] = json.loads(result.stdout)["titles"]
    return titles


def set_providers(fake: FakeTMDB, tmdb_id: int, providers: dict[str, object]) -> None:
    fake.movies[tmdb_id] = {**fake.movies[tmdb_id], "_providers": providers}


def test_add_list_and_remove(run: RunCli, data_dir: Path) -> None:
    added = run("watchlist", "add", "Drawing Closer", "--region", "GB,US")
    assert added.exit_code == 0
    assert "Added Drawing Closer (2024), film, TMDB id 1291559; regions: GB, US." in added.stdout
    assert run("watchlist", "add", "--tmdb-id", "1396", "--type", "tv").exit_code == 0
    again = run("watchlist", "add", "Drawing Closer")
    assert "Already watching Drawing Closer (2024)" in again.stdout
    assert "regions: GB, US" in again.stdout
    titles = watched(run)
    assert [(t["title"], t["media_type"], t["regions"]) for t in titles] == [
        ("Drawing Closer", "movie", ["GB", "US"]),
        ("Breaking Bad", "tv", []),
    ]
    table = run("watchlist", "list")
    assert "Drawing Closer (2024)" in table.stdout
    assert "your region setting" in table.stdout
    removed = run("watchlist", "remove", "drawing closer")
    assert removed.stdout == "Removed Drawing Closer (2024) from the watchlist.\n"
    assert run("watchlist", "remove", "--tmdb-id", "1396").exit_code == 0
    assert watched(run) == []
    assert run("watchlist", "remove", "Drawing Closer").exit_code == 4
    assert (data_dir / "watchlist.json").is_file()


def test_the_watchlist_is_not_in_the_cache(run: RunCli, isolated: Path, data_dir: Path) -> None:
    run("watchlist", "add", "Drawing Closer", "-r", "GB")
    assert run("cache", "clear").exit_code == 0
    assert len(watched(run)) == 1
    assert not (isolated / "xdg-cache" / "wheretowatch" / "watchlist.json").exists()


def test_add_resolves_once_then_refresh_never_searches(run: RunCli, fake: FakeTMDB) -> None:
    run("watchlist", "add", "Drawing Closer", "-r", "GB")
    fake.reset()
    assert run("refresh").exit_code == 0
    assert fake.paths() == ["/3/movie/1291559"]


def test_a_refresh_keeps_the_cache_fresh_for_lookups(run: RunCli, fake: FakeTMDB) -> None:
    run("watchlist", "add", "Drawing Closer", "-r", "GB")
    run("refresh")
    fake.reset()
    assert run("Drawing Closer", "-r", "GB", "-q").exit_code == 0
    assert fake.requests == []  # the refresh sent exactly the request a lookup sends


def test_two_concurrent_adds_lose_nothing(fake: FakeTMDB, data_dir: Path) -> None:
    titles = ["Drawing Closer", "Fight Club", "Search", "Breaking Bad", "Nowhere Film", "Dune"]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "wheretowatch", "watchlist", "add", title, "-r", "GB"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for title in titles
    ]
    for process in processes:
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
    document = json.loads((data_dir / "watchlist.json").read_text())
    assert sorted(t["title"] for t in document["titles"]) == sorted(titles)


def test_refresh_is_silent_when_nothing_changed(run: RunCli) -> None:
    run("watchlist", "add", "Drawing Closer", "-r", "GB,US")
    first = run("refresh")
    assert (first.exit_code, first.stdout, first.stderr) == (0, "", "")
    second = run("refresh")
    assert (second.exit_code, second.stdout, second.stderr) == (0, "", "")
    assert json.loads(run("refresh", "--json").stdout) == []


def test_refresh_reports_a_provider_that_appeared_and_one_that_left(
    run: RunCli, fake: FakeTMDB
) -> None:
    run("watchlist", "add", "Drawing Closer", "-r", "GB,US")
    run("watchlist", "add", "Nowhere Film", "-r", "GB")
    run("refresh")
    set_providers(fake, 990002, {"GB": {"link": None, "flatrate": [offer(NETFLIX, 1)]}})
    set_providers(fake, 1291559, {"GB": fake.movies[1291559]["_providers"]["GB"]})  # left US
    result = run("refresh")
    assert result.exit_code == 5
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        "Drawing Closer (2024) left Netflix in US",
        "Nowhere Film (2001) is now streaming on Netflix in GB",
    ]
    assert run("refresh").stdout == ""  # reported once, then it is the new normal


def test_refresh_json_lists_change_events(run: RunCli, fake: FakeTMDB) -> None:
    run("watchlist", "add", "Nowhere Film", "-r", "GB")
    run("refresh")
    set_providers(fake, 990002, {"GB": {"link": None, "rent": [offer(NETFLIX, 1)]}})
    result = run("refresh", "--json")
    assert result.exit_code == 5
    (event,) = json.loads(result.stdout)
    assert event["title"]["tmdb_id"] == 990002
    assert event["region"] == "GB"
    assert event["category"] == "rent"
    assert event["change"] == "appeared"
    assert event["provider_name"] == "Netflix"
    assert event["message"] == "Nowhere Film (2001) can now be rented on Netflix in GB"


def test_own_services_come_first_and_mine_limits_to_them(
    run: RunCli, fake: FakeTMDB, config_dir: Path
) -> None:
    (config_dir / "config.toml").write_text('services = ["Amazon Prime Video"]\n')
    run("watchlist", "add", "Nowhere Film", "-r", "GB")
    run("refresh")
    providers = [offer(NETFLIX, 1), {"provider_id": 119, "provider_name": "Amazon Prime Video"}]
    set_providers(fake, 990002, {"GB": {"link": None, "flatrate": providers}})
    lines = run("refresh").stdout.splitlines()
    assert lines[0].endswith("is now streaming on Amazon Prime Video in GB")
    assert len(lines) == 2
    set_providers(fake, 990002, {})
    mine = run("refresh", "--mine").stdout.splitlines()
    assert mine == ["Nowhere Film (2001) left Amazon Prime Video in GB"]


def test_a_new_region_is_a_baseline_not_a_change(run: RunCli) -> None:
    run("watchlist", "add", "Drawing Closer", "-r", "GB")
    run("refresh")
    run("watchlist", "add", "Drawing Closer", "-r", "GB,US,JP")
    assert run("refresh").stdout == ""


@pytest.mark.usefixtures("no_waiting")
def test_a_failing_title_keeps_its_snapshot_and_the_rest_refresh(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("watchlist", "add", "Drawing Closer", "-r", "GB")
    run("watchlist", "add", "Nowhere Film", "-r", "GB")
    run("refresh")
    set_providers(fake, 990002, {"GB": {"link": None, "buy": [offer(NETFLIX, 1)]}})
    fake.fail(503, b"", path_prefix="/3/movie/1291559", times=100)
    result = run("refresh")
    assert result.exit_code == 7
    assert "could not refresh Drawing Closer (2024)" in result.stderr
    assert result.stdout == "Nowhere Film (2001) can now be bought on Netflix in GB\n"
    fake.faults.clear()
    set_providers(fake, 1291559, {})
    after = run("refresh")
    assert after.stdout == "Drawing Closer (2024) left Netflix in GB\n"  # old snapshot kept


def test_a_second_refresh_waits_then_gives_up(run: RunCli, data_dir: Path) -> None:
    run("watchlist", "add", "Drawing Closer", "-r", "GB")
    with locked(data_dir / "refresh.lock", timeout=1, what="refreshing"):
        result = run("refresh", "--wait", "0.3")
    assert result.exit_code == 8
    assert "Another wheretowatch process is refreshing" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    "entry",
    [
        '{"tmdb_id": "oops"}',
        # A string, not a list: read as the codes G and B, it would be written back so.
        '{"tmdb_id": 550, "media_type": "movie", "title": "Fight Club", "regions": "GB"}',
    ],
)
def test_a_damaged_watchlist_is_reported_and_kept(run: RunCli, data_dir: Path, entry: str) -> None:
    data_dir.mkdir(parents=True)
    path = data_dir / "watchlist.json"
    path.write_text('{"format": 1, "titles": [' + entry + "]}")
    before = path.read_bytes()
    for args in (["watchlist", "list"], ["watchlist", "add", "Fight Club"], ["refresh"]):
        result = run(*args)
        assert result.exit_code == 6, args
        assert str(path) in result.stderr
        assert "damaged" in result.stderr
    assert path.read_bytes() == before


def test_refresh_without_any_region_names_the_title(run: RunCli) -> None:
    run("watchlist", "add", "Fight Club")
    result = run("refresh")
    assert result.exit_code == 6
    assert "Fight Club (1999) is watched in your region setting" in result.stderr


def test_all_cached_refreshes_every_cached_title_too(run: RunCli, fake: FakeTMDB) -> None:
    run("Search", "-r", "US", "-q")
    run("--tmdb-id", "1396", "--type", "tv", "-r", "GB", "-q")
    run("watchlist", "add", "Drawing Closer", "-r", "GB")
    fake.reset()
    assert run("refresh", "--all-cached").exit_code == 0
    assert sorted(fake.paths()) == ["/3/movie/1291559", "/3/movie/489999", "/3/tv/1396"]


def test_no_credential_in_the_data_files(run: RunCli, data_dir: Path) -> None:
    run("watchlist", "add", "Drawing Closer", "-r", "GB")
    run("refresh")
    for path in data_dir.iterdir():
        assert TOKEN.encode() not in path.read_bytes(), path


def test_data_dir_location(run: RunCli, isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    custom = isolated / "elsewhere"
    monkeypatch.setenv("WHERETOWATCH_DATA_DIR", str(custom))
    run("watchlist", "add", "Drawing Closer", "-r", "GB")
    assert (custom / "watchlist.json").is_file()
    config = json.loads(run("config", "--json").stdout)["settings"]
    assert config["data_dir"] == {"value": str(custom), "source": "WHERETOWATCH_DATA_DIR"}
    assert os.stat(custom / "watchlist.json").st_size > 0


def test_a_progress_bar_only_on_a_terminal(fake: FakeTMDB, isolated: Path) -> None:
    fake.latency = 0.2
    env = {**os.environ, "WHERETOWATCH_REGION": "GB", "TERM": "xterm"}
    add = [sys.executable, "-m", "wheretowatch", "watchlist", "add"]
    for title in ("Drawing Closer", "Fight Club", "Search"):
        subprocess.run([*add, title], env=env, check=True, capture_output=True, timeout=60)
    command = [sys.executable, "-m", "wheretowatch", "refresh"]
    piped = subprocess.run(command, env=env, capture_output=True, timeout=60, check=False)
    assert (piped.returncode, piped.stdout, piped.stderr) == (0, b"", b"")
    terminal = Terminal("refresh", env=env)
    assert terminal.wait() == 0
    assert "Refreshing" in terminal.seen


def test_refresh_mine_with_service_flags(run: RunCli, fake: FakeTMDB) -> None:
    run("watchlist", "add", "Nowhere Film", "-r", "GB")
    run("refresh")
    providers = [offer(NETFLIX, 1), {"provider_id": 119, "provider_name": "Amazon Prime Video"}]
    set_providers(fake, 990002, {"GB": {"link": None, "flatrate": providers}})
    lines = run("refresh", "--mine", "--service", "Netflix").stdout.splitlines()
    assert lines == ["Nowhere Film (2001) is now streaming on Netflix in GB"]


@pytest.mark.parametrize("wait", ["nan", "inf", "-inf"])
def test_refresh_rejects_a_wait_that_is_not_a_finite_number(run: RunCli, wait: str) -> None:
    result = run("refresh", "--wait", wait)
    assert (result.exit_code, result.stdout) == (2, "")
    assert "--wait" in result.stderr


def test_add_from_a_script_names_the_others_when_several_match_exactly(run: RunCli) -> None:
    # "Dune" is the exact title of the 2021 and the 1984 film, and no year decides.
    result = run("watchlist", "add", "dune")
    assert result.exit_code == 0
    assert result.stdout.startswith("Added Dune (2021), film, TMDB id 438631")
    assert "Other matches (pick one with --tmdb-id and --type):" in result.stderr
    assert "Dune (1984)  film · --tmdb-id 841" in result.stderr


def test_add_with_a_deciding_year_names_no_others(run: RunCli) -> None:
    result = run("watchlist", "add", "dune", "--year", "1984")
    assert result.exit_code == 0
    assert result.stdout.startswith("Added Dune (1984), film, TMDB id 841")
    assert result.stderr == ""


def test_a_title_tmdb_no_longer_has_is_said_once_then_listed_as_gone(
    run: RunCli, fake: FakeTMDB
) -> None:
    assert run("watchlist", "add", "Drawing Closer", "-r", "GB").exit_code == 0
    assert run("watchlist", "add", "Fight Club", "-r", "GB").exit_code == 0
    assert run("refresh").exit_code == 0
    del fake.movies[550]
    first = run("refresh")
    assert first.exit_code == 0, first.stderr
    assert first.stderr == (
        "warning: TMDB no longer has Fight Club (1999); remove it with "
        "`wheretowatch watchlist remove --tmdb-id 550`\n"
    )
    second = run("refresh")
    assert (second.exit_code, second.stderr) == (0, "")
    listed = run("watchlist", "list")
    assert listed.exit_code == 0
    assert "gone: TMDB no longer has it; remove it with `wheretowatch watchlist remove " in (
        listed.stdout
    )
    assert "could not be fetched" not in listed.stderr
    assert run("watchlist", "remove", "--tmdb-id", "550").exit_code == 0


def test_a_damaged_watchlist_is_reported_with_line_and_column_and_the_last_good_copy(
    run: RunCli, data_dir: Path
) -> None:
    assert run("watchlist", "add", "Drawing Closer", "-r", "GB").exit_code == 0
    assert run("watchlist", "add", "Fight Club", "-r", "GB").exit_code == 0
    path = data_dir / "watchlist.json"
    good = data_dir / "watchlist.json.last-good"
    assert "Drawing Closer" in good.read_text()  # the version before the last write
    path.write_text('{"format": 1,\n  "titles": [\n    {"tmdb_id": 550,,}\n')
    result = run("watchlist", "list")
    assert result.exit_code == 6
    assert "line 3, column" in result.stderr
    assert f"mv {good} {path}" in result.stderr.replace("\n", " ")
