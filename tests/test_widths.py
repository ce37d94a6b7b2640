"""Every screen at 60, 80 and 120 columns on a real pseudo-terminal: no line wider than
the terminal (but an address or a command alone on its line, which the terminal folds, so
that a copy takes it whole), no provider name broken across lines, and wrapped lines that
continue under their own text."""

from __future__ import annotations

import os
import re

import pytest
from rich.cells import cell_len
from rich.text import Text

from tests.conftest import RunCli
from tests.fake_tmdb import FakeTMDB
from tests.terminal import Terminal

pytestmark = pytest.mark.usefixtures("online")

WIDTHS = [60, 80, 120]
# Names a narrow screen used to break: "Google Play" / "Movies", "Amazon" / "Video".
NAMES = ["Amazon Prime Video", "Google Play Movies", "Amazon Video", "Apple TV"]
# An address, or a command to copy: alone on its line, never broken by wheretowatch.
WHOLE = re.compile(r"\s*(https?://\S+|/\S+|chmod \S+ /\S+|wheretowatch .+)")


def terminal_env() -> dict[str, str]:
    # The window's size comes from the terminal, as for a person: no COLUMNS to override it.
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    return {**env, "TERM": "xterm-256color"}


def screen(*args: str, columns: int, statuses: tuple[int, ...] = (0, 3)) -> list[str]:
    terminal = Terminal(*args, env=terminal_env(), columns=columns)
    assert terminal.wait() in statuses, terminal.seen
    return terminal.seen.splitlines()


def assert_fits(lines: list[str], columns: int) -> None:
    wide = [line for line in lines if cell_len(line) > columns and not WHOLE.fullmatch(line)]
    assert wide == [], f"lines wider than {columns} columns"


def assert_names_whole(lines: list[str]) -> None:
    text = "\n".join(lines)
    for name in NAMES:
        first, _, rest = name.partition(" ")
        # A name's first word at a line's end, its rest at the next line's start: broken.
        broken = re.search(rf"{re.escape(first)},?\s*[│|]?\s*\n[\s│|]*{re.escape(rest)}", text)
        assert broken is None, f"{name!r} broken across lines"


@pytest.mark.parametrize("columns", WIDTHS)
def test_a_lookup_fits_and_never_breaks_a_service_name(columns: int) -> None:
    lines = screen("Fight Club", "--region", "GB,US", columns=columns)
    assert_fits(lines, columns)
    assert_names_whole(lines)
    assert any("Google Play Movies" in line for line in lines)


@pytest.mark.parametrize("columns", WIDTHS)
def test_seasons_fit_and_never_break_a_service_name(columns: int) -> None:
    lines = screen("Breaking Bad", "--seasons", "--region", "GB,US", columns=columns)
    assert_fits(lines, columns)
    assert_names_whole(lines)


@pytest.mark.parametrize("columns", WIDTHS)
def test_trailers_wrap_under_their_own_text(columns: int) -> None:
    lines = screen("Fight Club", "--region", "GB", columns=columns)
    start = lines.index("Trailers")
    end = lines.index("", start)
    trailers = lines[start + 1 : end]
    # Every line of the trailers is indented: a wrapped name never restarts at column 0.
    assert all(line.startswith("  ") for line in trailers if line.strip()), trailers


@pytest.mark.parametrize("columns", WIDTHS)
def test_watchlist_list_wraps_under_its_own_text(run: RunCli, columns: int) -> None:
    long_title = "Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb"
    assert run("watchlist", "add", "--tmdb-id", "935", "--region", "GB").exit_code == 0
    assert run("watchlist", "add", "Fight Club", "--region", "GB,US").exit_code == 0
    lines = [line for line in screen("watchlist", "list", columns=columns) if "━" not in line]
    assert_fits(lines, columns)
    assert_names_whole(lines)
    titles = [line for line in lines if line and not line.startswith(" ")]
    # Only the titles' first lines start at column 0; their wrapped rest is indented.
    assert all(line.startswith(("Dr. Strangelove", "Fight Club")) for line in titles), titles
    assert long_title in " ".join(" ".join(lines).split())


@pytest.mark.parametrize("columns", WIDTHS)
def test_doctor_prints_a_command_whole_on_a_line_of_its_own(
    run: RunCli, columns: int, isolated: os.PathLike[str]
) -> None:
    assert run("config", "set", "region", "GB").exit_code == 0
    path = run("config", "path").stdout.strip()
    os.chmod(path, 0o666)
    terminal = Terminal("doctor", env=terminal_env(), columns=columns)
    assert terminal.wait() == 6
    lines = terminal.seen.splitlines()
    commands = {f"chmod 600 {path}", f"chmod go-w {path}"}
    assert commands & {line.strip() for line in lines}, lines
    assert_fits(lines, columns)


@pytest.mark.parametrize("columns", WIDTHS)
def test_version_and_config_fit(run: RunCli, columns: int) -> None:
    assert run("config", "set", "region", "GB").exit_code == 0
    for args in (("--version",), ("config",)):
        lines = screen(*args, columns=columns)
        assert_fits(lines, columns)
    config = screen("config", columns=columns)
    # The file is named once, above the table; the table says where a value came from.
    assert sum("config.toml" in line for line in config) == 1
    assert any("config file" in line for line in config if "region" in line)


