"""The disk cache, through the CLI against the fake server, counting requests."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import API_KEY, TOKEN, RunCli, age_cache, run_warm
from tests.fake_tmdb import FakeTMDB
from wheretowatch.tmdb import MAX_AGE
from wheretowatch.tmdb import cache as cache_module
from wheretowatch.tmdb.cache import CachedResponse, DiskCache

pytestmark = pytest.mark.usefixtures("online")
LOOKUP = ("Drawing Closer", "--region", "GB")


@pytest.fixture
def cache_dir(isolated: Path) -> Path:
    return isolated / "xdg-cache" / "wheretowatch"


def lookup_json(run: RunCli, *extra: str) -> dict[str, object]:
    result = run(*LOOKUP, "--json", *extra)
    assert result.exit_code == 0, result.stderr
    document: dict[str, object] = json.loads(result.stdout)
    return document


def expire_everything(cache_dir: Path) -> None:
    """Make every cached answer stale, as if fetched two hours ago and expired since."""
    age_cache(cache_dir, 7200, expire=True)


def test_second_identical_lookup_makes_no_request(run: RunCli, fake: FakeTMDB) -> None:
    first = lookup_json(run)
    assert len(fake.requests) == 2
    second = lookup_json(run)
    assert len(fake.requests) == 2
    assert first["from_cache"] is False
    assert second["from_cache"] is True
    assert second["fetched_at"] == first["fetched_at"]
    assert second["availability"] == first["availability"]
    table = run(*LOOKUP)
    assert "from the cache" in table.stdout
    assert len(fake.requests) == 2


def test_the_language_is_part_of_the_key(run: RunCli, fake: FakeTMDB) -> None:
    lookup_json(run)
    lookup_json(run, "--language", "ja")
    assert len(fake.requests) == 4


def test_refresh_fetches_anew_and_stores(run: RunCli, fake: FakeTMDB, cache_dir: Path) -> None:
    lookup_json(run)
    age_cache(cache_dir, 300)  # fresh still, but older: a new fetch shows a new time
    first = lookup_json(run)
    assert first["from_cache"] is True
    refreshed = lookup_json(run, "--refresh")
    assert len(fake.requests) == 4
    assert refreshed["from_cache"] is False
    assert refreshed["fetched_at"] != first["fetched_at"]
    assert lookup_json(run)["fetched_at"] == refreshed["fetched_at"]
    assert len(fake.requests) == 4


def test_no_cache_neither_reads_nor_writes(run: RunCli, fake: FakeTMDB, cache_dir: Path) -> None:
    lookup_json(run, "--no-cache")
    lookup_json(run, "--no-cache")
    assert len(fake.requests) == 4
    assert not cache_dir.exists()


def test_offline_answers_from_the_cache_only(run: RunCli, fake: FakeTMDB) -> None:
    missing = run(*LOOKUP, "--offline", "--json")
    assert missing.exit_code == 7
    assert json.loads(missing.stdout)["error"]["code"] == "not_cached"
    assert fake.requests == []
    lookup_json(run)
    fake.reset()
    assert lookup_json(run, "--offline")["from_cache"] is True
    assert fake.requests == []


def test_offline_needs_no_credential(
    run: RunCli, monkeypatch: pytest.MonkeyPatch, fake: FakeTMDB
) -> None:
    lookup_json(run)
    monkeypatch.delenv("TMDB_API_TOKEN")
    assert lookup_json(run, "--offline")["from_cache"] is True
    assert lookup_json(run)["from_cache"] is True  # a fresh answer needs no credential either


def test_expired_entries_are_fetched_again(run: RunCli, fake: FakeTMDB, cache_dir: Path) -> None:
    lookup_json(run)
    expire_everything(cache_dir)
    assert lookup_json(run)["from_cache"] is False
    assert len(fake.requests) == 4


@pytest.mark.usefixtures("no_waiting")
def test_stale_if_error_serves_an_expired_answer_with_a_warning(
    run: RunCli, fake: FakeTMDB, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lookup_json(run)
    expire_everything(cache_dir)
    fake.fail(503, {"status_code": 9, "status_message": "Service offline."}, times=100)
    result = run(*LOOKUP, "--json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["stale"] is True
    assert document["from_cache"] is True
    assert "Service offline" in result.stderr
    assert "Showing cached data fetched 2 hours ago" in result.stderr
    table = run(*LOOKUP)
    assert table.exit_code == 0
    assert "may be out of date" in table.stdout


@pytest.mark.usefixtures("no_waiting")
def test_stale_answer_keeps_the_usual_exit_status(
    run: RunCli, fake: FakeTMDB, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("Nowhere Film", "-r", "GB").exit_code == 3
    expire_everything(cache_dir)
    monkeypatch.setenv("WHERETOWATCH_TMDB_URL", "http://127.0.0.1:9")  # now unreachable
    assert run("Nowhere Film", "-r", "GB").exit_code == 7  # another URL: nothing cached for it
    monkeypatch.setenv("WHERETOWATCH_TMDB_URL", fake.url)
    fake.fail(500, b"", times=100)
    result = run("Nowhere Film", "-r", "GB")
    assert result.exit_code == 3
    assert "warning:" in result.stderr


@pytest.mark.usefixtures("no_waiting")
def test_nothing_to_fall_back_on_exits_7(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.fail(503, b"", times=100)
    assert run(*LOOKUP).exit_code == 7


def test_answers_are_stored_with_tmdbs_max_age(
    run: RunCli, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lookup_json(run)
    lifetimes = _lifetimes(cache_dir)
    assert lifetimes["/3/search/multi"] == 600  # the fake server's max-age for searches
    assert lifetimes["/3/movie/1291559"] == 28800
    monkeypatch.setenv("WHERETOWATCH_TTL_TITLE", "2h")
    lookup_json(run, "--refresh")
    # Stored as TMDB said: the setting decides when an answer is read (next test).
    assert _lifetimes(cache_dir)["/3/movie/1291559"] == 28800


def _lifetimes(cache_dir: Path) -> dict[str, float]:
    cache = DiskCache(cache_dir)
    lifetimes: dict[str, float] = {}
    for key in cache.entry_keys():
        entry = cache.get(key)
        assert entry is not None
        path = key.split("?")[0].split("127.0.0.1:")[1].split("/", 1)[1]
        lifetimes["/" + path] = round(entry.fresh_until - entry.fetched_at)
    cache.close()
    return lifetimes


def test_no_credential_in_any_cache_file(
    run: RunCli, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lookup_json(run)
    run("regions")
    monkeypatch.delenv("TMDB_API_TOKEN")
    monkeypatch.setenv("TMDB_API_KEY", API_KEY)  # a key travels in the URL: the riskier case
    lookup_json(run, "--refresh")
    run("search", "Dune")
    files = [p for p in cache_dir.rglob("*") if p.is_file()]
    assert files
    for path in files:
        content = path.read_bytes()
        assert TOKEN.encode() not in content, path
        assert API_KEY.encode() not in content, path


def test_parallel_processes_share_one_cache(fake: FakeTMDB, cache_dir: Path) -> None:
    titles = ["Drawing Closer", "Fight Club", "Search", "Dune", "Breaking Bad", "Nowhere Film"]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "wheretowatch", title, "-r", "GB,US", "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for title in titles * 2
    ]
    results = [(p.wait(timeout=120), *p.communicate()) for p in processes]
    for code, stdout, stderr in results:
        assert code in (0, 3), stderr
        assert stderr == ""
        assert json.loads(stdout)["title"]
    fake.reset()
    for title in titles:  # every answer is now whole in the cache
        result = subprocess.run(
            [sys.executable, "-m", "wheretowatch", title, "-r", "GB,US", "--offline", "--json"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode in (0, 3), result.stderr
        assert json.loads(result.stdout)["from_cache"] is True
    assert fake.requests == []


def test_corrupted_cache_warns_once_and_still_answers(run: RunCli, cache_dir: Path) -> None:
    lookup_json(run)
    (cache_dir / "cache.db").write_bytes(b"this is not a database" * 100)
    for name in ("cache.db-wal", "cache.db-shm"):
        (cache_dir / name).unlink(missing_ok=True)
    result = run(*LOOKUP)
    assert result.exit_code == 0
    assert "Netflix" in result.stdout
    assert result.stderr.count("warning:") == 1
    assert "cannot be used" in result.stderr


def test_cache_dir_that_cannot_be_created_warns_and_still_answers(
    run: RunCli, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = isolated / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("WHERETOWATCH_CACHE_DIR", str(blocker / "cache"))
    result = run(*LOOKUP)
    assert result.exit_code == 0
    assert "Netflix" in result.stdout
    assert result.stderr.count("warning:") == 1
    assert blocker.read_text() == "not a directory"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to a read-only directory")
def test_read_only_cache_still_answers(run: RunCli, cache_dir: Path) -> None:
    lookup_json(run)
    for path in [cache_dir, *cache_dir.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        result = run("Fight Club", "-r", "GB")
        assert result.exit_code == 0
        assert "Amazon Prime Video" in result.stdout
    finally:
        for path in [cache_dir, *cache_dir.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)


def test_entries_older_than_six_months_are_not_kept(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path / "c")
    now = time.time()
    cache.set("old", CachedResponse(b"{}", now - MAX_AGE - 60, now))
    cache.set("new", CachedResponse(b"{}", now, now + 60))
    assert cache.get("old") is None
    assert cache.get("new") is not None
    cache.close()


def test_size_limit_bounds_the_cache(tmp_path: Path) -> None:
    # Entries small beside the limit, as real ones (a few kB against 100 MB) are.
    cache = DiskCache(tmp_path / "c", size_limit=1024 * 1024)
    now = time.time()
    for index in range(300):
        cache.set(f"k{index}", CachedResponse(os.urandom(10 * 1024), now, now + 60))
    info = cache.info()
    assert info.size_bytes <= 1.2 * 1024 * 1024
    assert 50 < info.entries < 120
    assert cache.get("k299") is not None  # the newest survive
    assert cache.get("k0") is None
    cache.close()


def test_the_least_recently_stored_entries_go_first(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path / "c", size_limit=150 * 1024)
    now = time.time()

    def store(key: str) -> None:
        cache.set(key, CachedResponse(os.urandom(10 * 1024), now, now + 60))

    for index in range(10):
        store(f"k{index}")
    store("k0")  # stored again: the newest now
    assert cache.get("k1") is not None  # read: reading does not keep it
    for index in range(10, 15):
        store(f"k{index}")

    stored_order = [f"k{index}" for index in [*range(1, 10), 0, *range(10, 15)]]
    kept = cache.entry_keys()
    assert kept == stored_order[-len(kept) :]
    assert 6 <= len(kept) <= 13
    assert "k0" in kept
    assert cache.get("k1") is None
    cache.close()


def _rows(database: Path) -> list[str]:
    """The keys on disk, expired or not, read past the cache."""
    with contextlib.closing(sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)) as db:
        return [key for (key,) in db.execute("SELECT key FROM answers ORDER BY key")]


def test_an_expired_answer_is_served_until_max_age_then_deleted(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path / "c")
    now = time.time()
    cache.set("stale", CachedResponse(b"{}", now - MAX_AGE / 2, now - MAX_AGE / 2 + 60))
    cache.set("ending", CachedResponse(b"{}", now - MAX_AGE + 0.3, now - MAX_AGE + 60))
    # Past its time to live, still there: the client decides (stale-if-error).
    assert cache.get("stale") == CachedResponse(b"{}", now - MAX_AGE / 2, now - MAX_AGE / 2 + 60)
    assert cache.get("ending") is not None
    time.sleep(0.4)  # "ending" is six months old now

    assert cache.get("ending") is None
    assert cache.entry_keys() == ["stale"]
    assert cache.info().entries == 1
    assert _rows(tmp_path / "c" / "cache.db") == ["ending", "stale"]  # not deleted by reads
    cache.set("new", CachedResponse(b"{}", now, now + 60))
    assert _rows(tmp_path / "c" / "cache.db") == ["new", "stale"]  # deleted by a write
    cache.close()


def _foreign(database: Path, layout: str) -> None:
    """A database in the cache's place that this version did not write: diskcache's, as
    versions before kept there, or an older layout of the cache's own."""
    database.parent.mkdir(mode=0o700)
    with contextlib.closing(sqlite3.connect(database, isolation_level=None)) as db:
        if layout == "wal":
            db.execute("PRAGMA journal_mode = wal")
        if layout == "older":
            db.execute(f"PRAGMA application_id = {cache_module.APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {cache_module.SCHEMA - 1}")
            db.execute("CREATE TABLE answers (key TEXT, body BLOB)")
            db.execute("INSERT INTO answers VALUES ('k', x'7b7d')")
        else:  # diskcache 5's tables, much simplified
            db.execute("CREATE TABLE Settings (key TEXT NOT NULL UNIQUE, value)")
            db.execute("INSERT INTO Settings VALUES ('count', 1)")
            db.execute(
                "CREATE TABLE Cache (rowid INTEGER PRIMARY KEY, key BLOB, raw INTEGER,"
                " store_time REAL, expire_time REAL, mode INTEGER, filename TEXT, value BLOB)"
            )
            db.execute("CREATE INDEX Cache_expire_time ON Cache (expire_time)")
            db.execute("INSERT INTO Cache VALUES (1, 'k', 1, 0, NULL, 1, NULL, x'7b7d')")


