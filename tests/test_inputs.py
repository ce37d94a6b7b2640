"""Bad input from the user: a clear message and exit 2 or 6, never a traceback."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from tests.conftest import Run, RunCli
from tests.fake_tmdb import FakeTMDB

pytestmark = pytest.mark.usefixtures("online")

USAGE = [
    (["", "-r", "GB"], "The title is empty"),
    (["   \t ", "-r", "GB"], "The title is empty"),
    (["x" * 10_000, "-r", "GB"], "The title is 10000 characters long"),
    (["Drawing\x1b[31mCloser", "-r", "GB"], "control characters"),
    (["Drawing\x00Closer", "-r", "GB"], "control characters"),
    (["Drawing Closer", "-r", "XX"], "Unknown region code 'XX'"),
    (["Drawing Closer", "-r", "UKK"], "Unknown region code 'UKK'"),
    (["Drawing Closer", "-r", "GB,,Narnia"], "Unknown region code 'Narnia'"),
    (["Drawing Closer", "-r", ","], "is empty"),
    (["Drawing Closer", "-r", "GB", "--year", "0"], "0 is not a plausible release year"),
    (["Drawing Closer", "-r", "GB", "--year", "99999"], "not a plausible release year"),
    (["Drawing Closer", "-r", "GB", "--year", "abc"], "'abc' is not a valid int"),
    (["Drawing Closer", "-r", "GB", "--type", "book"], "--type"),
    (["Drawing Closer", "-r", "GB", "--offline", "--no-cache"], "cannot be combined"),
    (["Drawing Closer", "-r", "GB", "--offline", "--refresh"], "cannot be combined"),
    (["--imdb-id", "nm0000093", "-r", "GB"], "is not an IMDb id"),
    (["Drawing Closer", "--tmdb-id", "550", "-r", "GB"], "Give exactly one of"),
    (["--tmdb-id", "-5", "-r", "GB"], "is not a TMDB id"),
    (["--imdb-id", "tt12", "-r", "GB"], "is not an IMDb id"),
    (["--imdb-id", "https://imdb.com/title/tt0137523", "-r", "GB"], "is not an IMDb id"),
    (["--from", "/nonexistent", "-r", "GB"], "Cannot read --from /nonexistent"),
    (["Drawing Closer", "-r", "GB", "--language", "klingon-XX1"], "Invalid language"),
    (["cache", "clear", "--older-than", "yesterday"], "--older-than 'yesterday'"),
]


@pytest.mark.parametrize(
    ("args", "message"), USAGE, ids=[f"{i}-{m[:20]}" for i, (_, m) in enumerate(USAGE)]
)
def test_bad_arguments_exit_2(run: RunCli, fake: FakeTMDB, args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert fake.requests == []


def test_an_unreadable_from_file_exits_2(run: RunCli, tmp_path: Path) -> None:
    directory = tmp_path / "a-directory"
    directory.mkdir()
    binary = tmp_path / "binary"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    for path in (directory, binary):
        result = run("--from", str(path), "-r", "GB")
        assert result.exit_code == 2
        assert f"Cannot read --from {path}" in result.stderr


@pytest.mark.parametrize(
    "title",
    [
        "余命一年の僕が、余命半年の君と出会った話。",
        "فيلم عربي",  # right-to-left
        "\u202eRTL override",
        "🎬🍿",
        'O\'Brien & "Friends" <b>; DROP TABLE',
        "%00%2F..%2F",
    ],
)
def test_unusual_but_valid_titles_are_searched_not_rejected(
    run: RunCli, fake: FakeTMDB, title: str
) -> None:
    result = run(title, "-r", "GB", "--json")
    assert result.exit_code in (0, 4)
    assert fake.requests[0].query["query"] == title  # sent exactly as typed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('region = "GB\n', "is not valid TOML"),
        ("[[[", "is not valid TOML"),
        ('colour = "blue"\n', "Unknown key 'colour'"),
        ("region = 42\n", "Invalid region"),
        ('services = "Netflix"\ntimeout = 1e9\n', "Invalid timeout"),
        ('ttl_title = "1y"\n', "Invalid ttl_title"),
        ('ttl_title = "400d"\n', "six months"),
        ("\xff", "Cannot read the config file"),
    ],
)
def test_a_bad_config_file_exits_6_naming_it(
    run: RunCli, config_dir: Path, text: str, message: str
) -> None:
    path = config_dir / "config.toml"
    path.write_bytes(text.encode("latin-1") if text == "\xff" else text.encode())
    result = run("Drawing Closer", "-r", "GB")
    assert result.exit_code == 6
    assert message in result.stderr
    assert str(path) in result.stderr


def test_bad_environment_values_exit_6(run: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHERETOWATCH_CONCURRENCY", "lots")
    result = run("Drawing Closer", "-r", "GB")
    assert result.exit_code == 6
    assert "WHERETOWATCH_CONCURRENCY" in result.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a = " + "[" * 5000 + "]" * 5000 + "\n", "nests values too deeply"),
        ('tmdb_url = "http://[::1"\n', "Invalid tmdb_url"),
        ('tmdb_url = "http://example.org\\r\\nX-Evil: 1"\n', "control or non-ASCII characters"),
    ],
    ids=["deeply nested", "malformed URL", "CR/LF in the URL"],
)
def test_a_hostile_config_value_exits_6(
    run: RunCli, fake: FakeTMDB, config_dir: Path, text: str, message: str
) -> None:
    (config_dir / "config.toml").write_text(text)
    result = run("Drawing Closer", "-r", "GB")
    assert (result.exit_code, result.stdout) == (6, "")
    assert message in result.stderr
    assert fake.requests == []


def test_a_config_file_with_a_byte_order_mark_is_read(run: RunCli, config_dir: Path) -> None:
    (config_dir / "config.toml").write_bytes('\ufeffregion = "JP"\n'.encode())
    result = run("config", "--json")
    assert result.exit_code == 0, result.stderr
    assert '"JP"' in result.stdout


@pytest.mark.parametrize("make", ["fifo", "dev-zero", "huge"])
def test_a_config_file_that_is_no_plain_small_file_exits_6_at_once(
    run: RunCli, config_dir: Path, make: str
) -> None:
    path = config_dir / "config.toml"
    if make == "fifo":
        os.mkfifo(path)
    elif make == "dev-zero":
        path.symlink_to("/dev/zero")
    else:
        path.write_text("# " + "x" * 1_100_000 + "\n")
    outcome: list[Run] = []
    worker = threading.Thread(target=lambda: outcome.append(run("config")), daemon=True)
    worker.start()
    worker.join(timeout=20)  # a FIFO read would block for ever: fail, do not hang the suite
    assert outcome, "the command hung"
    result = outcome[0]
    assert result.exit_code == 6
    assert str(path) in result.stderr
    expected = "larger than 1 MB" if make == "huge" else "is not a regular file"
    assert expected in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["dune", "--year", "abc"], "error: Invalid value for '--year' / '-y': 'abc' is not"),
        (["refresh", "--wait", "nan"], "error: Invalid value for '--wait': nan is not a number"),
        (["cache", "clear", "--bogus"], "error: No such option: --bogus"),
    ],
)
def test_a_parser_error_reads_as_every_other_error(
    run: RunCli, args: list[str], message: str
) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    first, hint = result.stderr.splitlines()
    assert first.startswith(message)
    assert hint.startswith("hint: See wheretowatch ")


@pytest.mark.parametrize(
    ("args", "message", "hint"),
    [
        (["--from", "/nonexistent"], "Cannot read --from /nonexistent", "readable text file"),
        (["--from", "/"], "Cannot read --from /: Is a directory.", "readable text file"),
        (["--from", "-", "--season", "2"], "--season goes with one series", "on its own"),
        (["dune", "--season", "2", "--seasons"], "not both", "--seasons for a row per season"),
        (["--from", "-", "dune"], "give no title", "as a line of its own"),
        (["notify", "test", "notaurl"], "(from the command line)", "ntfys://my-topic"),
    ],
)
def test_every_usage_error_says_what_to_do_next(
    run: RunCli, args: list[str], message: str, hint: str
) -> None:
    result = run(*args, input="Dune\n")
    assert result.exit_code == 2
    assert result.stdout == ""
    error, hint_line = result.stderr.splitlines()[:2]
    assert message in error
    assert hint_line.startswith("hint: ")
    assert hint in hint_line


def test_a_bad_setting_says_where_to_correct_it(
    run: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WHERETOWATCH_TIMEOUT", "abc")
    result = run("dune", "-r", "GB")
    assert result.exit_code == 6
    assert result.stdout == ""
    assert "Invalid timeout 'abc' (from WHERETOWATCH_TIMEOUT)" in result.stderr
    assert "hint: Correct or unset WHERETOWATCH_TIMEOUT." in result.stderr


def test_a_config_file_cut_off_says_so_and_its_hint_matches(run: RunCli, config_dir: Path) -> None:
    path = config_dir / "config.toml"
    path.write_text('region = "GB"\nservices = ["Netflix",\n')
    result = run("Drawing Closer")
    assert result.exit_code == 6
    assert result.stdout == ""
    assert f"The config file {path} is not valid TOML: invalid value at the end of the file." in (
        result.stderr
    )
    assert "hint: Finish the last setting (a list or string left open?)" in result.stderr
    assert "named above" not in result.stderr


def test_a_config_file_syntax_error_names_its_line(run: RunCli, config_dir: Path) -> None:
    path = config_dir / "config.toml"
    path.write_text('region = "GB"\nregion x\n')
    result = run("Drawing Closer")
    assert result.exit_code == 6
    assert result.stdout == ""
    assert f"The config file {path} is not valid TOML, line 2, column 8:" in result.stderr
    assert "hint: Fix that line;" in result.stderr


def test_an_unknown_config_key_names_its_line(run: RunCli, config_dir: Path) -> None:
    path = config_dir / "config.toml"
    path.write_text('language = "en"\nregoin = "GB"\n')
    result = run("Drawing Closer")
    assert result.exit_code == 6
    assert result.stdout == ""
    assert f"Unknown key 'regoin' in the config file {path}, line 2." in result.stderr
    assert "hint: Did you mean 'region'?" in result.stderr


@pytest.mark.usefixtures("online")
def test_uk_is_taken_as_gb(run: RunCli) -> None:
    result = run("Drawing Closer", "-r", "uk")
    assert result.exit_code == 0, result.stderr
    assert "Region: GB  (from --region)" in result.stdout
