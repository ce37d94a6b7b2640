"""Where import and export may write: never over their input, nor over our own files."""

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from wheretowatch.cli.views.text import visible
from wheretowatch.errors import UsageError

if TYPE_CHECKING:
    from wheretowatch.cli.output import Output
    from wheretowatch.settings.loading import Settings


def check_writable(path: Path, option: str, settings: "Settings") -> None:
    """A file the user names to write: its directory must exist (none is created), and it
    is none of wheretowatch's own (the watchlist, the snapshots, the config, the cache)."""
    if path.is_dir():
        raise UsageError(f"{option} {path} is a directory.", hint="Name a file to write.")
    if not path.absolute().parent.is_dir():
        raise UsageError(
            f"{option} {path}: the directory {path.absolute().parent} does not exist.",
            hint="Create it first, or name a file in an existing directory.",
        )
    target = Path(os.path.realpath(path))
    own = [settings.config_file.parent, settings.data_dir, settings.cache_dir]
    if any(target.parent == Path(os.path.realpath(directory)) for directory in own):
        raise UsageError(
            f"{option} {path} is in wheretowatch's own directory {target.parent}: "
            "it could replace the watchlist, its snapshots, the config or the cache.",
            hint="Name a file somewhere else, for example in your home directory.",
        )


def check_not_the_input(path: Path, source: str) -> None:
    """The rows to fix must not replace the export they come from (with --dry-run too),
    named or given on stdin (`import - --unmatched list.csv < list.csv`), nor go where the
    report goes (`--unmatched /dev/stdout`, or the file stdout is redirected to)."""
    try:
        target = os.stat(path)
    except (OSError, ValueError):
        return  # not there yet: no file it could be
    if _same_file(target, lambda: os.stat(source) if source != "-" else _stdin()):
        raise UsageError(
            f"--unmatched {path} is the file being imported: it would replace it.",
            hint="Name another file, for example --unmatched to-fix.csv",
        )
    if _same_file(target, lambda: os.fstat(1)):
        raise UsageError(
            f"--unmatched {path} is where the report goes (stdout): the two would mix.",
            hint="Name a file of its own, for example --unmatched to-fix.csv",
        )


def _stdin() -> os.stat_result:
    return os.fstat(sys.stdin.fileno())


def _same_file(target: os.stat_result, other: "Callable[[], os.stat_result]") -> bool:
    try:
        found = other()
    except (OSError, ValueError, AttributeError):  # closed or None, or not a real descriptor
        return False
    return (found.st_dev, found.st_ino) == (target.st_dev, target.st_ino)


def write_to_stdout(output: "Output", text: str) -> None:
    """A file's text (an export, a calendar) on stdout: UTF-8 whatever the locale, as the
    format wants; at a terminal, a title's escape sequences shown, never obeyed."""
    if output.streams.stdout_is_terminal:
        text = shown(text)
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:
        sys.stdout.write(text)
    else:
        sys.stdout.flush()
        stream.write(text.encode("utf-8"))
    sys.stdout.flush()


def shown(text: str) -> str:
    """A file read by a person at a terminal, not a program: a title's escape sequences
    (TMDB's titles are edited by anyone) are shown, as everywhere else, not obeyed."""
    return "\n".join(visible(line) for line in text.split("\n"))
