"""The collector's policy is the console script's alone (wheretowatch/cli/__init__.py):
start-up set aside, the young generation collected less often. Nothing else touches it."""

from __future__ import annotations

import gc

import pytest

from tests.conftest import RunCli, run_warm

pytestmark = pytest.mark.usefixtures("online")
LOOKUP = ("Drawing Closer", "--region", "GB")


def test_commands_run_in_process_leave_the_callers_collector_as_it_was(run: RunCli) -> None:
    frozen, thresholds = gc.get_freeze_count(), gc.get_threshold()
    for command in (LOOKUP, (*LOOKUP, "--json"), ("--from", "-", "--region", "GB")):
        result = run(*command, input="Drawing Closer\n")
        assert result.exit_code == 0, result.stderr
    assert gc.get_freeze_count() == frozen
    assert gc.get_threshold() == thresholds
    assert gc.isenabled()


def test_the_console_script_sets_its_start_up_aside_and_collects_less_often() -> None:
    code = (
        "import atexit, gc, json, sys\n"
        "sys.argv = ['wheretowatch', 'Drawing Closer', '--region', 'GB']\n"
        "from wheretowatch.cli import main\n"
        "before = gc.get_freeze_count()\n"
        "atexit.register(lambda: print(json.dumps([before, gc.get_freeze_count(),\n"
        "    gc.get_threshold()[0], gc.isenabled()]), file=sys.stderr))\n"
        "main()\n"
    )
    warm, (before, frozen, young, enabled) = run_warm(code)
    assert warm.returncode == 0
    # Start-up (Typer, Rich's tables, wheretowatch) is set aside by main(), not by
    # importing the package (Python 3.12 sets a few hundred objects aside of its own).
    assert frozen - before > 10_000
    assert young > 700  # CPython's default
    assert enabled
    assert "Netflix" in warm.stdout
