"""Titles the way people type them, and slips that get a hint instead of a wrong answer."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.fake_tmdb import FakeTMDB

pytestmark = pytest.mark.usefixtures("online")


def searches(fake: FakeTMDB) -> list[str]:
    return [r.query["query"] for r in fake.requests if r.path.startswith("/3/search/")]


def title_of(stdout: str) -> tuple[int, str]:
    title = json.loads(stdout)["title"]
    return title["tmdb_id"], title["media_type"]


# ---- one title from all the words ------------------------------------------------------


def test_unquoted_words_are_one_title_never_a_batch(run: RunCli, fake: FakeTMDB) -> None:
    result = run("drawing", "closer", "--region", "GB", "--json")
    assert result.exit_code == 0
    assert title_of(result.stdout) == (1291559, "movie")
    assert searches(fake) == ["drawing closer"]
    assert json.loads(result.stdout)["query"] == "drawing closer"


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["tt0137523"], (550, "movie")),
        (["TT0137523"], (550, "movie")),
        (["https://www.imdb.com/title/tt0137523/"], (550, "movie")),
        (["https://m.imdb.com/title/tt0137523/?ref_=nv_sr_1"], (550, "movie")),
        (["https://www.themoviedb.org/movie/550-fight-club"], (550, "movie")),
        (["https://www.themoviedb.org/tv/1396-breaking-bad?language=fr-FR"], (1396, "tv")),
        (["https://www.themoviedb.org/fr/tv/1396"], (1396, "tv")),
        (["Dune", "(1984)"], (841, "movie")),
        (["Dune (2021)"], (438631, "movie")),
        (["dune", "1984"], (841, "movie")),
        (["fight", "club", "1999"], (550, "movie")),
        (["Blade", "Runner", "2049"], (335984, "movie")),
        (["1917"], (530915, "movie")),
    ],
)
def test_every_form_of_a_title_finds_it(
    run: RunCli, words: list[str], expected: tuple[int, str]
) -> None:
    result = run(*words, "-r", "GB", "--json")
    assert result.exit_code in (0, 3), result.stdout + result.stderr
    assert title_of(result.stdout) == expected


def test_an_address_is_a_lookup_by_id_without_a_search(run: RunCli, fake: FakeTMDB) -> None:
    run("https://www.themoviedb.org/movie/550-fight-club", "-r", "GB")
    assert searches(fake) == []
    assert [r.path for r in fake.requests] == ["/3/movie/550"]


def test_a_trailing_year_costs_a_second_search_only_when_the_whole_title_misses(
    run: RunCli, fake: FakeTMDB
) -> None:
    run("dune", "1984", "-r", "GB")
    assert searches(fake) == ["dune 1984", "dune"]
    fake.reset()
    run("Blade", "Runner", "2049", "-r", "GB")
    assert searches(fake) == ["Blade Runner 2049"]


def test_the_title_printed_can_be_pasted_back(run: RunCli) -> None:
    heading = run("Dune", "-r", "GB", "--year", "1984").stdout.splitlines()[0]
    assert heading == "Dune (1984)"
    assert title_of(run(heading, "-r", "GB", "--json").stdout) == (841, "movie")


def test_a_year_given_twice_differently_is_a_usage_error(run: RunCli) -> None:
    result = run("Dune (1984)", "--year", "2021", "-r", "GB")
    assert result.exit_code == 2
    assert "The title gives the year 1984, --year gives 2021." in result.stderr


def test_an_address_of_another_site_is_a_usage_error(run: RunCli, fake: FakeTMDB) -> None:
    result = run("https://example.com/movie/550", "-r", "GB")
    assert result.exit_code == 2
    assert "example.com is neither a TMDB nor an IMDb title address" in result.stderr
    assert fake.requests == []


def test_from_splits_on_newlines_only_one_output_line_per_input_line(
    run: RunCli, tmp_path: Path
) -> None:
    path = tmp_path / "titles.txt"
    path.write_bytes(
        "Fight Club\r\ntt0137523\nBreaking\u2028Bad\nDune\x0c(1984)\nA\rB\nDune (2021)\n".encode()
    )
    result = run("--from", str(path), "-r", "GB", "--json")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["query"] for line in lines] == [
        "Fight Club",
        "tt0137523",
        "Breaking\u2028Bad",
        "Dune\x0c(1984)",
        "A\rB",
        "Dune (2021)",
    ]
    assert lines[0]["title"]["tmdb_id"] == 550
    assert lines[1]["title"]["tmdb_id"] == 550
    assert [line["error"]["code"] for line in lines[2:5]] == ["usage"] * 3
    assert lines[5]["title"]["tmdb_id"] == 438631
    assert result.exit_code == 2


def test_search_and_the_watchlist_take_unquoted_words(run: RunCli, fake: FakeTMDB) -> None:
    assert run("search", "drawing", "closer").exit_code == 0
    assert searches(fake) == ["drawing closer"]
    added = run("watchlist", "add", "fight", "club")
    assert added.exit_code == 0
    assert added.stdout.startswith("Added Fight Club (1999), film, TMDB id 550")
    removed = run("watchlist", "remove", "fight", "club")
    assert removed.stdout == "Removed Fight Club (1999) from the watchlist.\n"


def test_search_with_a_trailing_year_lists_that_years_title_first(run: RunCli) -> None:
    result = run("search", "dune", "1984", "--json")
    assert [m["tmdb_id"] for m in json.loads(result.stdout)["results"]][:1] == [841]


def test_watchlist_add_never_adds_a_guess_and_names_the_candidate(run: RunCli) -> None:
    result = run("watchlist", "add", "drawing")
    assert result.exit_code == 4
    assert result.stdout == ""
    assert "No title is exactly 'drawing'; the closest is Drawing Closer to Home (2019)" in (
        result.stderr
    )
    assert "watchlist add --tmdb-id" in result.stderr
    assert run("watchlist", "list", "--offline").stdout.count("Drawing") == 0


def test_watchlist_add_of_a_year_nothing_matches_adds_nothing(run: RunCli) -> None:
    result = run("watchlist", "add", "Fight Club", "--year", "2005")
    assert result.exit_code == 4
    assert "Nothing matches 'Fight Club' from 2005; the closest is Fight Club (1999)" in (
        result.stderr
    )
    assert run("watchlist", "export", "--format", "json").stdout.count("550") == 0


def test_watchlist_add_of_an_exact_match_says_nothing_on_stderr(run: RunCli) -> None:
    result = run("watchlist", "add", "Drawing", "Closer")
    assert result.exit_code == 0
    assert result.stderr == ""


# ---- slips get a hint --------------------------------------------------------------------


@pytest.mark.parametrize("words", [["help"], ["help", "watchlist"], ["help", "watchlist", "add"]])
def test_help_is_a_command_and_makes_no_request(
    run: RunCli, fake: FakeTMDB, words: list[str]
) -> None:
    result = run(*words)
    assert result.exit_code == 0
    command = " ".join(["wheretowatch", *words[1:]])
    assert result.stdout.startswith(f"Usage: {command} [OPTIONS]")
    assert fake.requests == []


def test_help_of_an_unknown_command_is_a_usage_error(run: RunCli) -> None:
    result = run("help", "wachlist")
    assert result.exit_code == 2
    assert "wheretowatch wachlist is not a command" in result.stderr


def test_a_film_called_help_is_looked_up_with_lookup(run: RunCli, fake: FakeTMDB) -> None:
    run("lookup", "help", "-r", "GB")
    assert searches(fake) == ["help"]


@pytest.mark.parametrize(
    ("words", "suggestion"),
    [
        (["serch", "brad", "pitt"], "wheretowatch search brad pitt"),
        (["confg"], "wheretowatch config"),
        (["wachlist", "list"], "wheretowatch watchlist list"),
        (["provders"], "wheretowatch providers"),
        (["regoins"], "wheretowatch regions"),
    ],
)
def test_a_slipped_command_name_is_looked_up_and_then_suggested(
    run: RunCli, fake: FakeTMDB, words: list[str], suggestion: str
) -> None:
    result = run(*words, "-r", "GB")
    assert result.exit_code == 4
    assert searches(fake) == [" ".join(words)]
    assert result.stderr.endswith(f"did you mean: {suggestion}?\n")


def test_a_slip_that_still_finds_a_guess_ends_with_the_suggestion(
    run: RunCli, fake: FakeTMDB
) -> None:
    fake.movies[990003] = {**fake.movies[990002], "id": 990003, "title": "Serch Party"}
    result = run("serch", "-r", "GB")
    assert result.exit_code == 3  # the guess is shown, as before, and said to be one
    assert "Serch Party" in result.stdout
    assert result.stderr == (
        "warning: No title is exactly 'serch'; showing the closest match, Serch Party (2001).\n"
        "did you mean: wheretowatch search?\n"
    )


def test_no_suggestion_when_the_title_matches_exactly(run: RunCli) -> None:
    result = run("Search", "-r", "US")
    assert result.exit_code == 0
    assert result.stderr == ""


@pytest.mark.parametrize(
    "args",
    [
        ["Drawing Closer", "--debug", "-r", "GB", "--no-cache"],
        ["--debug", "Drawing Closer", "-r", "GB", "--no-cache"],
        ["lookup", "Drawing Closer", "-r", "GB", "--debug", "--no-cache"],
        ["search", "Drawing Closer", "--debug"],
    ],
)
def test_root_options_work_anywhere_on_the_line(run: RunCli, args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 0
    assert "debug: GET " in result.stderr


def test_color_works_after_a_subcommand(run: RunCli) -> None:
    run("watchlist", "add", "Fight Club")
    result = run("watchlist", "list", "--color", "always")
    assert result.exit_code == 0
    assert "\x1b[" in result.stdout
    assert "\x1b[" not in run("watchlist", "list", "--color=never").stdout


def test_a_root_option_after_double_dash_is_a_title(run: RunCli, fake: FakeTMDB) -> None:
    run("-r", "GB", "--", "--debug")
    assert searches(fake) == ["--debug"]


@pytest.mark.parametrize(
    ("word", "kind"),
    [("movie", "movie"), ("FILM", "movie"), ("tv", "tv"), ("Series", "tv"), ("show", "tv")],
)
def test_type_accepts_the_words_people_use(
    run: RunCli, fake: FakeTMDB, word: str, kind: str
) -> None:
    run("Breaking Bad", "--type", word, "-r", "GB")
    assert fake.requests[0].path == f"/3/search/{kind}"


def test_an_unknown_type_names_the_accepted_words(run: RunCli) -> None:
    result = run("Dune", "--type", "book", "-r", "GB")
    assert result.exit_code == 2
    assert "'book' is not a type: use film (movie) or series (tv)." in result.stderr


def test_text_says_film_and_series_json_keeps_movie_and_tv(run: RunCli) -> None:
    text = run("search", "Breaking Bad").stdout
    assert "series" in text
    assert " tv " not in text
    document = json.loads(run("search", "Breaking Bad", "--json").stdout)
    assert document["results"][0]["media_type"] == "tv"


# ---- what a script sees ------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["Dune", "--year", "abc", "--json"],
        ["--json", "Dune", "--bogus"],
        ["search", "--json"],
        ["watchlist", "list", "--json", "--nope"],
        ["Dune", "--json", "--color", "sometimes"],
    ],
)
def test_with_json_even_a_parser_error_is_the_json_error_object(
    run: RunCli, args: list[str]
) -> None:
    result = run(*args)
    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "usage"
    assert error["message"]
    assert result.stderr == ""


def test_without_json_a_parser_error_stays_on_stderr(run: RunCli) -> None:
    result = run("Dune", "--year", "abc")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "'abc' is not a valid int" in result.stderr


def test_the_tmdb_url_may_end_in_tmdbs_version(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WHERETOWATCH_TMDB_URL", f"{fake.url}/3/")
    result = run("Drawing Closer", "-r", "GB")
    assert result.exit_code == 0, result.stderr
    assert fake.requests[0].path == "/3/search/multi"


def test_output_to_a_closed_pipe_ends_quietly() -> None:
    reader, writer = os.pipe()
    os.close(reader)  # the reader went away before the first line: `| head -0`
    process = subprocess.run(
        [sys.executable, "-m", "wheretowatch", "Drawing Closer", "-r", "all"],
        stdout=writer,
        stderr=subprocess.PIPE,
        timeout=60,
        check=False,
    )
    os.close(writer)
    assert process.stderr == b""
    assert process.returncode == 141


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["lookup"],
        ["search"],
        ["watchlist", "add"],
        ["watchlist", "remove"],
        ["refresh"],
        ["providers"],
        ["cache", "clear"],
        ["completion"],
        ["help"],
    ],
)
def test_help_metavars_read_as_words(run: RunCli, command: list[str]) -> None:
    text = run(*command, "--help").stdout
    assert text.startswith("Usage: ")
    assert not re.search(r"<(str|int|float)|\{[a-zA-Z_.]+\}|<[a-z]+\|", text), text


ESCAPES = re.compile(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b]*\x1b\\")
WHOLE_URL = re.compile(r"https://\S+")


@pytest.mark.parametrize("width", ["40", "57", "80"])
def test_text_on_a_terminal_wraps_between_words(
    run: RunCli, monkeypatch: pytest.MonkeyPatch, width: str
) -> None:
    monkeypatch.setenv("COLUMNS", width)
    monkeypatch.setenv("TERM", "xterm-256color")  # Rich lays a dumb terminal out at 80
    result = run("Fight Club", "-r", "GB", "--color", "always")
    text = ESCAPES.sub("", result.stdout)
    # A web address is never broken by us: alone on its line, the terminal folds it.
    wide = [line.strip() for line in text.splitlines() if len(line) > int(width)]
    assert all(WHOLE_URL.fullmatch(line) for line in wide), wide
    sentence = "Trailer - Starring Brad Pitt, Edward Norton, Helena Bonham Carter (trailer, en)"
    assert set(sentence.split()) <= set(text.split())
    assert "This product uses the TMDB API but is not endorsed or certified by TMDB." in " ".join(
        text.split()
    )


@pytest.mark.parametrize("columns", ["0", "junk", "-5", ""])
def test_a_useless_columns_value_is_treated_as_unset(
    run: RunCli, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    result = run("Fight Club", "-r", "GB")
    assert result.exit_code == 0
    assert "Amazon Prime Video" in result.stdout
    assert "https://www.themoviedb.org/movie/550-fight-club/watch?locale=GB" in result.stdout


def test_piped_text_keeps_each_line_whole(run: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    out = run("Fight Club", "-r", "GB").stdout
    assert "  GB  https://www.themoviedb.org/movie/550-fight-club/watch?locale=GB\n" in out


def test_a_season_address_looks_up_that_season(run: RunCli, fake: FakeTMDB) -> None:
    result = run("https://www.themoviedb.org/tv/1396-breaking-bad/season/2", "-r", "GB")
    assert result.exit_code in (0, 3), result.stderr
    assert "/3/tv/1396/season/2" in fake.paths()
    assert searches(fake) == []


def test_a_season_address_and_another_season_flag_conflict(run: RunCli) -> None:
    result = run("https://www.themoviedb.org/tv/1396/season/2", "--season", "3", "-r", "GB")
    assert result.exit_code == 2
    assert "The address gives season 2, --season gives 3." in result.stderr


def test_a_slipped_command_name_without_a_region_still_gets_the_suggestion(
    run: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "C")
    result = run("regoins")
    assert result.exit_code == 6
    assert result.stderr.endswith("did you mean: wheretowatch regions?\n")


# ---- no silent guess ---------------------------------------------------------------------


def test_a_lookup_of_one_inexact_candidate_says_so_and_json_marks_it(
    run: RunCli, fake: FakeTMDB
) -> None:
    fake.movies[990003] = {**fake.movies[990002], "id": 990003, "title": "Zyzzyva Party"}
    result = run("zyzzyva", "-r", "GB")
    assert "Zyzzyva Party" in result.stdout
    assert result.stderr.startswith(
        "warning: No title is exactly 'zyzzyva'; showing the closest match, Zyzzyva Party"
    )
    document = json.loads(run("zyzzyva", "-r", "GB", "--json").stdout)
    assert document["match"] == "inexact"


def test_a_year_nothing_matches_is_said_with_the_year_shown(run: RunCli) -> None:
    result = run("fight", "club", "--year", "2005", "-r", "GB")
    assert "Fight Club" in result.stdout
    assert (
        "warning: Nothing matches 'fight club' from 2005; showing Fight Club (1999)."
        in result.stderr
    )
    document = json.loads(run("Dune (1999)", "-r", "GB", "--json").stdout)
    assert (document["match"], document["missed_year"]) == ("inexact", 1999)


def test_an_exact_lookup_is_marked_exact_and_says_nothing(run: RunCli) -> None:
    result = run("Drawing Closer", "-r", "GB", "--json")
    assert json.loads(result.stdout)["match"] == "exact"
    assert result.stderr == ""
