"""doctor's checks, each with its fix."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from wheretowatch.cli.views.document import SCHEMA_VERSION, JSONValue
from wheretowatch.cli.views.text import safe

if TYPE_CHECKING:
    from wheretowatch.doctor import Check


def doctor_table(checks: Sequence[Check]) -> Table:
    """One row per check: a tick, or a cross with the problem and what to do."""
    table = Table(show_header=False, box=None, padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    for check in checks:
        if check.skipped:
            mark = Text("skip", style="yellow")
        else:
            mark = Text("ok", style="green") if check.ok else Text("FAIL", style="bold red")
        said = safe(check.message)
        if check.hint:
            said.append("\n")
            said.append_text(safe(f"-> {check.hint}", "dim" if check.ok else ""))
        table.add_row(mark, safe(check.name), said)
    return table


def doctor_document(checks: Sequence[Check], status: int) -> dict[str, JSONValue]:
    return {
        "schema": SCHEMA_VERSION,
        "ok": status == 0,
        "exit_status": status,
        "checks": [
            {"name": c.name, "ok": c.ok, "skipped": c.skipped, "message": c.message, "hint": c.hint}
            for c in checks
        ],
    }
