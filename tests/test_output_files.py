"""Files the user names for an output (`watchlist export -o`, `import --unmatched`), and
what is printed for a person: devices and pipes written through, never replaced."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

import pytest

from tests.conftest import TOKEN, RunCli
from tests.fake_tmdb import FakeTMDB

pytestmark = pytest.mark.usefixtures("online")

LETTERBOXD = "Date,Name,Year,Letterboxd URI\n2024-01-01,Solaris,,https://boxd.it/a\n"


def _watch_something(run: RunCli) -> None:
    assert run("watchlist", "add", "--tmdb-id", "550", "--type", "movie").exit_code == 0


def test_export_to_a_fifo_writes_through_it_and_leaves_it_a_fifo(
    run: RunCli, tmp_path: Path
) -> None:
    _watch_something(run)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()

    result = run("watchlist", "export", "-o", str(fifo))
    reader.join(timeout=10)

    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert b"Fight Club" in received[0]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".pipe")] == []


def _device_like_dev_full(tmp_path: Path) -> Path:
    device = tmp_path / "full"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    except (PermissionError, OSError):
        pytest.skip("making a device node needs root")
    return device


def test_export_to_a_full_device_exits_74_and_keeps_the_device(run: RunCli, tmp_path: Path) -> None:
    _watch_something(run)
    device = _device_like_dev_full(tmp_path)

    result = run("watchlist", "export", "-o", str(device))

    assert result.exit_code == 74
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: Cannot write --output {device}: ")
    assert stat.S_ISCHR(device.stat().st_mode)


def test_unmatched_rows_to_a_device_keep_the_device(
    run: RunCli, tmp_path: Path, fake: FakeTMDB
) -> None:
    device = _device_like_dev_full(tmp_path)
    export = tmp_path / "watchlist.csv"
    export.write_text(LETTERBOXD)

    result = run("watchlist", "import", str(export), "--unmatched", str(device))

    assert result.exit_code == 74
    assert stat.S_ISCHR(device.stat().st_mode)


def test_unmatched_naming_the_imported_file_is_refused_before_anything_changes(
    run: RunCli, tmp_path: Path, fake: FakeTMDB
) -> None:
    export = tmp_path / "watchlist.csv"
    export.write_text(LETTERBOXD)

    for extra in ([], ["--dry-run"]):
        result = run("watchlist", "import", str(export), "--unmatched", str(export), *extra)

        assert result.exit_code == 2
        assert result.stdout == ""
        assert "is the file being imported" in result.stderr
        assert export.read_text() == LETTERBOXD
    assert fake.requests == []
    assert json.loads(run("watchlist", "list", "--json").stdout)["titles"] == []


def test_a_new_output_file_is_private_and_an_existing_one_replaced_keeping_its_mode(
    run: RunCli, tmp_path: Path
) -> None:
    _watch_something(run)
    new = tmp_path / "new.csv"
    target = tmp_path / "out.csv"
    target.write_text("old\n")
    target.chmod(0o644)
    before = target.stat().st_ino

    assert run("watchlist", "export", "-o", str(new)).exit_code == 0
    assert run("watchlist", "export", "-o", str(target)).exit_code == 0

    assert stat.S_IMODE(new.stat().st_mode) == 0o600
    assert "Fight Club" in target.read_text()
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert target.stat().st_ino != before  # a new file renamed over it, never rewritten
    assert sorted(p.name for p in tmp_path.glob("*.csv*")) == ["new.csv", "out.csv"]
    assert list(tmp_path.glob(".*.tmp")) == []


def test_search_without_results_says_so_on_stderr(run: RunCli) -> None:
    result = run("search", "zzzz", "qqqq")

    assert result.exit_code == 4
    assert result.stdout == ""
    assert result.stderr.startswith("error: TMDB lists no film or series matching 'zzzz qqqq'.")
    assert "hint: " in result.stderr


def test_search_without_results_as_json_is_an_empty_document(run: RunCli) -> None:
    result = run("search", "zzzz", "--json")

    assert result.exit_code == 4
    assert json.loads(result.stdout)["results"] == []
    assert result.stderr == ""


def test_a_batch_error_in_words_names_its_line(run: RunCli) -> None:
    result = run("--from", "-", "--region", "GB", input="Fight Club\nred\x1b[31m\n")

    assert result.exit_code == 2
    assert "error: line 2, red\\x1b[31m: The title contains control characters." in result.stderr
    assert "\x1b" not in result.stderr


def test_subcommands_do_not_offer_to_install_completion(run: RunCli) -> None:
    for command in ("search", "refresh", "doctor", "setup", "regions", "providers"):
        assert "--install-completion" not in run(command, "--help").stdout
    assert "--install-completion" in run("--help").stdout


def _on_a_terminal(*args: str) -> tuple[int, bytes]:
    """wheretowatch ARGS with its stdout on a pseudo-terminal: status and the raw bytes."""
    main, child = os.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "wheretowatch", *args], stdout=child, stderr=child, close_fds=True
    )
    os.close(child)
    seen = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # EIO: the process closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(main)
    return process.wait(timeout=30), seen


def test_export_shows_a_titles_escapes_on_a_terminal_and_keeps_them_in_a_file(
    run: RunCli, tmp_path: Path
) -> None:
    assert run("watchlist", "add", "--tmdb-id", "990666", "--type", "movie").exit_code == 0

    code, shown = _on_a_terminal("watchlist", "export")

    assert code == 0
    assert b"\x1b" not in shown
    assert b"\x07" not in shown
    assert b" [31mRED" in shown  # a CSV holds no control character: a space instead
    kept = tmp_path / "list.csv"
    assert run("watchlist", "export", "-o", str(kept)).exit_code == 0
    assert " [31mRED" in kept.read_text()
    assert "\x1b" not in kept.read_text()
    as_json = run("watchlist", "export", "--format", "json")
    assert "\\u001b[31mRED" in as_json.stdout  # escaped, and so the data as TMDB has it


@pytest.mark.parametrize("as_json", [False, True])
def test_unmatched_rows_that_cannot_be_written_leave_the_report_whole(
    run: RunCli, tmp_path: Path, fake: FakeTMDB, as_json: bool
) -> None:
    device = _device_like_dev_full(tmp_path)
    export = tmp_path / "watchlist.csv"
    export.write_text(LETTERBOXD + "2024-01-01,Fight Club,1999,https://boxd.it/b\n")

    extra = ["--json"] if as_json else []
    result = run("watchlist", "import", str(export), "--unmatched", str(device), *extra)

    assert result.exit_code == 74
    if as_json:
        assert json.loads(result.stdout)["counts"]["added"] == 1  # one document, whole
    else:
        assert result.stdout.startswith("Added 1, already on your watchlist 0, ambiguous 1")
        assert "row 2: ambiguous Solaris" in result.stdout
    assert "Cannot write --unmatched" in result.stderr
    assert "The import itself is done" in result.stderr
    titles = json.loads(run("watchlist", "list", "--json").stdout)["titles"]
    assert [t["tmdb_id"] for t in titles] == [550]


def test_export_to_dev_stdout_on_a_terminal_shows_escapes_too(run: RunCli) -> None:
    assert run("watchlist", "add", "--tmdb-id", "990666", "--type", "movie").exit_code == 0

    code, shown = _on_a_terminal("watchlist", "export", "-o", "/dev/stdout")

    assert code == 0
    assert b"\x1b" not in shown
    assert b" [31mRED" in shown


def test_an_export_sweeps_no_leftovers_beside_its_file(run: RunCli, tmp_path: Path) -> None:
    _watch_something(run)
    other = tmp_path / ".notes.draft.tmp"
    other.write_text("mine\n")
    another_writers = tmp_path / ".list.csv.x1y2.tmp"  # an export under way, holding no lock
    another_writers.write_text("half\n")

    assert run("watchlist", "export", "-o", str(tmp_path / "list.csv")).exit_code == 0

    assert other.read_text() == "mine\n"
    assert another_writers.read_text() == "half\n"


def test_the_sweep_of_a_locked_file_reads_its_name_literally(tmp_path: Path) -> None:
    from wheretowatch.errors import DataFileError
    from wheretowatch.files import replace_file

    other = tmp_path / ".notes.draft.tmp"  # would match the pattern ".*.*.tmp"
    other.write_text("mine\n")
    own_leftover = tmp_path / ".*.k1.tmp"
    own_leftover.write_text("killed mid-way\n")

    replace_file(tmp_path / "*", "new\n", error=DataFileError, what="a file", sweep=True)

    assert other.read_text() == "mine\n"
    assert not own_leftover.exists()
    assert (tmp_path / "*").read_text() == "new\n"


def test_a_from_stream_that_never_ends_is_refused_in_words(run: RunCli) -> None:
    result = run("--from", "/dev/zero", "--region", "GB")

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: --from /dev/zero is larger than 64 MB")


def test_an_output_file_in_wheretowatchs_own_directory_is_refused(
    run: RunCli, tmp_path: Path, isolated: Path
) -> None:
    _watch_something(run)
    watchlist = isolated / "xdg-data" / "wheretowatch" / "watchlist.json"
    before = watchlist.read_bytes()
    export = tmp_path / "watchlist.csv"
    export.write_text(LETTERBOXD)

    for args in (
        ["watchlist", "export", "-o", str(watchlist)],
        ["watchlist", "import", str(export), "--unmatched", str(watchlist)],
    ):
        result = run(*args)
        assert result.exit_code == 2, args
        assert "is in wheretowatch's own directory" in result.stderr
    assert watchlist.read_bytes() == before


def test_unmatched_naming_the_file_given_on_stdin_is_refused(
    tmp_path: Path, online: FakeTMDB
) -> None:
    export = tmp_path / "watchlist.csv"
    export.write_text(LETTERBOXD)
    env = {**os.environ, "TMDB_API_TOKEN": "x", "WHERETOWATCH_TMDB_URL": online.url}
    command = [sys.executable, "-m", "wheretowatch", "watchlist", "import", "-", "--dry-run"]

    with export.open("rb") as stdin:
        done = subprocess.run(
            [*command, "--unmatched", str(export)],
            stdin=stdin,
            env=env,
            capture_output=True,
            timeout=60,
            check=False,
        )

    assert done.returncode == 2, done.stderr
    assert b"is the file being imported" in done.stderr
    assert export.read_text() == LETTERBOXD


def test_dash_means_stdout_for_export_and_is_refused_for_unmatched(
    run: RunCli, tmp_path: Path
) -> None:
    _watch_something(run)
    exported = run("watchlist", "export", "-o", "-")
    assert exported.exit_code == 0
    assert "Fight Club" in exported.stdout
    export = tmp_path / "watchlist.csv"
    export.write_text(LETTERBOXD)

    refused = run("watchlist", "import", str(export), "--unmatched", "-")

    assert refused.exit_code == 2
    assert "--unmatched - would mix" in refused.stderr
    assert not Path("-").exists()


def test_a_batch_error_shortens_a_long_line_and_numbers_it(run: RunCli) -> None:
    long = "a" * 3000
    result = run("--from", "-", "--region", "GB", input=f"Fight Club\n\n{long}\n")

    (error,) = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert error.startswith("error: line 3, " + "a" * 59 + "…: ")
    assert len(error) < 200


def _cli(online: FakeTMDB, *args: str, stdout: IO[bytes]) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "TMDB_API_TOKEN": "x", "WHERETOWATCH_TMDB_URL": online.url}
    return subprocess.run(
        [sys.executable, "-m", "wheretowatch", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        env=env,
        timeout=60,
        check=False,
    )


def test_export_to_dev_stdout_appends_to_the_file_the_shell_opened(
    run: RunCli, tmp_path: Path, online: FakeTMDB
) -> None:
    _watch_something(run)
    log = tmp_path / "app.log"
    log.write_text("an old line\n")
    before = log.stat().st_ino

    with log.open("ab") as appending:  # `>> app.log`
        done = _cli(online, "watchlist", "export", "-o", "/dev/stdout", stdout=appending)

    assert done.returncode == 0, done.stderr
    assert log.read_text().startswith("an old line\n")
    assert "Fight Club" in log.read_text()
    assert log.stat().st_ino == before


def test_unmatched_rows_may_not_go_where_the_report_goes(tmp_path: Path, online: FakeTMDB) -> None:
    export = tmp_path / "watchlist.csv"
    export.write_text(LETTERBOXD)
    report = tmp_path / "report.txt"

    with report.open("wb") as out:
        done = _cli(
            online, "watchlist", "import", str(export), "--unmatched", str(report), stdout=out
        )

    assert done.returncode == 2
    assert b"is where the report goes (stdout)" in done.stderr
    assert report.read_bytes() == b""


@pytest.mark.parametrize(
    "args",
    [["--from", "-", "--region", "GB"], ["watchlist", "import", "-"]],
)
def test_dash_with_stdin_closed_is_a_usage_error(online: FakeTMDB, args: list[str]) -> None:
    env = {**os.environ, "TMDB_API_TOKEN": "x", "WHERETOWATCH_TMDB_URL": online.url}
    command = " ".join([sys.executable, "-m", "wheretowatch", *args])

    done = subprocess.run(
        ["sh", "-c", f"exec {command} <&-"], env=env, capture_output=True, timeout=60
    )

    assert done.returncode == 2
    assert b"reads standard input, which is closed." in done.stderr
    assert b"Traceback" not in done.stderr


def test_export_to_dev_stdout_whose_reader_left_ends_quietly_with_141(
    run: RunCli, online: FakeTMDB
) -> None:
    _watch_something(run)
    reading, writing = os.pipe()
    os.close(reading)  # the reader is gone before anything is written
    with os.fdopen(writing, "wb") as gone:
        done = _cli(online, "watchlist", "export", "-o", "/dev/stdout", stdout=gone)

    assert done.returncode == 141
    assert done.stderr == b""


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file another group needs root")
def test_an_existing_export_keeps_its_group_with_its_mode(run: RunCli, tmp_path: Path) -> None:
    _watch_something(run)
    target = tmp_path / "list.csv"
    target.write_text("old\n")
    os.chown(target, -1, 65534)
    target.chmod(0o640)

    assert run("watchlist", "export", "-o", str(target)).exit_code == 0

    info = target.stat()
    assert (stat.S_IMODE(info.st_mode), info.st_gid) == (0o640, 65534)


def test_an_export_to_a_pipe_is_utf8_whatever_the_locale(fake: FakeTMDB, isolated: Path) -> None:
    # A file format is UTF-8: a latin-1 locale must neither crash nor change the bytes.
    movie = fake.movies[1291559]
    fake.movies[1291559] = {**movie, "title": "余命一年の僕が"}
    env = {**os.environ, "TMDB_API_TOKEN": TOKEN, "WHERETOWATCH_TMDB_URL": fake.url}
    command = [sys.executable, "-m", "wheretowatch"]
    added = subprocess.run(
        [*command, "watchlist", "add", "--tmdb-id", "1291559", "-r", "GB"],
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert added.returncode == 0, added.stderr
    exported = subprocess.run(
        [*command, "watchlist", "export", "--format", "csv"],
        env={**env, "PYTHONIOENCODING": "latin-1"},
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert exported.returncode == 0, exported.stderr
    assert exported.stderr == b""
    assert "余命一年の僕が" in exported.stdout.decode("utf-8")
