from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.fake_tmdb import FakeTMDB
from wheretowatch.cli import app
from wheretowatch.settings.client import http_settings as settings_to_http
from wheretowatch.settings.loading import load_settings
from wheretowatch.tmdb import CachedResponse, DiskCache, HttpSettings

# A shell that starts a job in the background (`bash .ci/run &`) ignores SIGINT for it, and
# ignored signals stay ignored in every child: the tests that press Ctrl-C in a terminal
# would see nothing happen. Handled here, the children start with the default again.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

# Distinctive, so a test can grep every output and file for it.
TOKEN = "test-token-4f1e9c2a7b"
API_KEY = "testkey0123456789abcdef01234567"


@pytest.fixture(scope="session")
def _fake_server() -> Iterator[FakeTMDB]:
    fake = FakeTMDB(token=TOKEN, api_key=API_KEY)
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def fake(_fake_server: FakeTMDB) -> FakeTMDB:
    """The fake TMDB server, with its data, faults and request log reset."""
    _fake_server.reset()
    return _fake_server


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No test sees the developer's environment, home, config or cache."""
    for name in list(os.environ):
        if name.startswith(("WHERETOWATCH_", "TMDB_", "LC_", "XDG_")) or name in (
            "LANG",
            "LANGUAGE",
            "NO_COLOR",
            "FORCE_COLOR",
        ):
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("TERM", "dumb")
    return tmp_path


@pytest.fixture
def config_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    path = tmp_path / "config"
    path.mkdir()
    monkeypatch.setenv("WHERETOWATCH_CONFIG_DIR", str(path))
    return path


@pytest.fixture
def online(monkeypatch: pytest.MonkeyPatch, fake: FakeTMDB) -> FakeTMDB:
    """The CLI pointed at the fake server, with a valid token."""
    monkeypatch.setenv("TMDB_API_TOKEN", TOKEN)
    monkeypatch.setenv("WHERETOWATCH_TMDB_URL", fake.url)
    return fake


@dataclass(frozen=True)
class Run:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def run() -> RunCli:
    return RunCli()


class RunCli:
    """Invoke the CLI in-process; stdout and stderr are kept apart."""

    def __call__(self, *args: str, input: str | bytes | None = None) -> Run:
        result = CliRunner().invoke(app, list(args), input=input, catch_exceptions=False)
        return Run(int(result.exit_code), result.stdout, result.stderr)


def http_settings(
    base_url: str, *, api_token: str | None = TOKEN, api_key: str | None = None, **changes: object
) -> HttpSettings:
    """The HTTP settings a user with no config file gets, aimed at `base_url`."""
    defaults = settings_to_http(load_settings({}, {"HOME": "/nonexistent"}))
    return defaults._replace(base_url=base_url, api_token=api_token, api_key=api_key, **changes)  # type: ignore[arg-type]


@pytest.fixture
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The client's waits between attempts, recorded instead of slept (the server's own
    stalls still happen). Returns the list of waits."""
    waits: list[float] = []
    monkeypatch.setattr("wheretowatch.tmdb.http.default_sleep", waits.append)
    return waits


def free_port() -> int:
    """A loopback port where nothing listens, and nothing will: it stays bound (without
    listening) to this test process, so no other process can take it meanwhile and a
    connection to it is refused."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    _RESERVED.append(sock)
    port: int = sock.getsockname()[1]
    return port


_RESERVED: list[socket.socket] = []


def age_cache(cache_dir: Path, seconds: float, *, expire: bool = False) -> None:
    """Make every cached answer `seconds` older, as if fetched that long ago; with `expire`,
    also past its time to live. Through the cache's public face only."""
    cache = DiskCache(cache_dir)
    for key in cache.entry_keys():
        entry = cache.get(key)
        assert entry is not None
        fresh_until = entry.fetched_at - 1 if expire else entry.fresh_until - seconds
        cache.set(key, CachedResponse(entry.body, entry.fetched_at - seconds, fresh_until))
    cache.close()


def run_warm(code: str) -> tuple[subprocess.CompletedProcess[str], Any]:
    """Run `code` in a fresh interpreter twice, the first run filling the cache; the second
    run, and the JSON it printed last on stderr (what it found about itself)."""
    command = [sys.executable, "-c", code]
    subprocess.run(command, capture_output=True, timeout=60, check=True)
    warm = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    return warm, json.loads(warm.stderr.splitlines()[-1])
