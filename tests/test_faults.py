"""Every upstream fault, for a single lookup, a batch and a refresh (see tests/README.md).

Each fault is a switch on the fake TMDB server (or, for a name that does not resolve, on
the resolver). A passing fault is retried away; a lasting one gives a one-line error with
a hint, the documented exit status, no traceback, and the stale cache where it exists.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import socket
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import RunCli, age_cache, free_port
from tests.fake_tmdb import FakeTMDB
from wheretowatch.tmdb.cache import DiskCache

TMDB_BUSY = {"status_code": 25, "status_message": "Your request count (41) is over the limit."}
TMDB_DOWN = {"status_code": 9, "status_message": "Service offline."}
TMDB_ERROR = {"status_code": 11, "status_message": "Internal error."}
TMDB_ERROR_UNDER_200 = {"success": False, **TMDB_ERROR}
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
    monkeypatch.setenv("WHERETOWATCH_TMDB_URL", f"http://127.0.0.1:{free_port()}")


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
    "200 with TMDB error body": answers(200, TMDB_ERROR_UNDER_200),
    "never finishes": stalls,
}
UNREACHABLE: dict[str, Fault] = {
    "connection refused": refused,
    "name does not resolve": unresolvable,
}
LASTING = {**FAULTS, **UNREACHABLE}
# What a lasting fault tells the user: the first two lines of stderr, as tests/README.md
# documents them.
_RATE_LIMITED = (
    "error: TMDB is rate limiting requests (HTTP 429): Your request count (41) is over the limit.",
    "hint: Wait a minute and try again.",
)
_NOT_JSON = (
    "error: TMDB sent a response that is not valid JSON (cut off, or a page from a proxy).",
    "hint: Try again in a moment.",
)
_UNREACHABLE_HINT = "hint: Check your network connection (and WHERETOWATCH_TMDB_URL if you set it)."
MESSAGES: dict[str, tuple[str, str]] = {
    "429 with Retry-After": _RATE_LIMITED,
    "429 without Retry-After": _RATE_LIMITED,
    "500 TMDB body": ("error: TMDB answered HTTP 500: Internal error.", "hint: Try again later."),
    "502 proxy HTML": (
        "error: TMDB answered HTTP 502 without an explanation",
        "hint: Try again later.",
    ),
    "503 TMDB body": ("error: TMDB answered HTTP 503: Service offline.", "hint: Try again later."),
    "503 proxy HTML": (
        "error: TMDB answered HTTP 503 without an explanation",
        "hint: Try again later.",
    ),
    "truncated JSON": _NOT_JSON,
    "malformed JSON": _NOT_JSON,
    "200 with TMDB error body": (
        "error: TMDB answered HTTP 200 with an error: Internal error.",
        "hint: Try again later.",
    ),
    "wrong content type": (
        "error: TMDB answered with text/html instead of JSON "
        "(a proxy or captive portal in the way?).",
        "hint: Check your network connection.",
    ),
    "never finishes": (
        "error: TMDB did not answer in time (no data).",
        "hint: Check your network connection, or raise `timeout` in the config file.",
    ),
    "connection refused": (
        "error: Cannot reach TMDB at http://127.0.0.1:PORT: [Errno 111] Connection refused.",
        _UNREACHABLE_HINT,
    ),
    "name does not resolve": (
        "error: Cannot reach TMDB at http://tmdb.invalid: [Errno -2] Name or service not known.",
        _UNREACHABLE_HINT,
    ),
}


pytestmark = pytest.mark.usefixtures("online", "no_waiting")


def assert_plain_error(stdout: str, stderr: str) -> None:
    """An error in words on stderr, with a hint, nothing on stdout, no traceback."""
    assert stdout == ""
    lines = stderr.splitlines()
    assert lines[0].startswith("error: ")
    assert lines[1].startswith("hint: ")
    assert "Traceback" not in stderr


def assert_documented_error(name: str, stdout: str, stderr: str) -> None:
    assert stdout == ""
    lines = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", stderr).splitlines()
    assert tuple(lines) == MESSAGES[name]


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_a_passing_fault_is_retried_away(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch, fault: Fault
) -> None:
    fault(fake, monkeypatch, 1)
    result = run("Drawing Closer", "-r", "GB")
    assert result.exit_code == 0, result.stderr
    assert "Netflix" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize("name", LASTING)
def test_a_lasting_fault_fails_a_lookup_with_its_documented_message(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    LASTING[name](fake, monkeypatch, 100)
    result = run("Drawing Closer", "-r", "GB")
    assert result.exit_code == 7
    assert_documented_error(name, result.stdout, result.stderr)
    document = json.loads(run("Drawing Closer", "-r", "GB", "--json").stdout)
    assert document["error"]["code"] == "upstream"


@pytest.mark.parametrize("fault", LASTING.values(), ids=LASTING.keys())
def test_a_lasting_fault_falls_back_to_the_stale_cache(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch, fault: Fault, isolated: Path
) -> None:
    cache_dir = isolated / "xdg-cache" / "wheretowatch"
    assert run("Drawing Closer", "-r", "GB", "-q").exit_code == 0
    age_cache(cache_dir, 7200, expire=True)
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


ANSWERING = {k: v for k, v in FAULTS.items() if k != "never finishes"}
NO_ANSWER = {**UNREACHABLE, "never finishes": stalls}


@pytest.mark.parametrize("fault", ANSWERING.values(), ids=ANSWERING.keys())
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


@pytest.mark.parametrize("fault", NO_ANSWER.values(), ids=NO_ANSWER.keys())
def test_tmdb_unreachable_in_a_refresh_is_one_line(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch, fault: Fault
) -> None:
    run("watchlist", "add", "Drawing Closer", "-r", "GB")
    assert run("refresh").exit_code == 0
    fault(fake, monkeypatch, 100)
    result = run("refresh")
    assert result.exit_code == 7
    assert result.stdout == ""
    assert result.stderr.startswith("error: TMDB unreachable: ")
    assert "; 1 title not refreshed, snapshots kept.\n" in result.stderr


def test_an_error_body_under_200_is_never_cached_as_an_empty_search(
    run: RunCli, fake: FakeTMDB
) -> None:
    fake.fail(200, TMDB_ERROR_UNDER_200, path_prefix="/3/search", times=4)  # every attempt
    failed = run("Drawing Closer", "-r", "GB")
    assert failed.exit_code == 7
    assert "error: TMDB answered HTTP 200 with an error: Internal error." in failed.stderr
    result = run("Drawing Closer", "-r", "GB")
    assert result.exit_code == 0, result.stderr
    assert "Netflix" in result.stdout
    assert fake.paths().count("/3/search/multi") == 5  # asked again, not answered from cache


def test_headers_dripped_a_byte_at_a_time_are_cut_off_by_the_request_budget(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("wheretowatch.tmdb.http.REQUEST_BUDGET", 1.0)
    fake.fail(200, {"page": 1, "results": []}, drip=0.05, times=100)  # ~8 s for the headers
    started = time.monotonic()
    result = run("Drawing Closer", "-r", "GB")
    elapsed = time.monotonic() - started
    assert result.exit_code == 7
    assert_plain_error(result.stdout, result.stderr)
    assert "TMDB did not finish answering within 1 seconds." in result.stderr
    assert elapsed < 4.0
    assert len(fake.requests) == 1  # the budget is spent: no retry


@pytest.mark.parametrize("status", [301, 302, 304])
def test_a_redirect_is_an_unexpected_answer_from_the_url_in_use(
    run: RunCli, fake: FakeTMDB, status: int
) -> None:
    fake.fail(status, b"", headers={"Location": "https://example.org/"}, times=100)
    result = run("Drawing Closer", "-r", "GB")
    assert result.exit_code == 7
    assert_plain_error(result.stdout, result.stderr)
    assert f"error: Unexpected answer from {fake.url}: HTTP {status}" in result.stderr
    assert "hint: Check WHERETOWATCH_TMDB_URL" in result.stderr
    assert "bug" not in result.stderr
    assert len(fake.requests) == 1


@pytest.mark.parametrize("shape", ["too large", "gzip bomb"])
def test_an_answer_refused_for_size_is_not_asked_for_again(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch, shape: str
) -> None:
    if shape == "too large":
        monkeypatch.setattr("wheretowatch.tmdb.http.MAX_BODY_BYTES", 10_000)
        fake.fail(200, {"results": [], "padding": "x" * 20_000}, times=100)
    else:  # 17 MB of JSON whitespace in 17 KB on the wire; the cap is 16 MB decoded
        bomb = gzip.compress(b"{" + b" " * (17 * 1024 * 1024) + b"}", compresslevel=9)
        fake.fail(200, bomb, headers={"Content-Encoding": "gzip"}, times=100)
    result = run("Drawing Closer", "-r", "GB")
    assert result.exit_code == 7
    assert_plain_error(result.stdout, result.stderr)
    assert "far larger than any TMDB answer" in result.stderr
    assert len(fake.requests) == 1


def test_ids_come_from_the_request_not_the_answer(run: RunCli, fake: FakeTMDB) -> None:
    fake.movies[550]["id"] = 551  # a mirror that answers for another title
    result = run("--tmdb-id", "550", "-r", "GB", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["title"]["tmdb_id"] == 550
    assert run("watchlist", "add", "--tmdb-id", "550", "-r", "GB").exit_code == 0
    listed = json.loads(run("watchlist", "list", "--json").stdout)
    assert [entry["tmdb_id"] for entry in listed["titles"]] == [550]


def _rekey(directory: Path, old: str, new: str) -> None:
    cache = DiskCache(directory)
    for key in cache.entry_keys():
        entry = cache.get(key)
        assert entry is not None
        cache.set(key.replace(old, new), entry)
    cache.close()
