"""Big lists for the benchmark: a Letterboxd export to import, a watchlist to list.

    python bench/lists.py --rows 2000 --titles 5000      # measure both, print the figures

For bench/run.py (issue #18) to call:

    letterboxd_export(fake, 2000)          # bytes of a Letterboxd watchlist export
    fill_watchlist(fake, data_dir, 5000)   # a watchlist of 5,000 films the fake knows

Figures are ratios or times measured in this run: the import against the rate-limit bound
(rows / rate: one search a row), the listing from a warm cache in seconds.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fake_tmdb import FakeTMDB  # noqa: E402
from wheretowatch.lists.watchlist import WatchedTitle, Watchlist  # noqa: E402
from wheretowatch.models import MediaType  # noqa: E402

TOKEN = "bench-token"
WHERETOWATCH = [sys.executable, "-m", "wheretowatch"]


def letterboxd_export(fake: FakeTMDB, rows: int, first_id: int = 7_000_000) -> bytes:
    """A Letterboxd watchlist export of `rows` films the fake knows (one search each)."""
    ids = fake.generate(rows, first_id=first_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["Date", "Name", "Year", "Letterboxd URI"])
    for tmdb_id in ids:
        writer.writerow(
            ["2024-01-01", f"Generated Film {tmdb_id}", "2020", f"https://boxd.it/{tmdb_id}"]
        )
    return buffer.getvalue().encode()


def fill_watchlist(fake: FakeTMDB, data_dir: Path, titles: int, first_id: int = 8_500_000) -> None:
    """A watchlist of `titles` films the fake knows, streaming in GB and US."""
    ids = fake.generate(titles, first_id=first_id)
    Watchlist(data_dir).add_many(
        WatchedTitle(i, MediaType.MOVIE, f"Generated Film {i}", 2020, "en", ("GB",)) for i in ids
    )


def _env(url: str, work: Path) -> dict[str, str]:
    return {
        **os.environ,
        "TMDB_API_TOKEN": TOKEN,
        "WHERETOWATCH_TMDB_URL": url,
        "WHERETOWATCH_CONFIG_DIR": str(work / "config"),
        "WHERETOWATCH_CACHE_DIR": str(work / "cache"),
        "WHERETOWATCH_DATA_DIR": str(work / "data"),
        "WHERETOWATCH_REGION": "GB",
        "WHERETOWATCH_SERVICES": "Netflix",
    }


def _timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--titles", type=int, default=5000)
    parser.add_argument("--latency", type=float, default=0.15)
    parser.add_argument("--rate", type=int, default=40)
    args = parser.parse_args()
    fake = FakeTMDB(token=TOKEN)
    url = fake.start()
    try:
        with tempfile.TemporaryDirectory(prefix="wheretowatch-lists-") as directory:
            work = Path(directory)
            env = _env(url, work)
            export = work / "watchlist.csv"
            export.write_bytes(letterboxd_export(fake, args.rows))
            fake.latency, fake.rate_limit = args.latency, args.rate
            took = _timed([*WHERETOWATCH, "watchlist", "import", str(export)], env)
            bound = args.rows / args.rate
            print(
                f"import of {args.rows} Letterboxd rows: {took:.1f} s, "
                f"{took / bound:.2f} x the rate-limit bound ({bound:.0f} s; goal <= 1.25; "
                f"{len(fake.requests)} requests, {fake.throttled} answered 429)"
            )
            again = _timed([*WHERETOWATCH, "watchlist", "import", str(export)], env)
            print(f"the same import again: {again:.2f} s")

            if not args.titles:
                return
            work2 = work / "list"
            env2 = _env(url, work2)
            fake.latency, fake.rate_limit = 0.0, None
            fill_watchlist(fake, work2 / "data", args.titles)
            _timed([*WHERETOWATCH, "watchlist", "list"], env2)  # warms the cache
            for label, extra in (("table", []), ("JSON", ["--json"]), ("--mine", ["--mine"])):
                took = min(
                    _timed([*WHERETOWATCH, "watchlist", "list", *extra], env2) for _ in range(3)
                )
                print(f"watchlist list of {args.titles} titles, warm cache, {label}: {took:.2f} s")
            for label, extra in (("table", []), ("JSON", ["--json"])):
                took = min(
                    _timed([*WHERETOWATCH, "plan", "--offline", *extra], env2) for _ in range(3)
                )
                print(f"plan over {args.titles} watched titles, warm cache, {label}: {took:.2f} s")
            ics = work2 / "calendar.ics"
            took = min(
                _timed([*WHERETOWATCH, "watchlist", "calendar", "-o", str(ics)], env2)
                for _ in range(3)
            )
            print(f"watchlist calendar of {args.titles} titles, warm cache: {took:.2f} s")
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
