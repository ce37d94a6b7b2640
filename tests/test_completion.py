"""Shell completion through Typer's own entry point: bash, zsh and fish, offline."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys

import pytest

from tests.conftest import RunCli
from tests.fake_tmdb import FakeTMDB
from wheretowatch.settings.regions import complete_regions


def complete(shell: str, words: str, **env: str) -> list[str]:
    variables = {**os.environ, "_WHERETOWATCH_COMPLETE": f"complete_{shell}", **env}
    if shell == "bash":
        variables |= {"COMP_WORDS": words, "COMP_CWORD": str(len(shlex.split(words)) - 1)}
    else:
        variables |= {"_TYPER_COMPLETE_ARGS": words}
        if shell == "fish":
            variables |= {"_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    code = "from wheretowatch.cli import main; main()"
    result = subprocess.run(
        [sys.executable, "-c", code], env=variables, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if line]


def test_bash_completes_region_codes_for_the_default_command() -> None:
    assert "JP" in complete("bash", "wheretowatch --region J")
    assert "GB" in complete("bash", "wheretowatch lookup Dune -r G")


def test_zsh_completes_the_last_code_of_a_list_with_names() -> None:
    output = "\n".join(complete("zsh", "wheretowatch --region GB,U"))
    assert '"GB,US":"United States"' in output


def test_fish_completes_with_descriptions() -> None:
    assert "JP\tJapan" in complete("fish", "wheretowatch providers --region J")


@pytest.mark.usefixtures("online")
def test_completion_uses_the_cached_tmdb_list_and_never_the_network(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    iso = complete("bash", "wheretowatch --region J")
    assert {"JE", "JM", "JO", "JP"} <= set(iso)  # nothing cached yet: ISO 3166
    assert run("regions").exit_code == 0  # caches TMDB's list
    fake.reset()
    monkeypatch.delenv("TMDB_API_TOKEN")
    assert complete("bash", "wheretowatch --region J") == ["JP"]  # TMDB knows only JP here
    assert fake.requests == []


@pytest.mark.usefixtures("online")
def test_watchlist_remove_completes_watched_titles(run: RunCli) -> None:
    run("watchlist", "add", "Drawing Closer", "-r", "GB")
    assert complete("bash", "wheretowatch watchlist remove Dra") == ["Drawing\\ Closer"]


def test_complete_regions() -> None:
    names = {"GB": "United Kingdom", "GR": "Greece", "US": "United States"}
    assert complete_regions("g", names) == [("gb", "United Kingdom"), ("gr", "Greece")]
    assert complete_regions("G", names) == [("GB", "United Kingdom"), ("GR", "Greece")]
    assert complete_regions("", names)[0] == ("all", "every region TMDB has data for")
    assert complete_regions("US,G", names) == [("US,GB", "United Kingdom"), ("US,GR", "Greece")]


def test_install_and_show_completion_are_offered(run: RunCli) -> None:
    help_text = run("--help").stdout
    assert "--install-completion" in help_text
    assert "--show-completion" in help_text


@pytest.mark.usefixtures("online")
def test_service_names_complete_from_the_cached_provider_list(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WHERETOWATCH_REGION", "GB")
    assert complete("bash", "wheretowatch Dune --service Ne") == []  # nothing cached yet
    assert run("providers", "--region", "GB").exit_code == 0
    fake.reset()
    assert complete("bash", "wheretowatch Dune --service Ne") == [
        "Netflix",
        "Netflix\\ basic\\ with\\ Ads",
        "Netflix\\ Standard\\ with\\ Ads",
    ]
    assert complete("bash", "wheretowatch refresh -s BBC") == ["BBC\\ iPlayer"]
    assert fake.requests == []


def test_region_codes_complete_in_the_case_typed() -> None:
    assert "jp" in complete("bash", "wheretowatch --region j")
    assert "JP" in complete("bash", "wheretowatch --region J")
    output = "\n".join(complete("zsh", "wheretowatch --region gb,u"))
    assert '"gb,us":"United States"' in output


@pytest.mark.usefixtures("online")
def test_a_value_with_spaces_completes_as_one_word_in_every_shell(run: RunCli) -> None:
    assert run("providers").exit_code == 0  # caches the provider list
    assert complete("bash", "wheretowatch Dune --service Amazon") == [
        "Amazon\\ Prime\\ Video",
        "Amazon\\ Video",
    ]
    assert complete("bash", "wheretowatch Dune --service Amazon\\ P") == ["Amazon\\ Prime\\ Video"]
    zsh = complete("zsh", "wheretowatch Dune --service Amazon")
    assert '"Amazon Prime Video"' in "\n".join(zsh)
    assert "Amazon Prime Video" in complete("fish", "wheretowatch Dune --service Amazon")


@pytest.mark.usefixtures("online")
def test_a_watched_title_with_spaces_completes_as_one_word(run: RunCli) -> None:
    run("watchlist", "add", "Breaking Bad")
    assert complete("bash", "wheretowatch watchlist remove Br") == ["Breaking\\ Bad"]


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o default -F _wheretowatch_completion wheretowatch"),
        ("zsh", "compdef _wheretowatch_completion wheretowatch"),
        ("fish", "complete --command wheretowatch"),
    ],
)
def test_completion_prints_the_script_of_the_named_shell(
    run: RunCli, shell: str, marker: str
) -> None:
    result = run("completion", shell)
    assert result.exit_code == 0
    assert marker in result.stdout
    assert "_WHERETOWATCH_COMPLETE=complete_" + shell in result.stdout


def test_completion_of_an_unknown_shell_is_a_usage_error(run: RunCli) -> None:
    result = run("completion", "tcsh")
    assert result.exit_code == 2
    assert "No completion script for 'tcsh'." in result.stderr


@pytest.mark.usefixtures("online")
def test_completion_candidates_write_control_characters_out_like_every_output(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tests.fake_catalogue as catalogue

    hostile = {**catalogue.PROVIDERS[0], "provider_name": "Netfl\x1b]0;pwned\x07ix"}
    monkeypatch.setattr(catalogue, "PROVIDERS", [hostile, *catalogue.PROVIDERS[1:]])
    fake.movies[990002] = {**fake.movies[990002], "title": "Nowhere\x1b[2J Film"}
    assert run("providers").exit_code == 0  # caches the provider list
    assert run("watchlist", "add", "--tmdb-id", "990002", "-r", "GB").exit_code == 0

    services = complete("fish", "wheretowatch Dune --service Netfl")
    titles = complete("fish", "wheretowatch watchlist remove Nowhere")

    assert "Netfl\\x1b]0;pwned\\x07ix" in services
    assert titles == ["Nowhere\\x1b[2J Film"]
    assert not any("\x1b" in line or "\x07" in line for line in services + titles)


@pytest.mark.usefixtures("online")
def test_services_and_titles_complete_whatever_the_case_typed(
    run: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WHERETOWATCH_REGION", "GB")
    assert run("providers", "--region", "GB").exit_code == 0
    assert complete("bash", "wheretowatch refresh -s BBC") == ["BBC\\ iPlayer"]
    assert complete("bash", "wheretowatch refresh -s bbc") == ["bbc\\ iPlayer"]
    run("watchlist", "add", "Drawing Closer", "-r", "GB")
    assert complete("bash", "wheretowatch watchlist remove dra") == ["drawing\\ Closer"]
    # What was completed is taken: names and titles match whatever their case.
    assert run("Drawing Closer", "-r", "GB", "-s", "bbc iPlayer").exit_code == 0
    assert run("watchlist", "remove", "drawing Closer").exit_code == 0
