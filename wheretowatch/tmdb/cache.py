"""The disk cache of TMDB responses: one SQLite file of the project's own (stdlib sqlite3).

What is stored is TMDB's response body as it came, with the time it was fetched and the
time until which it counts as fresh. An entry past that time is not served on a normal
lookup, but it stays on disk so that an outage can be answered from it ("stale-if-error").
Nothing stays longer than TMDB's terms allow (six months, MAX_AGE): such an entry is
never served, and the next write deletes it.

The cache is an optimisation, never a requirement: a directory that cannot be created,
read or written, a full disk or a corrupted database make it warn once and step aside.

Reads write nothing and create nothing: they go through a read-only connection
(`mode=ro`), and the database stays in SQLite's rollback-journal mode, never WAL (WAL
makes even a reader create files). The one exception is a write a crash left half-done:
the read that finds it rolls it back first, through the writable connection. Writes go
through that second connection, opened by the first write (or such a read). A batch's
threads share both connections, one thread at a time (`_lock`).

A file whose layout is not this module's (an older schema, or the diskcache database
earlier versions kept under the same name) is a miss to read, and is emptied and laid
out anew by the first write: a cache is disposable.
"""

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlencode

from wheretowatch.files import make_private_directory
from wheretowatch.tmdb.freshness import MAX_AGE

SQLITE_TIMEOUT = 10.0  # seconds a process waits for another one's write
# The file says whose it is (application_id, "WtWc") and which layout it holds
# (user_version); anything else found there is foreign. A layout change bumps SCHEMA.
APPLICATION_ID = 0x57745763
SCHEMA = 1

_DATABASE = "cache.db"
_LAYOUT = (
    # The row order is the storing order: a row's rowid is one above the largest, and
    # INSERT OR REPLACE stores a new row. Eviction goes by rowid, so needs no index.
    "CREATE TABLE answers ("
    " key TEXT NOT NULL UNIQUE,"
    " fetched_at REAL NOT NULL,"
    " fresh_until REAL NOT NULL,"
    " expires_at REAL NOT NULL,"
    " body BLOB NOT NULL)",
    "CREATE INDEX answers_expiry ON answers (expires_at)",
    f"PRAGMA application_id = {APPLICATION_ID}",
    f"PRAGMA user_version = {SCHEMA}",
)
_IS_OURS = (
    "SELECT a.application_id = ? AND v.user_version = ?"
    " FROM pragma_application_id AS a, pragma_user_version AS v"
)
_WAL_MODE = b"\x02\x02"  # bytes 18-19 of an SQLite header: the file is in WAL mode


class CachedResponse(NamedTuple):
    body: bytes
    fetched_at: float
    fresh_until: float


class CacheInfo(NamedTuple):
    directory: Path
    size_bytes: int
    entries: int
    oldest: float | None
    newest: float | None


def request_key(base_url: str, path: str, params: Mapping[str, str]) -> str:
    """The request a response answers. Never holds the credential (it is not in params)."""
    return f"GET {base_url}{path}?{urlencode(sorted(params.items()))}"


