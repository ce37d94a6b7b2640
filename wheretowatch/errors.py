"""Every error wheretowatch expects, and the exit status each one means.

    WheretowatchError            base; never raised itself
      UsageError           2     bad argument: empty title, unknown region code, bad id
      NotFoundError        4     no title matched the search, or TMDB has no such id
      ConfigError          6     no credential, unreadable or malformed config file
        AuthError          6     TMDB refused the credential (HTTP 401)
        DataFileError      6     the watchlist or snapshot file cannot be read or is damaged
      UpstreamError        7     TMDB unreachable, timing out, or answering errors after retries
        UnreachableError   7     no connection at all (DNS, refused, TLS, timeouts)
      BusyError            8     another wheretowatch process holds a lock it needs
      DeliveryError        9     changes were found but not every destination accepted them
      OutputError         74     an output file (`export -o`, `--unmatched`) cannot be written
      StorageError        74     a data or config file cannot be written: a full disk, a quota

"Found, but not available in the asked regions" is an answer, not an error: exit 3.
So is "refresh found changes": exit 5.
Output to a closed pipe (`| head -1`) ends quietly with 141, as SIGPIPE would; output
that cannot be written (a full disk) is one line on stderr and 74 (sysexits' EX_IOERR).
Anything that is not a WheretowatchError is a bug: exit 1.

Which status each error means is decided in one place, `exit_status` (its table is the
tree above); the CLI turns errors into messages and exits in one place too
(`cli.output.reporting`; the output failures in `cli.root`).
Messages are for people: they say what went wrong and, in `hint`, what to do next.
They never contain a credential.
"""

from collections.abc import Iterable
from enum import IntEnum
from typing import ClassVar


class ExitCode(IntEnum):
    """The exit statuses scripts can branch on (documented in the README)."""

    OK = 0
    BUG = 1
    USAGE = 2
    NOT_AVAILABLE = 3
    NOT_FOUND = 4
    CHANGED = 5
    CONFIG = 6
    UPSTREAM = 7
    BUSY = 8
    UNDELIVERED = 9
    OUTPUT_FAILED = 74  # sysexits' EX_IOERR: the output could not be written (a full disk)
    INTERRUPTED = 130
    PIPE_CLOSED = 141  # as for any command stopped by SIGPIPE: the reader went away


# For a run with many answers (a batch, a refresh): the most serious one decides.
_SEVERITY = (
    ExitCode.OK,
    ExitCode.NOT_AVAILABLE,
    ExitCode.NOT_FOUND,
    ExitCode.USAGE,
    ExitCode.CHANGED,
    ExitCode.CONFIG,
    ExitCode.UPSTREAM,
    # Changes a person has not yet been told of outrank a title that could not be fetched.
    ExitCode.UNDELIVERED,
    ExitCode.BUSY,
)


def most_serious(codes: Iterable[ExitCode]) -> ExitCode:
    """The exit status of a run with many answers: 8 > 9 > 7 > 6 > 5 > 2 > 4 > 3 > 0."""
    return max(codes, key=_SEVERITY.index, default=ExitCode.OK)


class WheretowatchError(Exception):
    """Base of every expected error: a message, an optional hint and an exit status."""

    code: ClassVar[str] = "error"

    @property
    def exit_code(self) -> ExitCode:
        return exit_status(self)

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(WheretowatchError):
    code = "usage"


class NotFoundError(WheretowatchError):
    code = "not_found"


class ConfigError(WheretowatchError):
    code = "config"


class AuthError(ConfigError):
    code = "auth"


class DataFileError(ConfigError):
    code = "data_file"


class UpstreamError(WheretowatchError):
    """TMDB could not give a usable answer. Keeps the HTTP status and TMDB's own code."""

    code = "upstream"

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        http_status: int | None = None,
        tmdb_code: int | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.http_status = http_status
        self.tmdb_code = tmdb_code


class UnreachableError(UpstreamError):
    """TMDB could not be reached at all: the name did not resolve, the connection was
    refused or timed out, TLS failed. `reason` says which, in a few words."""

    def __init__(self, message: str, *, reason: str, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.reason = reason


class BusyError(WheretowatchError):
    code = "busy"


class OutputError(WheretowatchError):
    """A file the user named for the output (`export -o`, `--unmatched`) could not be
    written: the same status as stdout that cannot be."""

    code = "output"


class StorageError(WheretowatchError):
    """A data or config file could not be written for want of room or a working disk (a
    full disk, a quota, a file too large, an I/O error): no setting fixes that, so it is
    the status of output that cannot be written, not a configuration problem."""

    code = "storage"


class DeliveryError(WheretowatchError):
    """A destination (stdout, a notification target) did not take the changes it was due;
    they are kept in the outbox for the next refresh."""

    code = "undelivered"


# The tree at the top of this module, as data: an error's status is its nearest class's.
_STATUS: dict[type[BaseException], ExitCode] = {
    UsageError: ExitCode.USAGE,
    NotFoundError: ExitCode.NOT_FOUND,
    ConfigError: ExitCode.CONFIG,
    UpstreamError: ExitCode.UPSTREAM,
    BusyError: ExitCode.BUSY,
    OutputError: ExitCode.OUTPUT_FAILED,
    StorageError: ExitCode.OUTPUT_FAILED,
    DeliveryError: ExitCode.UNDELIVERED,
    KeyboardInterrupt: ExitCode.INTERRUPTED,
}


def exit_status(error: BaseException) -> ExitCode:
    """The exit status `error` means; anything unexpected is a bug (1)."""
    for kind in type(error).__mro__:
        if kind in _STATUS:
            return _STATUS[kind]
    return ExitCode.BUG
