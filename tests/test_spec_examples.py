"""TMDB's own answers: the response examples of its OpenAPI spec, through the parsers.

The examples are copied into tests/data/tmdb-examples (by `extract.py` there), so these
tests need nothing outside the repository; when the spec itself is there (beside the
repository as shared/tmdb/openapi.json, or at $WHERETOWATCH_TMDB_SPEC), the copies are
checked against it. The fake's answers are checked to have the examples' shape too.
"""

from __future__ import annotations

import importlib.util
import json
import os
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.conftest import TOKEN
from tests.fake_tmdb import FakeTMDB
from wheretowatch.errors import UpstreamError
from wheretowatch.models import Category, MediaType
from wheretowatch.tmdb.payload import (
    parse_details,
    parse_find,
    parse_provider_list,
    parse_providers,
    parse_regions,
    parse_search,
    parse_season,
    parse_videos,
)

EXAMPLES = Path(__file__).parent / "data" / "tmdb-examples"
# Read at import: conftest clears every WHERETOWATCH_* variable before each test.
SPEC_FROM_ENV = os.environ.get("WHERETOWATCH_TMDB_SPEC")


@cache
def extractor() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tmdb_examples_extract", EXAMPLES / "extract.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def example(operation: str) -> Any:
    return json.loads((EXAMPLES / f"{operation}.json").read_text(encoding="utf-8"))


# --- the copies ------------------------------------------------------------------------


def test_every_endpoint_has_its_copy() -> None:
    operations: dict[str, str] = extractor().ENDPOINTS
    assert {p.stem for p in EXAMPLES.glob("*.json")} == set(operations)


def test_the_copies_match_the_spec() -> None:
    located: Path | None = extractor().spec_path(SPEC_FROM_ENV)
    if located is None:
        pytest.skip(
            "TMDB's OpenAPI spec is not here (../shared/tmdb/openapi.json beside the "
            "repository, or $WHERETOWATCH_TMDB_SPEC): the copies cannot be compared with it"
        )
    spec = json.loads(located.read_text(encoding="utf-8"))
    copies: dict[str, Any] = extractor().extract(spec)
    for name, data in copies.items():
        on_disk = (EXAMPLES / name).read_text(encoding="utf-8")
        assert on_disk == extractor().dump(data), (
            f"{name} differs from the spec: run tests/data/tmdb-examples/extract.py"
        )


# --- the parsers on TMDB's answers -----------------------------------------------------


def test_search_multi() -> None:
    data = example("search-multi")
    matches = parse_search(data)
    rows = [r for r in data["results"] if r["media_type"] in ("movie", "tv")]
    assert len(matches) == len(rows) > 0
    star_wars = matches[0]
    assert (star_wars.tmdb_id, star_wars.media_type, star_wars.title) == (
        11,
        MediaType.MOVIE,
        "Star Wars",
    )
    assert star_wars.year == 1977
    assert star_wars.popularity > 0
    series = [m for m in matches if m.media_type is MediaType.TV]
    assert series
    assert series[0].title == "Star Wars: Andor"
    assert series[0].year is not None


def test_search_movie() -> None:
    matches = parse_search(example("search-movie"), MediaType.MOVIE)
    fight_club = matches[0]
    assert fight_club.tmdb_id == 550
    assert fight_club.title == fight_club.original_title == "Fight Club"
    assert fight_club.year == 1999
    assert fight_club.original_language == "en"
    # A row whose release_date is "" has no year, and is kept.
    assert any(m.year is None for m in matches)


def test_search_tv() -> None:
    [breaking_bad] = parse_search(example("search-tv"), MediaType.TV)
    assert breaking_bad.tmdb_id == 1396
    assert breaking_bad.title == "Breaking Bad"
    assert breaking_bad.year == 2008
    assert breaking_bad.popularity == pytest.approx(298.884)


def test_find() -> None:
    [scream] = parse_find(example("find-by-id"))
    assert (scream.tmdb_id, scream.title, scream.year) == (934433, "Scream VI", 2023)
    assert scream.media_type is MediaType.MOVIE


def test_movie_details() -> None:
    details = parse_details(example("movie-details"), MediaType.MOVIE)
    assert details.tmdb_id == 11
    assert details.title == "Star Wars"
    assert details.year == 1977
    assert details.imdb_id == "tt0076759"
    assert details.original_language == "en"
    assert details.series is None
    assert details.offers == {}
    assert details.videos == ()


