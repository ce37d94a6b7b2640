"""The usage the README shows is the real --help output, so the two cannot drift apart.

After changing a command's help, refresh the README's blocks with:

    python -m tests.test_readme
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wheretowatch.cli import app

README = Path(__file__).resolve().parent.parent / "README.md"
# <!-- help: ARGS --> followed by a ```text block holding `wheretowatch ARGS` output.
BLOCK = re.compile(r"(<!-- help: (?P<args>[^>]*?) -->\n```text\n)(?P<body>.*?)(```)", re.S)
WIDTH = "80"


def help_output(args: str) -> str:
    result = CliRunner().invoke(app, args.split(), env={"COLUMNS": WIDTH, "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_every_help_block_in_the_readme_is_the_real_help(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", WIDTH)
    blocks = list(BLOCK.finditer(README.read_text(encoding="utf-8")))
    assert len(blocks) >= 2
    for block in blocks:
        assert block["body"] == help_output(block["args"]), (
            f"README's `wheretowatch {block['args']}` block is out of date: "
            "run python -m tests.test_readme"
        )


def rewrite() -> None:
    os.environ["COLUMNS"] = WIDTH
    text = README.read_text(encoding="utf-8")
    text = BLOCK.sub(lambda m: m[1] + help_output(m["args"]) + m[4], text)
    README.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    rewrite()


@pytest.mark.parametrize(
    "command",
    [
        "lookup",
        "search",
        "regions",
        "providers",
        "setup",
        "config",
        "config set",
        "config unset",
        "config path",
        "config edit",
        "doctor",
        "refresh",
        "notify",
        "notify test",
        "watchlist",
        "watchlist add",
        "watchlist remove",
        "watchlist list",
        "cache",
        "cache info",
        "cache clear",
        "cache path",
    ],
)
def test_every_command_help_teaches_with_examples(command: str) -> None:
    text = help_output(f"{command} --help")
    summary = text.split("\n\n")[1].strip()
    assert summary
    assert "Examples:" in text
    examples = text.split("Examples:")[1].split("\n\n")[0]
    assert examples.count("wheretowatch") >= 2
