"""The documentation: README.md stays short and its links resolve; docs/ is a MkDocs site
that builds with --strict; docs/reference/cli.md is exactly what docs/gen_cli.py renders.

After changing a command's help, regenerate the reference with:

    python docs/gen_cli.py
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
CLI_REFERENCE = DOCS / "reference" / "cli.md"
MAX_README_LINES = 250

# [text](target) and ![alt](target): the target is <in angle brackets>, or runs up to a
# space (before a "title") or the closing parenthesis.
LINK = re.compile(r"!?\[[^\]]*\]\(\s*(?:<(?P<angled>[^>]*)>|(?P<bare>[^)\s]+))")
FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.S | re.M)
CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)


def load_gen_cli() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_gen_cli", DOCS / "gen_cli.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_cli_reference_is_generated_from_the_app() -> None:
    render: Callable[[], str] = load_gen_cli().render_cli_reference
    assert CLI_REFERENCE.read_text(encoding="utf-8") == render(), (
        "docs/reference/cli.md is out of date with the commands' --help: run python docs/gen_cli.py"
    )


def test_the_cli_reference_has_a_section_for_every_command() -> None:
    text = CLI_REFERENCE.read_text(encoding="utf-8")
    titles = re.findall(r"^## `(wheretowatch[^`]*)`$", text, re.M)
    assert titles[:3] == ["wheretowatch", "wheretowatch setup", "wheretowatch lookup"]
    for command in ("watchlist import", "config set", "cache clear", "notify test", "help"):
        assert f"wheretowatch {command}" in titles
    assert len(titles) == len(set(titles))


def test_the_site_builds_strictly(tmp_path: Path) -> None:
    if importlib.util.find_spec("mkdocs") is None:
        pytest.skip("mkdocs is not installed (it is in the test extra: pip install -e '.[test]')")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr}"
    assert (tmp_path / "index.html").is_file()
    assert (tmp_path / "reference" / "cli" / "index.html").is_file()


def test_the_readme_is_short() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MAX_README_LINES, (
        f"README.md has {len(lines)} lines, more than {MAX_README_LINES}: "
        "move the detail into docs/"
    )


def relative_links(markdown: str) -> list[str]:
    """The link targets in Markdown that are paths in the repository, without their
    #fragment; code blocks and code spans are not Markdown."""
    prose = CODE_SPAN.sub("", FENCE.sub("", markdown))
    targets = [match["angled"] or match["bare"] for match in LINK.finditer(prose)]
    paths = [t.split("#")[0] for t in targets if not re.match(r"^([a-z][a-z0-9+.-]*:|#)", t)]
    return [p for p in paths if p]


def test_relative_links_are_found_in_markdown() -> None:
    text = (
        "See [a](docs/a.md#x), [b](https://example.com), [c](#here), ![d](img.png), "
        '`[e](not/a/link.md)` and [f](<docs/b c.md> "title").\n```\n[g](no.md)\n```\n'
    )
    assert relative_links(text) == ["docs/a.md", "img.png", "docs/b c.md"]


def test_every_relative_link_in_the_readme_points_to_a_file() -> None:
    links = relative_links(README.read_text(encoding="utf-8"))
    assert links, "no relative link found in README.md: has the link syntax changed?"
    missing = [link for link in links if not (ROOT / link).is_file()]
    assert not missing, f"README.md links to files that do not exist: {missing}"


def test_architecture_names_every_module() -> None:
    """ARCHITECTURE.md draws the layout on one page: a new module must be named there."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    words = set(re.findall(r"[\w.]+", text))
    missing = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "wheretowatch").rglob("*.py"))
        if path.stem not in {"__init__", "__main__"}
        and path.stem not in words
        and f"{path.stem}.py" not in words
    ]
    assert missing == [], "name these modules in ARCHITECTURE.md"