@pytest.mark.parametrize("layout", ["diskcache", "wal", "older"])
def test_a_database_of_another_layout_is_a_miss_then_replaced(tmp_path: Path, layout: str) -> None:
    directory = tmp_path / "c"
    _foreign(directory / "cache.db", layout)
    before = _files(directory)
    cache = DiskCache(directory)

    assert cache.get("k") is None
    assert cache.entry_keys() == []
    assert cache.info().entries == 0
    assert _files(directory) == before  # read, not converted: no file made or changed

    now = time.time()
    cache.set("k", CachedResponse(b"[]", now, now + 60))
    assert cache.get("k") == CachedResponse(b"[]", now, now + 60)
    assert not cache.failed
    cache.close()
    assert sorted(p.name for p in directory.iterdir()) == ["cache.db", "cache.db-journal"]
    with contextlib.closing(sqlite3.connect(directory / "cache.db")) as db:
        names = [name for (name,) in db.execute("SELECT name FROM sqlite_master")]
        assert sorted(names) == ["answers", "answers_expiry", "sqlite_autoindex_answers_1"]
        assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # not WAL


def test_reading_creates_nothing(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path / "c")
    assert cache.get("k") is None
    assert cache.entry_keys() == []
    assert cache.info().entries == 0
    assert cache.clear() == 0
    cache.close()
    assert not (tmp_path / "c").exists()

    filled = DiskCache(tmp_path / "c")
    now = time.time()
    filled.set("k", CachedResponse(b"{}", now, now + 60))
    filled.close()
    before = _files(tmp_path / "c")
    reader = DiskCache(tmp_path / "c")
    assert reader.get("k") is not None
    assert reader.get("other") is None
    assert reader.entry_keys() == ["k"]
    assert reader.info().entries == 1
    reader.close()
    assert _files(tmp_path / "c") == before


