"""Terminal conventions: links (OSC 8), colour switches, NO_COLOR, width."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from tests.conftest import RunCli
from wheretowatch.cli.views.text import safe

pytestmark = pytest.mark.usefixtures("online")
WATCH_PAGE = "https://www.themoviedb.org/movie/1291559-drawing-closer/watch?locale=GB"
TRAILER = "https://www.youtube.com/watch?v=dcTrailerJa"
COLOUR = re.compile(r"\x1b\[[0-9;]*[0-9]m")  # SGR codes that set a colour or style


def links(output: str) -> list[str]:
    return re.findall(r"\x1b\]8;[^;]*;([^\x1b]+)\x1b\\", output)


def test_piped_output_has_no_escape_codes(run: RunCli) -> None:
    result = run("Drawing Closer", "-r", "GB")
    assert "\x1b" not in result.stdout
    assert WATCH_PAGE in result.stdout  # the plain URL, to copy
    assert TRAILER in result.stdout


def test_color_always_makes_providers_watch_pages_and_trailers_links(run: RunCli) -> None:
    result = run("--color", "always", "Drawing Closer", "-r", "GB")
    assert result.exit_code == 0
    found = links(result.stdout)
    assert found.count(WATCH_PAGE) >= 2  # the provider name and the page itself
    assert TRAILER in found
    assert COLOUR.search(result.stdout)


def test_color_never_is_plain_text(run: RunCli) -> None:
    result = run("--color=never", "Drawing Closer", "-r", "GB")
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout


def test_no_color_keeps_links_but_drops_colour(
    run: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    result = run("--color", "always", "Drawing Closer", "-r", "GB")
    assert links(result.stdout)
    assert not re.search(r"\x1b\[[0-9;]*3[0-9]m", result.stdout)  # no foreground colour


def test_columns_is_honoured_and_tables_are_no_wider_than_needed(
    run: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    wide = run("Fight Club", "-r", "GB,US").stdout
    table_lines = [line for line in wide.splitlines() if line[:1] in "┏┃┡│├└"]
    assert max(len(line) for line in table_lines) < 80  # fits its content, not 100 columns
    monkeypatch.setenv("COLUMNS", "40")
    narrow = run("Fight Club", "-r", "GB,US").stdout
    table_lines = [line for line in narrow.splitlines() if line[:1] in "┏┃┡│├└"]
    assert max(len(line) for line in table_lines) <= 40


def test_a_hostile_url_is_never_made_a_link() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True)
    for url in ("https://evil.example/\x1b\\\x1b[2J", "javascript:alert(1)", "https://a b"):
        console.print(safe("click", link=url))
    assert "]8;" not in out.getvalue()


@pytest.mark.parametrize(
    "encoding", ["latin-1", "euc-jp", "ascii"], ids=["latin-1", "EUC-JP", "ASCII"]
)
@pytest.mark.parametrize("args", [[], ["--json"]], ids=["text", "json"])
def test_an_output_encoding_that_cannot_show_a_title_replaces_never_crashes(
    encoding: str, args: list[str]
) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": encoding}
    command = [sys.executable, "-m", "wheretowatch", "Drawing Closer", "-r", "JP", *args]
    done = subprocess.run(command, env=env, capture_output=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    text = done.stdout.decode(encoding)
    assert "Drawing Closer" in text
    if args:
        assert "\\u4f59\\u547d" in text  # JSON escapes it: nothing lost
    elif encoding != "euc-jp":
        assert "?" in text  # 余命一年の僕が… cannot be shown in this encoding
