"""Which title is meant: asked on a terminal (driven here through a pseudo-terminal), and
never anywhere else."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time

import pytest

from tests.conftest import RunCli

pytestmark = pytest.mark.usefixtures("online")

QUESTION = b"Which one? [1-2, Enter for 1]"


class Terminal:
    """wheretowatch with stdin, stdout and stderr on a pseudo-terminal."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        self.main, child = os.openpty()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "wheretowatch", *args],
            stdin=child,
            stdout=child,
            stderr=child,
            env={**os.environ, **(env or {})},
            close_fds=True,
        )
        os.close(child)
        self.seen = b""

    def read_until(self, wanted: bytes, timeout: float = 30) -> bool:
        deadline = time.monotonic() + timeout
        while wanted not in self.seen and time.monotonic() < deadline:
            ready, _, _ = select.select([self.main], [], [], 0.1)
            if not ready:
                continue
            try:
                chunk = os.read(self.main, 4096)
            except OSError:  # EIO: the process closed the terminal
                break
            if not chunk:
                break
            self.seen += chunk
        return wanted in self.seen

    def type(self, text: bytes) -> None:
        os.write(self.main, text)

    def finish(self, timeout: float = 30) -> int:
        self.read_until(b"\0never\0", timeout=timeout)
        code = self.process.wait(timeout=timeout)
        os.close(self.main)
        return code

    def text(self) -> str:
        return self.seen.decode(errors="replace").replace("\r\n", "\n")


def test_two_exact_matches_ask_and_enter_takes_the_first() -> None:
    terminal = Terminal("Dune", "-r", "GB")
    assert terminal.read_until(QUESTION)
    shown = terminal.text()
    assert "1. Dune (2021)  film" in shown
    assert "2. Dune (1984)  film" in shown
    terminal.type(b"\r")
    assert terminal.finish() == 0
    assert "TMDB id 438631" in terminal.text()


def test_a_number_picks_that_candidate() -> None:
    terminal = Terminal("Dune", "-r", "GB")
    assert terminal.read_until(QUESTION)
    terminal.type(b"2\r")
    assert terminal.finish() == 3  # Dune (1984) streams nowhere in GB
    assert "TMDB id 841" in terminal.text()


def test_a_wrong_answer_asks_again() -> None:
    terminal = Terminal("Dune", "-r", "GB")
    assert terminal.read_until(QUESTION)
    terminal.type(b"7\r")
    assert terminal.read_until(b"Type a number from 1 to 2, or Enter for 1.")
    terminal.type(b"2\r")
    assert terminal.finish() == 3


def test_no_exact_match_asks_with_original_titles() -> None:
    terminal = Terminal("drawing", "-r", "GB")
    assert terminal.read_until(QUESTION)
    assert "余命一年の僕が、余命半年の君と出会った話。" in terminal.text()
    terminal.type(b"2\r")
    assert terminal.finish() == 0
    assert "TMDB id 1291559" in terminal.text()


def test_end_of_input_at_the_prompt_is_a_usage_error() -> None:
    terminal = Terminal("Dune", "-r", "GB")
    assert terminal.read_until(QUESTION)
    terminal.type(b"\x04")
    assert terminal.finish() == 2
    assert "No title chosen." in terminal.text()


def test_watchlist_add_asks_too() -> None:
    terminal = Terminal("watchlist", "add", "Dune")
    assert terminal.read_until(QUESTION)
    terminal.type(b"2\r")
    assert terminal.finish() == 0
    assert "Added Dune (1984), film, TMDB id 841" in terminal.text()


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["Dune", "-r", "GB", "--year", "1984"], {}),  # the year decides
        (["Drawing Closer", "-r", "GB"], {}),  # one exact match
        (["Dune", "-r", "GB", "--no-input"], {}),
        (["Dune", "-r", "GB"], {"WHERETOWATCH_NO_INPUT": "1"}),
        (["Dune", "-r", "GB", "--json"], {}),
        (["Dune", "-r", "GB", "--quiet"], {}),
        (["watchlist", "add", "Dune", "--no-input"], {}),
    ],
)
def test_no_question_when_nothing_is_in_doubt_or_asking_is_off(
    args: list[str], env: dict[str, str]
) -> None:
    terminal = Terminal(*args, env=env)
    assert terminal.finish() in (0, 3)
    assert "Which one?" not in terminal.text()


@pytest.mark.parametrize("stream", ["stdin", "stdout"])
def test_no_question_unless_both_stdin_and_stdout_are_terminals(stream: str) -> None:
    main, child = os.openpty()
    process = subprocess.run(
        [sys.executable, "-m", "wheretowatch", "Dune", "-r", "GB"],
        stdin=subprocess.DEVNULL if stream == "stdin" else child,
        stdout=subprocess.PIPE if stream == "stdout" else child,
        stderr=subprocess.PIPE,
        timeout=60,
        check=False,
    )
    os.close(child)
    os.close(main)
    assert process.returncode == 0
    assert b"Which one?" not in process.stderr


def test_no_question_through_the_test_runner(run: RunCli) -> None:
    result = run("Dune", "-r", "GB")
    assert result.exit_code == 0
    assert "Which one?" not in result.stderr
    assert "Dune (2021)" in result.stdout


def test_one_candidate_that_is_not_exact_is_asked_about_too(fake_single_guess: None) -> None:
    terminal = Terminal("zyzzyva", "-r", "GB")
    assert terminal.read_until(b"Is this the one? [Y/n]")
    assert "Not an exact match:" in terminal.text()
    assert "1. Zyzzyva Party (2001)  film" in terminal.text()
    terminal.type(b"n\r")
    assert terminal.finish() == 2
    assert "No title chosen." in terminal.text()


def test_a_year_nothing_matches_is_asked_about_on_a_terminal() -> None:
    terminal = Terminal("Fight Club", "--year", "2005", "-r", "GB")
    assert terminal.read_until(b"Is this the one? [Y/n]")
    terminal.type(b"\r")
    assert terminal.finish() in (0, 3)
    assert "TMDB id 550" in terminal.text()


def test_the_typo_hint_comes_before_the_question(fake_single_guess: None) -> None:
    terminal = Terminal("serch", "-r", "GB")
    assert terminal.read_until(b"Is this the one? [Y/n]")
    assert "did you mean: wheretowatch search?" in terminal.text()
    terminal.type(b"\r")
    assert terminal.finish() in (0, 3)


@pytest.fixture
def fake_single_guess(online: object) -> None:
    from tests.fake_tmdb import FakeTMDB

    assert isinstance(online, FakeTMDB)
    online.movies[990003] = {**online.movies[990002], "id": 990003, "title": "Zyzzyva Party"}
    online.movies[990004] = {**online.movies[990002], "id": 990004, "title": "Serch Party"}
