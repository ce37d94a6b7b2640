"""A progress bar on stderr for long runs, shown only on a terminal."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from wheretowatch.cli.output import Output

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID


class ProgressBar:
    """Told the total, then of each item done; draws nothing unless stderr is a terminal
    (a pipe, a log file or cron gets none of it)."""

    def __init__(self, output: Output, description: str) -> None:
        self._output = output
        self._description = description
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def start(self, total: int) -> None:
        if total == 0 or not self._output.streams.stderr_is_terminal:
            return
        from rich.progress import Progress

        self._bar = Progress(console=self._output.err, transient=True)
        self._bar.start()
        self._task = self._bar.add_task(self._description, total=total)

    def advance(self) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.advance(self._task)

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


@contextmanager
def progress_bar(output: Output, description: str) -> Iterator[ProgressBar]:
    bar = ProgressBar(output, description)
    try:
        yield bar
    finally:
        bar.stop()
