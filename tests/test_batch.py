"""Many titles in one run: order, JSON Lines, errors, concurrency and the rate limit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.fake_tmdb import FakeTMDB
from wheretowatch.errors import ExitCode, most_serious

pytestmark = pytest.mark.usefixtures("online")


def json_lines(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_json_lines_in_input_order_even_when_the_first_answer_is_slowest(
    run: RunCli, fake: FakeTMDB
) -> None:
    fake.latency = 0.1  # every answer takes a while, as over a real network
    fake.delays["/3/movie/1291559"] = 0.5
    result = run(
        "--from", "-", "-r", "GB", "--json", input="Drawing Closer\nFight Club\nBreaking Bad\n"
    )
    assert result.exit_code == 0
    assert result.stderr == ""
    lines = json_lines(result.stdout)
    assert [line["query"] for line in lines] == ["Drawing Closer", "Fight Club", "Breaking Bad"]
    assert all(line["schema"] == 1 for line in lines)
    assert fake.max_in_flight > 1  # the answers were fetched at the same time


def test_one_unknown_title_never_hides_the_others(run: RunCli) -> None:
    result = run(
        "--from",
        "-",
        "-r",
        "GB",
        "--json",
        input="Drawing Closer\nNo Such Title Anywhere\nFight Club\n",
    )
    assert result.exit_code == 4
    lines = json_lines(result.stdout)
    assert len(lines) == 3
    assert lines[1]["query"] == "No Such Title Anywhere"
    error = lines[1]["error"]
    assert isinstance(error, dict)
    assert error["code"] == "not_found"
    assert lines[2]["title"]


def test_human_batch_shows_each_title_errors_on_stderr_and_credits_once(run: RunCli) -> None:
    result = run(
        "--from", "-", "-r", "GB", input="Drawing Closer\nNo Such Title Anywhere\nSearch\n"
    )
    assert result.exit_code == 4
    assert "Drawing Closer (2024)" in result.stdout
    assert "Search (2018)" in result.stdout
    assert result.stdout.count("not endorsed or certified by TMDB") == 1
    assert "No film or series matches 'No Such Title Anywhere'" in result.stderr


def test_from_file_skips_blank_lines_and_comments(run: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "titles.txt"
    path.write_text("# films to watch\nDrawing Closer\n\n   \nFight Club  # not a comment\n")
    result = run("--from", str(path), "-r", "GB", "--json")
    queries = [line["query"] for line in json_lines(result.stdout)]
    assert queries == ["Drawing Closer", "Fight Club  # not a comment"]
    assert result.exit_code == 4  # the second is not a title TMDB knows


def test_from_stdin(run: RunCli) -> None:
    result = run("--from", "-", "-r", "GB", "--json", input="Drawing Closer\nFight Club\n")
    assert result.exit_code == 0
    assert len(json_lines(result.stdout)) == 2


def test_a_single_title_from_a_file_is_still_json_lines(run: RunCli) -> None:
    result = run("--from", "-", "-r", "GB", "--json", input="Drawing Closer\n")
    assert len(result.stdout.splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "/nonexistent/titles.txt"], "Cannot read --from /nonexistent/titles.txt"),
        (["--from", "-"], "holds no titles"),
        (["--from", "-", "--tmdb-id", "550"], "give no title, --tmdb-id or --imdb-id with it"),
        (["--from", "-", "Fight", "Club"], "give no title, --tmdb-id or --imdb-id with it"),
    ],
)
def test_bad_batches_are_usage_errors(run: RunCli, args: list[str], message: str) -> None:
    result = run(*args, "-r", "GB", input="# nothing here\n")
    assert result.exit_code == 2
    assert message in result.stderr


def test_batch_exit_status_is_the_most_serious() -> None:
    assert most_serious([]) is ExitCode.OK
    assert most_serious([ExitCode.OK, ExitCode.NOT_AVAILABLE]) is ExitCode.NOT_AVAILABLE
    assert most_serious([ExitCode.NOT_FOUND, ExitCode.NOT_AVAILABLE]) is ExitCode.NOT_FOUND
    assert most_serious([ExitCode.UPSTREAM, ExitCode.CONFIG, ExitCode.OK]) is ExitCode.UPSTREAM


def title_lines(titles: list[str]) -> str:
    return "".join(f"{title}\n" for title in titles)


TITLES = ["Drawing Closer", "Fight Club", "Search", "Dune", "Breaking Bad", "Nowhere Film"]


def test_the_client_rate_limit_keeps_below_the_servers(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The client starts at most burst (4) + 8 requests in any second; the server allows 16.
    fake.rate_limit = 16
    monkeypatch.setenv("WHERETOWATCH_RATE_LIMIT", "8")
    result = run("--from", "-", "-r", "GB", "--json", "--no-cache", input=title_lines(TITLES * 2))
    assert fake.throttled == 0
    assert len(json_lines(result.stdout)) == 12
    assert result.stderr == ""


def test_429s_from_a_stricter_server_are_honoured_and_every_title_succeeds(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.rate_limit = 6
    monkeypatch.setenv("WHERETOWATCH_RATE_LIMIT", "100")
    result = run("--from", "-", "-r", "GB", "--json", "--no-cache", input=title_lines(TITLES))
    assert fake.throttled > 0  # the server did push back
    lines = json_lines(result.stdout)
    assert all("error" not in line for line in lines), result.stdout
    assert result.exit_code == 3  # Nowhere Film is not available; nothing failed


def test_a_line_that_is_not_utf8_is_an_error_in_its_place(run: RunCli) -> None:
    result = run("--from", "-", "-r", "GB", "--json", input=b"Fight Club\n\xff\xfe bad\nDune\n")
    assert result.exit_code == 2  # a usage error outranks the answers found
    assert result.stderr == ""
    lines = json_lines(result.stdout)
    assert [line["query"] for line in lines] == ["Fight Club", "\\xff\\xfe bad", "Dune"]
    assert lines[0]["title"]
    assert lines[2]["title"]
    error = lines[1]["error"]
    assert isinstance(error, dict)
    assert error["code"] == "usage"
    assert error["message"] == "Line 2 is not UTF-8 text."
    assert "UTF-8" in error["hint"]


def test_a_comment_in_another_encoding_is_skipped(run: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "titles.txt"
    path.write_bytes(b"# caf\xe9\n\nFight Club\n")
    result = run("--from", str(path), "-r", "GB", "--json")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert [line["query"] for line in json_lines(result.stdout)] == ["Fight Club"]
