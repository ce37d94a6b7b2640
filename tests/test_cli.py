"""The CLI end to end against the fake TMDB server: exit status, stdout, stderr."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import TOKEN, RunCli
from tests.fake_tmdb import FakeTMDB
from wheretowatch.attribution import JUSTWATCH_NOTICE, TMDB_NOTICE

pytestmark = pytest.mark.usefixtures("online")


def test_lookup_shows_providers_trailers_and_attribution(run: RunCli) -> None:
    result = run("Drawing Closer", "--region", "GB")
    assert result.exit_code == 0
    assert result.stderr == ""
    out = result.stdout
    assert "Drawing Closer (2024)" in out
    assert "余命一年の僕が、余命半年の君と出会った話。" in out
    assert "Stream" in out
    assert "Netflix" in out
    assert "https://www.themoviedb.org/movie/1291559-drawing-closer/watch?locale=GB" in out
    assert "TMDB gives no direct links" in out
    assert "https://www.youtube.com/watch?v=dcTrailerJa" in out
    assert "Region: GB  (from --region)" in out
    assert "Data fetched just now" in out
    assert TMDB_NOTICE in out
    assert JUSTWATCH_NOTICE in out


def test_lookup_lists_other_candidates_under_the_pick(run: RunCli) -> None:
    out = run("Drawing Closer", "-r", "GB").stdout
    assert "Other matches" in out
    assert "Drawing Closer to Home (2019)" in out
    assert "--tmdb-id 990001" in out


def test_several_regions_each_get_a_section(run: RunCli) -> None:
    out = run("Fight Club", "--region", "GB,US").stdout
    assert "United Kingdom" in out
    assert "United States" in out
    assert "Amazon Prime Video" in out  # GB stream
    assert "Tubi TV" in out
    assert "Pluto TV" in out
    assert out.index("GB") < out.index("US")


def test_providers_appear_in_display_priority_order(run: RunCli) -> None:
    out = run("Fight Club", "--region", "GB").stdout
    assert "Apple TV, Google Play Movies, Amazon Video" in out


def test_region_all_shows_the_compact_view(run: RunCli) -> None:
    result = run("Drawing Closer", "--region", "all")
    assert result.exit_code == 0
    assert "Streams in" in result.stdout
    assert "BR DE FR GB IN JP KR US" in result.stdout


def test_own_services_are_highlighted(run: RunCli, config_dir: Path) -> None:
    (config_dir / "config.toml").write_text('services = ["netflix"]\n')
    out = run("Drawing Closer", "-r", "GB").stdout
    assert "Netflix ★" in out
    assert "★ one of your services" in out


def test_json_output_has_the_documented_shape(run: RunCli) -> None:
    result = run("Drawing Closer", "--region", "GB,US", "--json")
    assert result.exit_code == 0
    assert result.stderr == ""
    doc = json.loads(result.stdout)
    assert doc["schema"] == 1
    assert doc["title"] == {
        "tmdb_id": 1291559,
        "media_type": "movie",
        "title": "Drawing Closer",
        "original_title": "余命一年の僕が、余命半年の君と出会った話。",
        "year": 2024,
    }
    assert list(doc["availability"]) == ["GB", "US"]
    gb = doc["availability"]["GB"]
    assert set(gb) == {"link", "flatrate", "rent", "buy", "free", "ads"}
    assert gb["flatrate"] == [{"provider_id": 8, "provider_name": "Netflix"}]
    assert doc["available"] is True
    assert doc["trailers"][0]["url"] == "https://www.youtube.com/watch?v=dcTrailerJa"
    assert set(doc["trailers"][0]) >= {"url", "name", "type", "official", "language"}
    assert doc["other_matches"][0]["tmdb_id"] == 990001
    assert doc["region_source"] == "--region"
    assert doc["from_cache"] is False
    assert doc["fetched_at"].endswith("+00:00")
    assert doc["attribution"]["justwatch"] == JUSTWATCH_NOTICE


def test_quiet_prints_nothing_and_the_status_answers(run: RunCli) -> None:
    available = run("Drawing Closer", "-r", "GB", "--quiet")
    assert (available.exit_code, available.stdout, available.stderr) == (0, "", "")
    missing = run("Nowhere Film", "-r", "GB", "-q")
    assert (missing.exit_code, missing.stdout, missing.stderr) == (3, "", "")


def test_found_but_not_available_exits_3(run: RunCli) -> None:
    result = run("Nowhere Film", "--region", "GB")
    assert result.exit_code == 3
    assert "Not available to stream, rent or buy here." in result.stdout
    doc = json.loads(run("Nowhere Film", "--region", "GB", "--json").stdout)
    assert doc["available"] is False
    assert doc["availability"]["GB"] == {
        "link": None,
        "flatrate": [],
        "rent": [],
        "buy": [],
        "free": [],
        "ads": [],
    }


def test_available_only_elsewhere_exits_3(run: RunCli) -> None:
    assert run("Search", "--region", "GB").exit_code == 3
    assert run("Search", "--region", "GB,US").exit_code == 0


def test_no_match_exits_4(run: RunCli) -> None:
    result = run("No Such Film Anywhere", "-r", "GB")
    assert result.exit_code == 4
    assert result.stdout == ""
    assert "No film or series matches 'No Such Film Anywhere'" in result.stderr
    assert "hint:" in result.stderr


def test_json_error_goes_to_stdout(run: RunCli) -> None:
    result = run("No Such Film Anywhere", "-r", "GB", "--json")
    assert result.exit_code == 4
    assert result.stderr == ""
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "not_found"
    assert error["message"]
    assert error["hint"]


def test_bad_flag_value_is_a_usage_error(run: RunCli) -> None:
    result = run("Dune", "--year", "abc", "-r", "GB")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--year" in result.stderr


def test_missing_credential_exits_6_with_nothing_on_stdout(
    run: RunCli, monkeypatch: pytest.MonkeyPatch, fake: FakeTMDB
) -> None:
    monkeypatch.delenv("TMDB_API_TOKEN")
    result = run("Drawing Closer", "-r", "GB")
    assert result.exit_code == 6
    assert result.stdout == ""
    assert "TMDB_API_TOKEN" in result.stderr
    assert "https://www.themoviedb.org/settings/api" in result.stderr
    assert fake.requests == []


def test_rejected_credential_exits_6(run: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMDB_API_TOKEN", "not-a-valid-token")
    result = run("Drawing Closer", "-r", "GB")
    assert result.exit_code == 6
    assert "TMDB rejected the credential in TMDB_API_TOKEN" in result.stderr
    assert "not-a-valid-token" not in result.stderr + result.stdout


def test_api_key_is_used_when_no_token_is_set(
    run: RunCli, monkeypatch: pytest.MonkeyPatch, fake: FakeTMDB
) -> None:
    from tests.conftest import API_KEY

    monkeypatch.delenv("TMDB_API_TOKEN")
    monkeypatch.setenv("TMDB_API_KEY", API_KEY)
    assert run("Drawing Closer", "-r", "GB").exit_code == 0
    assert all(r.query.get("api_key") == API_KEY for r in fake.requests)
    assert all("authorization" not in r.headers for r in fake.requests)


def test_malformed_config_exits_6_naming_file_and_line(run: RunCli, config_dir: Path) -> None:
    path = config_dir / "config.toml"
    path.write_text('region = "GB"\nlanguage = \n')
    result = run("Drawing Closer")
    assert result.exit_code == 6
    assert str(path) in result.stderr
    assert "line 2" in result.stderr


@pytest.mark.usefixtures("no_waiting")
def test_unreachable_tmdb_exits_7(run: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHERETOWATCH_TMDB_URL", "http://127.0.0.1:9")  # discard port: refused
    result = run("Drawing Closer", "-r", "GB")
    assert result.exit_code == 7
    assert result.stdout == ""
    assert "Cannot reach TMDB at http://127.0.0.1:9" in result.stderr


@pytest.mark.usefixtures("no_waiting")
def test_upstream_errors_exit_7_after_retries(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.fail(502, "<html><body>Bad Gateway</body></html>", content_type="text/html", times=10)
    result = run("Drawing Closer", "-r", "GB", "--json")
    assert result.exit_code == 7
    assert json.loads(result.stdout)["error"]["code"] == "upstream"
    assert len(fake.requests) == 4


def test_offline_without_a_cache_exits_7(run: RunCli, fake: FakeTMDB) -> None:
    result = run("Drawing Closer", "-r", "GB", "--offline")
    assert result.exit_code == 7
    assert "--offline" in result.stderr
    assert fake.requests == []


def test_region_from_environment_then_config_then_locale(
    run: RunCli, monkeypatch: pytest.MonkeyPatch, config_dir: Path
) -> None:
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    assert "Region: JP  (from locale LANG=ja_JP.UTF-8)" in run("Drawing Closer").stdout
    (config_dir / "config.toml").write_text('region = ["US", "GB"]\n')
    assert "Region: US, GB  (from config file" in run("Drawing Closer").stdout
    monkeypatch.setenv("WHERETOWATCH_REGION", "FR")
    assert "Region: FR  (from WHERETOWATCH_REGION)" in run("Drawing Closer").stdout
    assert "Region: DE  (from --region)" in run("Drawing Closer", "-r", "de").stdout


def test_no_region_anywhere_is_an_error_not_a_silent_default(
    run: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "C.UTF-8")
    result = run("Drawing Closer")
    assert result.exit_code == 6
    assert "No region set" in result.stderr
    assert "--region" in result.stderr


def test_a_title_named_like_a_command_can_be_looked_up(run: RunCli, fake: FakeTMDB) -> None:
    for args in (["lookup", "search", "-r", "US"], ["-r", "US", "--", "search"]):
        fake.reset()
        result = run(*args)
        assert result.exit_code == 0, result.stderr
        assert "Search (2018)" in result.stdout
    assert "Search (2018)" in run("Search", "-r", "US").stdout  # commands are lower case


def test_options_may_come_before_the_title(run: RunCli) -> None:
    assert run("--region", "GB", "Drawing Closer").exit_code == 0


def test_lookup_by_ids(run: RunCli, fake: FakeTMDB) -> None:
    series = run("--tmdb-id", "1396", "--type", "tv", "-r", "GB", "--json")
    assert json.loads(series.stdout)["title"]["title"] == "Breaking Bad"
    assert len(fake.requests) == 1
    fake.reset()
    film = run("--imdb-id", "tt0137523", "-r", "GB", "--json")
    assert json.loads(film.stdout)["title"]["tmdb_id"] == 550
    assert fake.paths() == ["/3/find/tt0137523", "/3/movie/550"]


def test_unknown_tmdb_id_exits_4(run: RunCli) -> None:
    result = run("--tmdb-id", "424242", "-r", "GB")
    assert result.exit_code == 4
    assert "TMDB has no film with id 424242" in result.stderr


def test_search_command_lists_candidates_with_ids(run: RunCli) -> None:
    result = run("search", "Dune")
    assert result.exit_code == 0
    assert "841" in result.stdout
    assert "438631" in result.stdout
    doc = json.loads(run("search", "Dune", "--year", "1984", "--json").stdout)
    assert [r["tmdb_id"] for r in doc["results"]] == [841, 438631]
    assert run("search", "nothing like this").exit_code == 4


def test_regions_and_providers_commands(run: RunCli) -> None:
    regions = run("regions")
    assert regions.exit_code == 0
    assert "日本" in regions.stdout
    providers = json.loads(run("providers", "--region", "GB", "--json").stdout)
    assert providers["region"] == "GB"
    names = [p["provider_name"] for p in providers["providers"]]
    assert names[:3] == ["Netflix", "Amazon Prime Video", "BBC iPlayer"]
    assert run("providers", "--region", "GB,US").exit_code == 2


def test_config_shows_sources_and_masks_secrets(
    run: RunCli, monkeypatch: pytest.MonkeyPatch, config_dir: Path
) -> None:
    (config_dir / "config.toml").write_text('services = ["Netflix"]\n')
    monkeypatch.setenv("WHERETOWATCH_REGION", "GB")
    result = run("config")
    assert result.exit_code == 0
    assert TOKEN not in result.stdout + result.stderr
    assert "hidden" in result.stdout
    doc = json.loads(run("config", "--json").stdout)
    settings = doc["settings"]
    assert settings["region"] == {"value": "GB", "source": "WHERETOWATCH_REGION"}
    assert settings["services"]["source"].startswith("config file")
    assert settings["language"]["source"] == "default"
    assert settings["api_token"]["value"] == f"set, hidden ({len(TOKEN)} characters)"


def test_config_file_with_a_credential_readable_by_others_warns(
    run: RunCli, monkeypatch: pytest.MonkeyPatch, config_dir: Path
) -> None:
    monkeypatch.delenv("TMDB_API_TOKEN")
    path = config_dir / "config.toml"
    path.write_text(f'api_token = "{TOKEN}"\nregion = "GB"\n')
    path.chmod(0o644)
    result = run("Drawing Closer")
    assert result.exit_code == 0
    assert "chmod 600" in result.stderr
    assert TOKEN not in result.stderr + result.stdout
    path.chmod(0o600)
    assert run("Drawing Closer").stderr == ""


def test_version_prints_the_attribution(run: RunCli) -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("wheretowatch ")
    assert TMDB_NOTICE in result.stdout
    assert JUSTWATCH_NOTICE in result.stdout


def test_a_bug_exits_1_with_a_traceback_but_no_locals() -> None:
    code = (
        "import wheretowatch.cli.commands.lookup as command\n"
        "from wheretowatch.cli import app\n"
        "def broken(*args, **kwargs):\n"
        "    secret = 'local-value-that-must-not-show'\n"
        "    raise RuntimeError('boom')\n"
        "command.lookup_view = broken\n"
        "app(['Drawing Closer', '-r', 'GB'], prog_name='wheretowatch')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert "RuntimeError: boom" in result.stderr
    assert "local-value-that-must-not-show" not in result.stderr


def test_an_invalid_tmdb_url_is_a_config_error(
    run: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WHERETOWATCH_TMDB_URL", "ftp://example")
    result = run("Drawing Closer", "-r", "GB")
    assert result.exit_code == 6
    assert "WHERETOWATCH_TMDB_URL" in result.stderr


def _subprocess(
    args: list[str], extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **(extra_env or {})}
    return subprocess.run(
        [sys.executable, "-m", "wheretowatch", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_python_dash_m_runs_the_cli() -> None:
    result = _subprocess(["Drawing Closer", "-r", "GB", "--json"])
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["title"]["tmdb_id"] == 1291559


def test_interrupt_exits_130(fake: FakeTMDB) -> None:
    fake.latency = 5.0
    process = subprocess.Popen(
        [sys.executable, "-m", "wheretowatch", "Drawing Closer", "-r", "GB"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while not fake.requests and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "Traceback" not in stderr


def test_hostile_strings_from_tmdb_are_literal_in_the_table_and_escaped_in_json(
    run: RunCli,
) -> None:
    from tests.fake_catalogue import MOVIES

    hostile = MOVIES[990666]["title"]
    table = run("--tmdb-id", "990666", "-r", "GB")
    assert table.exit_code == 0
    assert "\x1b" not in table.stdout
    assert "\x07" not in table.stdout
    assert "[bold red]Evil[/]" in table.stdout
    assert "[blink]Sneaky[/blink]\\x1b[2J\\x07" in table.stdout
    document = run("--tmdb-id", "990666", "-r", "GB", "--json")
    assert all(ch.isascii() and (ch.isprintable() or ch == "\n") for ch in document.stdout)
    assert json.loads(document.stdout)["title"]["title"] == hostile


def test_the_demo_runs_a_lookup_against_the_fake_server_in_one_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tests.fake_tmdb", "--demo"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={k: v for k, v in os.environ.items() if not k.startswith("TMDB_")},
    )
    assert result.returncode == 0, result.stderr
    assert "Drawing Closer (2024)" in result.stdout
    assert "Netflix" in result.stdout
    other = subprocess.run(
        [sys.executable, "-m", "tests.fake_tmdb", "--demo", "search", "Dune", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert [r["tmdb_id"] for r in json.loads(other.stdout)["results"]] == [438631, 841]


def test_service_flags_replace_the_configured_services_for_one_run(
    run: RunCli, config_dir: Path
) -> None:
    (config_dir / "config.toml").write_text('services = ["Apple TV"]\n')
    out = run("Fight Club", "-r", "GB", "--service", "amazon prime video", "-s", "3").stdout
    assert "Amazon Prime Video ★" in out
    assert "Google Play Movies ★" in out  # provider id 3
    assert "Apple TV ★" not in out


def test_a_rejected_api_key_gets_a_hint_about_api_keys(
    run: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TMDB_API_TOKEN")
    monkeypatch.setenv("TMDB_API_KEY", "0123456789abcdef0123456789abcdef")
    result = run("Drawing Closer", "-r", "GB")
    assert result.exit_code == 6
    assert result.stdout == ""
    assert "TMDB rejected the credential in TMDB_API_KEY" in result.stderr
    assert "hint: Check the value (a v3 API key, 32 hexadecimal characters, in TMDB_API_KEY)" in (
        result.stderr
    )
    assert "Read Access Token" not in result.stderr
    assert "0123456789abcdef0123456789abcdef" not in result.stderr


def test_a_token_set_as_an_api_key_is_told_so(run: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TMDB_API_TOKEN")
    monkeypatch.setenv("TMDB_API_KEY", "eyJhbGciOiJIUzI1NiJ9.not-a-real-token")
    result = run("Drawing Closer", "-r", "GB")
    assert result.exit_code == 6
    assert result.stdout == ""
    assert "hint: That value looks like a Read Access Token" in result.stderr
    assert "set it as TMDB_API_TOKEN" in result.stderr


def test_a_first_run_names_the_missing_credential_first_and_the_fix(
    run: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TMDB_API_TOKEN", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    result = run("Drawing Closer")
    assert result.exit_code == 6
    assert result.stderr.startswith("error: No TMDB credential and no region are set")
    assert "`wheretowatch setup`" in result.stderr
    assert "`wheretowatch config set api_token`" in result.stderr
    assert "`wheretowatch config set region GB`" in result.stderr


@pytest.mark.usefixtures("online")
def test_every_hint_about_a_missing_setting_names_setup_and_config_set(
    run: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "C.UTF-8")
    no_region = run("Drawing Closer")
    assert "`wheretowatch setup`" in no_region.stderr
    assert "`wheretowatch config set region GB`" in no_region.stderr
    monkeypatch.delenv("TMDB_API_TOKEN")
    no_credential = run("Drawing Closer", "-r", "GB")
    assert no_credential.exit_code == 6
    assert "`wheretowatch setup`" in no_credential.stderr
    assert "`wheretowatch config set api_token`" in no_credential.stderr
