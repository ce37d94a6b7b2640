"""Setup's service picker: the region's most common services first, all of them on `?`,
services of the same name told apart (cli/picker.py); driven on a pseudo-terminal too."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from rich.console import Console

from tests.conftest import TOKEN
from tests.terminal import Terminal
from tests.test_setup import CREDENTIAL_PROMPT, config_path, terminal  # noqa: F401
from wheretowatch.cli import picker
from wheretowatch.models import Provider


def providers(count: int) -> list[Provider]:
    return [Provider(n, f"Service {n}", n) for n in range(1, count + 1)]


def shown(columns: Console | object, width: int = 80) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(columns)
    return console.file.getvalue()  # type: ignore[attr-defined,no-any-return]


def test_the_shortlist_is_the_first_twenty_in_tmdbs_order_and_says_how_to_see_all() -> None:
    listed = providers(25)
    short = shown(picker.numbered(listed))
    assert "20. Service 20" in short
    assert "Service 21" not in short
    assert picker.more(listed) == "; ? lists all 25"
    everything = shown(picker.numbered(listed, everything=True))
    assert "25. Service 25" in everything


def test_a_short_list_needs_no_question_mark() -> None:
    assert picker.more(providers(13)) == ""


def test_services_of_the_same_name_are_told_apart_by_their_ids() -> None:
    listed = [
        Provider(9, "Amazon Prime Video", 1),
        Provider(119, "Amazon Prime Video", 2),
        Provider(8, "Netflix", 3),
    ]
    assert picker.labels(listed) == [
        "Amazon Prime Video (id 9)",
        "Amazon Prime Video (id 119)",
        "Netflix",
    ]


def test_a_number_past_the_shortlist_picks_from_the_whole_list() -> None:
    listed = providers(25)
    assert picker.split_picks("23, netflix", listed) == (["Service 23"], ["netflix"])
    assert picker.split_picks("26", listed) == (None, ["26"])


def test_the_columns_fit_a_narrow_terminal() -> None:
    text = shown(picker.numbered(providers(25)), width=60)
    assert all(len(line) <= 60 for line in text.splitlines())


def test_setup_lists_every_service_on_a_question_mark(
    terminal: Callable[..., Terminal],  # noqa: F811
    config_path: Path,  # noqa: F811
) -> None:
    term = terminal("setup")
    term.expect(CREDENTIAL_PROMPT)
    term.send(TOKEN)
    term.expect("Region [GB]: ")
    term.send("gb")
    term.expect("Your services [Enter for none]: ")
    before = len(term.seen)
    term.send("?")
    term.expect("Your services [Enter for none]: ", after=before)
    assert "Paramount Plus Apple TV Channel" in term.seen[before:]  # the list again, whole
    term.send("1")
    term.expect("Write it? [Y/n]")
    term.send("")
    assert term.wait() == 0
    assert "Netflix" in config_path.read_text()
