"""Every upstream fault, for a single lookup, a batch and a refresh (see tests/README.md).

Each fault is a switch on the fake TMDB server (or, for a name that does not resolve, on
the resolver). A passing fault is retried away; a lasting one gives a one-line error with
a hint, the documented exit status, no traceback, and the stale cache where it exists.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.fake_tmdb import FakeTMDB
from wheretowatch.tmdb.cache import CachedResponse, DiskCache

TMDB_BUSY = {"status_code": 25, "status_message": "Your request count (41) is over the limit."}
TMDB_DOWN = {"status_code": 9, "status_message": "Service offline."}
TMDB_ERROR = {"status_code": 11, "status_message": "Internal error."}
PROXY_PAGE = "<html><body><h1>502 Bad Gateway</h1>nginx</body></html>"
Fault = Callable[[FakeTMDB, pytest.MonkeyPatch, int], None]


def answers(status: int, body: object, **options: object) -> Fault:
    def apply(fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch, times: int) -> None:
        fake.fail(status, body, times=times, **options)  # type: ignore[arg-type]

    return apply


def stalls(fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch, times: int) -> None:
    monkeypatch.setenv("WHERETOWATCH_TIMEOUT", "0.3")
    fake.fail(200, {"results": []}, stall=3.0, times=times)


def refused(fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch, times: int) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("WHERETOWATCH_TMDB_URL", f"http://127.0.0.1:{port}")


def unresolvable(fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch, times: int) -> None:
    # The resolver is replaced rather than asked: no test sends a query off this machine.
    def no_such_host(host: object, *args: object, **kwargs: object) -> object:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    monkeypatch.setenv("WHERETOWATCH_TMDB_URL", "http://tmdb.invalid")


FAULTS: dict[str, Fault] = {
    "429 with Retry-After": answers(429, TMDB_BUSY, headers={"Retry-After": "1"}),
    "429 without Retry-After": answers(429, TMDB_BUSY),
    "500 TMDB body": answers(500, TMDB_ERROR),
    "502 proxy HTML": answers(502, PROXY_PAGE, content_type="text/html"),
    "503 TMDB body": answers(503, TMDB_DOWN),
    "503 proxy HTML": answers(503, "<html>Service Unavailable</html>", content_type="text/html"),
    "truncated JSON": answers(200, b'{"page": 1, "results": [{"id": 5'),
    "malformed JSON": answers(200, b"{'page': 1,}"),
    "wrong content type": answers(200, PROXY_PAGE, content_type="text/html"),
    "never finishes": stalls,
}
UNREACHABLE: dict[str, Fault] = {
    "connection refused": refused,
    "name does not resolve": unresolvable,
}
LASTING = {**FAULTS, **UNREACHABLE}


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("time.sleep", lambda seconds: None)


pytestmark = pytest.mark.usefixtures("online")


def assert_plain_error(stdout: str, stderr: str) -> None:
    assert stdout == ""
    lines = stderr.splitlines()
    assert lines[0].startswith("error: ")
    assert lines[1].startswith("hint: ")
    assert "Traceback" not in stderr


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_a_passing_fault_is_retried_away(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch, fault: Fault
) -> None:
    fault(fake, monkeypatch, 1)
    result = run("Drawing Closer", "-r", "GB")
    assert result.exit_code == 0, result.stderr
    assert "Netflix" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize("fault", LASTING.values(), ids=LASTING.keys())
def test_a_lasting_fault_fails_a_lookup_in_plain_words(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch, fault: Fault
) -> None:
    fault(fake, monkeypatch, 100)
    result = run("Drawing Closer", "-r", "GB")
    assert result.exit_code == 7
    assert_plain_error(result.stdout, result.stderr)
    document = json.loads(run("Drawing Closer", "-r", "GB", "--json").stdout)
    assert document["error"]["code"] == "upstream"


@pytest.mark.parametrize("fault", LASTING.values(), ids=LASTING.keys())
def test_a_lasting_fault_falls_back_to_the_stale_cache(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch, fault: Fault, isolated: Path
) -> None:
    cache_dir = isolated / "xdg-cache" / "wheretowatch"
    assert run("Drawing Closer", "-r", "GB", "-q").exit_code == 0
    _expire(cache_dir)
    fault(fake, monkeypatch, 100)
    if os.environ["WHERETOWATCH_TMDB_URL"] != fake.url:
        # The address is part of the cache key: file the answers under the unreachable one.
        _rekey(cache_dir, fake.url, os.environ["WHERETOWATCH_TMDB_URL"])
    result = run("Drawing Closer", "-r", "GB", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["stale"] is True
    assert result.stderr.startswith("warning: ")
    assert "Showing cached data fetched" in result.stderr


@pytest.mark.parametrize("fault", LASTING.values(), ids=LASTING.keys())
def test_a_lasting_fault_in_a_batch_is_reported_for_each_title(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch, fault: Fault
) -> None:
    fault(fake, monkeypatch, 100)
    result = run("--from", "-", "-r", "GB", "--json", input="Drawing Closer\nFight Club\n")
    assert result.exit_code == 7
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["query"] for line in lines] == ["Drawing Closer", "Fight Club"]
    assert all(line["error"]["code"] == "upstream" for line in lines)
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("fault", LASTING.values(), ids=LASTING.keys())
def test_a_lasting_fault_in_a_refresh_names_the_title_and_keeps_its_snapshot(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch, fault: Fault
) -> None:
    run("watchlist", "add", "Drawing Closer", "-r", "GB")
    assert run("refresh").exit_code == 0
    fault(fake, monkeypatch, 100)
    result = run("refresh")
    assert result.exit_code == 7
    assert result.stdout == ""
    assert "could not refresh Drawing Closer (2024)" in result.stderr
    assert "Traceback" not in result.stderr


def _expire(directory: Path) -> None:
    cache = DiskCache(directory)
    for key in cache.entry_keys():
        entry = cache.get(key)
        assert entry is not None
        cache.set(key, CachedResponse(entry.body, entry.fetched_at - 7200, entry.fetched_at - 1))
    cache.close()


def _rekey(directory: Path, old: str, new: str) -> None:
    cache = DiskCache(directory)
    for key in cache.entry_keys():
        entry = cache.get(key)
        assert entry is not None
        cache.set(key.replace(old, new), entry)
    cache.close()
