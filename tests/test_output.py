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

from tests.fake_tmdb import FakeTMDB
from wheretowatch import render
from wheretowatch.cli.output import Output, _joined


def _styled() -> Text:
    text = Text("Drawing Closer (2024)", style="bold")
    text.append("  余命一年の僕が ", "dim")
    text.append("\nFilm · TMDB id 1291559  ", "dim")
    return text


TEXTS = [
    Text("plain"),
    Text(),  # a blank line
    _styled(),
    render.safe("Trailer", "bold", link="https://www.youtube.com/watch?v=x"),
    render.safe("a\tb\x1b[31m\u202econtrol"),  # escaped by safe(): shown literally
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
