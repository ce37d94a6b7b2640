"""`setup` on a real pseudo-terminal, `config set|unset|path|edit`, and `doctor`."""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import API_KEY, TOKEN, Run, RunCli
from tests.fake_tmdb import FakeTMDB
from tests.terminal import Terminal

CREDENTIAL_PROMPT = "\nTMDB credential: "
COMMENTED = """\
# Where I watch from.
region = "GB"  # home

# Bumped for the slow hotel wifi.
timeout = 20
"""

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")


@pytest.fixture
def config_path(config_dir: Path) -> Path:
    return config_dir / "config.toml"


@pytest.fixture
def terminal(fake: FakeTMDB, config_dir: Path) -> Iterator[Callable[..., Terminal]]:
    """Start `wheretowatch ARGS` on a pty, pointed at the fake TMDB, no credential set."""
    started: list[Terminal] = []
    env = {k: v for k, v in os.environ.items() if not k.startswith("TMDB_")}
    env.update(WHERETOWATCH_TMDB_URL=fake.url, LANG="en_GB.UTF-8", COLUMNS="100")

    def start(*args: str, **extra: str) -> Terminal:
        started.append(Terminal(*args, env={**env, **extra}))
        return started[-1]

    yield start
    for each in started:
        each.kill()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- setup ---------------------------------------------------------------------------


def test_setup_typed_answers_write_a_private_file_and_say_what_to_try(
    terminal: Callable[..., Terminal], config_path: Path
) -> None:
    term = terminal("setup")
    term.expect(CREDENTIAL_PROMPT)
    term.send(TOKEN)
    term.expect("TMDB accepted the Read Access Token.")
    term.expect("Region [GB]: ")
    term.send("gb, us")
    term.expect("Your services [Enter for none]: ")
    term.send("1, bbc iplayer")
    term.expect("Write it? [Y/n]")
    term.send("")

    assert term.wait() == 0
    assert 'Try it: wheretowatch "Drawing Closer"' in term.seen
    assert TOKEN not in term.seen  # hidden input is not echoed, the preview masks it
    assert "api_token = (hidden)" in term.seen
    text = config_path.read_text()
    assert f'api_token = "{TOKEN}"' in text
    assert 'region = ["GB", "US"]' in text
    # Stored with their provider ids: matched by id, whatever TMDB renames them to.
    assert 'services = ["Netflix (8, 1796, 1797)", "BBC iPlayer (38)"]' in text
    assert _mode(config_path) == 0o600


def test_setup_rerun_accepting_every_default_changes_nothing(
    terminal: Callable[..., Terminal], config_path: Path
) -> None:
    config_path.write_text(f'{COMMENTED}api_token = "{TOKEN}"\nservices = ["Netflix"]\n')
    before = config_path.read_text()
    term = terminal("setup")
    term.expect("[Enter keeps the Read Access Token in the file]: ")
    term.send("")
    term.expect("Region [GB]: ")
    term.send("")
    term.expect("[Enter keeps: Netflix]: ")
    term.send("")

    assert term.wait() == 0
    assert "Nothing changed" in term.seen
    assert config_path.read_text() == before


def test_setup_changes_only_what_is_changed_and_keeps_comments(
    terminal: Callable[..., Terminal], config_path: Path
) -> None:
    config_path.write_text(f'{COMMENTED}api_token = "{TOKEN}"\n')
    term = terminal("setup")
    term.expect("in the file]: ")
    term.send("")
    term.expect("Region [GB]: ")
    term.send("JP")
    term.expect("[Enter for none]: ")
    term.send("")
    term.expect("Write it? [Y/n]")
    term.send("y")

    assert term.wait() == 0
    text = config_path.read_text()
    assert "# Where I watch from." in text
    assert "# Bumped for the slow hotel wifi.\ntimeout = 20" in text
    assert 'region = "JP"  # home' in text


def test_setup_says_plainly_when_tmdb_rejects_the_credential_and_asks_again(
    terminal: Callable[..., Terminal], config_path: Path
) -> None:
    term = terminal("setup")
    term.expect(CREDENTIAL_PROMPT)
    term.send("not-the-token")
    term.expect("(Ctrl-C to stop).\nTMDB credential: ")  # asked again
    term.interrupt()

    assert term.wait() == 130
    assert "not-the-token" not in term.seen
    assert not config_path.exists()


