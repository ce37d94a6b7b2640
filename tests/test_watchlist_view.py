"""`watchlist list`: what can I watch now; the first refresh's line; `add --imdb-id`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import RunCli
from tests.fake_tmdb import FakeTMDB
from tests.terminal import Terminal

pytestmark = pytest.mark.usefixtures("online")


@pytest.fixture
def watched(run: RunCli, online: FakeTMDB, monkeypatch: pytest.MonkeyPatch) -> None:
    """1917 on Netflix, Solaris (1972) on BBC iPlayer, Chernobyl on Prime, Nomadland to
    rent, Solaris (2002) nowhere: all in GB."""
    monkeypatch.setenv("WHERETOWATCH_REGION", "GB")
    text = "tt0069293\nhttps://www.themoviedb.org/movie/2103\n1917 (2019)\nChernobyl\nNomadland\n"
    assert run("watchlist", "import", "-", input=text).exit_code == 0


def _titles(result_stdout: str) -> dict[str, dict[str, Any]]:
    titles = json.loads(result_stdout)["titles"]
    return {f"{t['title']} ({t['year']})": t for t in titles}


@pytest.mark.usefixtures("watched")
def test_each_title_shows_where_it_streams_with_your_services_marked(run: RunCli) -> None:
    result = run("watchlist", "list", "--service", "Netflix")
    assert result.exit_code == 0
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[lines.index(next(x for x in lines if x.startswith("1917 (2019)"))) + 1] == (
        "  GB  Stream: Netflix ★"
    )
    assert "  GB  Stream: BBC iPlayer" in lines
    assert "  GB  rent or buy on 1 service" in lines
    assert "  GB  nowhere" in lines
    assert "just now" in result.stdout  # the age of the data


@pytest.mark.usefixtures("watched")
def test_a_warm_list_asks_tmdb_nothing(run: RunCli, online: FakeTMDB) -> None:
    run("watchlist", "list", "--service", "Netflix")
    online.requests.clear()
    assert run("watchlist", "list", "--service", "Netflix").exit_code == 0
    assert online.requests == []


@pytest.mark.usefixtures("watched")
def test_mine_exits_0_when_something_streams_on_your_services_and_3_when_nothing(
    run: RunCli,
) -> None:
    some = run("watchlist", "list", "--mine", "--service", "Netflix")
    assert some.exit_code == 0
    assert some.stdout.startswith("1917 (2019)")
    assert "Solaris" not in some.stdout
    none = run("watchlist", "list", "--mine", "--service", "Apple TV")
    assert none.exit_code == 3
    assert none.stdout == "None of the 5 watched titles streams on your services.\n"


def test_mine_needs_services(run: RunCli) -> None:
    result = run("watchlist", "list", "--mine")
    assert result.exit_code == 2
    assert "needs your services" in result.stderr


@pytest.mark.usefixtures("watched")
def test_by_service_groups_titles(run: RunCli) -> None:
    result = run("watchlist", "list", "--by-service", "-s", "Netflix", "-s", "BBC iPlayer")
    assert result.exit_code == 0
    assert result.stdout.split("\n\n") == [
        "BBC iPlayer (GB)\n  Solaris (1972)",
        "Netflix (GB)\n  1917 (2019)",
        "elsewhere\n  Chernobyl (2019)",
        "rent or buy only\n  Nomadland (2021)",
        "nowhere\n  Solaris (2002)\n",
    ]


@pytest.mark.usefixtures("watched")
def test_json_has_availability_shaped_like_the_lookup_with_mine(run: RunCli) -> None:
    result = run("watchlist", "list", "--json", "--service", "Netflix")
    assert result.exit_code == 0
    titles = _titles(result.stdout)
    film = titles["1917 (2019)"]
    assert film["availability"]["GB"]["flatrate"] == [
        {"provider_id": 8, "provider_name": "Netflix", "mine": True}
    ]
    assert film["tmdb_id"] == 530915
    assert film["stale"] is False
    assert film["fetched_at"]
    assert titles["Solaris (1972)"]["availability"]["GB"]["flatrate"][0]["mine"] is False


@pytest.mark.usefixtures("watched")
def test_offline_uses_only_the_cache_and_marks_the_rest_unknown(
    run: RunCli, online: FakeTMDB
) -> None:
    run("watchlist", "list")  # fetches and caches the watched titles
    # Added by TMDB id, with no request: nothing about it is cached.
    item = {"id": 550, "media_type": "movie", "title": "Fight Club", "release_date": "1999"}
    run("watchlist", "import", "-", input=json.dumps({"items": [item]}))
    online.requests.clear()
    result = run("watchlist", "list", "--offline", "--json")
    assert online.requests == []
    titles = _titles(result.stdout)
    assert titles["Fight Club (1999)"]["availability"] is None
    assert titles["Fight Club (1999)"]["error"]["code"] == "not_cached"
    assert titles["Solaris (1972)"]["availability"] is not None
    text = run("watchlist", "list", "--offline")
    assert "unknown: --offline: this lookup is not in the cache." in text.stdout


def test_add_by_imdb_id_and_changing_regions_says_so(run: RunCli) -> None:
    added = run("watchlist", "add", "--imdb-id", "tt0137523", "-r", "GB")
    assert added.exit_code == 0
    assert added.stdout.startswith("Added Fight Club (1999)")
    changed = run("watchlist", "add", "--imdb-id", "tt0137523", "-r", "GB,US")
    assert changed.stdout.startswith("Changed the regions (were: GB) of Fight Club (1999)")
    assert changed.stdout.rstrip().endswith("regions: GB, US.")
    same = run("watchlist", "add", "--imdb-id", "tt0137523", "-r", "GB,US")
    assert same.stdout.startswith("Already watching Fight Club (1999)")


def test_the_first_refresh_says_what_it_watches_on_a_terminal_only(
    run: RunCli, isolated: Path
) -> None:

    env = {
        **os.environ,
        "WHERETOWATCH_REGION": "GB",
        "WHERETOWATCH_SERVICES": "Netflix",
        "TERM": "xterm",
    }
    run("watchlist", "import", "-", input="1917 (2019)\nNomadland\n")
    command = [sys.executable, "-m", "wheretowatch", "refresh"]
    terminal = Terminal("refresh", env=env)
    assert terminal.wait() == 0
    assert "Now watching 2 titles; 1 already streams on your services." in terminal.seen
    # The second refresh has a snapshot to compare with: nothing to say.
    again = subprocess.run(command, env=env, capture_output=True, timeout=60, check=False)
    assert (again.returncode, again.stdout) == (0, b"")


def test_hostile_titles_and_provider_names_are_shown_literally(run: RunCli) -> None:
    item = {"id": 990666, "media_type": "movie", "title": "Evil", "release_date": "2020"}
    run("watchlist", "import", "-", "-r", "GB", input=json.dumps({"items": [item]}))
    run("watchlist", "list")  # the entry's name is now the file's; TMDB's names the providers
    result = run("--color", "always", "watchlist", "list")
    assert result.exit_code == 0
    assert "[blink]Sneaky[/blink]\\x1b[2J\\x07" in result.stdout
    assert "\x1b[2J" not in result.stdout
    assert "\x07" not in result.stdout


def test_offline_on_a_cold_cache_asks_nothing_not_even_the_provider_lists(
    run: RunCli, online: FakeTMDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    item = {"id": 550, "media_type": "movie", "title": "Fight Club", "release_date": "1999"}
    assert run("watchlist", "import", "-", input=json.dumps({"items": [item]})).exit_code == 0
    monkeypatch.setenv("WHERETOWATCH_SERVICES", "Netflix")
    online.requests.clear()
    result = run("watchlist", "list", "--offline")
    assert online.requests == []
    assert result.exit_code == 0
    assert "TMDB's provider lists are not cached" in result.stderr
    looked_up = run("Fight Club", "-r", "GB", "--offline")
    assert looked_up.exit_code == 7
    assert online.requests == []
