"""The Python API: the same lookup as the command line, as typed values."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence

import pytest

import wheretowatch
from tests.fake_tmdb import FakeTMDB
from wheretowatch import LookupResult, lookup
from wheretowatch.errors import NotFoundError, UsageError
from wheretowatch.models import TitleMatch

pytestmark = pytest.mark.usefixtures("online")


def test_lookup_returns_the_typed_result_the_cli_renders(fake: FakeTMDB) -> None:
    result = lookup("Drawing Closer", region=["GB", "US"])
    assert isinstance(result, LookupResult)
    assert result.title.tmdb_id == 1291559
    assert list(result.availability) == ["GB", "US"]
    assert result.availability["GB"].flatrate[0].provider_name == "Netflix"
    assert result.available
    assert result.trailers[0].language == "ja"
    assert result.regions.source == "--region"
    assert fake.paths() == ["/3/search/multi", "/3/movie/1291559"]


def test_lookup_shares_the_cache_with_the_cli(fake: FakeTMDB) -> None:
    lookup("Drawing Closer", region="GB")
    fake.reset()
    again = lookup(tmdb_id=1396, media_type="tv", region="all")
    assert again.title.title == "Breaking Bad"
    fake.reset()
    assert lookup(tmdb_id=1396, media_type="tv", region="all").from_cache
    assert fake.requests == []
    assert not lookup(tmdb_id=1396, media_type="tv", region="all", cache=None).from_cache


def test_errors_are_wheretowatch_errors() -> None:
    with pytest.raises(NotFoundError):
        lookup("No Such Title Anywhere", region="GB")
    with pytest.raises(UsageError):
        lookup("Drawing Closer", region="XX")
    with pytest.raises(wheretowatch.WheretowatchError):
        lookup("", region="GB")


def test_the_api_imports_neither_typer_nor_rich() -> None:
    code = (
        "import sys, wheretowatch\n"
        "print([m for m in ('typer', 'rich', 'httpx') if m in sys.modules])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"


def test_settings_do_not_silently_override_a_region() -> None:
    from wheretowatch.settings.loading import load_settings

    settings = load_settings({"region": "US"}, os.environ)
    assert lookup("Search", settings=settings).availability.keys() == {"US"}
    with pytest.raises(TypeError, match="not both"):
        lookup("Search", region="GB", settings=settings)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Dune (1984)", 841),
        ("dune 1984", 841),
        ("tt0137523", 550),
        ("https://www.themoviedb.org/movie/550-fight-club", 550),
        ("Blade Runner 2049", 335984),
    ],
)
def test_lookup_takes_a_title_as_people_type_it(title: str, expected: int) -> None:
    assert lookup(title, region="GB").title.tmdb_id == expected


def test_lookup_says_whether_the_pick_is_exact_and_may_be_given_a_chooser() -> None:
    assert lookup("Drawing Closer", region="GB").exact
    guess = lookup("drawing", region="GB")
    assert not guess.exact
    assert guess.title.tmdb_id == 990001  # TMDB's most popular candidate
    offered: list[list[int]] = []

    def choose(matches: Sequence[TitleMatch]) -> TitleMatch:
        offered.append([m.tmdb_id for m in matches])
        return matches[1]

    chosen = lookup("drawing", region="GB", choose=choose)
    assert offered == [[990001, 1291559]]
    assert chosen.title.tmdb_id == 1291559
    assert chosen.exact  # the user said so
    assert lookup("Drawing Closer", region="GB", choose=choose).title.tmdb_id == 1291559
    assert len(offered) == 1  # no doubt, no question
