"""The collector waits while modules load, and sets them aside only in a process that
runs one command and no other thread (wheretowatch/collector.py)."""

from __future__ import annotations

import gc
import threading

import pytest

from tests.conftest import RunCli, run_warm
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
    warm, (started, ended, console_loaded, enabled) = run_warm(code)
    assert warm.returncode == 0
    assert started > 10_000  # start-up: Typer, Rich's tables, wheretowatch
    assert console_loaded
    assert ended > started  # Rich's console, loaded to print, joined them
    assert enabled
    assert "Netflix" in warm.stdout


def test_loading_while_another_thread_runs_sets_nothing_aside(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A batch's worker loads the HTTP stack, or its main thread Rich's console, while
    # lookups are under way: what they hold would stay for good (a refresh: +14 MB).
    monkeypatch.setattr(collector, "_one_command", True)
    frozen = gc.get_freeze_count()

    def load() -> None:
        with collector.loading():
            pass

    worker = threading.Thread(target=load)
    worker.start()
    worker.join()
    busy = threading.Event()
    other = threading.Thread(target=busy.wait)
    other.start()
    try:
        load()  # on the main thread, with another one running
    finally:
        busy.set()
        other.join()
    assert gc.get_freeze_count() == frozen
    assert gc.isenabled()


def test_loading_leaves_a_collector_turned_off_as_it_was() -> None:
    frozen = gc.get_freeze_count()
    gc.disable()
    try:
        with pytest.raises(ImportError), collector.loading(lasting=True):
            raise ImportError  # an import that fails: still no change
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(ImportError), collector.loading():
        raise ImportError
    assert gc.isenabled()  # back on, though the import failed
    assert gc.get_freeze_count() == frozen
