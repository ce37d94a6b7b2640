"""When the output cannot be written: a full disk, a reader that goes away mid-batch.

Run as real processes: what is tested is what the interpreter does at exit too.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.fake_tmdb import FakeTMDB

pytestmark = pytest.mark.usefixtures("online")
CLI = [sys.executable, "-m", "wheretowatch"]


def _to_full_disk(*args: str) -> subprocess.CompletedProcess[str]:
    with open("/dev/full", "w") as full:
        return subprocess.run(
            [*CLI, *args], stdout=full, stderr=subprocess.PIPE, text=True, timeout=60, check=False
        )


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
@pytest.mark.parametrize(
    "args",
    [
        ["Drawing Closer", "-r", "GB"],
        ["Drawing Closer", "-r", "GB", "--json"],
        ["--help"],
        ["--version"],
        ["watchlist", "list"],
    ],
)
def test_a_full_disk_is_one_line_and_exit_74(args: list[str]) -> None:
    result = _to_full_disk(*args)
    assert result.returncode == 74, result.stderr
    assert result.stderr == "error: cannot write the output: No space left on device.\n"


def test_a_reader_that_leaves_mid_batch_ends_it_quietly_every_time(fake: FakeTMDB) -> None:
    titles = "Fight Club\nDune\nBreaking Bad\nDrawing Closer\n" * 3
    subprocess.run(
        [*CLI, "--from", "-", "-r", "GB"],
        input=titles,
        text=True,
        check=False,
        capture_output=True,
        timeout=60,
    )  # fills the cache
    for _ in range(8):  # the threads still reading the cache as it closes: no crash
        reader, writer = os.pipe()
        os.close(reader)
        try:
            process = subprocess.run(
                [*CLI, "--from", "-", "-r", "GB"],
                input=titles.encode(),
                stdout=writer,
                stderr=subprocess.PIPE,
                timeout=60,
                check=False,
            )
        finally:
            os.close(writer)
        assert process.returncode == 141, process.stderr
        assert process.stderr == b""


def test_a_piped_table_is_as_wide_as_its_content(fake: FakeTMDB) -> None:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    result = subprocess.run(
        [*CLI, "search", "drawing"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "余命一年の僕が、余命半年の君と出会った話。" in result.stdout  # not cut at 80


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
def test_a_refresh_with_nothing_to_say_still_reports_a_full_disk() -> None:
    result = _to_full_disk("refresh", "--json")  # nothing watched: an empty list to write
    assert result.returncode == 74, result.stderr


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["help"]])
def test_a_reader_that_leaves_before_help_or_version_is_141(args: list[str]) -> None:
    reader, writer = os.pipe()
    os.close(reader)
    try:
        result = subprocess.run(
            [*CLI, *args], stdout=writer, stderr=subprocess.PIPE, timeout=60, check=False
        )
    finally:
        os.close(writer)
    assert result.returncode == 141, result.stderr
    assert result.stderr == b""


def test_no_stdout_at_all_is_no_crash() -> None:
    result = subprocess.run(
        [*CLI, "--version"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=60,
        check=False,
        close_fds=True,
    )
    closed = subprocess.run(
        ["sh", "-c", f"{sys.executable} -m wheretowatch --version >&-"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    assert "Traceback" not in closed.stderr
