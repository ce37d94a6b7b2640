"""The disk cache of TMDB responses, on diskcache, behind an interface of our own.

What is stored is TMDB's response body as it came, with the time it was fetched and the
time until which it counts as fresh. An entry past that time is not served on a normal
lookup, but it stays on disk so that an outage can be answered from it ("stale-if-error").
Nothing stays longer than TMDB's terms allow (six months): diskcache deletes it then.

The cache is an optimisation, never a requirement: a directory that cannot be created,
read or written, a full disk or a corrupted database make it warn once and step aside.
No other module imports diskcache.

Reads write nothing. diskcache's own `get` opens a writable connection and runs dozens
of statements (settings, pragmas) before it answers, and a WAL-mode database makes even a
reader create files. So the store is kept in SQLite's rollback-journal mode, and `get`
reads the one row it needs through a read-only connection of its own (`_Reader`), from
the layout diskcache 5 writes; anything it does not expect there is a miss. Writes,
listing, eviction and clearing stay diskcache's.
"""

import contextlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlencode

from wheretowatch.files import make_private_directory
from wheretowatch.tmdb.freshness import MAX_AGE

if TYPE_CHECKING:
    import diskcache


# Layout version of stored entries; a change makes old entries misses, not errors.
FORMAT = 1
# Every answer stays inside the SQLite file, never in files of diskcache's own beside it
# (it makes those, and their directories, with the umask's modes). Answers are capped far
# below this.
IN_DATABASE_UP_TO = 1 << 30
SQLITE_TIMEOUT = 10.0  # seconds a process waits for another one's write


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
        self._size_limit = size_limit
        self._warn = warn
        self._store: diskcache.Cache | None = None
        self._reader: _Reader | None = None
        self._broken = False
        self._lock = threading.Lock()  # the threads of a batch share one cache

    def get(self, key: str) -> CachedResponse | None:
        with self._guard("read"):
            if not self._usable():
                return None
            raw = self._read(key)
            return _decode(raw) if isinstance(raw, bytes) else None
        return None

    def set(self, key: str, response: CachedResponse) -> None:
        expire = response.fetched_at + MAX_AGE - time.time()
        if expire <= 0:
            return
        with self._guard("write"):
            if self._usable():
                self._open().set(key, _encode(response), expire=expire)

    def entry_keys(self) -> list[str]:
        with self._guard("read"):
            if self._usable() and self.directory.is_dir():
                return [str(key) for key in self._open().iterkeys()]
        return []

    def info(self) -> CacheInfo:
        entries, oldest, newest, size = 0, None, None, 0
        with self._guard("read"):
            if self._usable() and self.directory.is_dir():
                store = self._open()
                size = int(store.volume())
                for response in self._entries(store):
                    entries += 1
                    oldest = min(oldest or response.fetched_at, response.fetched_at)
                    newest = max(newest or response.fetched_at, response.fetched_at)
        return CacheInfo(self.directory, size, entries, oldest, newest)

    def clear(self, older_than: float | None = None) -> int:
        """Delete entries fetched more than `older_than` seconds ago (all if None).

        A database damaged past reading (a crash, a disk fault, a stray write) is removed
        whole, whatever `older_than` says: nothing in it can be kept, and every other
        command's warning sends the user here to fix it."""
        with self._guard("clear"):
            if self._usable() and self.directory.is_dir():
                try:
                    return self._clear(older_than)
                except sqlite3.DatabaseError as exc:
                    if isinstance(exc, sqlite3.OperationalError):
                        raise  # locked, read-only, a full disk: not damage
                    self._forget_store()
                    self._remove_damaged(exc)
        return 0

    @property
    def failed(self) -> bool:
        """Whether the cache stepped aside (and warned) since it was opened."""
        return self._broken

    def _clear(self, older_than: float | None) -> int:
        store = self._open()
        _verify(self.directory / _DATABASE)
        if older_than is None:
            return int(store.clear())
        removed = 0
        cutoff = time.time() - older_than
        for key in list(store.iterkeys()):
            raw = store.get(key)
            response = _decode(raw) if isinstance(raw, bytes) else None
            if response is None or response.fetched_at < cutoff:
                removed += bool(store.delete(key))
        store.expire()
        return removed

    def _forget_store(self) -> None:
        with self._lock:
            if self._store is not None:
                with contextlib.suppress(Exception):
                    self._store.close()
                self._store = None

    def _remove_damaged(self, exc: Exception) -> None:
        for suffix in ("", "-journal", "-wal", "-shm"):
            (self.directory / f"{_DATABASE}{suffix}").unlink(missing_ok=True)
        self._warn(f"the cache at {self.directory} was damaged ({_reason(exc)}); it is empty now.")

    def release_thread(self) -> None:
        """Close the calling thread's connection (diskcache keeps one per thread)."""
        if self._store is not None:
            with self._guard("close"):
                self._store.close()

    def close(self) -> None:
        # Workers a failed run left behind may still be finishing: from now on they read
        # and write nothing, instead of opening the cache again.
        self._broken = True
        with self._lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None
        if self._store is not None:
            # Only this thread's connection; the store stays known, so that workers still
            # finishing close theirs as they end (release_thread).
            with self._guard("close"):
                self._store.close()

    def _usable(self) -> bool:
        return not self._broken

    def _open(self) -> "diskcache.Cache":
        with self._lock:
            if self._store is None:
                make_private_directory(self.directory)
                _create_private(self.directory / _DATABASE)
                deadline = time.monotonic() + SQLITE_TIMEOUT
                while True:
                    try:
                        self._store = self._open_store()
                        break
                    except sqlite3.OperationalError as exc:
                        # diskcache sets itself up with a few statements that do not wait
                        # for a lock (dropping its tag index): processes that open the
                        # cache at the same moment must take turns, not give up.
                        if "locked" not in str(exc) or time.monotonic() > deadline:
                            raise
                        time.sleep(0.02)
            return self._store

    def _open_store(self) -> "diskcache.Cache":
        import diskcache  # writers only: a cached read never loads it

        store = diskcache.Cache.__new__(diskcache.Cache)
        try:
            store.__init__(
                str(self.directory),
                timeout=SQLITE_TIMEOUT,
                size_limit=self._size_limit,
                eviction_policy="least-recently-stored",  # reads never write
                # Rollback journal, so that readers need no -wal/-shm files; emptied after
                # each write rather than made and deleted for each of the forty writes
                # diskcache makes when it opens (a cold lookup ~1 ms sooner). Emptied, not
                # kept: "persist" would keep page images of what `cache clear` removed.
                sqlite_journal_mode="truncate",
                # No fsync: the cache is rebuilt from TMDB at will, and a database a power
                # cut damaged is stepped around with a warning (see _guard). diskcache
                # writes its forty settings on every open; synced, that cost a cold lookup
                # more than the wait for TMDB.
                sqlite_synchronous=0,
                # diskcache's defaults let each connection (one a thread) keep 32 MB of
                # pages and map 64 MB of the file: a refresh's eight threads need little.
                sqlite_cache_size=256,
                sqlite_mmap_size=0,
                disk_min_file_size=IN_DATABASE_UP_TO,
            )
        except BaseException:
            # A damaged database fails half-way through opening, with its connection
            # already made: close it rather than leak it.
            store.close()
            raise
        return store

    def _read(self, key: str) -> object:
        reader = self._read_only()
        if reader is not None:
            try:
                return reader.get(key, time.time())
            except sqlite3.OperationalError:
                pass  # locked past the timeout, or a crashed writer's journal to roll back
        # diskcache's own read: it rolls back what a crash left, and converts a cache
        # from before rollback-journal mode.
        return self._open().get(key) if self.directory.is_dir() else None

    def _read_only(self) -> "_Reader | None":
        with self._lock:
            if self._broken:
                return None  # closed: a worker still finishing opens nothing new
            if self._reader is None or not self._reader.connected:
                # Again until the database exists: this run may be what creates it.
                self._reader = _Reader.open(self.directory / _DATABASE)
            return self._reader if self._reader.usable else None

    def _entries(self, store: "diskcache.Cache") -> Iterator[CachedResponse]:
        for key in store.iterkeys():
            raw = store.get(key)
            response = _decode(raw) if isinstance(raw, bytes) else None
            if response is not None:
                yield response

    @contextmanager
    def _guard(self, action: str) -> Iterator[None]:
        try:
            yield
        # Deliberately broad: a permission error, a full disk, a locked or corrupted
        # SQLite file and diskcache's own Timeout all mean the same to a lookup: go on
        # without the cache. KeyboardInterrupt and SystemExit are not caught.
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


