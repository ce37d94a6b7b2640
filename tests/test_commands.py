"""The command registry: --help, `help` and completion list every command from it and
import none; each summary is the one its command's help starts with."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys

import pytest
import typer

from tests.conftest import RunCli
from wheretowatch.cli import app
from wheretowatch.cli.commands import COMMANDS

LISTING = [["--help"], ["help"], ["notasubcommand", "--help"]]


@pytest.mark.parametrize("args", LISTING[:2], ids=["--help", "help"])
def test_listing_the_commands_imports_no_command_module(args: list[str]) -> None:
    code = (
        "import json, sys\nPREFIX = 'wheretowatch.cli.commands.'\n"
        "from wheretowatch.cli import app\n"
        "try:\n"
        f"    app({args!r}, prog_name='wheretowatch')\n"
        "except SystemExit as exit:\n"
        "    loaded = sorted(m for m in sys.modules if m.startswith(PREFIX))\n"
        "    print(json.dumps([exit.code, loaded]), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    code_, loaded = json.loads(done.stderr.splitlines()[-1])
    assert code_ in (0, None)
    expected = ["wheretowatch.cli.commands.help"] if args == ["help"] else []
    assert loaded == expected
    for name in COMMANDS:
        assert f"\n  {name} " in done.stdout


def test_completing_a_command_name_imports_no_command_module() -> None:
    code = (
        "import json, os, sys\nPREFIX = 'wheretowatch.cli.commands.'\n"
        "os.environ.update(_WHERETOWATCH_COMPLETE='complete_zsh',"
        " _TYPER_COMPLETE_ARGS='wheretowatch co')\n"
        "from wheretowatch.cli import app\n"
        "try:\n"
        "    app([], prog_name='wheretowatch')\n"
        "except SystemExit:\n"
        "    loaded = sorted(m for m in sys.modules if m.startswith(PREFIX))\n"
        "    print(json.dumps(loaded), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert json.loads(done.stderr.splitlines()[-1]) == []
    assert '"config":"Show the settings and where each came..."' in done.stdout
    assert '"completion":' in done.stdout
    assert '"cache":' not in done.stdout


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_summary_is_the_first_paragraph_of_its_commands_help(name: str) -> None:
    root = typer.main.get_command(app)
    command = root.get_command(typer.Context(root), name)  # type: ignore[attr-defined]
    help_text = inspect.cleandoc(command.help or "")
    assert " ".join(help_text.split("\n\n")[0].split()) == COMMANDS[name].summary


@pytest.mark.parametrize(
    "command",
    [
        ["config", "set"],
        ["config", "unset"],
        ["watchlist", "import"],
        ["watchlist", "add"],
        ["search"],
        ["notify", "test"],
        ["completion"],
    ],
)
def test_help_writes_every_argument_name_one_way(run: RunCli, command: list[str]) -> None:
    usage = run(*command, "--help").stdout.splitlines()[0]
    arguments = usage.split("[OPTIONS]", 1)[1].split()
    assert arguments
    for argument in arguments:
        name = argument.strip("[].")
        assert name == name.upper(), usage
        assert "{" not in argument, usage
