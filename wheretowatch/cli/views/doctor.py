"""doctor's checks, each with its fix."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text

from wheretowatch.cli.views.document import SCHEMA_VERSION, JSONValue
from wheretowatch.cli.views.layout import Flow, Flows, prose
from wheretowatch.cli.views.text import safe

if TYPE_CHECKING:
    from wheretowatch.doctor import Check


def doctor_view(checks: Sequence[Check]) -> Flows:
    """A line per check: its mark, its name, and what was found, wrapped under itself;
    then what to do, each command on a line of its own to copy whole."""
    named = max((len(check.name) for check in checks), default=0)
    indent = 6 + named + 2
    lines: list[Flow | Text] = []
    for check in checks:
        if check.skipped:
            mark = Text("skip", style="yellow")
        else:
            mark = Text("  ok", style="green") if check.ok else Text("FAIL", style="bold red")
        head = [Text(" ") + mark + " ", safe(f"{check.name:<{named}}  ")]
        lines.append(Flow([*head, *prose(check.message)], indent))
        if check.hint:
            lines.append(
                Flow(
                    [Text(" " * indent), *prose(f"-> {check.hint}", _hint_style(check))], indent + 3
                )
            )
    return Flows(lines)


def _hint_style(check: Check) -> str:
    return "dim" if check.ok else ""


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