_DATABASE = "cache.db"  # diskcache's file name
# diskcache's Disk modes: bytes are stored in the row (RAW) or, when large, in a file
# beside it (BINARY); TEXT and PICKLE are never written by this cache.
_MODE_RAW, _MODE_BINARY = 1, 2
_WAL_MODE = b"\x02\x02"  # bytes 18-19 of an SQLite header: the file is in WAL mode


def _create_private(database: Path) -> None:
    """Create the database file 0600 if it is not there: the search history is the user's
    alone, and SQLite gives its journal the database's own mode."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _verify(database: Path) -> None:
    """sqlite3.DatabaseError if any page is damaged, not only those clearing would read:
    a broken index lets `--older-than` run through, then fails every later write."""
    uri = f"{database.as_uri()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=SQLITE_TIMEOUT)) as check:
        found = check.execute("PRAGMA quick_check").fetchall()
    if found != [("ok",)]:
        raise sqlite3.DatabaseError(f"database disk image is malformed: {found[0][0]}")


class _Reader:
    """Reads one entry through a read-only SQLite connection; never creates or writes."""

    def __init__(self, database: Path, connection: sqlite3.Connection | None) -> None:
        self._database = database
        self._connection = connection
        self._lock = threading.Lock()

    @classmethod
    def open(cls, database: Path) -> "_Reader":
        try:
            with database.open("rb") as file:
                header = file.read(20)
        except FileNotFoundError:
            return cls(database, None)  # nothing cached yet: every read is a miss
        if header[18:20] == _WAL_MODE:
            return cls(database, None)
        uri = f"{database.as_uri()}?mode=ro"
        connection = sqlite3.connect(
            uri, uri=True, timeout=SQLITE_TIMEOUT, isolation_level=None, check_same_thread=False
        )
        return cls(database, connection)

    @property
    def connected(self) -> bool:
        return self._connection is not None

    @property
    def usable(self) -> bool:
        """False for a WAL-mode database (diskcache must convert it first)."""
        return self._connection is not None or not self._database.exists()

    def get(self, key: str, now: float) -> bytes | None:
        # Under the lock, checked there: the connection is shared by a batch's threads,
        # and SQLite must never see one of them use it while another closes it.
        with self._lock:
            if self._connection is None:
                return None
            row = self._connection.execute(
                "SELECT mode, filename, value, expire_time FROM Cache WHERE key = ? AND raw = 1",
                (key,),
            ).fetchone()
        if row is None:
            return None
        mode, filename, value, expire_time = row
        if expire_time is not None and expire_time < now:
            return None
        if mode == _MODE_RAW and isinstance(value, bytes):
            return value
        if mode == _MODE_BINARY and isinstance(filename, str):
            return (self._database.parent / filename).read_bytes()
        return None

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None


def _encode(response: CachedResponse) -> bytes:
    header = {
        "format": FORMAT,
        "fetched_at": response.fetched_at,
        "fresh_until": response.fresh_until,
    }
    return json.dumps(header).encode() + b"\n" + response.body


def _decode(raw: bytes) -> CachedResponse | None:
    header_line, _, body = raw.partition(b"\n")
    try:
        header: Any = json.loads(header_line)
        if header.get("format") != FORMAT:
            return None
        return CachedResponse(body, float(header["fetched_at"]), float(header["fresh_until"]))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None  # a damaged entry is a miss; the next fetch overwrites it


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
