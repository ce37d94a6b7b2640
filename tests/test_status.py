"""Waiting on TMDB, said on a terminal's stderr: what for, and each retry with its wait."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time

import pytest

from tests.conftest import RunCli, http_settings
from tests.fake_tmdb import FakeTMDB
from tests.test_prompt import Terminal
from wheretowatch.cli.status import StatusLine
from wheretowatch.models import MediaType
from wheretowatch.tmdb import TMDBClient

TMDB_DOWN = {"status_code": 9, "status_message": "Service offline."}


class Recorded:
    def __init__(self) -> None:
        self.events: list[str] = []

    def begin(self, activity: str) -> None:
        self.events.append(f"begin {activity}")

    def update(self, message: str) -> None:
        self.events.append(message)

    def end(self) -> None:
        self.events.append("end")


def test_the_client_says_what_it_waits_for_and_each_retry(fake: FakeTMDB) -> None:
    fake.fail(503, TMDB_DOWN, times=2)
    progress = Recorded()
    pauses: list[float] = []
    with TMDBClient(http_settings(fake.url), sleep=pauses.append, progress=progress) as tmdb:
        tmdb.search("Fight Club", media_type=None, language="en-US")
        tmdb.details(MediaType.MOVIE, 550, language="en-US", video_languages=("en",))
    assert progress.events == [
        "begin Searching TMDB",
        "TMDB is busy, retrying in 0.5 s (2 of 4)",
        "TMDB is busy, retrying in 1 s (3 of 4)",
        "end",
        "begin Fetching the title from TMDB",
        "end",
    ]
    assert pauses == [0.5, 1.0]


def test_each_request_is_bracketed_by_begin_and_end(fake: FakeTMDB) -> None:
    progress = Recorded()
    with TMDBClient(http_settings(fake.url), progress=progress) as tmdb:
        tmdb.regions(language="en-US")
    assert progress.events == ["begin Fetching TMDB's regions", "end"]


def test_the_line_appears_only_after_the_delay_and_is_erased() -> None:
    stream = io.StringIO()
    line = StatusLine(stream, delay=0.05)
    line.begin("Searching TMDB")
    line.end()
    assert stream.getvalue() == ""  # a quick answer shows nothing
    line.begin("Searching TMDB")
    deadline = time.monotonic() + 5
    while not stream.getvalue() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert stream.getvalue() == "\rSearching TMDB…"
    line.update("TMDB is busy, retrying in 2 s (2 of 4)")
    line.end()
    assert stream.getvalue().endswith("\r" + " " * 38 + "\r")


def test_a_retry_is_shown_at_once() -> None:
    stream = io.StringIO()
    line = StatusLine(stream, delay=60)
    line.begin("Searching TMDB")
    line.update("TMDB is busy, retrying in 1 s (2 of 4)")
    assert stream.getvalue() == "\rTMDB is busy, retrying in 1 s (2 of 4)"
    line.end()


@pytest.mark.usefixtures("online")
def test_a_slow_tmdb_shows_on_a_terminal(fake: FakeTMDB) -> None:
    fake.latency = 0.8
    terminal = Terminal("Fight Club", "-r", "GB")
    assert terminal.finish() == 0
    shown = terminal.text()
    assert "\rSearching TMDB…" in shown
    assert "\rFetching the title from TMDB…" in shown
    assert shown.index("Fetching the title") < shown.index("Fight Club (1999)")


@pytest.mark.usefixtures("online")
def test_nothing_of_it_when_stderr_is_not_a_terminal(fake: FakeTMDB) -> None:
    fake.latency = 0.8
    main, child = os.openpty()
    process = subprocess.run(
        [sys.executable, "-m", "wheretowatch", "Fight Club", "-r", "GB"],
        stdin=child,
        stdout=child,
        stderr=subprocess.PIPE,
        timeout=60,
        check=False,
    )
    os.close(child)
    os.close(main)
    assert process.returncode == 0
    assert process.stderr == b""


@pytest.mark.usefixtures("online")
def test_nothing_of_it_through_the_test_runner(run: RunCli, fake: FakeTMDB) -> None:
    fake.latency = 0.6
    assert run("Fight Club", "-r", "GB").stderr == ""