def test_setup_keeps_a_credential_from_the_environment_out_of_the_file(
    terminal: Callable[..., Terminal], config_path: Path
) -> None:
    term = terminal("setup", TMDB_API_TOKEN=TOKEN)
    term.expect("[Enter keeps using TMDB_API_TOKEN]: ")
    term.send("")
    term.expect("Region [GB]: ")
    term.send("")
    term.expect("[Enter for none]: ")
    term.send("")
    term.expect("Write it? [Y/n]")
    term.send("")

    assert term.wait() == 0
    assert config_path.read_text() == 'region = "GB"\n'


def test_setup_stores_a_v3_key_under_api_key(
    terminal: Callable[..., Terminal], config_path: Path
) -> None:
    term = terminal("setup")
    term.expect(CREDENTIAL_PROMPT)
    term.send(API_KEY)
    term.expect("TMDB accepted the v3 API key.")
    term.expect("Region [GB]: ")
    term.send("")
    term.expect("[Enter for none]: ")
    term.send("none")
    term.expect("Write it? [Y/n]")
    term.send("")

    assert term.wait() == 0
    assert f'api_key = "{API_KEY}"' in config_path.read_text()
    assert "api_token" not in config_path.read_text()


@pytest.mark.parametrize("at", ["credential", "region", "services", "confirm"])
def test_setup_interrupted_at_any_question_writes_nothing(
    terminal: Callable[..., Terminal], config_path: Path, at: str
) -> None:
    config_path.write_text(COMMENTED)
    steps = [
        (CREDENTIAL_PROMPT, TOKEN),
        ("Region [GB]: ", "US"),
        ("[Enter for none]: ", "Netflix"),
        ("Write it? [Y/n]", ""),
    ]
    stop = ["credential", "region", "services", "confirm"].index(at)
    term = terminal("setup")
    for prompt, answer in steps[:stop]:
        term.expect(prompt)
        term.send(answer)
    term.expect(steps[stop][0])
    term.interrupt()

    assert term.wait() == 130
    assert "Interrupted: nothing was written." in term.seen
    assert config_path.read_text() == COMMENTED


def test_setup_interrupted_while_tmdb_is_asked_writes_nothing(
    terminal: Callable[..., Terminal], config_path: Path, fake: FakeTMDB
) -> None:
    fake.delays["/3/authentication"] = 5.0
    term = terminal("setup")
    term.expect(CREDENTIAL_PROMPT)
    term.send(TOKEN)
    term.interrupt()

    assert term.wait() == 130
    assert not config_path.exists()


def test_setup_without_a_terminal_exits_2_and_points_to_config_set(run: RunCli) -> None:
    result = run("setup", input="")

    assert result.exit_code == 2
    assert "wheretowatch config set" in result.stderr
    assert result.stdout == ""


# --- config set / unset / path / edit --------------------------------------------------


def test_config_set_keeps_comments_other_keys_and_order(run: RunCli, config_path: Path) -> None:
    config_path.write_text(COMMENTED)

    result = run("config", "set", "region", "GB", "US")

    assert result.exit_code == 0, result.stderr
    assert config_path.read_text() == COMMENTED.replace('"GB"  # home', '["GB", "US"]  # home')


def test_config_set_creates_the_file_with_mode_0600(run: RunCli, config_path: Path) -> None:
    result = run("config", "set", "timeout", "20")

    assert result.exit_code == 0, result.stderr
    assert config_path.read_text() == "timeout = 20\n"
    assert _mode(config_path) == 0o600
    assert f"Set timeout = 20 in {config_path}" in result.stderr


