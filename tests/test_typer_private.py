"""Every private Typer name wheretowatch uses still exists where it is taken from: a
Typer release that moves one fails here, not in a user's command."""

from __future__ import annotations

import importlib

import pytest

from wheretowatch.cli import typer_private

# Module and name, as wheretowatch/cli/typer_private.py imports them.
PRIVATE = [
    ("typer._click.exceptions", "UsageError"),
    ("typer._click.shell_completion", "CompletionItem"),
    ("typer._click.shell_completion", "add_completion_class"),
    ("typer._click.utils", "make_default_short_help"),
    ("typer._completion_classes", "BashComplete"),
    ("typer._completion_shared", "get_completion_script"),
]


@pytest.mark.parametrize(("module", "name"), PRIVATE)
def test_each_private_name_is_where_it_is_taken_from(module: str, name: str) -> None:
    assert callable(getattr(importlib.import_module(module), name))


def test_no_other_module_of_wheretowatch_reaches_into_typer_privately() -> None:
    from pathlib import Path

    package = Path(typer_private.__file__).resolve().parent.parent
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if path.name != "typer_private.py" and "typer._" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_the_completion_script_is_typers() -> None:
    script = typer_private.completion_script(
        prog_name="wheretowatch", complete_var="_WHERETOWATCH_COMPLETE", shell="bash"
    )
    assert "_WHERETOWATCH_COMPLETE=complete_bash" in script
