"""Files that must not be lost: atomic replacement, killed writers, full disks, damage."""

from __future__ import annotations

import errno
import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import RunCli
from wheretowatch.errors import DataFileError
from wheretowatch.watch.datafile import read_json, write_json

WRITER = """
import sys
from pathlib import Path
from wheretowatch.watch.datafile import write_json
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

    monkeypatch.setattr("wheretowatch.watch.datafile.os.fsync", disk_full)
    with pytest.raises(DataFileError, match="No space left on device; the previous version"):
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
        patch.setattr("wheretowatch.watch.datafile.os.fsync", disk_full)
        result = run("watchlist", "add", "Drawing Closer", "-r", "GB")
    assert result.exit_code == 6
    assert "No space left on device; the previous version is kept" in result.stderr
    path = isolated / "xdg-data" / "wheretowatch" / "watchlist.json"
    assert [t["title"] for t in json.loads(path.read_text())["titles"]] == ["Fight Club"]


def test_a_damaged_file_is_reported_with_its_path(tmp_path: Path) -> None:
    path = tmp_path / "watchlist.json"
    path.write_bytes(b'{"format": 1, "titles": [')
    with pytest.raises(DataFileError, match=str(path)):
        read_json(path)
    assert path.read_bytes() == b'{"format": 1, "titles": ['