def test_config_set_services_resolves_names_against_tmdb(
    run: RunCli, online: FakeTMDB, config_path: Path
) -> None:
    good = run("config", "set", "services", "Netflix", "BBC iPlayer", "2")
    bad = run("config", "set", "services", "Netflx", "Disnep")

    assert good.exit_code == 0, good.stderr
    assert 'services = ["Netflix (8, 1796, 1797)", "BBC iPlayer (38)", "Apple TV (2)"]' in (
        config_path.read_text()
    )
    assert bad.exit_code == 2
    assert "'Netflx' (did you mean Netflix?)" in bad.stderr
    assert "'Disnep'" in bad.stderr
    assert "Netflx" not in config_path.read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["region", "XX"], "Unknown region code 'XX'"),
        (["timeout", "9999"], "Invalid timeout 9999"),
        (["timeout", "1", "2"], "takes one value, not 2"),
        (["colour", "red"], "Unknown key 'colour'"),
        (["language", "english"], "Invalid language"),
        (["ttl_title", "400d"], "six months"),
    ],
)
def test_config_set_refuses_a_bad_value_and_leaves_the_file(
    run: RunCli, config_path: Path, args: list[str], message: str
) -> None:
    config_path.write_text(COMMENTED)

    result = run("config", "set", *args)

    assert result.exit_code == 2
    assert message in result.stderr
    assert config_path.read_text() == COMMENTED


def test_config_set_on_a_file_that_is_not_toml_names_the_line_and_leaves_it(
    run: RunCli, config_path: Path
) -> None:
    config_path.write_text('region = "GB"\ntimeout = = 3\n')

    result = run("config", "set", "language", "en-GB")

    assert result.exit_code == 6
    assert f"The config file {config_path} is not valid TOML (line 2" in result.stderr
    assert config_path.read_text() == 'region = "GB"\ntimeout = = 3\n'


def test_config_set_secret_refuses_the_command_line_without_echoing_it(
    run: RunCli, config_path: Path
) -> None:
    result = run("config", "set", "api_token", TOKEN)

    assert result.exit_code == 2
    assert "shell history" in result.stderr
    assert TOKEN not in result.stdout + result.stderr
    assert not config_path.exists()


@pytest.mark.parametrize("ending", ["\n", "\r\n", ""])
def test_config_set_secret_from_stdin_trims_one_newline(
    run: RunCli, config_path: Path, ending: str
) -> None:
    result = run("config", "set", "api_token", input=TOKEN + ending)

    assert result.exit_code == 0, result.stderr
    assert config_path.read_text() == f'api_token = "{TOKEN}"\n'
    assert TOKEN not in result.stdout + result.stderr
    assert _mode(config_path) == 0o600


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("abc def", "whitespace"),
        ("abc\x1bdef", "control characters"),
        ("abcdéf", "non-ASCII"),
        (" abcdef", "whitespace"),
        ("abc\n\n", "whitespace"),
    ],
)
def test_config_set_secret_refuses_a_value_that_cannot_be_one_without_showing_it(
    run: RunCli, config_path: Path, value: str, problem: str
) -> None:
    result = run("config", "set", "api_key", "--stdin", input=value)

    assert result.exit_code == 2
    assert problem in result.stderr
    assert "abc" not in result.stdout + result.stderr
    assert not config_path.exists()


def test_a_stored_secret_is_in_the_config_file_and_no_other_file_or_output(
    run: RunCli, fake: FakeTMDB, config_path: Path, monkeypatch: pytest.MonkeyPatch, isolated: Path
) -> None:
    monkeypatch.setenv("WHERETOWATCH_TMDB_URL", fake.url)
    outputs = [run("config", "set", "api_token", input=TOKEN + "\n")]
    outputs.append(run("config", "set", "region", "GB"))
    outputs += [run(*args) for args in (["Drawing Closer"], ["doctor"], ["config"])]

    assert [o.exit_code for o in outputs] == [0, 0, 0, 0, 0]
    for output in outputs:
        assert TOKEN not in output.stdout + output.stderr
    holding = [p for p in isolated.rglob("*") if p.is_file() and TOKEN.encode() in p.read_bytes()]
    assert holding == [config_path]


def test_config_set_secret_on_a_terminal_asks_with_hidden_input(
    terminal: Callable[..., Terminal], config_path: Path
) -> None:
    term = terminal("config", "set", "api_token")
    term.expect("TMDB API Read Access Token: ")
    term.send(TOKEN)

    assert term.wait() == 0
    assert TOKEN not in term.seen
    assert config_path.read_text() == f'api_token = "{TOKEN}"\n'


