"""Benchmark wheretowatch as users run it, against the project's fake TMDB on loopback.

    python bench/run.py            # the full run (a few minutes); writes bench/RESULTS.md
    python bench/run.py --smoke    # a quick run to check the benchmark itself works

What is timed is what users run: the wheel, built from this checkout and installed in a
fresh virtual environment, with its bytecode (an editable install under
PYTHONDONTWRITEBYTECODE=1 would compile every module on every run). `--python PATH` times
an interpreter that already has wheretowatch installed instead (the smoke run uses the
current one).

The fake server answers after --latency seconds (150 ms, as from a distant continent) and
with 429 + Retry-After above --rate requests a second (40, TMDB's limit). Every figure is a
ratio of times measured in this same run (or a count, or memory), never an absolute time
compared across runs, so that a noisy machine changes the figures as little as possible.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.lists import fill_watchlist, letterboxd_export  # noqa: E402
from tests import fake_catalogue as catalogue  # noqa: E402
from tests.fake_tmdb import FakeTMDB  # noqa: E402
from wheretowatch.lists.watchlist import WatchedTitle, Watchlist  # noqa: E402
from wheretowatch.models import MediaType  # noqa: E402
from wheretowatch.settings.regions import known_regions  # noqa: E402

TOKEN = "bench-token"
TITLE = "Drawing Closer"
BIG_TITLE = "The Long Catalogue"  # a TMDB-sized answer: ~100 regions, ~20 videos
BIG_ID = 4_999_999
# The least a Typer command line does to print a Rich table: the same libraries as the
# lookup (Typer for its arguments, Rich's console and table), and no work at all.
ONE_ROW_TABLE = (
    "import typer; from rich.console import Console; from rich.table import Table; "
    "table = Table('Region', 'How', 'Where'); table.add_row('GB', 'Stream', 'Netflix'); "
    "Console().print(table)"
)


@dataclass
class Figure:
    name: str
    value: float
    target: str
    met: bool | None  # None: a figure to report, with no target
    detail: str = ""

    def line(self) -> str:
        verdict = "" if self.met is None else ("  [met]" if self.met else "  [NOT met]")
        return f"{self.name}: {self.value:.3g}  (target {self.target}){verdict}  {self.detail}"


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.fake = FakeTMDB(token=TOKEN)
        self.fake.latency = args.latency
        self.fake.rate_limit = args.rate
        self.url = self.fake.start()
        self.work = Path(tempfile.mkdtemp(prefix="wheretowatch-bench-"))
        self.figures: list[Figure] = []
        self.python = args.python or install_wheel(self.work)
        # The console script, as users run it: `python -m` would put the working
        # directory first on sys.path, and from a checkout import its sources instead.
        self.wheretowatch = [str(Path(self.python).with_name("wheretowatch"))]
        add_big_title(self.fake)

    def env(self, name: str) -> dict[str, str]:
        keep = {k: v for k, v in os.environ.items() if not k.startswith(("WHERETOWATCH_", "TMDB_"))}
        return {
            **keep,
            "TMDB_API_TOKEN": TOKEN,
            "WHERETOWATCH_TMDB_URL": self.url,
            "WHERETOWATCH_REGION": "GB",
            "WHERETOWATCH_CONFIG_DIR": str(self.work / name / "config"),
            "WHERETOWATCH_CACHE_DIR": str(self.work / name / "cache"),
            "WHERETOWATCH_DATA_DIR": str(self.work / name / "data"),
        }

    def report(self, figure: Figure) -> None:
        self.figures.append(figure)
        print(figure.line(), flush=True)

    # --- 1. warm lookup --------------------------------------------------------------

    def warm_lookups(self) -> float:
        """Every warm lookup against `import typer, rich.table`; returns the small table's."""
        env = self.env("warm")
        small, big = [TITLE, "--region", "GB"], [BIG_TITLE, "--region", "GB,US,JP"]
        cases = {
            "table": small,
            "--json": [*small, "--json"],
            "batch of one": ["--from", str(self.work / "one.txt"), "--region", "GB"],
            "table, TMDB-sized answer": big,
            "--json, TMDB-sized answer": [*big, "--json"],
        }
        (self.work / "one.txt").write_text(TITLE + "\n")
        for args in cases.values():
            run([*self.wheretowatch, *args], env)  # fills the cache
        baseline = [self.python, "-c", "import typer, rich.table"]
        # What printing any Rich table costs beyond the baseline, with no work at all:
        # reported beside the goal, which the baseline's missing rich.console weighs on.
        printing = "a Typer program printing a one-row Rich table"
        yardsticks = {
            "import typer, rich.table, rich.console": [
                self.python,
                "-c",
                "import typer, rich.table, rich.console",
            ],
            printing: [self.python, "-c", ONE_ROW_TABLE],
        }
        commands = {
            "baseline": baseline,
            **yardsticks,
            **{name: [*self.wheretowatch, *args] for name, args in cases.items()},
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(self.args.runs):  # interleaved, so drift hits every case alike
            for name, command in commands.items():
                times[name].append(timed(command, env))
        medians = {name: statistics.median(runs) for name, runs in times.items()}
        ratios = [
            *((f"{name} / import typer+rich", name, "baseline", None) for name in yardsticks),
            *(
                (f"warm lookup ({name}) / import typer+rich", name, "baseline", 1.10)
                for name in cases
            ),
            (f"warm lookup (table) / {printing}", "table", printing, None),
        ]
        for label, measured, against, goal in ratios:
            ratio = medians[measured] / medians[against]
            self.report(
                Figure(
                    label,
                    ratio,
                    "report" if goal is None else f"<= {goal:.2f}",
                    None if goal is None else ratio <= goal,
                    f"(median of {self.args.runs}: "
                    f"{ms(medians[measured])} vs {ms(medians[against])})",
                )
            )
        return medians["table"]

    # --- 2. cold lookup --------------------------------------------------------------

    def cold_lookup(self, warm: float) -> float:
        result = 0.0
        # The goal is the lookup by title's (two requests). By id, the fixed cost of loading
        # the HTTP stack, absent from the warm term, weighs on one latency: reported.
        for label, args, expected, goal in (
            ("by title", [TITLE], 2, 1.2),
            ("by --tmdb-id", ["--tmdb-id", "1291559"], 1, None),
        ):
            times, counts = [], []
            for attempt in range(self.args.runs):
                env = self.env(f"cold-{label}-{attempt}")  # an empty cache each time
                self.fake.requests.clear()
                times.append(timed([*self.wheretowatch, *args, "--region", "GB"], env))
                counts.append(len(self.fake.requests))
            wall = statistics.median(times)
            requests = max(counts)
            self.report(
                Figure(
                    f"cold lookup {label}: requests",
                    requests,
                    f"== {expected}",
                    requests == expected,
                )
            )
            bound = requests * self.args.latency + warm
            self.report(
                Figure(
                    f"cold lookup {label}: time / (requests x latency + warm)",
                    wall / bound,
                    "report" if goal is None else f"<= {goal}",
                    None if goal is None else wall / bound <= goal,
                    f"({ms(wall)} vs {ms(bound)})",
                )
            )
            if label == "by title":
                result = wall
        return result

    # --- 3 and 4. refresh ------------------------------------------------------------

    def refresh(self, count: int, name: str) -> tuple[float, int, int, Path]:
        """Refresh `count` watched titles; returns wall time, requests, peak RSS (KB), cache."""
        env = self.env(name)
        ids = self.fake.generate(count, first_id=6_000_000 + 100_000 * len(self.figures))
        Watchlist(Path(env["WHERETOWATCH_DATA_DIR"])).add_many(
            WatchedTitle(i, MediaType.MOVIE, f"Generated Film {i}", 2020, "en") for i in ids
        )
        self.fake.requests.clear()
        throttled = self.fake.throttled
        # Files, not pipes: wait4 (for the child's peak memory) must not wait on a full pipe.
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            started = time.perf_counter()
            process = subprocess.Popen(
                [*self.wheretowatch, "refresh"], env=env, stdout=out, stderr=err
            )
            _, status, usage = os.wait4(process.pid, 0)
            wall = time.perf_counter() - started
            process.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read(), err.read()
        if process.returncode != 0 or stderr or stdout:
            raise SystemExit(f"refresh of {count} titles failed: {stderr.decode()[:2000]}")
        self.throttled_in_refresh = self.fake.throttled - throttled
        return wall, len(self.fake.requests), usage.ru_maxrss, Path(env["WHERETOWATCH_CACHE_DIR"])

    def refresh_figures(self) -> float:
        count = self.args.titles
        wall, requests, _, _ = self.refresh(count, "refresh")
        bound = requests / self.args.rate
        self.report(
            Figure(
                f"refresh of {count} titles / (requests / rate limit)",
                wall / bound,
                "<= 1.25",
                wall / bound <= 1.25,
                f"({wall:.2f} s for {requests} requests; lower bound {bound:.2f} s; "
                f"429s absorbed: {self.throttled_in_refresh}; titles failed: 0)",
            )
        )
        return wall

    def scale_figures(self) -> None:
        count = self.args.scale
        wall, requests, peak_kb, cache = self.refresh(count, "scale")
        peak_mb = peak_kb / 1024
        self.report(
            Figure(
                f"refresh of {count} titles: peak memory (MB resident)",
                peak_mb,
                "< 50",
                peak_mb < 50,
                f"({requests} requests in {wall:.1f} s)",
            )
        )
        size = sum(p.stat().st_size for p in cache.rglob("*") if p.is_file()) / 1024 / 1024
        self.report(Figure(f"cache on disk after {count} titles (MB)", size, "report", None))

    # --- 5. your list: an import, and the list from a warm cache ----------------------

    def import_figures(self) -> None:
        rows = self.args.rows
        env = self.env("import")
        export = self.work / "letterboxd.csv"
        export.write_bytes(letterboxd_export(self.fake, rows))
        self.fake.requests.clear()
        throttled = self.fake.throttled
        wall = timed([*self.wheretowatch, "watchlist", "import", str(export)], env)
        requests = len(self.fake.requests)
        bound = requests / self.args.rate
        self.report(
            Figure(
                f"import of {rows} Letterboxd rows / (requests / rate limit)",
                wall / bound if bound else 0.0,
                "<= 1.25",
                bound > 0 and wall / bound <= 1.25,
                f"({wall:.1f} s for {requests} requests; lower bound {bound:.1f} s; "
                f"429s absorbed: {self.fake.throttled - throttled})",
            )
        )
        again = timed([*self.wheretowatch, "watchlist", "import", str(export)], env)
        self.report(Figure("the same import again (s)", again, "report", None))

    def list_figures(self) -> None:
        count = self.args.listed
        env = self.env("list")
        latency, rate = self.fake.latency, self.fake.rate_limit
        self.fake.latency, self.fake.rate_limit = 0.0, None  # filling the cache is not timed
        fill_watchlist(self.fake, Path(env["WHERETOWATCH_DATA_DIR"]), count)
        run([*self.wheretowatch, "watchlist", "list"], env)
        self.fake.latency, self.fake.rate_limit = latency, rate
        for label, extra in (("table", []), ("--json", ["--json"])):
            took = statistics.median(
                timed([*self.wheretowatch, "watchlist", "list", *extra], env) for _ in range(3)
            )
            self.report(
                Figure(
                    f"watchlist list of {count} titles from a warm cache, {label} (s)",
                    took,
                    "<= 1 (about a second)",
                    took <= 1.0,
                )
            )
        self.plan_figures(count, env)

    def plan_figures(self, count: int, env: dict[str, str]) -> None:
        """`plan` over the same watchlist, from the cache `watchlist list` left warm."""
        for label, extra in (("table", []), ("--json", ["--json"])):
            took = statistics.median(
                timed([*self.wheretowatch, "plan", "--offline", *extra], env) for _ in range(3)
            )
            self.report(
                Figure(
                    f"plan over {count} watched titles from a warm cache, {label} (s)",
                    took,
                    "<= 1",
                    took <= 1.0,
                )
            )
        ics = Path(env["WHERETOWATCH_DATA_DIR"]).parent / "calendar.ics"
        calendar = [*self.wheretowatch, "watchlist", "calendar", "-o", str(ics)]
        took = statistics.median(timed(calendar, env) for _ in range(3))
        self.report(
            Figure(
                f"watchlist calendar of {count} titles from a warm cache (s)",
                took,
                "<= 1",
                took <= 1.0,
            )
        )

    # --- 6. the peer: tmdbsimple, one request after another -------------------------

    def peer(self, cold: float, refresh_wall: float) -> None:
        try:
            import tmdbsimple  # noqa: F401
        except ImportError:
            print("peer: tmdbsimple is not installed (pip install -e '.[bench]'); skipped")
            return
        env = self.env("peer")
        times = [timed([sys.executable, "-c", PEER_LOOKUP, self.url], env) for _ in range(3)]
        peer_cold = statistics.median(times)
        self.report(
            Figure(
                "peer cold lookup (tmdbsimple) / ours",
                peer_cold / cold,
                "> 1 means ours is faster",
                None,
                f"({ms(peer_cold)} vs {ms(cold)})",
            )
        )
        ids = self.fake.generate(self.args.titles, first_id=8_000_000)
        started = time.perf_counter()
        run([sys.executable, "-c", PEER_REFRESH, self.url, json.dumps(ids)], env)
        peer_wall = time.perf_counter() - started
        self.report(
            Figure(
                f"peer refresh of {self.args.titles} titles (tmdbsimple) / ours",
                peer_wall / refresh_wall,
                "> 1 means ours is faster",
                None,
                f"({peer_wall:.1f} s vs {refresh_wall:.1f} s)",
            )
        )

    def write_results(self, path: Path) -> None:
        lines = [
            "# Benchmark results",
            "",
            f"Written by `python bench/run.py` on {datetime.date.today().isoformat()}: "
            f"Python {platform.python_version()}, {os.cpu_count()} cores, "
            f"fake TMDB with {self.args.latency * 1000:.0f} ms latency and a limit of "
            f"{self.args.rate:g} requests a second.",
            "",
            "| figure | value | target | met |",
            "| --- | --- | --- | --- |",
        ]
        for f in self.figures:
            met = "" if f.met is None else ("yes" if f.met else "**no**")
            lines.append(f"| {f.name} {f.detail} | {f.value:.3g} | {f.target} | {met} |")
        path.write_text("\n".join(lines) + "\n" + self.args.notes_text)

    def close(self) -> None:
        self.fake.stop()
        shutil.rmtree(self.work, ignore_errors=True)


PEER_LOOKUP = """
import sys
import tmdbsimple as tmdb
tmdb.API_KEY, tmdb.USE_BEARER_AUTH = "bench-token", True
tmdb.base.TMDB._get_complete_url = lambda self, path: f"{sys.argv[1]}/3/{path}"
found = tmdb.Search().movie(query="Drawing Closer")
movie = tmdb.Movies(found["results"][0]["id"])
movie.watch_providers()
movie.videos()
"""

PEER_REFRESH = """
import json, sys
import tmdbsimple as tmdb
tmdb.API_KEY, tmdb.USE_BEARER_AUTH = "bench-token", True
tmdb.base.TMDB._get_complete_url = lambda self, path: f"{sys.argv[1]}/3/{path}"
for tmdb_id in json.loads(sys.argv[2]):
    movie = tmdb.Movies(tmdb_id)
    movie.watch_providers()
    movie.videos()
"""


def install_wheel(work: Path) -> str:
    """Build the wheel from this checkout, install it in a fresh venv; the venv's python."""
    wheels, venv = work / "wheels", work / "venv"
    quiet = {"check": True, "stdout": subprocess.DEVNULL}
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)],
        **quiet,  # type: ignore[arg-type]
    )
    subprocess.run([sys.executable, "-m", "venv", str(venv)], **quiet)  # type: ignore[arg-type]
    python = str(venv / "bin" / "python")
    wheel = next(wheels.glob("wheretowatch-*.whl"))
    # pip compiles the bytecode as it installs, as it does for users.
    subprocess.run([python, "-m", "pip", "install", "-q", str(wheel)], **quiet)  # type: ignore[arg-type]
    return python