class DiskCache:
    """TMDB responses on disk. Every method is safe to call when the cache is broken."""

    def __init__(
        self,
        directory: Path,
        *,
        size_limit: int = 100 * 1024 * 1024,
        warn: Callable[[str], None] = lambda message: None,
    ) -> None:
        self.directory = directory
        self._database = directory / _DATABASE
        self._size_limit = size_limit
        self._warn = warn
        self._reader: sqlite3.Connection | None = None
        self._reader_ours = False  # its layout checked: this module's
        self._writer: sqlite3.Connection | None = None
        self._broken = False
        # The threads of a batch share one cache, and each connection is used by one
        # thread at a time; SQLite itself keeps processes apart.
        self._lock = threading.Lock()

    def get(self, key: str) -> CachedResponse | None:
        with self._guard("read"), self._lock:
            row = self._read(
                "SELECT body, fetched_at, fresh_until FROM answers"
                " WHERE key = ? AND expires_at > ?",
                (key, time.time()),
            )
            return CachedResponse(*row[0]) if row else None
        return None

    def set(self, key: str, response: CachedResponse) -> None:
        now = time.time()
        expires_at = response.fetched_at + MAX_AGE
        if expires_at <= now:
            return
        with self._guard("write"), self._lock, self._writing() as writer:
            writer.execute("DELETE FROM answers WHERE expires_at <= ?", (now,))
            writer.execute(
                "INSERT OR REPLACE INTO answers"
                " (key, fetched_at, fresh_until, expires_at, body) VALUES (?, ?, ?, ?, ?)",
                (key, response.fetched_at, response.fresh_until, expires_at, response.body),
            )
            _evict(writer, self._size_limit)

    def entry_keys(self) -> list[str]:
        with self._guard("read"), self._lock:
            rows = self._read(
                "SELECT key FROM answers WHERE expires_at > ? ORDER BY rowid", (time.time(),)
            )
            return [str(key) for (key,) in rows or []]
        return []

    def info(self) -> CacheInfo:
        entries, oldest, newest, size = 0, None, None, 0
        with self._guard("read"), self._lock:
            rows = self._read(
                "SELECT count(*), min(fetched_at), max(fetched_at) FROM answers"
                " WHERE expires_at > ?",
                (time.time(),),
            )
            if rows:
                entries, oldest, newest = rows[0]
            with contextlib.suppress(FileNotFoundError):
                size = self._database.stat().st_size
        return CacheInfo(self.directory, size, entries, oldest, newest)

    def clear(self, older_than: float | None = None) -> int:
        """Delete entries fetched more than `older_than` seconds ago (all if None).

        A database damaged past reading (a crash, a disk fault, a stray write) is removed
        whole, whatever `older_than` says: nothing in it can be kept, and every other
        command's warning sends the user here to fix it."""
        with self._guard("clear"):
            if not self._broken and self._database.exists():
                try:
                    return self._clear(older_than)
                except sqlite3.DatabaseError as exc:
                    if isinstance(exc, sqlite3.OperationalError):
                        raise  # locked, read-only, a full disk: not damage
                    self._close_connections()
                    self._remove_damaged(exc)
        return 0

    @property
    def failed(self) -> bool:
        """Whether the cache stepped aside (and warned) since it was opened."""
        return self._broken

    def close(self) -> None:
        # Workers a failed run left behind may still be finishing: from now on they read
        # and write nothing, instead of opening the cache again.
        self._broken = True
        self._close_connections()

    def _clear(self, older_than: float | None) -> int:
        _verify(self._database)
        with self._lock:
            with self._writing() as writer:
                if older_than is None:
                    removed = writer.execute("DELETE FROM answers").rowcount
                else:
                    now = time.time()
                    writer.execute("DELETE FROM answers WHERE expires_at <= ?", (now,))
                    removed = writer.execute(
                        "DELETE FROM answers WHERE fetched_at < ?", (now - older_than,)
                    ).rowcount
            if older_than is None:
                # Give the space back; what was deleted is zeroed already (secure_delete).
                writer.execute("VACUUM")
        return int(removed)

    def _close_connections(self) -> None:
        with self._lock:
            for connection in (self._reader, self._writer):
                if connection is not None:
                    with contextlib.suppress(sqlite3.Error):
                        connection.close()
            self._reader = self._writer = None
            self._reader_ours = False

    def _remove_damaged(self, exc: Exception) -> None:
        for suffix in ("", "-journal", "-wal", "-shm"):
            (self.directory / f"{_DATABASE}{suffix}").unlink(missing_ok=True)
        self._warn(f"the cache at {self.directory} was damaged ({_reason(exc)}); it is empty now.")

    def _read(self, query: str, parameters: tuple[object, ...]) -> list[Any] | None:
        """The rows `query` finds, None if there is no database of this layout. Call under
        `_lock`."""
        reader = self._open_reader()
        if reader is None:
            return None
        try:
            # Asked once a connection: the layout changes only by a write that lays it
            # out anew, and a query on another layout fails (handled below) or misses.
            if not self._reader_ours:
                if not _is_ours(reader):
                    return None
                self._reader_ours = True
            return reader.execute(query, parameters).fetchall()
        except sqlite3.OperationalError:
            # Locked past the timeout, a crashed writer's journal that a read-only
            # connection may not roll back, or the layout replaced since the check: once
            # more through the writable connection, which rolls such a journal back.
            writer = self._open_writer()
            return writer.execute(query, parameters).fetchall() if _is_ours(writer) else None

    def _open_reader(self) -> sqlite3.Connection | None:
        if self._broken:
            return None  # closed: a worker still finishing opens nothing new
        if self._reader is None:
            # Again on every read until there is a database: this run may create it.
            try:
                with self._database.open("rb") as file:
                    header = file.read(20)
            except FileNotFoundError:
                return None  # nothing cached yet: a miss, and nothing created
            if header[18:20] == _WAL_MODE:
                return None  # not ours (a reader would create files); the next write converts it
            self._reader = _connect(self._database, "ro")
            self._reader_ours = False
        return self._reader

    def _open_writer(self) -> sqlite3.Connection:
        if self._broken:
            raise sqlite3.OperationalError("the cache is closed")
        if self._writer is None:
            make_private_directory(self.directory)
            _create_private(self._database)
            writer = _connect(self._database, "rw")
            try:
                # Rollback journal, never WAL, so that readers need no -wal/-shm files;
                # emptied after each write, not deleted. Emptied, not kept: "persist" would
                # keep page images of what `cache clear` removed.
                writer.execute("PRAGMA journal_mode = truncate")
                # No fsync: the cache is rebuilt from TMDB at will, and a database a power
                # cut damaged is stepped around with a warning (see _guard).
                writer.execute("PRAGMA synchronous = off")
                # The cache is the user's search history: what is deleted is overwritten.
                writer.execute("PRAGMA secure_delete = on")
            except BaseException:
                writer.close()
                raise
            self._writer = writer
        return self._writer

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """A write transaction on this module's layout, laid out anew if the file holds
        another. Call under `_lock`."""
        writer = self._open_writer()
        writer.execute("BEGIN IMMEDIATE")  # waits for another process's write
        try:
            if not _is_ours(writer):
                _lay_out(writer)
            yield writer
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                writer.execute("ROLLBACK")
            raise
        writer.execute("COMMIT")

    @contextmanager
    def _guard(self, action: str) -> Iterator[None]:
        try:
            yield
        # Deliberately broad: a permission error, a full disk, a locked or corrupted
        # SQLite file all mean the same to a lookup: go on without the cache.
        # KeyboardInterrupt and SystemExit are not caught.
        except Exception as exc:
            if self._broken:
                return  # another thread has warned already
            self._broken = True
            # Clearing is the remedy offered; when clearing itself failed, its caller says why.
            remedy = "" if action == "clear" else " `wheretowatch cache clear` may help."
            self._warn(
                f"the cache at {self.directory} cannot be used ({action}: {_reason(exc)}); "
                f"carrying on without it.{remedy}"
            )