@pytest.mark.parametrize("columns", WIDTHS)
def test_a_wide_script_title_folds_by_the_columns_it_takes(columns: int) -> None:
    # Drawing Closer's original title is Japanese: each character takes two columns.
    lines = screen("Drawing Closer", "--region", "GB", columns=columns)
    assert_fits(lines, columns)
    assert any("余命" in line for line in lines)


def test_a_flow_folds_a_wide_piece_by_cells() -> None:
    from wheretowatch.cli.views.layout import Flow

    laid = Flow([Text("あ" * 30)], indent=2).lines(20)
    assert all(cell_len(line) <= 20 for text in laid for line in text.plain.split("\n"))
    assert "".join(text.plain for text in laid).replace(" ", "").replace("\n", "") == "あ" * 30


@pytest.mark.parametrize("columns", [60, 80])
def test_an_import_report_wraps_each_row_under_itself(
    run: RunCli, columns: int, tmp_path: os.PathLike[str]
) -> None:
    export = os.path.join(tmp_path, "watchlist.csv")
    with open(export, "w", encoding="utf-8") as file:
        file.write("Date,Name,Year,Letterboxd URI\n")
        file.write("2024-01-01,A Title Nobody Has Ever Made And Nobody Will Ever Make Now,1999,x\n")
    lines = screen("watchlist", "import", export, "-r", "GB", columns=columns, statuses=(4,))
    assert_fits(lines, columns)
    rows = [n for n, line in enumerate(lines) if line.startswith("row 2:")]
    assert rows, lines
    after = lines[rows[0] + 1]
    assert after.startswith("    "), lines


@pytest.mark.parametrize("columns", [60, 80])
def test_a_refresh_report_wraps_under_its_own_words(
    run: RunCli, fake: FakeTMDB, columns: int
) -> None:
    long_title = "Fight Club, the Extended Director's Cut Nobody Asked For"
    fake.movies[550] = {**fake.movies[550], "title": long_title}
    added = run("watchlist", "add", "--tmdb-id", "550", "--region", "GB")
    assert added.exit_code == 0, added.stderr
    assert run("refresh").exit_code == 0
    fake.movies[550] = {**fake.movies[550], "_providers": {"GB": {"link": None}}}
    terminal = Terminal("refresh", env=terminal_env(), columns=columns)
    assert terminal.wait() == 5
    lines = [line for line in terminal.seen.splitlines() if line and "━" not in line]
    assert_fits(lines, columns)
    # Each change starts at column 0 with the title; its wrapped rest is indented.
    assert all(line.startswith(("Fight Club, the Extended", "  ")) for line in lines), lines
    assert_names_whole(lines)


@pytest.mark.parametrize("columns", WIDTHS)
def test_every_region_fits_and_never_breaks_a_service_name(columns: int) -> None:
    lines = screen("Fight Club", "--region", "all", columns=columns)
    assert_fits(lines, columns)
    assert_names_whole(lines)
    assert any("Amazon Prime Video" in line for line in lines)


@pytest.mark.parametrize("columns", WIDTHS)
def test_help_fits_the_terminal(columns: int) -> None:
    for args in (("--help",), ("watchlist", "--help"), ("browse", "--help")):
        assert_fits(screen(*args, columns=columns), columns)


@pytest.mark.parametrize("columns", [60, 80])
def test_browse_never_cuts_a_year_or_an_id(columns: int) -> None:
    lines = screen(
        "browse", "--region", "GB", "--service", "Netflix", "--limit", "5", columns=columns
    )
    assert_fits(lines, columns)
    assert "…" not in "\n".join(lines)
    assert any("438631" in line for line in lines)


def test_a_gone_title_keeps_its_remove_command_whole(run: RunCli, fake: FakeTMDB) -> None:
    assert run("watchlist", "add", "--tmdb-id", "550", "--region", "GB").exit_code == 0
    del fake.movies[550]
    run("refresh")
    lines = screen("watchlist", "list", columns=60)
    command = "`wheretowatch watchlist remove --tmdb-id 550`"
    assert any(command in line for line in lines), lines


def test_an_address_that_fits_stays_on_its_line_and_one_that_does_not_is_never_broken() -> None:
    from wheretowatch.cli.views.layout import Flow, prose

    head = [Text("   ok "), Text("TMDB reachable  ")]
    fits = Flow([*head, *prose("http://127.0.0.1:8796 answered in 78 ms")], indent=22)
    (laid,) = fits.lines(60)
    assert laid.plain.splitlines()[0].startswith("   ok TMDB reachable  http://127.0.0.1:8796")
    path = "/tmp/a-rather-long-home/.config/wheretowatch/config.toml"
    alone = Flow([*head, *prose(f"{path} is readable")], indent=22).lines(60)
    assert [text.plain.strip() for text in alone if text.no_wrap] == [path]