def test_tv_details() -> None:
    details = parse_details(example("tv-series-details"), MediaType.TV)
    assert details.tmdb_id == 1399
    assert details.title == "Game of Thrones"
    assert details.year == 2011
    series = details.series
    assert series is not None
    assert series.number_of_seasons == 8
    assert series.status == "Ended"
    assert series.next_episode is None
    assert series.last_episode is not None
    assert series.last_episode == (8, 6, "2019-05-19")
    assert series.seasons[0].season_number == 0
    assert series.seasons[0].name == "Specials"
    assert series.seasons[1].episode_count == 10


def test_season_details() -> None:
    season = parse_season(example("tv-season-details"))
    assert season.season_number == 1
    assert season.name == "Season 1"
    assert season.air_date == "2011-04-17"
    assert season.episode_count == 10


def test_movie_watch_providers() -> None:
    offers = parse_providers(example("movie-watch-providers"))
    assert set(offers) == {"DE", "GB", "JP", "US"}
    gb = offers["GB"]
    assert gb.link == "https://www.themoviedb.org/movie/550-fight-club/watch?locale=GB"
    assert [p.provider_name for p in gb.flatrate] == ["Disney Plus", "Amazon Prime Video"]
    assert gb.flatrate[1].provider_id == 9
    assert gb.flatrate[1].logo_path == "/emthp39XA2YScoYL1p0sdbAH2WA.jpg"
    assert [p.provider_id for p in gb.rent][:2] == [10, 2]
    assert offers["US"].flatrate[0].provider_name == "fuboTV"
    priorities = [p.display_priority for p in offers["US"].buy]
    assert priorities == sorted(priorities)


def test_tv_watch_providers() -> None:
    offers = parse_providers(example("tv-series-watch-providers"))
    gb = offers["GB"]
    assert [p.provider_name for p in gb.flatrate] == ["Sky Go", "Now TV"]
    assert gb.providers(Category.BUY)[0].provider_name == "Amazon Video"
    assert gb.link is not None
    assert "1399-game-of-thrones" in gb.link


def test_season_watch_providers() -> None:
    offers = parse_providers(example("tv-season-watch-providers"))
    gb = offers["GB"]
    assert [p.provider_name for p in gb.buy] == ["Apple TV", "Amazon Video", "Sky Store"]
    assert [p.provider_name for p in gb.flatrate] == ["Now TV"]


def test_videos() -> None:
    videos = parse_videos(example("movie-videos"))
    assert [v.key for v in videos] == ["O-b2VfmmbyA", "BdJKm16Co6M"]
    assert [v.official for v in videos] == [False, True]
    assert {v.type for v in videos} == {"Trailer"}
    assert videos[1].language == "en"
    assert videos[1].published_at == "2014-10-02T19:20:22.000Z"
    assert videos[1].url == "https://www.youtube.com/watch?v=BdJKm16Co6M"
    series = parse_videos(example("tv-series-videos"))
    assert "Opening Credits" in {v.type for v in series}
    assert len(series) == 5


def test_provider_regions() -> None:
    regions = parse_regions(example("watch-providers-available-regions"))
    codes = [r.code for r in regions]
    assert codes == sorted(codes)
    assert {"GB", "US", "AD"} <= set(codes)
    gb = next(r for r in regions if r.code == "GB")
    assert gb.english_name == "United Kingdom"


def test_configuration_countries_is_a_bare_list() -> None:
    """`/3/configuration/countries` answers a JSON array, not `{"results": [...]}` as
    `/3/watch/providers/regions` does: `parse_regions` reads it only once wrapped."""
    data = example("configuration-countries")
    assert isinstance(data, list)
    with pytest.raises(UpstreamError):
        parse_regions(data)
    regions = parse_regions({"results": data})
    assert {"AD", "GB", "JP", "US"} <= {r.code for r in regions}
    assert next(r for r in regions if r.code == "JP").english_name == "Japan"


