"""The benchmark's smoke run, so the benchmark never rots. It checks that every figure is
measured and written, never the figures' values: timings stay out of the test suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIGURES = [
    "warm lookup (table) / import typer+rich",
    "warm lookup (table, TMDB-sized answer) / import typer+rich",
    "cold lookup by title: requests: 2",
    "cold lookup by --tmdb-id: requests: 1",
    "refresh of 5 titles / (requests / rate limit)",
    "refresh of 20 titles: peak memory (MB resident)",
    "cache on disk after 20 titles (MB)",
    "import of 10 Letterboxd rows / (requests / rate limit)",
    "watchlist list of 20 titles from a warm cache, table (s)",
    "watchlist list of 20 titles from a warm cache, --json (s)",
]


@pytest.mark.slow
def test_the_benchmark_runs(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--smoke", "--results", str(results)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    for figure in FIGURES:
        assert figure in run.stdout
    table = results.read_text()
    assert "Python 3." in table
    assert "cores" in table
    assert table.count("\n| ") >= len(FIGURES)
