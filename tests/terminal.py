"""Drive the real `wheretowatch` on a pseudo-terminal, as a person at a keyboard would."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time
from collections.abc import Mapping

# Colours and cursor moves, and terminal links (OSC 8), none of them on the screen.
_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\]8;[^\x1b\a]*(?:\x1b\\|\a)")


class Terminal:
    """`wheretowatch ARGS` running on a pty it has as its controlling terminal, so that
    hidden input (getpass opens /dev/tty) works as it does for a user."""

    def __init__(
        self, *args: str, env: Mapping[str, str], timeout: float = 20.0, columns: int = 80
    ) -> None:
        self.timeout = timeout
        self.raw = b""
        self.seen = ""
        pid, fd = pty.fork()
        if pid == 0:  # the child: the pty is its stdin, stdout, stderr and /dev/tty
            try:
                # The window's size, as a terminal emulator sets it (rows, columns).
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
                os.execve(sys.executable, [sys.executable, "-m", "wheretowatch", *args], env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.status: int | None = None

    def expect(self, text: str, *, after: int = 0) -> str:
        """Read until `text` appears (past the first `after` characters read); everything
        read so far (escapes removed)."""
        deadline = time.monotonic() + self.timeout
        while text not in self.seen[after:]:
            if not self._read(deadline - time.monotonic()):
                raise AssertionError(f"never saw {text!r}; saw:\n{self.seen}")
        return self.seen

    def send(self, line: str) -> None:
        os.write(self.fd, line.encode() + b"\r")

    def interrupt(self, answer: str = "Interrupted") -> None:
        """Press Ctrl-C until the program answers. Once may not do: a SIGINT that lands
        between a prompt being written and the read starting is only noticed at the next
        signal or keypress (CPython's input()); a person presses again, and so do we."""
        seen = len(self.seen)
        for _ in range(20):
            os.write(self.fd, b"\x03")  # Ctrl-C, as the terminal sends it
            deadline = time.monotonic() + 0.25
            while answer not in self.seen[seen:] and self._read(deadline - time.monotonic()):
                pass
            if answer in self.seen[seen:]:
                return
        raise AssertionError(f"Ctrl-C was never answered; saw:\n{self.seen}")

    def wait(self) -> int:
        """Read to the end; the exit status."""
        deadline = time.monotonic() + self.timeout
        while self._read(deadline - time.monotonic()):
            pass
        pid, status = os.waitpid(self.pid, os.WNOHANG)
        if pid == 0:  # still running: a test must fail, never hang
            os.kill(self.pid, signal.SIGKILL)
            _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        self.status = os.waitstatus_to_exitcode(status)
        return self.status

    def kill(self) -> None:
        if self.status is None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            os.close(self.fd)
            self.status = -signal.SIGKILL

    def _read(self, remaining: float) -> bool:
        if remaining <= 0:
            return False
        ready, _, _ = select.select([self.fd], [], [], remaining)
        if not ready:
            return False
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # EIO: the child has gone and closed its side
            return False
        if not chunk:
            return False
        # Escapes are removed from all that was read: one may be split across two reads.
        self.raw += chunk
        self.seen = _ESCAPES.sub("", self.raw.decode("utf-8", "replace")).replace("\r\n", "\n")
        return True