@pytest.mark.parametrize("operation", ["watch-providers-movie-list", "watch-provider-tv-list"])
def test_provider_lists(operation: str) -> None:
    data = example(operation)
    providers = parse_provider_list(data, "GB")
    by_id = {p.provider_id: p for p in providers}
    assert providers[0].provider_name == "Netflix"
    assert by_id[2].display_priority == 5  # Apple TV's GB priority, not its global 2
    assert parse_provider_list(data)[0].provider_name == "Netflix"  # global priority 0


@pytest.mark.parametrize(
    ("operation", "kind"), [("discover-movie", MediaType.MOVIE), ("discover-tv", MediaType.TV)]
)
def test_discover_rows_parse_as_search_rows(operation: str, kind: MediaType) -> None:
    data = example(operation)
    matches = parse_search(data, kind)
    assert [m.tmdb_id for m in matches] == [row["id"] for row in data["results"]]
    assert all(m.title and m.year for m in matches)
    assert data["page"] == 1
    assert data["total_pages"] > 500  # TMDB reports more pages than it serves


def test_release_dates_example_shape() -> None:
    """No parser reads release dates yet; the example pins what the coming one will."""
    data = example("movie-release-dates")
    assert data["id"] == 550
    us = next(c for c in data["results"] if c["iso_3166_1"] == "US")
    types = {d["type"] for d in us["release_dates"]}
    assert types <= {1, 2, 3, 4, 5, 6}
    assert 1 in types
    assert any(d["note"] for d in us["release_dates"])


# --- the fake's answers have the examples' shape ---------------------------------------


def fake_get(fake: FakeTMDB, path: str, **params: str) -> Any:
    response = httpx.get(
        f"{fake.url}{path}", params=params, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert response.status_code == 200, response.text
    return response.json()


ROW_LISTS = {"results", "genres", "seasons", "episodes", "movie_results"}


def keys(row: Any) -> set[str]:
    assert isinstance(row, dict)
    return set(row)


@pytest.mark.parametrize(
    ("path", "params", "operation"),
    [
        ("/3/movie/550", {}, "movie-details"),
        ("/3/tv/1396", {}, "tv-series-details"),
        ("/3/tv/1396/season/1", {}, "tv-season-details"),
        ("/3/movie/550/videos", {}, "movie-videos"),
        ("/3/movie/550/watch/providers", {}, "movie-watch-providers"),
        ("/3/movie/550/release_dates", {}, "movie-release-dates"),
        ("/3/find/tt0137523", {"external_source": "imdb_id"}, "find-by-id"),
        ("/3/search/movie", {"query": "Fight Club"}, "search-movie"),
        ("/3/search/tv", {"query": "Breaking Bad"}, "search-tv"),
        ("/3/search/person", {"query": "Brad Pitt"}, "search-person"),
        ("/3/discover/movie", {}, "discover-movie"),
        ("/3/discover/tv", {}, "discover-tv"),
        ("/3/genre/movie/list", {}, "genre-movie-list"),
        ("/3/genre/tv/list", {}, "genre-tv-list"),
        ("/3/watch/providers/regions", {}, "watch-providers-available-regions"),
        ("/3/watch/providers/movie", {"watch_region": "GB"}, "watch-providers-movie-list"),
    ],
)
def test_the_fake_answers_in_the_examples_shape(
    fake: FakeTMDB, path: str, params: dict[str, str], operation: str
) -> None:
    got, want = fake_get(fake, path, **params), example(operation)
    assert keys(got) == keys(want)
    for key, value in want.items():
        # Lists of rows the fake fills (not, say, production_companies, left empty).
        if key in ROW_LISTS and isinstance(value, list) and value:
            assert got[key], f"{operation}: the fake's {key} is empty"
            assert keys(got[key][0]) == keys(value[0]), f"{operation}: a row of {key}"
    if operation == "search-person":
        assert keys(got["results"][0]["known_for"][0]) == keys(want["results"][0]["known_for"][0])
    if operation in ("movie-release-dates", "tv-season-details"):
        nested = "release_dates" if operation == "movie-release-dates" else "episodes"
        row = "results" if operation == "movie-release-dates" else None
        got_rows = got[row][0][nested] if row else got[nested]
        want_rows = want[row][0][nested] if row else want[nested]
        assert keys(got_rows[0]) == keys(want_rows[0])
    if operation == "movie-watch-providers":
        assert keys(got["results"]["GB"]["rent"][0]) == keys(want["results"]["GB"]["rent"][0])