def _connect(database: Path, mode: str) -> sqlite3.Connection:
    """A connection in autocommit (transactions are begun by hand), shared by threads
    under the cache's lock. `mode` "ro" or "rw": neither creates the file (see
    _create_private). `timeout` is SQLite's busy timeout: a write in progress is waited
    for."""
    return sqlite3.connect(
        f"{database.absolute().as_uri()}?mode={mode}",  # a URI's path is absolute
        uri=True,
        timeout=SQLITE_TIMEOUT,
        isolation_level=None,
        check_same_thread=False,
    )


def _is_ours(connection: sqlite3.Connection) -> bool:
    (ours,) = connection.execute(_IS_OURS, (APPLICATION_ID, SCHEMA)).fetchone()
    return bool(ours)


def _lay_out(writer: sqlite3.Connection) -> None:
    """Drop whatever the file holds (an older layout, diskcache's) and create this one.
    Inside the write transaction: another process sees the old layout or the new."""
    found = writer.execute(
        "SELECT type, name FROM sqlite_master"
        " WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    for kind, name in found:
        quoted = '"' + name.replace('"', '""') + '"'
        writer.execute(f"DROP {kind.upper()} IF EXISTS {quoted}")  # its indexes and triggers too
    for statement in _LAYOUT:
        writer.execute(statement)


def _evict(writer: sqlite3.Connection, size_limit: int) -> None:
    """Delete the least recently stored entry while the file's pages in use pass
    `size_limit` (reads must not write, so the storing order, not the order of use)."""
    while _bytes_in_use(writer) > size_limit:
        oldest = "DELETE FROM answers WHERE rowid = (SELECT min(rowid) FROM answers)"
        if not writer.execute(oldest).rowcount:
            return  # empty: what is left is the layout itself


def _bytes_in_use(connection: sqlite3.Connection) -> int:
    (pages,) = connection.execute("PRAGMA page_count").fetchone()
    (free,) = connection.execute("PRAGMA freelist_count").fetchone()
    (page_size,) = connection.execute("PRAGMA page_size").fetchone()
    return int((pages - free) * page_size)


def _create_private(database: Path) -> None:
    """Create the database file 0600 if it is not there: the search history is the user's
    alone, and SQLite gives its journal the database's own mode."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _verify(database: Path) -> None:
    """sqlite3.DatabaseError if any page is damaged, not only those clearing would read:
    a broken index lets `--older-than` run through, then fails every later write."""
    with contextlib.closing(_connect(database, "ro")) as check:
        found = check.execute("PRAGMA quick_check").fetchall()
    if found != [("ok",)]:
        raise sqlite3.DatabaseError(f"database disk image is malformed: {found[0][0]}")


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
