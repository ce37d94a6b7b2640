"""TMDB unreachable in the middle of a long run: one line, no storm of warnings, no
request after a few attempts reached nothing, and what was finished kept (issue #24)."""

from __future__ import annotations

import json
import socket
import threading
import time
from typing import Any

import pytest

from tests.conftest import API_KEY, TOKEN, RunCli, free_port
from tests.fake_tmdb import FakeTMDB

pytestmark = pytest.mark.usefixtures("online")

TITLES = 40


def _watch(run: RunCli, fake: FakeTMDB, count: int = TITLES) -> list[int]:
    ids = fake.generate(count)
    lines = "".join(f"https://www.themoviedb.org/movie/{i}\n" for i in ids)
    result = run("watchlist", "import", "-", "--region", "GB", input=lines)
    assert result.exit_code == 0, result.stderr
    assert run("refresh").exit_code == 0
    return ids


def test_a_refresh_with_the_connection_refused_says_so_once_and_stops_asking(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    _watch(run, fake)
    monkeypatch.setenv("WHERETOWATCH_TMDB_URL", f"http://127.0.0.1:{free_port()}")
    started = time.monotonic()
    result = run("refresh")
    assert time.monotonic() - started < 10
    assert result.exit_code == 7
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"error: TMDB unreachable: connection refused; {TITLES} titles not refreshed, "
        "snapshots kept.",
        "hint: Check your network connection (and WHERETOWATCH_TMDB_URL if you set it).",
    ]


def test_a_refresh_whose_names_do_not_resolve_asks_the_resolver_a_few_times_only(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    _watch(run, fake)
    asked: list[object] = []

    def no_such_host(host: object, *args: object, **kwargs: object) -> object:
        asked.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    monkeypatch.setenv("WHERETOWATCH_TMDB_URL", "http://tmdb.invalid")
    result = run("refresh")
    assert result.exit_code == 7
    assert "error: TMDB unreachable: name resolution failed; " in result.stderr
    assert "could not refresh" not in result.stderr
    # The first attempts, one a worker at most, then none.
    assert 4 <= len(asked) <= 16


def test_the_fake_stopped_mid_run_keeps_what_was_refreshed(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _watch(run, fake)
    own = FakeTMDB(token=TOKEN, api_key=API_KEY)
    own.start()
    own.movies = fake.movies
    answered: list[str] = []
    real_answer = own.answer
    lock = threading.Lock()

    def answer(*args: Any, **kwargs: Any) -> Any:
        with lock:
            answered.append(args[1])
            if len(answered) > 10:
                if len(answered) == 11:
                    threading.Thread(target=own.stop, daemon=True).start()
                raise ConnectionResetError("stopped")  # the connection dropped unanswered
        return real_answer(*args, **kwargs)

    monkeypatch.setattr(own, "answer", answer)
    monkeypatch.setenv("WHERETOWATCH_TMDB_URL", own.url)
    try:
        result = run("refresh", "--json")
    finally:
        own.stop()
    assert result.exit_code == 7
    assert json.loads(result.stdout) == []
    lines = result.stderr.splitlines()
    assert len(lines) == 2, result.stderr
    not_refreshed = int(lines[0].split("; ")[1].split()[0])
    assert 0 < not_refreshed <= TITLES - 5
    assert lines[0].startswith("error: TMDB unreachable: ")
    assert len(ids) == TITLES


def test_http_errors_from_a_reachable_tmdb_keep_their_lines(run: RunCli, fake: FakeTMDB) -> None:
    _watch(run, fake, count=3)
    fake.fail(503, {"status_code": 9, "status_message": "Service offline."}, times=100)
    result = run("refresh")
    assert result.exit_code == 7
    assert result.stderr.count("could not refresh Generated Film") == 3
    assert "unreachable" not in result.stderr


def test_an_import_with_tmdb_unreachable_says_so_once(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WHERETOWATCH_TMDB_URL", f"http://127.0.0.1:{free_port()}")
    lines = "".join(f"Some Film {n}\n" for n in range(TITLES))
    started = time.monotonic()
    result = run("watchlist", "import", "-", input=lines)
    assert time.monotonic() - started < 10
    assert result.exit_code == 7
    assert "row " not in result.stdout
    assert f"failed {TITLES}" in result.stdout
    assert result.stderr.splitlines()[0] == (
        f"error: TMDB unreachable: connection refused; {TITLES} rows not matched; run the "
        "same import again to finish them."
    )


def test_watchlist_list_with_tmdb_unreachable_says_so_once_and_exits_7(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = fake.generate(TITLES)
    lines = "".join(f"https://www.themoviedb.org/movie/{i}\n" for i in ids)
    assert run("watchlist", "import", "-", "--region", "GB", input=lines).exit_code == 0
    monkeypatch.setenv("WHERETOWATCH_TMDB_URL", f"http://127.0.0.1:{free_port()}")
    result = run("watchlist", "list")
    assert result.exit_code == 7
    assert result.stderr.splitlines()[0] == (
        f"error: TMDB unreachable: connection refused; {TITLES} titles not fetched, "
        "shown as unknown."
    )
    assert "Generated Film" in result.stdout