def add_big_title(fake: FakeTMDB) -> None:
    """A film the size of TMDB's biggest answers: providers in 100 regions, 20 videos."""
    providers = [catalogue.NETFLIX, catalogue.APPLE]
    offers = [catalogue.offer(p, i) for i, p in enumerate(providers)]
    fake.movies[BIG_ID] = catalogue.movie(
        BIG_ID,
        BIG_TITLE,
        BIG_TITLE,
        "en",
        "2021-06-01",
        50.0,
        _providers={
            code: {
                "link": catalogue.watch_link("movie", BIG_ID, "the-long-catalogue", code),
                "flatrate": offers,
                "rent": offers,
                "buy": offers,
            }
            for code in sorted(known_regions())[:100]
        },
        _videos=[
            catalogue.video(f"Trailer {n}", f"big{n}", "Trailer", "en", f"2021-0{1 + n % 9}-01")
            for n in range(20)
        ],
    )


def run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, timeout=3600, check=False)
    if result.returncode not in (0, 3):
        raise SystemExit(f"{command} failed ({result.returncode}): {result.stderr.decode()}")


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    run(command, env)
    return time.perf_counter() - started


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency", type=float, default=0.150, help="seconds a request")
    parser.add_argument("--rate", type=float, default=40, help="server requests a second")
    parser.add_argument("--runs", type=int, default=31, help="runs for each median")
    parser.add_argument("--titles", type=int, default=200, help="titles in the refresh")
    parser.add_argument("--scale", type=int, default=2000, help="titles in the scale run")
    parser.add_argument("--rows", type=int, default=2000, help="Letterboxd rows to import")
    parser.add_argument("--listed", type=int, default=5000, help="titles to list")
    parser.add_argument("--no-peer", action="store_true", help="skip the tmdbsimple peer")
    parser.add_argument("--smoke", action="store_true", help="tiny and quick: checks the bench")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument(
        "--python", help="an interpreter with wheretowatch installed (default: a fresh venv)"
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.latency, args.runs, args.titles, args.scale, args.no_peer = 0.0, 3, 5, 20, True
        args.rows, args.listed = 10, 20
        args.python = args.python or sys.executable
    notes = ROOT / "bench" / "NOTES.md"
    args.notes_text = "\n" + notes.read_text() if notes.is_file() and not args.smoke else ""
    bench = Bench(args)
    try:
        warm = bench.warm_lookups()
        cold = bench.cold_lookup(warm)
        refresh_wall = bench.refresh_figures()
        bench.scale_figures()
        bench.import_figures()
        bench.list_figures()
        if not args.no_peer:
            bench.peer(cold, refresh_wall)
        bench.write_results(args.results)
        print(f"written to {args.results}")
    finally:
        bench.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
