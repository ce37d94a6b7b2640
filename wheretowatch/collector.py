"""The garbage collector, paused while modules load.

Loading modules creates tens of thousands of objects (modules, classes, Typer's and Rich's
tables) that all live until exit: the collector would walk them about fifty times for
nothing, a fifth of a cached lookup. So it waits while they load, then sets what exists
aside for good (gc.freeze), and runs as usual for the work itself.

Importing `wheretowatch.cli` sets aside everything that exists then, the importer's own
objects included: it is made for the console script, not for embedding. Modules loaded
later, on first use (Rich's console, the batch, the HTTP stack, the cache's writer), load
the same way, but are set aside only in a process that runs one command and exits, and
only while no other thread runs: a process that embeds wheretowatch or runs many commands
(the tests), or a batch whose workers hold lookups under way, would have those set aside
for good too (a 2,000-title refresh peaked 14 MB higher).
"""

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_one_command = False


def mark_one_command() -> None:
    """This process runs one command and exits (the console script says so)."""
    global _one_command
    _one_command = True


@contextmanager
def loading(*, lasting: bool = False) -> Iterator[None]:
    """The collector paused while modules load; with `lasting` (or, see above, in a
    process that runs one command), what exists afterwards is set aside for good."""
    if not gc.isenabled():  # already paused (nested), or turned off by the embedding code
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if lasting or (_one_command and threading.active_count() == 1):
            # Before the collector wakes: else its first pass walks all of it at once.
            gc.freeze()
        gc.enable()
