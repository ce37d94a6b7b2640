"""How answers reach stdout: the shortcut for piped text writes what Rich would, texts
joined into one print lay out as apart, and stdout and stderr keep their order."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from tests.conftest import RunCli
from tests.fake_tmdb import FakeTMDB
from wheretowatch.cli.commands.setup import _Setup
from wheretowatch.cli.output import Output, _joined
from wheretowatch.cli.views.lookup import other_matches_view, trailers_view
from wheretowatch.cli.views.text import safe
from wheretowatch.errors import ExitCode, UsageError
from wheretowatch.models import MediaType, TitleMatch, Video

LOOKUP_ALL = ("Drawing Closer", "--region", "all")


def _styled() -> Text:
    text = Text("Drawing Closer (2024)", style="bold")
    text.append("  余命一年の僕が ", "dim")
    text.append("\nFilm · TMDB id 1291559  ", "dim")
    return text


TEXTS = [
    Text("plain"),
    Text(),  # a blank line
    _styled(),
    safe("Trailer", "bold", link="https://www.youtube.com/watch?v=x"),
    safe("a\tb\x1b[31m\u202econtrol"),  # escaped by safe(): shown literally
    Text("trailing spaces   \n\nand blank lines\n"),
    Text("a\tb"),  # a tab Rich would expand: left to Rich
    Text("no end", end=""),
    Text("x" * 300),  # longer than any line: piped, it stays one line
]


def _console(*, terminal: bool, width: int = 80) -> Console:
    """As wheretowatch makes them (cli/console.py), writing to a string."""
    return Console(
        file=io.StringIO(),
        force_terminal=terminal,
        width=width,
        highlight=False,
        markup=False,
        emoji=False,
    )


def _piped() -> Console:
    return _console(terminal=False)


@pytest.mark.parametrize("part", TEXTS, ids=range(len(TEXTS)))
def test_piped_text_is_written_as_rich_would_write_it(part: Text) -> None:
    ours, rich = _piped(), _piped()
    Output.print(ours, part)
    rich.print(part, soft_wrap=True)
    assert ours.file.getvalue() == rich.file.getvalue()  # type: ignore[attr-defined]


@pytest.mark.parametrize("width", [20, 60, 200])
def test_texts_joined_into_one_print_lay_out_as_printed_apart(width: int) -> None:
    table = Table("Region", "How")
    table.add_row("GB", "Stream")
    parts: list[RenderableType] = [_styled(), Text(), Text("x " * 50), table, *TEXTS[:6]]
    apart, joined = _console(terminal=True, width=width), _console(terminal=True, width=width)
    for part in parts:
        apart.print(part)
    for part in _joined(parts):
        joined.print(part)
    assert joined.file.getvalue() == apart.file.getvalue()  # type: ignore[attr-defined]


@pytest.mark.usefixtures("online")
def test_an_answer_on_stdout_comes_before_the_next_error_on_stderr(fake: FakeTMDB) -> None:
    # One pipe for both, block-buffered stdout (no PYTHONUNBUFFERED), as in `> log 2>&1`.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    result = subprocess.run(
        [sys.executable, "-m", "wheretowatch", "--from", "-", "--region", "GB"],
        input="Drawing Closer\nNo Such Film At All\n",
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    output = result.stdout
    assert "Netflix" in output
    assert "error:" in output
    assert output.index("Data fetched") < output.index("error:"), output


@pytest.mark.usefixtures("online")
@pytest.mark.parametrize("junk", ["0", "", "abc"])
def test_a_piped_table_ignores_a_columns_value_that_is_no_width(
    run: RunCli, monkeypatch: pytest.MonkeyPatch, junk: str
) -> None:
    monkeypatch.setenv("COLUMNS", junk)
    result = run("Breaking Bad", "--seasons", "--region", "GB,US,JP,DE,FR,KR,BR,IN")
    assert result.exit_code == 0, result.stderr
    assert "…" not in result.stdout  # as wide as its content, nothing cut short
    assert max(len(line) for line in result.stdout.splitlines()) > 80


def test_setup_wraps_its_sentences_between_words_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TERM", "xterm")  # Rich lays a dumb terminal out at 80 columns
    output = Output()
    terminal = _console(terminal=True, width=30)
    output.__dict__["out"] = terminal  # the cached console, replaced
    _Setup(output).say("wheretowatch needs a free TMDB credential: create an account")
    lines = terminal.file.getvalue().splitlines()  # type: ignore[attr-defined]
    assert lines == ["wheretowatch needs a free TMDB", "credential: create an account"]


@pytest.mark.usefixtures("online")
def test_quiet_json_prints_no_error_on_stdout(run: RunCli) -> None:
    result = run("No Such Film At All", "--region", "GB", "--json", "--quiet")
    assert result.exit_code == ExitCode.NOT_FOUND
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")


def test_a_heading_is_bold_and_the_lines_under_it_are_not() -> None:
    video = Video("A trailer", "key1", "YouTube", "Trailer", True, "en", None)
    match = TitleMatch(1, MediaType.MOVIE, "Other Film", "Other Film", 1999, "en")
    for laid in (trailers_view([video]), other_matches_view([match])):
        view = laid if isinstance(laid, Text) else laid.as_text()  # type: ignore[union-attr]
        heading = view.plain.split("\n")[0]
        assert [(s.start, s.end) for s in view.spans if s.style == "bold"] == [(0, len(heading))]
        assert not view.style  # no style over the whole block


def test_an_errors_hint_is_not_in_the_errors_colour() -> None:
    output = Output()
    terminal = Console(file=io.StringIO(), force_terminal=True, color_system="standard")
    output.__dict__["err"] = terminal
    output.report(UsageError("Unknown region code 'XX'.", hint="Pass --region GB."))
    error, hint = terminal.file.getvalue().splitlines()  # type: ignore[attr-defined]
    assert error.startswith("\x1b[1;31merror: ")
    assert hint == "hint: Pass --region GB."


def test_a_missing_title_is_a_usage_error_even_without_a_region(run: RunCli) -> None:
    # No region anywhere: what is wrong is the missing title (exit 2), not the region.
    result = run("--json")
    assert result.exit_code == ExitCode.USAGE
    assert "Give exactly one of: a title" in result.stdout


@pytest.mark.usefixtures("online")
@pytest.mark.parametrize("command", [("doctor",), ("config",), ("regions",), LOOKUP_ALL])
def test_piped_tables_end_each_line_at_its_last_character(
    run: RunCli, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    # Rich pads titles and box-less cells to the table's width: grep and diff see it.
    monkeypatch.delenv("COLUMNS")
    result = run(*command)
    assert result.stdout.strip(), result.stderr
    assert [line for line in result.stdout.splitlines() if line != line.rstrip()] == []
