"""The credential never shows: not in any output, message, log line or file the tool writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import API_KEY, TOKEN, RunCli
from tests.fake_tmdb import FakeTMDB

pytestmark = pytest.mark.usefixtures("no_waiting")


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


@pytest.mark.parametrize(
    "token",
    [f"{TOKEN}\nsecond-half-9d8c7b", f"{TOKEN}\tsecond-half", f"{TOKEN} second-half", f"{TOKEN}é"],
    ids=["newline", "tab", "space", "non-ASCII"],
)
def test_a_malformed_credential_exits_6_without_showing_it_or_sending_it(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch, token: str
) -> None:
    monkeypatch.setenv("WHERETOWATCH_TMDB_URL", fake.url)
    monkeypatch.setenv("TMDB_API_TOKEN", token)
    for args in (["Drawing Closer", "-r", "GB"], ["config"]):
        result = run(*args)
        assert result.exit_code == 6
        assert result.stdout == ""
        assert "TMDB credential from TMDB_API_TOKEN" in result.stderr
        for part in (TOKEN, "second-half", TOKEN[:8]):
            assert part not in result.stderr
    assert fake.requests == []


def test_a_base_url_with_a_password_is_refused_without_showing_it(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch, isolated: Path
) -> None:
    monkeypatch.setenv("TMDB_API_TOKEN", TOKEN)
    address = fake.url.removeprefix("http://")
    for url in (f"http://user:hunter2pw@{address}", f"{fake.url}/?api_key=hunter2pw"):
        monkeypatch.setenv("WHERETOWATCH_TMDB_URL", url)
        for args in (["Drawing Closer", "-r", "GB"], ["config"], ["--debug", "search", "Dune"]):
            result = run(*args)
            assert result.exit_code == 6, args
            assert "Invalid tmdb_url value (from WHERETOWATCH_TMDB_URL)" in result.stderr
            assert "hunter2pw" not in result.stdout + result.stderr
    assert fake.requests == []
    assert not any(b"hunter2pw" in p.read_bytes() for p in isolated.rglob("*") if p.is_file())


@pytest.mark.parametrize("place", ["file", "directory"])
def test_a_config_file_others_can_change_is_warned_about(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch, config_dir: Path, place: str
) -> None:
    monkeypatch.setenv("WHERETOWATCH_TMDB_URL", fake.url)
    path = config_dir / "config.toml"
    path.write_text('region = "GB"\n')  # no credential in it: the token is in the environment
    path.chmod(0o600)
    config_dir.chmod(0o700)
    assert run("config").stderr == ""
    (path if place == "file" else config_dir).chmod(0o666 if place == "file" else 0o777)
    result = run("config")
    assert result.exit_code == 0
    changed = path if place == "file" else config_dir
    assert f"{changed} can be changed by other users" in result.stderr
    assert f"chmod go-w {changed}" in result.stderr


@pytest.mark.parametrize(
    "shown",
    [
        f"Illegal header value b'Bearer {TOKEN[:10]}\\nPART2'",  # escaped, cut at a newline
        f"echo {TOKEN.upper()}",
        f"echo {TOKEN[:9]}…",
        f"echo …{TOKEN[-9:]}",
        f"{TOKEN!r}",
    ],
    ids=["escaped", "upper-case", "start only", "end only", "repr"],
)
def test_redaction_catches_every_form_of_a_secret(shown: str) -> None:
    from wheretowatch.tmdb.http import redact

    redacted = redact(shown, [TOKEN, None])
    assert "***" in redacted
    for start in range(len(TOKEN) - 7):
        assert TOKEN[start : start + 8].casefold() not in redacted.casefold()


def test_redaction_escaped_form_of_a_secret_with_a_line_break() -> None:
    from wheretowatch.tmdb.http import redact

    secret = "PART1-abcdefgh\nPART2-ijklmnop"
    assert redact(f"b'Bearer {secret!r}'", [secret]) == "b'Bearer '***''"


def test_debug_shows_the_authorization_header_sent_masked(
    run: RunCli, online: FakeTMDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run("--debug", "Drawing Closer", "-r", "GB", "--refresh")
    assert result.exit_code == 0
    sent = online.requests[0].headers["authorization"]
    assert sent == f"Bearer {TOKEN}"
    assert "debug:   > authorization: Bearer ***" in result.stderr
    assert TOKEN not in result.stderr


@pytest.mark.parametrize(
    "text",
    [
        'api_token = """\neyJSECRETVALUE\n"""\n',
        'notify = [\n  "json://[::1]:8080/hook",\n  "discord://123/SECRETVALUE",\n]\n',
        "api_key = 'SECRETVALUE' # a comment\n",
        "api_token = [broken\nSECRETVALUE\n",
        'api_token = """\nnew"""  # the old one: SECRETVALUE\n',
    ],
)
def test_the_config_preview_hides_secrets_written_over_several_lines(text: str) -> None:
    from wheretowatch.settings.file import masked

    shown = masked('region = "GB"\n' + text)

    assert "SECRETVALUE" not in shown
