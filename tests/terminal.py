"""Drive the real `wheretowatch` on a pseudo-terminal, as a person at a keyboard would."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import sys
import time
from collections.abc import Mapping

_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Terminal:
    """`wheretowatch ARGS` running on a pty it has as its controlling terminal, so that
    hidden input (getpass opens /dev/tty) works as it does for a user."""

    def __init__(self, *args: str, env: Mapping[str, str], timeout: float = 20.0) -> None:
        self.timeout = timeout
        self.seen = ""
        pid, fd = pty.fork()
        if pid == 0:  # the child: the pty is its stdin, stdout, stderr and /dev/tty
            try:
                os.execve(sys.executable, [sys.executable, "-m", "wheretowatch", *args], env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.status: int | None = None

    def expect(self, text: str) -> str:
        """Read until `text` appears; everything read so far (escapes removed)."""
        deadline = time.monotonic() + self.timeout
        while text not in self.seen:
            if not self._read(deadline - time.monotonic()):
                raise AssertionError(f"never saw {text!r}; saw:\n{self.seen}")
        return self.seen

    def send(self, line: str) -> None:
        os.write(self.fd, line.encode() + b"\r")

    def interrupt(self) -> None:
        os.write(self.fd, b"\x03")  # Ctrl-C, as the terminal sends it

    def wait(self) -> int:
        """Read to the end; the exit status."""
        deadline = time.monotonic() + self.timeout
        while self._read(deadline - time.monotonic()):
            pass
        _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        self.status = os.waitstatus_to_exitcode(status)
        return self.status

    def kill(self) -> None:
        if self.status is None:
            os.kill(self.pid, signal.SIGKILL)
            self.wait()

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
        self.seen += _ESCAPES.sub("", chunk.decode("utf-8", "replace")).replace("\r\n", "\n")
        return True
