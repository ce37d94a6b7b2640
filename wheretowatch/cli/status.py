"""A line on stderr saying what TMDB is being waited on for, on a terminal only.

Shown only once a request has taken longer than DELAY (a cached or quick answer shows
nothing), rewritten as retries happen, and erased before anything else is printed.
"""

import sys
import threading
from typing import TextIO

from wheretowatch.cli.output import Output
from wheretowatch.tmdb import Progress

DELAY = 0.5


def status_line(output: Output) -> Progress | None:
    """The status line for this run, or None where it must not be shown: stderr not a
    terminal, or --quiet."""
    if output.quiet or not output.streams.stderr_is_terminal:
        return None
    return StatusLine(sys.stderr)


class StatusLine:
    """Requests in flight (a batch overlaps them) share one line: shown while any is."""

    def __init__(self, stream: TextIO, *, delay: float = DELAY) -> None:
        self._stream = stream
        self._delay = delay
        self._lock = threading.Lock()
        self._active = 0
        self._message = ""
        self._shown = 0  # characters on the line now
        self._timer: threading.Timer | None = None

    def begin(self, activity: str) -> None:
        with self._lock:
            self._active += 1
            self._message = f"{activity}…"
            if self._shown:
                self._draw()
            elif self._timer is None:
                self._timer = threading.Timer(self._delay, self._show)
                self._timer.daemon = True
                self._timer.start()

    def update(self, message: str) -> None:
        # A retry is a wait in itself: said at once, not after the delay.
        with self._lock:
            self._message = message
            self._cancel()
            self._draw()

    def end(self) -> None:
        with self._lock:
            self._active = max(0, self._active - 1)
            if self._active == 0:
                self._cancel()
                self._erase()

    def _show(self) -> None:
        with self._lock:
            self._timer = None
            if self._active:
                self._draw()

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _draw(self) -> None:
        # Plain carriage returns and spaces: no escape codes, so any terminal copes.
        text = self._message
        self._stream.write("\r" + text.ljust(self._shown))
        self._stream.flush()
        self._shown = len(text)

    def _erase(self) -> None:
        if self._shown:
            self._stream.write("\r" + " " * self._shown + "\r")
            self._stream.flush()
            self._shown = 0
