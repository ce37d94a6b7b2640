"""The usage the README and docs/ show is the real --help output, so they cannot drift apart.

After changing a command's help, refresh the blocks marked <!-- help: ARGS --> in README.md
and docs/ with the first command, and the generated command reference with the second:

    python -m tests.test_readme
    python docs/gen_cli.py
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wheretowatch.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
# <!-- help: ARGS --> followed by a ```text block holding `wheretowatch ARGS` output.
BLOCK = re.compile(r"(<!-- help: (?P<args>[^>]*?) -->\n```text\n)(?P<body>.*?)(```)", re.S)
WIDTH = "80"


def help_output(args: str) -> str:
    result = CliRunner().invoke(app, args.split(), env={"COLUMNS": WIDTH, "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return result.stdout


def pages() -> list[Path]:
    """The Markdown that may show help blocks: the README and the documentation site
    (docs/reference/cli.md is generated whole by docs/gen_cli.py; see test_docs.py)."""
    return [README, *sorted((ROOT / "docs").rglob("*.md"))]


def test_every_help_block_in_the_readme_and_docs_is_the_real_help(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", WIDTH)
    checked = 0
    for page in pages():
        for block in BLOCK.finditer(page.read_text(encoding="utf-8")):
            checked += 1
            assert block["body"] == help_output(block["args"]), (
                f"{page.relative_to(ROOT)}'s `wheretowatch {block['args']}` block is out of "
                "date: run python -m tests.test_readme"
            )
    # The docs' front page shows the root --help (its list of commands); a marker that no
    # longer matches BLOCK would otherwise pass unchecked.
    assert "<!-- help: --help -->" in (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    assert checked >= 1


def rewrite() -> None:
    os.environ["COLUMNS"] = WIDTH
    for page in pages():
        text = page.read_text(encoding="utf-8")
        new = BLOCK.sub(lambda m: m[1] + help_output(m["args"]) + m[4], text)
        if new != text:
            page.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    rewrite()


@pytest.mark.parametrize(
    "command",
    [
        "lookup",
        "search",
        "browse",
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
