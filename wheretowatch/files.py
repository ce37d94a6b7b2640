"""Reading the user's own files (config, watchlist, snapshots) without trusting them.

A FIFO, a device or a link to /dev/zero in place of a config file must not hang or
exhaust the tool: only regular files are read, and only up to a size cap.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from wheretowatch.errors import WheretowatchError


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
                f"{what.capitalize()} {path} is larger than {limit // 1_000_000} MB; "
                "it cannot be one of wheretowatch's files.",
                hint="Move it away.",
            )
        with os.fdopen(os.dup(fd), "rb") as file:
            data = file.read(limit + 1)
    except OSError as exc:
        raise error(f"Cannot read {what} {path}: {reason(exc)}.") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise error(f"{what.capitalize()} {path} grew past {limit // 1_000_000} MB while read.")
    return data


def reason(exc: BaseException) -> str:
    """An OSError in plain words, without a traceback's noise."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