def test_a_write_a_crash_left_half_done_is_rolled_back_by_the_next_read(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path / "c")
    now = time.time()
    cache.set("k", CachedResponse(b"{}", now, now + 60))
    cache.close()
    crash = (
        "import os, sqlite3, sys\n"
        "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "db.execute('PRAGMA cache_size = 1')  # pages go to the file before the commit\n"
        "db.execute('BEGIN IMMEDIATE')\n"
        "db.execute('DELETE FROM answers')\n"
        "db.execute(\"INSERT INTO answers VALUES ('x', 0, 0, 1e12, zeroblob(100000))\")\n"
        "os._exit(9)\n"
    )
    database = tmp_path / "c" / "cache.db"
    subprocess.run([sys.executable, "-c", crash, str(database)], check=False, timeout=60)
    assert (tmp_path / "c" / "cache.db-journal").stat().st_size > 0  # a hot journal

    warnings: list[str] = []
    reader = DiskCache(tmp_path / "c", warn=warnings.append)
    assert reader.get("k") == CachedResponse(b"{}", now, now + 60)
    assert reader.get("x") is None
    reader.close()
    assert warnings == []


def test_a_relative_cache_directory_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # WHERETOWATCH_CACHE_DIR=cache, say
    cache = DiskCache(Path("cache"))
    now = time.time()
    cache.set("k", CachedResponse(b"{}", now, now + 60))
    assert cache.get("k") is not None
    assert not cache.failed
    cache.close()
    assert (tmp_path / "cache" / "cache.db").is_file()


