"""The credential never shows: not in any output, message, log line or file the tool writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import API_KEY, TOKEN, RunCli
from tests.fake_tmdb import FakeTMDB


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("time.sleep", lambda seconds: None)


COMMANDS = [
    ["Drawing Closer", "-r", "GB"],
    ["Drawing Closer", "-r", "GB", "--json"],
    ["Drawing Closer", "Fight Club", "Nope Nothing", "-r", "GB,US", "--json"],
    ["--debug", "Fight Club", "-r", "GB", "--refresh"],
    ["--tmdb-id", "424242", "-r", "GB"],
    ["search", "Dune", "--json"],
    ["regions"],
    ["providers", "--region", "GB", "--json"],
    ["watchlist", "add", "Drawing Closer", "-r", "GB"],
    ["watchlist", "list", "--json"],
    ["refresh", "--json"],
    ["refresh", "--all-cached"],
    ["cache", "info", "--json"],
    ["config"],
    ["config", "--json"],
    ["config", "set", "region", "GB"],
    ["config", "path"],
    ["doctor"],
    ["doctor", "--json"],
]


@pytest.mark.parametrize("credential", ["token", "api_key"])
def test_no_output_and_no_written_file_holds_the_credential(
    run: RunCli,
    fake: FakeTMDB,
    monkeypatch: pytest.MonkeyPatch,
    isolated: Path,
    credential: str,
) -> None:
    monkeypatch.setenv("WHERETOWATCH_TMDB_URL", fake.url)
    if credential == "token":
        monkeypatch.setenv("TMDB_API_TOKEN", TOKEN)
    else:
        monkeypatch.setenv("TMDB_API_KEY", API_KEY)  # the riskier one: it travels in URLs
    secret = TOKEN if credential == "token" else API_KEY
    outputs = []
    for args in COMMANDS:
        result = run(*args)
        assert "Traceback" not in result.stderr, args
        outputs.append(result.stdout + result.stderr)
    fake.fail(500, {"status_code": 11, "status_message": f"echo {secret}"}, times=100)
    failing = run("--debug", "Search", "-r", "US", "--refresh")
    outputs.append(failing.stdout + failing.stderr)
    assert "debug: GET" in outputs[3]  # the debug log really ran
    assert ("Bearer ***" if credential == "token" else "api_key=***") in outputs[3]
    for output in outputs:
        assert secret not in output
    written = [p for p in isolated.rglob("*") if p.is_file()]
    assert any(p.name == "watchlist.json" for p in written)
    assert any(p.name == "cache.db" for p in written)
    for path in written:
        assert secret.encode() not in path.read_bytes(), path


def test_a_rejected_credential_is_not_echoed(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WHERETOWATCH_TMDB_URL", fake.url)
    monkeypatch.setenv("TMDB_API_TOKEN", "wrong-token-0000")
    result = run("--debug", "Drawing Closer", "-r", "GB")
    assert result.exit_code == 6
    assert "wrong-token-0000" not in result.stdout + result.stderr


def test_a_credential_in_a_shared_config_file_is_warned_about_not_shown(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch, config_dir: Path
) -> None:
    monkeypatch.setenv("WHERETOWATCH_TMDB_URL", fake.url)
    path = config_dir / "config.toml"
    path.write_text(f'api_key = "{API_KEY}"\nregion = "GB"\n')
    path.chmod(0o644)
    result = run("config")
    assert "chmod 600" in result.stderr
    assert API_KEY not in result.stdout + result.stderr
