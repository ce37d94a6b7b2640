"""Lint, format and type checks, so the one test command checks them too."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "."],
        ["ruff", "format", "--check", "."],
        ["mypy"],
    ],
    ids=["ruff-check", "ruff-format", "mypy-strict"],
)
def test_static_check(command: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_layout_only_the_cli_knows_typer() -> None:
    offenders = [
        path.name
        for path in (ROOT / "wheretowatch").glob("*.py")
        if "import typer" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
    assert all(
        "import typer" in p.read_text() for p in (ROOT / "wheretowatch/cli").glob("[!_]*.py")
    )


def test_no_module_outside_the_cli_imports_it() -> None:
    offenders = [
        path.name
        for path in (ROOT / "wheretowatch").glob("*.py")
        if path.name != "__main__.py" and "wheretowatch.cli" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
