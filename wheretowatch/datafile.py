"""Files the user would miss: read whole, replaced atomically, guarded by a lock.

A writer never changes a file in place: it writes a temporary file beside it, flushes it
to disk and renames it over the old one, so a reader (or a crash at any moment) sees the
old version or the new one, never a mix. A file that is a symlink (a watchlist kept in a
dotfiles repository) is updated through the link: the new version replaces the link's
target. A file that cannot be parsed is reported with its path and left exactly as it
is; wheretowatch never overwrites it silently. Locks are `filelock`'s, on every platform.
"""

from __future__ import annotations

import contextlib
import itertools
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from wheretowatch.errors import BusyError, DataFileError
from wheretowatch.files import make_private_directory, read_regular_file, reason, replace_file

# A watchlist of 100,000 titles is a few MB; anything far larger is not one of ours.
MAX_DATA_FILE = 64 * 1024 * 1024


@contextlib.contextmanager
def locked(lock_path: Path, *, timeout: float, what: str) -> Iterator[None]:
    """Hold an exclusive lock on `lock_path`, waiting at most `timeout` seconds for it."""
    import filelock

    ensure_directory(lock_path.parent)
    if lock_path.is_symlink() or (lock_path.exists() and not lock_path.is_file()):
        # A link could make the lock create or truncate a file elsewhere.
        raise DataFileError(
            f"The lock file {lock_path} is not a plain file.", hint="Move it away and try again."
        )
    lock = filelock.FileLock(lock_path, timeout=timeout, mode=0o600)
    try:
        lock.acquire(poll_interval=0.05)
    except filelock.Timeout:
        raise BusyError(
            f"Another wheretowatch process is {what} (it holds {lock_path}); "
            f"gave up after waiting {timeout:g} seconds.",
            hint="Try again when it has finished.",
        ) from None
    except OSError as exc:
        raise DataFileError(f"Cannot lock {lock_path}: {reason(exc)}.") from None
    try:
        yield
    finally:
        lock.release()


def ensure_directory(directory: Path) -> None:
    """Create the data directory (private to the user), or say why it cannot be."""
    try:
        make_private_directory(directory)
    except OSError as exc:
        raise DataFileError(
            f"Cannot create the data directory {directory}: {reason(exc)}.",
            hint="Fix its permissions, or set WHERETOWATCH_DATA_DIR to a writable directory.",
        ) from None


def read_json(path: Path) -> object | None:
    """The parsed file, or None if it does not exist."""
    data = read_regular_file(path, limit=MAX_DATA_FILE, error=DataFileError, what="the file")
    if data is None:
        return None
    try:
        document: object = json.loads(data)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise damaged(path, f"it is not valid JSON: {exc.msg} at {where}") from None
    except (ValueError, RecursionError):
        raise damaged(path, "it is not valid JSON") from None
    return document


def last_good(path: Path) -> Path:
    """Where the version before the last write of `path` is kept (`keep_last_good`)."""
    return path.with_name(path.name + ".last-good")


def damaged(path: Path, why: str) -> DataFileError:
    backup = last_good(path)
    hint = "Fix it by hand, or move it away to start afresh."
    if backup.is_file():
        hint = f"Fix it by hand, or put the last good copy back: mv {backup} {path}"
    return DataFileError(f"{path} is damaged ({why}); it has been left as it is.", hint=hint)


def write_json(path: Path, document: object, *, keep_last_good: bool = False) -> None:
    """Replace `path` with `document`, atomically; on failure the old file is kept. With
    `keep_last_good`, the version replaced (read and found good before this write) is
    kept beside it (`last_good`), for the day the file is damaged by hand or by a disk.

    Call it holding the file's lock: it also removes what writers killed mid-write left.
    """
    if keep_last_good:
        before = read_regular_file(path, limit=MAX_DATA_FILE, error=DataFileError, what="the file")
        if before is not None:
            write_text(last_good(path), before.decode("utf-8", "replace"))
    # In pieces, not one string: with indent, json builds a list of every piece before
    # joining them, which for the snapshots of a few thousand titles is tens of megabytes.
    pieces = json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(document)
    write_text(path, itertools.chain(pieces, ("\n",)))


def write_text(path: Path, text: str | Iterable[str]) -> None:
    """Replace `path` with `text` (UTF-8), atomically; on failure the old file is kept.

    Call it holding the file's lock: it also removes what writers killed mid-write left.
    """
    ensure_directory(path.parent)
    replace_file(path, text, error=DataFileError, what=str(path))
