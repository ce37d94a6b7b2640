"""The garbage collector, paused while modules load.

Loading modules creates tens of thousands of objects (modules, classes, Typer's and Rich's
tables) that all live until exit: the collector would walk them about fifty times for
nothing, a fifth of a cached lookup. So it waits while they load, then sets what exists
aside for good (gc.freeze), and runs as usual for the work itself. Modules loaded later,
on first use (Rich's console, the batch, the HTTP stack, the cache's writer), load the
same way, but are set aside only in a process that runs one command and exits: one that
embeds wheretowatch, or runs many commands as the tests do, would have its own garbage
set aside with them, for good.
"""

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_one_command = False


def one_command() -> None:
    """This process runs one command and exits (the console script says so)."""
    global _one_command
    _one_command = True


@contextmanager
def loading(*, lasting: bool = False) -> Iterator[None]:
    """The collector paused while modules load; with `lasting` (or in a process that runs
    one command), what exists afterwards is set aside for good."""
    if not gc.isenabled():  # already paused (nested), or turned off by the embedding code
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if lasting or (_one_command and threading.current_thread() is threading.main_thread()):
            # Before the collector wakes: else its first pass walks all of it at once. Not
            # from a batch's worker: other lookups are under way then, and what they hold
            # would stay for good (a 2,000-title refresh peaked 14 MB higher).
            gc.freeze()
        gc.enable()
