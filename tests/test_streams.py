"""Terminal behaviour decided by the streams handed down in Output, testable without a
pseudo-terminal (tests/test_prompt.py and tests/test_status.py try the real ones)."""

from __future__ import annotations

import pytest

from wheretowatch.cli.output import Output
from wheretowatch.cli.progress import ProgressBar
from wheretowatch.cli.prompt import chooser
from wheretowatch.cli.status import StatusLine, status_line
from wheretowatch.cli.streams import Streams

TERMINALS = Streams(stdin_is_terminal=True, stdout_is_terminal=True, stderr_is_terminal=True)
PIPES = Streams(stdin_is_terminal=False, stdout_is_terminal=False, stderr_is_terminal=False)


def test_a_person_at_a_terminal_is_asked_to_pick() -> None:
    assert chooser(Output(streams=TERMINALS), no_input=False) is not None


@pytest.mark.parametrize(
    "streams",
    [
        PIPES,
        TERMINALS._replace(stdin_is_terminal=False),
        TERMINALS._replace(stdout_is_terminal=False),
    ],
)
def test_no_one_is_asked_unless_stdin_and_stdout_are_terminals(streams: Streams) -> None:
    assert chooser(Output(streams=streams), no_input=False) is None


def test_json_quiet_and_no_input_never_ask_even_at_a_terminal() -> None:
    assert chooser(Output(streams=TERMINALS, json=True), no_input=False) is None
    assert chooser(Output(streams=TERMINALS, quiet=True), no_input=False) is None
    assert chooser(Output(streams=TERMINALS), no_input=True) is None


def test_the_status_line_is_for_a_terminal_on_stderr_only() -> None:
    assert isinstance(status_line(Output(streams=TERMINALS)), StatusLine)
    assert status_line(Output(streams=TERMINALS._replace(stderr_is_terminal=False))) is None
    assert status_line(Output(streams=TERMINALS, quiet=True)) is None


def test_the_progress_bar_draws_nothing_when_stderr_is_piped() -> None:
    bar = ProgressBar(Output(streams=PIPES), "Refreshing")
    bar.start(10)
    assert bar._bar is None
    bar.stop()


def test_the_process_streams_are_asked_when_none_are_given() -> None:
    # Under pytest's capture no stream is a terminal.
    assert Output().streams == Streams.of_process()
    assert not Output().streams.stdout_is_terminal