def test_config_set_secret_interrupted_at_the_prompt_writes_nothing(
    terminal: Callable[..., Terminal], config_path: Path
) -> None:
    config_path.write_text(COMMENTED)
    term = terminal("config", "set", "api_token")
    term.expect("TMDB API Read Access Token: ")
    term.interrupt()

    assert term.wait() == 130
    assert config_path.read_text() == COMMENTED


def test_config_unset_removes_only_that_key(run: RunCli, config_path: Path) -> None:
    config_path.write_text(COMMENTED)

    result = run("config", "unset", "timeout")

    assert result.exit_code == 0, result.stderr
    assert "timeout" not in config_path.read_text()
    assert 'region = "GB"  # home' in config_path.read_text()


def test_config_path_prints_the_path_whether_or_not_it_exists(
    run: RunCli, config_path: Path
) -> None:
    result = run("config", "path")

    assert (result.exit_code, result.stdout, result.stderr) == (0, f"{config_path}\n", "")
    assert not config_path.exists()


def test_config_edit_reports_a_problem_with_file_and_line(
    run: RunCli, config_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _editor(tmp_path, monkeypatch, 'printf \'region = "GB"\\ntimeout = 9999\\n\' > "$1"\n')

    config_path.write_text('region = "US"\n')

    result = run("config", "edit")

    assert result.exit_code == 6
    assert f"config file {config_path}, line 2" in result.stderr
    assert "Invalid timeout 9999" in result.stderr
    # Without a terminal, never a broken config left behind: the previous file is back.
    assert config_path.read_text() == 'region = "US"\n'
    rejected = config_path.with_name("config.toml.rejected")
    assert rejected.read_text() == 'region = "GB"\ntimeout = 9999\n'
    assert f"warning: Restored the previous {config_path}; your edit is in {rejected}." in (
        result.stderr.replace("\n", " ")
    )


def test_config_shows_whether_the_file_exists_and_what_services_resolved_to(
    run: RunCli, online: FakeTMDB, config_path: Path
) -> None:
    missing = run("config", "--json")
    config_path.write_text('services = ["netflix", "iplayer"]\n')
    present = run("config", "--json")

    assert json.loads(missing.stdout)["config_file_exists"] is False
    document = json.loads(present.stdout)
    assert document["config_file_exists"] is True
    resolved = {
        s["name"]: s["providers"][0]["provider_name"] for s in document["services_resolved"]
    }
    assert resolved == {"netflix": "Netflix", "iplayer": "BBC iPlayer"}


def test_an_unknown_region_in_the_config_file_exits_6_naming_file_key_and_line(
    run: RunCli, online: FakeTMDB, config_path: Path
) -> None:
    config_path.write_text('timeout = 20\nregion = "Narnia"\n')

    result = run("Drawing Closer")

    assert result.exit_code == 6
    assert f"Unknown region code 'Narnia' (from config file {config_path}, line 2)" in (
        result.stderr
    )


# --- credentials in every command's messages -----------------------------------------------


def test_a_missing_credential_names_the_config_file_and_setup(
    run: RunCli, fake: FakeTMDB, config_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WHERETOWATCH_TMDB_URL", fake.url)

    result = run("Drawing Closer", "--region", "GB")

    assert result.exit_code == 6
    assert "wheretowatch setup" in result.stderr
    assert str(config_path) in result.stderr


def test_a_rejected_key_shaped_token_is_named_as_a_v3_key(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WHERETOWATCH_TMDB_URL", fake.url)
    monkeypatch.setenv("TMDB_API_TOKEN", "0123456789abcdef0123456789abcdef")

    result = run("Drawing Closer", "--region", "GB")

    assert result.exit_code == 6
    assert "TMDB rejected the credential in TMDB_API_TOKEN" in result.stderr
    assert "looks like a v3 API key" in result.stderr
    assert "TMDB_API_KEY" in result.stderr


def test_a_rejected_credential_from_the_file_names_the_file(
    run: RunCli, fake: FakeTMDB, config_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WHERETOWATCH_TMDB_URL", fake.url)
    config_path.write_text('api_token = "wrong-token"\n')
    config_path.chmod(0o600)

    result = run("Drawing Closer", "--region", "GB")

    assert result.exit_code == 6
    assert f"rejected the credential in api_token in the file {config_path}" in result.stderr
    assert "wrong-token" not in result.stderr


# --- doctor ------------------------------------------------------------------------------


def test_doctor_all_well_exits_0_with_every_check_passed(
    run: RunCli, online: FakeTMDB, config_path: Path
) -> None:
    config_path.write_text('region = "GB"\nservices = ["Netflix"]\n')

    result = run("doctor", "--json")

    assert result.exit_code == 0, result.stdout
    checks = json.loads(result.stdout)["checks"]
    assert all(check["ok"] for check in checks)
    names = {check["name"] for check in checks}
    assert {"credential", "TMDB reachable", "region", "services", "cache"} <= names
    assert [r.path for r in online.requests].count("/3/authentication") == 1


def test_doctor_names_every_problem_at_once_and_exits_6(
    run: RunCli, fake: FakeTMDB, config_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WHERETOWATCH_TMDB_URL", fake.url)
    monkeypatch.setenv("TMDB_API_TOKEN", "0123456789abcdef0123456789abcdef")
    monkeypatch.setenv("WHERETOWATCH_TIMEOUT", "never")
    config_path.write_text('region = "XX"\ncolour = "red"\n')
    config_path.chmod(0o666)

    result = run("doctor", "--json")

    assert result.exit_code == 6
    failed = [c for c in json.loads(result.stdout)["checks"] if not c["ok"]]
    messages = "\n".join(c["message"] for c in failed)
    assert "Unknown region code 'XX'" in messages
    assert "Unknown key 'colour'" in messages
    assert "can be changed by other users" in messages
    assert "Invalid timeout 'never' (from WHERETOWATCH_TIMEOUT)" in messages
    assert "looks like a v3 API key" in messages
    assert "TMDB rejected the credential" in messages
    assert "Not checked: the region setting cannot be read (see above)." in messages
    assert all(c["hint"] for c in failed)


def test_doctor_exits_7_when_tmdb_cannot_be_reached(
    run: RunCli, monkeypatch: pytest.MonkeyPatch, config_path: Path
) -> None:
    monkeypatch.setenv("TMDB_API_TOKEN", TOKEN)
    monkeypatch.setenv("WHERETOWATCH_TMDB_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("WHERETOWATCH_REGION", "GB")
    monkeypatch.setattr("wheretowatch.tmdb.http.MAX_ATTEMPTS", 1)

    result = run("doctor")

    assert result.exit_code == 7
    assert "Cannot reach TMDB at http://127.0.0.1:9" in result.stdout
    assert "1 problem found." in result.stdout


def test_doctor_with_a_malformed_tmdb_url_says_so_and_asks_no_other_server(
    run: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMDB_API_TOKEN", TOKEN)
    monkeypatch.setenv("WHERETOWATCH_TMDB_URL", "ftp://127.0.0.1:9")
    monkeypatch.setenv("WHERETOWATCH_REGION", "GB")

    result = run("doctor", "--json")

    assert result.exit_code == 6
    checks = json.loads(result.stdout)["checks"]
    failed = [c["message"] for c in checks if not c["ok"]]
    assert failed == [
        "Invalid tmdb_url 'ftp://127.0.0.1:9' (from WHERETOWATCH_TMDB_URL): expected an "
        "http:// or https:// URL"
    ]
    assert not any(c["name"] == "TMDB reachable" for c in checks)


def test_doctor_reports_damaged_data_files_and_an_unusable_directory(
    run: RunCli, online: FakeTMDB, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "watchlist.json").write_text("{not json")
    (data / "snapshots.json").write_text("[]")
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("WHERETOWATCH_DATA_DIR", str(data))
    monkeypatch.setenv("WHERETOWATCH_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.setenv("WHERETOWATCH_REGION", "GB")

    result = run("doctor", "--json")

    assert result.exit_code == 6
    failed = {c["name"]: c["message"] for c in json.loads(result.stdout)["checks"] if not c["ok"]}
    assert set(failed) >= {"watchlist", "snapshots", "cache directory"}
    assert "not valid JSON" in failed["watchlist"]
    assert "is not a directory" in failed["cache directory"]


def test_doctor_never_shows_a_credential(
    run: RunCli, fake: FakeTMDB, config_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WHERETOWATCH_TMDB_URL", fake.url)
    config_path.write_text(f'api_token = "{TOKEN}"\napi_key = "{API_KEY}"\n')
    config_path.chmod(0o644)

    for args in (["doctor"], ["doctor", "--json"], ["config"], ["config", "--json"]):
        result = run(*args)
        assert TOKEN not in result.stdout + result.stderr
        assert API_KEY not in result.stdout + result.stderr


# --- the credential's shape --------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("0123456789abcdef0123456789ABCDEF", "api_key"),
        ("eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiIxMjMifQ.c2lnbmF0dXJl", "api_token"),
        ("0123456789abcdef0123456789abcde", "api_token"),  # 31 characters: not a v3 key
        (TOKEN, "api_token"),
    ],
)
def test_the_shape_of_a_credential_chooses_its_key(value: str, key: str) -> None:
    from wheretowatch.tmdb import key_for

    assert key_for(value) == key


def test_a_credential_that_cannot_be_one_is_refused_without_being_shown() -> None:
    from wheretowatch.errors import ConfigError
    from wheretowatch.tmdb import check_credential

    with pytest.raises(ConfigError) as caught:
        check_credential("secret\u200bvalue", "TMDB_API_TOKEN")

    assert "non-ASCII" in caught.value.message
    assert "secret" not in caught.value.message + (caught.value.hint or "")
    assert check_credential("  spaced-token\n", "stdin") == "spaced-token"


def test_doctor_with_a_bad_region_still_checks_the_services_set_beside_it(
    run: RunCli, online: FakeTMDB, config_path: Path
) -> None:
    config_path.write_text('region = "XX"\nservices = ["Nope"]\n')

    result = run("doctor", "--json")

    assert result.exit_code == 6
    assert any("Unknown region code 'XX'" in c["message"] for c in _checks(result, "config file"))
    (services,) = _checks(result, "services")
    assert not services["ok"]
    assert "Nope" in services["message"]


def test_doctor_says_an_unreadable_setting_was_not_checked_not_that_it_is_unset(
    run: RunCli, online: FakeTMDB, config_path: Path
) -> None:
    config_path.write_text('region = "GB"\nnotify = ["not a url"]\nservices = "Netflix"\n')

    result = run("doctor", "--json")

    assert result.exit_code == 6
    checks = json.loads(result.stdout)["checks"]
    (notify,) = _checks(result, "notifications")
    assert (notify["ok"], notify["message"]) == (
        False,
        "Not checked: the notify setting cannot be read (see above).",
    )
    assert any("Invalid notify value" in c["message"] for c in checks if not c["ok"])


def test_doctor_with_an_empty_tmdb_url_variable_checks_the_default(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch, config_path: Path
) -> None:
    from wheretowatch.settings import loading as settings
    from wheretowatch.settings.defaults import DEFAULTS

    # The default URL, here the fake's: an empty variable is unset, as everywhere.
    monkeypatch.setattr(settings, "DEFAULTS", {**DEFAULTS, "tmdb_url": fake.url})
    monkeypatch.setenv("TMDB_API_TOKEN", TOKEN)
    monkeypatch.setenv("WHERETOWATCH_TMDB_URL", "")
    config_path.write_text('region = "GB"\n')

    result = run("doctor", "--json")

    assert result.exit_code == 0, result.stdout
    names = [c["name"] for c in json.loads(result.stdout)["checks"]]
    assert "TMDB reachable" in names  # asked, never skipped
    assert [r.path for r in fake.requests].count("/3/authentication") == 1


def test_a_config_file_with_a_byte_order_mark_can_be_set_and_checked(
    run: RunCli, online: FakeTMDB, config_path: Path
) -> None:
    config_path.write_bytes(b'\xef\xbb\xbfregion = "GB"\n')

    assert run("config", "set", "language", "de-DE").exit_code == 0
    result = run("doctor", "--json")

    (config,) = _checks(result, "config file")
    assert config["ok"], config
    assert 'region = "GB"' in config_path.read_text(encoding="utf-8-sig")


def test_config_edit_warns_of_a_token_left_readable_by_others(
    run: RunCli, config_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _editor(
        tmp_path,
        monkeypatch,
        'printf \'api_token = "%s"\\n\' "$TOKEN" > "$1.new"\n'
        'chmod 644 "$1.new"\nmv "$1.new" "$1"\n',
    )
    monkeypatch.setenv("TOKEN", TOKEN)

    result = run("config", "edit")

    assert result.exit_code == 0
    assert f"holds a TMDB credential and other users can read it. Run: chmod 600 {config_path}" in (
        result.stderr.replace("\n", " ")
    )
    assert TOKEN not in result.stdout + result.stderr


def test_config_edit_that_removes_the_file_says_so(
    run: RunCli, config_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _editor(tmp_path, monkeypatch, 'rm -f "$1"\n')

    result = run("config", "edit")

    assert result.exit_code == 0
    assert "was removed" in result.stdout + result.stderr
    assert "is valid" not in result.stdout + result.stderr


def test_doctor_counts_a_bad_setting_once_and_marks_what_it_could_not_check(
    run: RunCli, online: FakeTMDB, config_path: Path
) -> None:
    config_path.write_text('region = "XX"\n')

    result = run("doctor")

    assert result.exit_code == 6
    lines = result.stdout.splitlines()
    assert any(line.split()[:2] == ["skip", "region"] for line in lines if line.strip())
    assert lines[-1] == "1 problem found."
    (region,) = _checks(run("doctor", "--json"), "region")
    assert (region["ok"], region["skipped"]) == (False, True)


def _editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> None:
    """EDITOR as a shell script run on the config file ($1)."""
    editor = tmp_path / "editor.sh"
    editor.write_text("#!/bin/sh\n" + script)
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))


def _checks(result: Run, name: str) -> list[dict[str, Any]]:
    """The checks of that name in `doctor --json`'s document (a name may recur)."""
    checks: list[dict[str, Any]] = json.loads(result.stdout)["checks"]
    return [check for check in checks if check["name"] == name]


# --- #25 item 8: an editor setting to fix, a config file that cannot be read, warnings ---


@pytest.mark.parametrize("editor", ['vim "', "/nonexistent/editor", "  "])
def test_config_edit_with_an_editor_that_cannot_run_is_a_usage_error_without_traceback(
    config_path: Path, editor: str
) -> None:
    import subprocess

    env = {**os.environ, "EDITOR": editor}
    result = subprocess.run(
        [sys.executable, "-m", "wheretowatch", "config", "edit"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )

    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: Cannot run the editor {editor!r}: "), result.stderr
    assert "Set VISUAL or EDITOR to an installed editor" in result.stderr
    assert "Traceback" not in result.stderr


def test_doctor_skips_the_credential_of_a_config_file_it_cannot_read(
    run: RunCli, fake: FakeTMDB, config_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WHERETOWATCH_TMDB_URL", fake.url)
    monkeypatch.setenv("WHERETOWATCH_REGION", "GB")
    config_path.write_text(f'api_token = "{TOKEN}"\nregion = "GB\n')
    config_path.chmod(0o600)

    result = run("doctor", "--json")

    assert result.exit_code == 6
    (credential,) = _checks(result, "credential")
    assert (credential["ok"], credential["skipped"]) == (False, True)
    assert "No TMDB credential" not in result.stdout
    assert "the config file cannot be read" in credential["message"]
    problems = [c for c in json.loads(result.stdout)["checks"] if not c["ok"] and not c["skipped"]]
    assert [c["name"] for c in problems] == ["config file"]
    assert "is not valid TOML" in problems[0]["message"]
    text = run("doctor")
    assert text.stdout.splitlines()[-1] == "1 problem found."
    assert TOKEN not in result.stdout + text.stdout + result.stderr + text.stderr


def test_doctor_reports_the_warning_every_command_prints_of_a_world_writable_config_dir(
    run: RunCli, online: FakeTMDB, config_path: Path, config_dir: Path
) -> None:
    config_path.write_text('region = "GB"\n')
    config_path.chmod(0o600)
    config_dir.chmod(0o777)
    warned = run("config")
    assert f"directory of the config file {config_dir} can be changed" in warned.stderr

    result = run("doctor")

    assert result.exit_code == 6
    assert "All is well" not in result.stdout
    assert result.stdout.splitlines()[-1] == "1 problem found."
    document = run("doctor", "--json")
    (failed,) = [c for c in json.loads(document.stdout)["checks"] if not c["ok"]]
    assert f"directory of the config file {config_dir} can be changed" in failed["message"]
    assert failed["hint"] == f"Run: chmod go-w {config_dir}"


def _counting_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An editor that saves a bad file the first time, a good one the second."""
    count = tmp_path / "count"
    _editor(
        tmp_path,
        monkeypatch,
        f'if [ -e "{count}" ]; then printf \'region = "JP"\\n\' > "$1"; '
        f'else touch "{count}"; printf \'timeout = 9999\\n\' > "$1"; fi\n',
    )


@pytest.mark.parametrize(
    ("answer", "status", "content"),
    [
        ("e", 0, 'region = "JP"\n'),
        ("k", 6, "timeout = 9999\n"),
        ("r", 6, 'region = "US"\n'),
    ],
)
def test_config_edit_on_a_terminal_offers_to_edit_again_keep_or_restore(
    terminal: Callable[..., Terminal],
    config_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    answer: str,
    status: int,
    content: str,
) -> None:
    _counting_editor(tmp_path, monkeypatch)
    config_path.write_text('region = "US"\n')
    term = terminal("config", "edit", EDITOR=os.environ["EDITOR"])
    term.expect("[e]dit again, [k]eep it anyway, [r]estore the previous file: ")
    term.send(answer)
    assert term.wait() == status
    assert config_path.read_text() == content


def test_config_unset_removes_an_unknown_key_the_file_holds(run: RunCli, config_path: Path) -> None:
    config_path.write_text('region = "GB"\nregoin = "US"\n')
    assert run("Drawing Closer").exit_code == 6  # the error names the key
    result = run("config", "unset", "regoin")
    assert result.exit_code == 0, result.stderr
    assert config_path.read_text() == 'region = "GB"\n'
    assert run("config", "unset", "nonsense").exit_code == 2


def test_doctor_never_calls_a_setting_ok_that_a_broken_variable_overrides(
    run: RunCli, online: FakeTMDB, config_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_path.write_text('region = "GB"\n')
    monkeypatch.setenv("WHERETOWATCH_REGION", "XX")
    result = run("doctor")
    assert result.exit_code == 6
    lines = [line.split() for line in result.stdout.splitlines() if line.strip()]
    assert not any(words[:2] == ["ok", "region"] for words in lines)
    assert any(words[:2] == ["skip", "region"] for words in lines)
    assert "WHERETOWATCH_REGION" in result.stdout


def test_doctor_does_not_call_a_v3_key_a_read_access_token(
    run: RunCli, online: FakeTMDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMDB_API_TOKEN", "0123456789abcdef0123456789abcdef")
    result = run("doctor")
    assert "Read Access Token is set" not in result.stdout
    assert "looks like a v3 API key" in result.stdout


def test_doctor_checks_no_setting_a_config_file_it_cannot_read_may_hold(
    run: RunCli, config_path: Path
) -> None:
    # A TOML error: the region and services in the file are unknown, not "none set".
    config_path.parent.mkdir(parents=True, exist_ok=True)
    config_path.write_text('region = "GB\nservices = [Netflix\n')
    config_path.chmod(0o600)
    result = run("doctor", "--json")
    assert result.exit_code == 6
    for name in ("region", "services", "notifications"):
        (check,) = _checks(result, name)
        assert check["skipped"], check
        assert check["message"] == "Not checked: the config file cannot be read (see above)."