def test_under_umask_000_the_cache_is_private(tmp_path: Path) -> None:
    previous = os.umask(0)
    try:
        cache = DiskCache(tmp_path / "a" / "c")
        now = time.time()
        cache.set("k", CachedResponse(b"{}", now, now + 60))
        assert cache.clear() == 1  # VACUUM rewrites the file
        cache.set("k", CachedResponse(b"{}", now, now + 60))
        cache.close()
    finally:
        os.umask(previous)
    made = [tmp_path / "a", *sorted((tmp_path / "a").rglob("*"))]
    assert [p.name for p in made] == ["a", "c", "cache.db", "cache.db-journal"]
    for path in made:
        expected = 0o700 if path.is_dir() else 0o600
        assert path.stat().st_mode & 0o777 == expected, path


def test_cache_info_clear_and_path(run: RunCli, cache_dir: Path) -> None:
    empty = json.loads(run("cache", "info", "--json").stdout)
    assert empty["entries"] == 0
    assert empty["oldest"] is None
    assert not cache_dir.exists()  # looking does not create it
    lookup_json(run)
    info = run("cache", "info")
    assert info.exit_code == 0
    assert str(cache_dir) in info.stdout
    assert "Entries" in info.stdout
    document = json.loads(run("cache", "info", "--json").stdout)
    assert document["entries"] == 2
    assert document["size_limit_bytes"] == 100 * 1024 * 1024
    assert document["oldest"] <= document["newest"]
    path = run("cache", "path")
    assert path.stdout == f"{cache_dir}\n"
    kept = run("cache", "clear", "--older-than", "7d")
    assert "Removed 0 cached entries" in kept.stdout
    cleared = run("cache", "clear")
    assert "Removed 2 cached entries" in cleared.stdout
    assert json.loads(run("cache", "info", "--json").stdout)["entries"] == 0
    assert run("cache", "clear", "--older-than", "soon").exit_code == 2


