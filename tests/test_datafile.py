"""Files that must not be lost: atomic replacement, killed writers, full disks, damage."""

from __future__ import annotations

import errno
import json
import os
import random
import signal
import stat
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from tests.conftest import RunCli
from wheretowatch import files
from wheretowatch.datafile import read_json, write_json
from wheretowatch.errors import DataFileError, StorageError

WRITER = """
import sys
from pathlib import Path
from wheretowatch.datafile import write_json
path, documents = Path(sys.argv[1]), [{"n": n, "pad": "x" * 400_000} for n in (1, 2)]
print("ready", flush=True)
while True:
    for document in documents:
        write_json(path, document)
"""


def test_a_writer_killed_at_any_moment_leaves_the_old_file_or_the_new(tmp_path: Path) -> None:
    path = tmp_path / "data" / "watchlist.json"
    write_json(path, {"n": 1, "pad": "x" * 400_000})
    valid = {json.dumps({"n": n, "pad": "x" * 400_000}) for n in (1, 2)}
    random_delays = random.Random(1234)
    for _ in range(15):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert writer.stdout is not None
        assert writer.stdout.readline() == "ready\n"
        time.sleep(random_delays.uniform(0.0, 0.15))
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        writer.stdout.close()
        document = read_json(path)  # never raises: the file is always whole
        assert json.dumps(document) in valid
    write_json(path, {"n": 3})  # the next write clears what killed writers left behind
    assert [p.name for p in path.parent.iterdir()] == ["watchlist.json"]


def test_a_full_disk_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "data" / "snapshots.json"
    write_json(path, {"old": True})

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("wheretowatch.files.os.fsync", disk_full)
    with pytest.raises(StorageError, match="No space left on device; the previous version"):
        write_json(path, {"new": True})
    assert read_json(path) == {"old": True}
    assert [p.name for p in path.parent.iterdir()] == ["snapshots.json"]


@pytest.mark.usefixtures("online")
def test_a_full_disk_during_watchlist_add_is_a_clear_error(
    run: RunCli, monkeypatch: pytest.MonkeyPatch, isolated: Path
) -> None:
    assert run("watchlist", "add", "Fight Club", "-r", "GB").exit_code == 0

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr("wheretowatch.files.os.fsync", disk_full)
        result = run("watchlist", "add", "Drawing Closer", "-r", "GB")
    assert result.exit_code == 74  # a disk to free, not a setting to fix
    assert "No space left on device; the previous version is kept" in result.stderr
    path = isolated / "xdg-data" / "wheretowatch" / "watchlist.json"
    assert [t["title"] for t in json.loads(path.read_text())["titles"]] == ["Fight Club"]


@pytest.mark.usefixtures("online")
@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.ENOSPC, "No space left on device"),
        (errno.EDQUOT, "Disk quota exceeded"),
        (errno.EFBIG, "File too large"),
        (errno.EIO, "Input/output error"),
    ],
)
def test_a_full_disk_during_refresh_exits_74_and_keeps_the_snapshots(
    run: RunCli, monkeypatch: pytest.MonkeyPatch, isolated: Path, code: int, words: str
) -> None:
    assert run("watchlist", "add", "Fight Club", "-r", "GB").exit_code == 0
    assert run("refresh").exit_code == 0
    path = isolated / "xdg-data" / "wheretowatch" / "snapshots.json"
    before = path.read_bytes()

    def no_room(fd: int) -> None:
        raise OSError(code, words)

    with monkeypatch.context() as patch:
        patch.setattr("wheretowatch.files.os.fsync", no_room)
        result = run("refresh")

    assert result.exit_code == 74
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: Cannot write {path}: {words}; the previous version")
    assert "hint: " in result.stderr
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_a_damaged_file_is_reported_with_its_path(tmp_path: Path) -> None:
    path = tmp_path / "watchlist.json"
    path.write_bytes(b'{"format": 1, "titles": [')
    with pytest.raises(DataFileError, match=str(path)):
        read_json(path)
    assert path.read_bytes() == b'{"format": 1, "titles": ['


@pytest.fixture
def data_dir(isolated: Path) -> Path:
    return isolated / "xdg-data" / "wheretowatch"


WRITING_COMMANDS = [
    ["watchlist", "add", "Fight Club", "-r", "GB"],
    ["watchlist", "remove", "Fight Club"],
    ["refresh"],
]


@pytest.mark.usefixtures("online")
@pytest.mark.parametrize("args", WRITING_COMMANDS, ids=lambda args: " ".join(args[:2]))
def test_a_data_dir_with_a_file_in_the_way_exits_6_naming_it(
    run: RunCli, data_dir: Path, args: list[str]
) -> None:
    data_dir.parent.mkdir(parents=True)
    data_dir.write_text("not a directory\n")
    result = run(*args)
    assert (result.exit_code, result.stdout) == (6, "")
    assert result.stderr.startswith("error: Cannot ")
    assert str(data_dir) in result.stderr
    assert data_dir.read_text() == "not a directory\n"


@pytest.mark.usefixtures("online")
@pytest.mark.parametrize("args", WRITING_COMMANDS, ids=lambda args: " ".join(args[:2]))
def test_a_directory_where_the_lock_file_goes_exits_6_naming_it(
    run: RunCli, data_dir: Path, args: list[str]
) -> None:
    assert run("watchlist", "add", "Fight Club", "-r", "GB").exit_code == 0
    for name in ("watchlist.lock", "refresh.lock"):
        (data_dir / name).unlink(missing_ok=True)
        (data_dir / name).mkdir()
    result = run(*args)
    assert (result.exit_code, result.stdout) == (6, "")
    assert "is not a plain file" in result.stderr
    assert str(data_dir) in result.stderr


