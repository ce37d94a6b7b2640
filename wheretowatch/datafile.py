"""Files the user would miss: read whole, replaced atomically, guarded by a lock.

A writer never changes a file in place: it writes a temporary file beside it, flushes it
to disk and renames it over the old one, so a reader (or a crash at any moment) sees the
old version or the new one, never a mix. A file that cannot be parsed is reported with
its path and left exactly as it is; wheretowatch never overwrites it silently.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from wheretowatch.errors import BusyError, DataFileError


@contextlib.contextmanager
def locked(lock_path: Path, *, timeout: float, what: str) -> Iterator[None]:
    """Hold an exclusive lock on `lock_path`, waiting at most `timeout` seconds for it."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BusyError(
                        f"Another wheretowatch process is {what} (it holds {lock_path}); "
                        f"gave up after waiting {timeout:g} seconds.",
                        hint="Try again when it has finished.",
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def read_json(path: Path) -> object | None:
    """The parsed file, or None if it does not exist."""
    try:
        text = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DataFileError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    try:
        document: object = json.loads(text)
    except (ValueError, RecursionError):
        raise damaged(path, "it is not valid JSON") from None
    return document


def damaged(path: Path, why: str) -> DataFileError:
    return DataFileError(
        f"{path} is damaged ({why}); it has been left as it is.",
        hint="Fix it by hand, or move it away to start afresh.",
    )


def write_json(path: Path, document: object) -> None:
    """Replace `path` with `document`, atomically; on failure the old file is kept.

    Call it holding the file's lock: it also removes what writers killed mid-write left.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    for leftover in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            leftover.unlink()
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            json.dump(document, file, indent=2, ensure_ascii=False)
            file.write("\n")
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise DataFileError(
            f"Cannot write {path}: {exc.strerror or exc}; the previous version is kept."
        ) from None
    _sync_directory(path.parent)


def _sync_directory(directory: Path) -> None:
    # Makes the rename itself durable; some file systems do not support it, which is fine.
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
