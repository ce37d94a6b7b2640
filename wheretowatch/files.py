"""The user's own files and directories (config, watchlist, snapshots, cache).

A FIFO, a device or a link to /dev/zero in place of a config file must not hang or
exhaust the tool: only regular files are read, and only up to a size cap. What the tool
creates is private to the user, whatever the umask: the cache holds their search history.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from wheretowatch.errors import StorageError, WheretowatchError


def read_regular_file(
    path: Path, *, limit: int, error: type[WheretowatchError], what: str
) -> bytes | None:
    """The file's bytes, None if it does not exist; `error` if it is not a regular file
    of at most `limit` bytes or cannot be read."""
    try:
        # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise error(f"Cannot read {what} {path}: {reason(exc)}.") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise error(
                f"{what.capitalize()} {path} is not a regular file.",
                hint="Replace it with a plain file, or move it away.",
            )
        if info.st_size > limit:
            raise error(
                f"{what.capitalize()} {path} is larger than {_megabytes(limit)}; "
                "it cannot be one of wheretowatch's files.",
                hint="Move it away.",
            )
        with os.fdopen(os.dup(fd), "rb") as file:
            # Sized to the file, not to the limit: read(n) sets aside n bytes at once.
            data = file.read(info.st_size + 1)
            if len(data) > info.st_size:  # it grew while being read
                data += file.read(limit + 1 - len(data))
    except OSError as exc:
        raise error(f"Cannot read {what} {path}: {reason(exc)}.") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise error(f"{what.capitalize()} {path} grew past {_megabytes(limit)} while read.")
    return data


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def make_private_directory(directory: Path) -> None:
    """Create `directory` and each missing parent with mode 0700; raise OSError if one
    cannot be made or is not a directory.

    Not `mkdir(parents=True)`: it makes the parents with the umask's mode alone, so under
    `umask 000` a new ~/.local/share would be world-writable."""
    missing = []
    current = directory
    while not current.is_dir() and current != current.parent:
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            if not path.is_dir():  # a file in the way (another process may have won a race)
                raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR)) from None


def replace_file(
    path: Path,
    text: str | Iterable[str],
    *,
    error: type[WheretowatchError],
    what: str,
    sweep: bool = True,
    like: os.stat_result | None = None,
) -> None:
    """Replace `path` (through a symlink, its target) with `text` (a string, or its pieces
    in order, so that a big document is written as it is made) atomically, mode 0600: a
    temporary file beside it, written, flushed to disk, renamed over it. A reader, or a
    crash at any moment, sees the old version or the new one, never a mix; on failure the
    old one is kept, and `error` says so. Its directory must exist.

    With `sweep`, what writers killed mid-way left beside it goes: only for a file written
    under its lock, or the sweep could take another writer's file from under it. `like`:
    the file being replaced, whose mode and group the new one takes instead of 0600 (a
    user's own file keeps who may read it; without its group, no group may)."""
    import glob
    import tempfile  # writers only: a lookup reads its files and loads none of this

    target = Path(os.path.realpath(path))
    if sweep:
        for leftover in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
            with contextlib.suppress(OSError):
                leftover.unlink()
    try:
        # mkstemp creates the file 0600 before a byte is written.
        fd, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
    except OSError as exc:
        raise _not_written(exc, error, what) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.writelines([text] if isinstance(text, str) else text)
            file.flush()
            os.fsync(file.fileno())
        if like is not None:
            _take_access(temporary, like)
        os.replace(temporary, target)
    except BaseException as exc:  # the pieces may fail as they are made, or Ctrl-C come
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if not isinstance(exc, OSError):
            raise
        raise _not_written(exc, error, what) from None
    _sync_directory(target.parent)


# Failures no setting fixes: the disk is full, over quota, or failing.
_NO_ROOM = frozenset(
    code
    for code in (errno.ENOSPC, getattr(errno, "EDQUOT", None), errno.EFBIG, errno.EIO)
    if code is not None
)


def _not_written(exc: OSError, error: type[WheretowatchError], what: str) -> WheretowatchError:
    """The error of a replace that failed: a full disk (or quota, or I/O error) is a
    StorageError (exit 74) whatever the file; any other failure, `error`."""
    message = f"Cannot write {what}: {reason(exc)}; the previous version is kept."
    if exc.errno == errno.EIO:
        return StorageError(message, hint="Check that disk (it failed to write), then try again.")
    if exc.errno in _NO_ROOM:
        return StorageError(message, hint="Free some space on that disk, then try again.")
    return error(message)


def _take_access(path: str, like: os.stat_result) -> None:
    mode = stat.S_IMODE(like.st_mode)
    try:
        os.chown(path, -1, like.st_gid)  # not on Windows: AttributeError, its ACLs rule
    except (OSError, AttributeError):
        mode &= ~0o070  # another group than the old one: it may not read what that one could
    os.chmod(path, mode)


def write_output_file(
    path: Path,
    text: str,
    *,
    error: type[WheretowatchError],
    what: str,
    on_terminal: Callable[[str], str] | None = None,
) -> None:
    """A file the user names for an output: replaced atomically when it is new or a plain
    file; written through when it is a pipe, a terminal or a device (`-o /dev/stdout`,
    `-o >(gzip > list.gz)`, a FIFO; `on_terminal` makes what a terminal is sent safe to
    show). Never replaced by a file of ours: run as root, that would turn /dev/full into
    one."""
    inherited = _inherited_descriptor(path)
    if inherited is not None:
        # /dev/stdout names whatever the shell opened (`>> app.log`): written through that
        # descriptor, appending as the shell asked, never replacing or truncating the file.
        try:
            with os.fdopen(os.dup(inherited), "w", encoding="utf-8") as file:
                file.write(on_terminal(text) if on_terminal and file.isatty() else text)
        except BrokenPipeError:
            raise  # the reader went away: ended quietly, as stdout is (141)
        except OSError as exc:
            raise error(f"Cannot write {what}: {reason(exc)}.") from None
        return
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise error(f"Cannot write {what}: {reason(exc)}.") from None
    if info is None or stat.S_ISREG(info.st_mode):
        # Not swept: two exports to one path may run at once, and hold no lock. A file
        # that exists keeps its mode and group: the user chose who may read their export.
        replace_file(path, text, error=error, what=what, sweep=False, like=info)
        return
    try:
        with open(path, "w", encoding="utf-8") as file:
            if on_terminal is not None and file.isatty():
                text = on_terminal(text)
            file.write(text)
    except BrokenPipeError:
        raise  # the reader went away: ended quietly, as stdout is (141)
    except OSError as exc:
        raise error(f"Cannot write {what}: {reason(exc)}.") from None


def _inherited_descriptor(path: Path) -> int | None:
    """The descriptor `path` names, for /dev/stdout, /dev/stderr, /dev/fd/N and
    /proc/self/fd/N; None for any other path."""
    text = str(path)
    named = {"/dev/stdout": 1, "/dev/stderr": 2}
    if text in named:
        return named[text]
    for prefix in ("/dev/fd/", "/proc/self/fd/"):
        number = text.removeprefix(prefix)
        if number != text and number.isascii() and number.isdigit():
            return int(number)
    return None


def _sync_directory(directory: Path) -> None:
    # Makes the rename itself durable; some file systems do not support it, which is fine.
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def reason(exc: BaseException) -> str:
    """An OSError in plain words, without a traceback's noise."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