@pytest.mark.usefixtures("online")
def test_a_symlinked_lock_file_is_not_followed(run: RunCli, data_dir: Path, tmp_path: Path) -> None:
    assert run("watchlist", "add", "Fight Club", "-r", "GB").exit_code == 0
    elsewhere = tmp_path / "elsewhere"
    (data_dir / "watchlist.lock").unlink()
    (data_dir / "watchlist.lock").symlink_to(elsewhere)
    result = run("watchlist", "add", "Drawing Closer", "-r", "GB")
    assert result.exit_code == 6
    assert f"The lock file {data_dir / 'watchlist.lock'} is not a plain file." in result.stderr
    assert not elsewhere.exists()


@pytest.mark.usefixtures("online")
def test_a_symlinked_watchlist_is_updated_through_the_link(
    run: RunCli, data_dir: Path, tmp_path: Path
) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    target = dotfiles / "watchlist.json"
    data_dir.mkdir(parents=True)
    (data_dir / "watchlist.json").symlink_to(target)
    for title in ("Fight Club", "Drawing Closer"):
        assert run("watchlist", "add", title, "-r", "GB").exit_code == 0
    assert run("refresh").exit_code == 0
    assert (data_dir / "watchlist.json").is_symlink()
    titles = [entry["title"] for entry in json.loads(target.read_text())["titles"]]
    assert titles == ["Fight Club", "Drawing Closer"]
    assert sorted(p.name for p in dotfiles.iterdir()) == ["watchlist.json"]


@pytest.mark.usefixtures("online")
def test_under_umask_000_nothing_created_is_open_to_others(run: RunCli, isolated: Path) -> None:
    before = set(isolated.rglob("*"))
    previous = os.umask(0)
    try:
        assert run("watchlist", "add", "Fight Club", "-r", "GB").exit_code == 0
        assert run("refresh").exit_code == 0
        assert run("Drawing Closer", "-r", "GB").exit_code == 0
    finally:
        os.umask(previous)
    created = set(isolated.rglob("*")) - before
    assert any(p.name == "cache.db" for p in created)
    assert any(p.name == "watchlist.json" for p in created)
    for path in created:
        mode = stat.S_IMODE(path.lstat().st_mode)
        expected = 0o700 if path.is_dir() else 0o600
        assert mode == expected, f"{path}: {oct(mode)}"


@pytest.mark.usefixtures("online")
@pytest.mark.parametrize("shape", ["fifo", "over 64 MB", "dev-zero"])
def test_a_watchlist_that_is_no_plain_small_file_exits_6_at_once(
    run: RunCli, data_dir: Path, shape: str
) -> None:
    import threading

    from tests.conftest import Run

    data_dir.mkdir(parents=True)
    path = data_dir / "watchlist.json"
    if shape == "fifo":
        os.mkfifo(path)
    elif shape == "dev-zero":
        path.symlink_to("/dev/zero")
    else:
        with path.open("wb") as file:
            file.truncate(65 * 1024 * 1024)  # sparse: no 65 MB written
    outcome: list[Run] = []
    worker = threading.Thread(target=lambda: outcome.append(run("watchlist", "list")), daemon=True)
    worker.start()
    worker.join(timeout=20)  # a FIFO read would block for ever: fail, do not hang the suite
    assert outcome, "watchlist list hung"
    result = outcome[0]
    assert (result.exit_code, result.stdout) == (6, "")
    assert str(path) in result.stderr
    assert ("larger than 64 MB" if shape == "over 64 MB" else "not a regular file") in result.stderr


def test_a_document_that_fails_while_written_keeps_the_old_file_and_leaves_no_temporary(
    tmp_path: Path,
) -> None:
    path = tmp_path / "data" / "snapshots.json"
    write_json(path, {"n": 1})
    with pytest.raises(TypeError):  # json meets what it cannot write half-way through
        write_json(path, {"n": 2, "pad": "x" * 100_000, "z": object()})
    assert read_json(path) == {"n": 1}
    assert sorted(p.name for p in path.parent.iterdir()) == ["snapshots.json"]


def test_a_big_document_is_written_without_holding_all_its_pieces(tmp_path: Path) -> None:
    # The snapshots of thousands of titles: json.dumps with indent keeps a list of every
    # piece (~60 bytes each) before joining them; written as made, the peak stays small.
    document = {f"movie/{n}": {"offers": {"GB": [{"id": n}]}} for n in range(20_000)}
    tracemalloc.start()
    try:
        write_json(tmp_path / "big.json", document)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    size = (tmp_path / "big.json").stat().st_size
    assert size > 2_000_000
    assert peak < size  # less than the text itself, let alone its pieces


def test_a_small_file_is_read_without_setting_aside_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "watchlist.json"
    write_json(path, {"titles": []})
    tracemalloc.start()
    try:
        assert read_json(path) == {"titles": []}
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000  # the limit is 64 MB: read(limit) would set all of it aside


def test_a_file_that_grows_while_read_is_read_whole_or_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # fstat said 10 bytes; by the time of reading there are more (another writer).
    path = tmp_path / "grown.json"
    path.write_bytes(b"x" * 100)
    real_fstat = os.fstat

    def earlier(fd: int) -> os.stat_result:
        info = list(real_fstat(fd))
        info[stat.ST_SIZE] = 10
        return os.stat_result(info)

    monkeypatch.setattr(os, "fstat", earlier)  # as files.py sees it, os being one module
    assert files.read_regular_file(path, limit=1000, error=DataFileError, what="it") == b"x" * 100
    with pytest.raises(DataFileError, match="grew past"):
        files.read_regular_file(path, limit=50, error=DataFileError, what="it")