def test_a_cleared_cache_keeps_no_trace_of_what_was_asked(run: RunCli, cache_dir: Path) -> None:
    # The cache is the user's search history: `cache clear` leaves none of it behind,
    # in the database or in its journal, and every file there stays the user's alone.
    lookup_json(run)
    lookup_json(run, "--refresh")  # writes over entries: the journal holds old pages
    assert run("cache", "clear").exit_code == 0
    files = [p for p in cache_dir.rglob("*") if p.is_file()]
    assert files
    for path in files:
        assert b"Drawing" not in path.read_bytes(), path
        assert path.stat().st_mode & 0o077 == 0, path


def test_clear_never_touches_other_files(
    run: RunCli, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = isolated / "shared-dir"
    shared.mkdir()
    (shared / "precious.txt").write_text("keep me")
    monkeypatch.setenv("WHERETOWATCH_CACHE_DIR", str(shared))
    lookup_json(run)
    assert run("cache", "clear").exit_code == 0
    assert (shared / "precious.txt").read_text() == "keep me"


# What a cached lookup must never load: the HTTP stack, and what only other commands use.
OFF_THE_WARM_PATH = [
    "httpx",
    "wheretowatch.tmdb.http",
    "logging",
    "concurrent.futures",
    "rich.progress",
    "wheretowatch.where.batch",
    "wheretowatch.lists.refresh",
    "wheretowatch.lists.watchlist",
    "wheretowatch.datafile",
    "wheretowatch.lists.formats",
    "wheretowatch.lists.outbox",
    "wheretowatch.notify.apprise",
    "wheretowatch.notify.targets",  # only when notification targets are set
    "wheretowatch.where.arrivals",  # only for upcoming
    "wheretowatch.discover",  # only for browse
    "wheretowatch.lists.coverage",  # only for plan
    "wheretowatch.lists.calendar",  # only for watchlist calendar
    "wheretowatch.where.catalogue",  # only when services are set
    # The other commands: imported (and built) only when asked for.
    "wheretowatch.cli.commands.watchlist",
    "wheretowatch.cli.commands.refresh",
    "wheretowatch.cli.commands.search",
    "wheretowatch.cli.commands.providers",
    "wheretowatch.cli.commands.cache",
    "wheretowatch.cli.commands.notify",
    "wheretowatch.cli.commands.config",
    "wheretowatch.cli.commands.setup",
    "wheretowatch.cli.commands.doctor",
    "importlib.resources",
    "zipfile",
    "tempfile",
    "platformdirs",
    "filelock",
    "email.utils",
    "tomlkit",
    "tomllib",  # only to read a config file; the defaults are Python
    "apprise",
]


def test_a_cached_lookup_loads_no_http_stack_and_nothing_it_does_not_need(
    fake: FakeTMDB,
) -> None:
    code = (
        "import json, sys\n"
        "from wheretowatch.cli import app\n"
        "try:\n"
        "    app(['Drawing Closer', '-r', 'GB'], prog_name='wheretowatch')\n"
        "except SystemExit as exit:\n"
        f"    loaded = [m for m in {OFF_THE_WARM_PATH!r} if m in sys.modules]\n"
        "    print(json.dumps([exit.code, loaded]), file=sys.stderr)\n"
    )
    command = [sys.executable, "-c", code]
    cold = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    code_, loaded = json.loads(cold.stderr.splitlines()[-1])
    assert code_ == 0
    assert "httpx" in loaded
    warm = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert json.loads(warm.stderr.splitlines()[-1]) == [0, []]
    assert "Netflix" in warm.stdout
    assert len(fake.requests) == 2


def test_a_cached_json_lookup_loads_no_rich_console(fake: FakeTMDB) -> None:
    # Scripts ask for JSON in loops: Rich's console costs more than the lookup itself.
    code = (
        "import json, sys\n"
        "from wheretowatch.cli import app\n"
        "try:\n"
        "    app(['Drawing Closer', '-r', 'GB', '--json'], prog_name='wheretowatch')\n"
        "except SystemExit as exit:\n"
        "    print(json.dumps([exit.code, 'rich.console' in sys.modules]), file=sys.stderr)\n"
    )
    warm, found = run_warm(code)
    assert found == [0, False]
    assert json.loads(warm.stdout)["title"]["title"] == "Drawing Closer"
    assert len(fake.requests) == 2


def test_a_cached_lookup_writes_nothing(run: RunCli, fake: FakeTMDB, cache_dir: Path) -> None:
    lookup_json(run)
    before = _files(cache_dir)
    for command in (LOOKUP, (*LOOKUP, "--json"), ("--from", "-", "-r", "GB")):
        result = run(*command, input="Drawing Closer\n")
        assert result.exit_code == 0, result.stderr
    assert _files(cache_dir) == before  # the same files, sizes and modification times
    assert len(fake.requests) == 2


def _files(directory: Path) -> dict[str, tuple[int, int]]:
    return {
        str(path.relative_to(directory)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in sorted(directory.rglob("*"))
    }


@pytest.mark.parametrize(
    ("fault", "message"),
    [("full-disk", "database or disk is full"), ("read-only", "readonly database")],
)
def test_a_failing_write_warns_once_and_the_lookup_goes_on(
    run: RunCli, monkeypatch: pytest.MonkeyPatch, fake: FakeTMDB, fault: str, message: str
) -> None:
    # Root ignores permissions and no test can fill a disk, so SQLite is made to meet
    # those faults itself: a database that may not grow by a page, or one opened for
    # reading where the cache asks for writing.
    connect = cache_module._connect

    def faulty(database: Path, mode: str) -> sqlite3.Connection:
        if fault == "read-only":
            return connect(database, "ro")
        connection = connect(database, mode)
        connection.execute("PRAGMA max_page_count = 1")  # the empty file's size
        return connection

    monkeypatch.setattr(cache_module, "_connect", faulty)
    result = run(*LOOKUP)
    assert result.exit_code == 0
    assert "Netflix" in result.stdout
    assert result.stderr.count("warning:") == 1
    assert message in result.stderr
    assert run("Nowhere Film", "-r", "GB").exit_code == 3  # the status it would have had


def test_long_paths_are_never_cut_short(
    run: RunCli, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deep = isolated / ("a-rather-long-directory-name-" * 4) / "wheretowatch-cache"
    monkeypatch.setenv("WHERETOWATCH_CACHE_DIR", str(deep))
    monkeypatch.setenv("COLUMNS", "40")
    assert str(deep) in run("cache", "info").stdout
    config = run("config").stdout
    assert "…" not in config
    assert "".join(line.strip("│ ") for line in config.splitlines()).count("a-rather-long") >= 4


def test_the_size_limit_is_configurable(run: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHERETOWATCH_CACHE_SIZE_MB", "5")
    document = json.loads(run("cache", "info", "--json").stdout)
    assert document["size_limit_bytes"] == 5 * 1024 * 1024


def test_a_ttl_setting_applies_to_answers_stored_before_it(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    lookup_json(run)  # stored with TMDB's max-age (hours)
    monkeypatch.setenv("WHERETOWATCH_TTL_TITLE", "0")
    monkeypatch.setenv("WHERETOWATCH_TTL_SEARCH", "0")
    assert lookup_json(run)["from_cache"] is False  # 0: ask TMDB every time
    assert len(fake.requests) == 4
    monkeypatch.delenv("WHERETOWATCH_TTL_TITLE")
    monkeypatch.delenv("WHERETOWATCH_TTL_SEARCH")
    assert lookup_json(run)["from_cache"] is True  # stored while 0, fresh by max-age now
    assert len(fake.requests) == 4


def test_cache_clear_empties_a_damaged_cache_and_lookups_use_it_again(
    run: RunCli, online: FakeTMDB, cache_dir: Path
) -> None:
    assert lookup_json(run)  # fills the cache
    (cache_dir / "cache.db").write_bytes(os.urandom(4096))
    damaged = run("Drawing Closer", "-r", "GB")
    assert "cannot be used" in damaged.stderr
    assert "`wheretowatch cache clear` may help" in damaged.stderr

    cleared = run("cache", "clear")

    assert cleared.exit_code == 0
    assert "was damaged" in cleared.stderr
    assert "it is empty now" in cleared.stderr
    again = run("Drawing Closer", "-r", "GB")
    assert (again.exit_code, again.stderr) == (0, "")
    assert run("Drawing Closer", "-r", "GB", "--offline").exit_code == 0  # cached anew


def _damage(database: Path, name: str) -> None:
    """The header intact, the table or index `name` unreadable: SQLite opens the file,
    then fails on what reads that page."""
    with contextlib.closing(sqlite3.connect(database)) as connection:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        (root,) = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)
        ).fetchone()
    with database.open("r+b") as file:
        file.seek((root - 1) * page_size)
        file.write(b"\x0d" + b"\xff" * (page_size - 1))


@pytest.mark.parametrize("extra", [[], ["--older-than", "1d"]])
@pytest.mark.parametrize("part", ["answers", "answers_expiry", "sqlite_autoindex_answers_1"])
def test_cache_clear_removes_a_cache_whose_entries_are_damaged(
    run: RunCli, online: FakeTMDB, cache_dir: Path, extra: list[str], part: str
) -> None:
    assert lookup_json(run)
    _damage(cache_dir / "cache.db", part)

    cleared = run("cache", "clear", *extra)

    assert cleared.exit_code == 0, cleared.stderr
    assert "was damaged" in cleared.stderr
    again = run("Drawing Closer", "-r", "GB")
    assert (again.exit_code, again.stderr) == (0, "")


def test_cache_clear_that_cannot_clear_exits_6(
    run: RunCli, online: FakeTMDB, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert lookup_json(run)

    def locked(self: DiskCache, older_than: float | None) -> int:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(DiskCache, "_clear", locked)
    result = run("cache", "clear")

    assert result.exit_code == 6
    assert result.stdout == ""
    assert "database is locked" in result.stderr
    assert "could not be cleared" in result.stderr
    assert "cache clear` may help" not in result.stderr  # not from cache clear itself
