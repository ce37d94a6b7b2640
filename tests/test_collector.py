"""The collector waits while modules load, and sets them aside only in a process that
runs one command (wheretowatch/collector.py): never the garbage of a process that embeds the CLI."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import threading

import pytest

from tests.conftest import RunCli
from wheretowatch import collector

pytestmark = pytest.mark.usefixtures("online")
LOOKUP = ("Drawing Closer", "--region", "GB")


def test_commands_run_in_process_set_none_of_the_callers_objects_aside(run: RunCli) -> None:
    assert run(*LOOKUP).exit_code == 0  # every module a table needs is loaded by now
    frozen = gc.get_freeze_count()
    for command in (LOOKUP, (*LOOKUP, "--json"), ("--from", "-", "--region", "GB")):
        result = run(*command, input="Drawing Closer\n")
        assert result.exit_code == 0, result.stderr
    assert gc.get_freeze_count() == frozen
    assert gc.isenabled()


def test_the_console_script_sets_what_it_loads_on_first_use_aside() -> None:
    code = (
        "import atexit, gc, json, sys\n"
        "sys.argv = ['wheretowatch', 'Drawing Closer', '--region', 'GB']\n"
        "from wheretowatch.cli import main\n"
        "started = gc.get_freeze_count()\n"
        "atexit.register(lambda: print(json.dumps([started, gc.get_freeze_count(),\n"
        "    'rich.console' in sys.modules, gc.isenabled()]), file=sys.stderr))\n"
        "main()\n"
    )
    command = [sys.executable, "-c", code]
    subprocess.run(command, capture_output=True, timeout=60, check=True)  # fills the cache
    warm = subprocess.run(command, capture_output=True, text=True, timeout=60, check=True)
    started, ended, console_loaded, enabled = json.loads(warm.stderr.splitlines()[-1])
    assert started > 10_000  # start-up: Typer, Rich's tables, wheretowatch
    assert console_loaded
    assert ended > started  # Rich's console, loaded to print, joined them
    assert enabled
    assert "Netflix" in warm.stdout


def test_a_worker_thread_loading_sets_nothing_aside(monkeypatch: pytest.MonkeyPatch) -> None:
    # A batch's worker loads the HTTP stack while other lookups are under way: what they
    # hold then would stay for good (a 2,000-title refresh peaked 14 MB higher).
    monkeypatch.setattr(collector, "_one_command", True)
    frozen = gc.get_freeze_count()

    def load() -> None:
        with collector.loading():
            pass

    worker = threading.Thread(target=load)
    worker.start()
    worker.join()
    assert gc.get_freeze_count() == frozen
    assert gc.isenabled()
    try:
        with collector.loading():  # the main thread of a one-command process does
            garbage = [[] for _ in range(100)]
        assert gc.get_freeze_count() >= frozen + len(garbage)
    finally:
        gc.unfreeze()  # give the test process its objects back
