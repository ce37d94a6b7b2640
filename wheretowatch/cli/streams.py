"""The standard streams and which of them are terminals, asked of the process once.

Everything that behaves differently on a terminal (the pick prompt, the status line, the
progress bar, escaping an export shown on screen, setup's questions) asks this, handed
down inside `Output`, never `sys.stdout.isatty()` itself; so a test can give a run
terminals without a pseudo-terminal (httpie's Environment, gh's IOStreams).
"""

import sys
from typing import NamedTuple, TextIO


class Streams(NamedTuple):
    stdin_is_terminal: bool
    stdout_is_terminal: bool
    stderr_is_terminal: bool

    @classmethod
    def of_process(cls) -> "Streams":
        return cls(_is_terminal(sys.stdin), _is_terminal(sys.stdout), _is_terminal(sys.stderr))

    @property
    def interactive(self) -> bool:
        """A person can be asked: they type on stdin and read stdout."""
        return self.stdin_is_terminal and self.stdout_is_terminal


def _is_terminal(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except ValueError:  # closed
        return False
