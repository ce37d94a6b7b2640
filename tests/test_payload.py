"""Parsing TMDB JSON: tolerant of missing and odd fields, never crashing on any input."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import fake_catalogue as catalogue
from wheretowatch.errors import UpstreamError
from wheretowatch.models import MediaType
from wheretowatch.tmdb.payload import (
    decode_json,
    parse_details,
    parse_error,
    parse_find,
    parse_offers,
    parse_provider_list,
    parse_providers,
    parse_regions,
    parse_search,
    parse_season,
)


def test_multi_search_keeps_films_and_series_and_drops_people() -> None:
    data = {
        "results": [
            {"id": 1, "media_type": "movie", "title": "A", "release_date": "2001-02-03"},
            {"id": 2, "media_type": "person", "name": "Somebody"},
            {"id": 3, "media_type": "tv", "name": "B", "first_air_date": ""},
            {"id": 4, "media_type": "collection"},
        ]
    }
    matches = parse_search(data)
    assert [(m.tmdb_id, m.media_type, m.year) for m in matches] == [
        (1, MediaType.MOVIE, 2001),
        (3, MediaType.TV, None),
    ]


def test_missing_and_null_fields_get_safe_defaults() -> None:
    (match,) = parse_search(
        {"results": [{"id": 5, "title": None, "original_title": "Orig", "popularity": "x"}]},
        MediaType.MOVIE,
    )
    assert match.title == "Orig"
    assert match.original_title == "Orig"
    assert match.year is None
    assert match.popularity == 0.0


def test_rows_without_an_integer_id_are_skipped() -> None:
    rows = [{"id": "7", "title": "x"}, {"id": True, "title": "y"}, {"title": "z"}, "junk"]
    assert parse_search({"results": rows}, MediaType.MOVIE) == []


def test_offers_are_sorted_by_display_priority_and_deduplicated() -> None:
    offers = parse_offers(
        {
            "GB": {
                "link": "https://www.themoviedb.org/movie/1/watch?locale=GB",
                "rent": [
                    {"provider_id": 3, "provider_name": "C", "display_priority": 9},
                    {"provider_id": 1, "provider_name": "A", "display_priority": 1},
                    {"provider_id": 3, "provider_name": "C again", "display_priority": 0},
                    {"provider_id": 2, "provider_name": "B"},
                ],
                "flatrate_and_buy": [{"provider_id": 9, "provider_name": "Unknown category"}],
            },
            "not a region": {"flatrate": []},
            "US": "junk",
        }
    )
    assert list(offers) == ["GB"]
    assert [p.provider_name for p in offers["GB"].rent] == ["A", "C", "B"]
    assert offers["GB"].flatrate == ()


def test_only_web_links_are_kept() -> None:
    offers = parse_offers({"GB": {"link": "javascript:alert(1)", "buy": []}})
    assert offers["GB"].link is None


def test_details_of_a_series_use_series_field_names() -> None:
    data = dict(catalogue.TV[1396])
    data["watch/providers"] = {"results": data.pop("_providers")}
    data["videos"] = {"results": data.pop("_videos")}
    details = parse_details(data, MediaType.TV)
    assert (details.title, details.year) == ("Breaking Bad", 2008)
    assert details.offers["US"].buy[0].provider_name == "Apple TV"
    assert details.videos[0].url == "https://www.youtube.com/watch?v=HhesaQXLuRY"


def test_details_without_an_id_are_rejected() -> None:
    with pytest.raises(UpstreamError):
        parse_details({"title": "No id"}, MediaType.MOVIE)


def test_find_returns_films_then_series() -> None:
    data = {"movie_results": [{"id": 1, "title": "F"}], "tv_results": [{"id": 2, "name": "S"}]}
    assert [m.media_type for m in parse_find(data)] == [MediaType.MOVIE, MediaType.TV]


def test_region_and_provider_lists() -> None:
    regions = parse_regions({"results": [*catalogue.REGIONS, {"iso_3166_1": "bad"}]})
    assert [r.code for r in regions][:2] == ["AE", "BR"]
    providers = parse_provider_list({"results": catalogue.PROVIDERS}, "GB")
    assert [p.provider_name for p in providers][:2] == ["Netflix", "Amazon Prime Video"]
    assert parse_provider_list({"results": catalogue.PROVIDERS})[0].provider_name == "Apple TV"


def test_both_error_shapes() -> None:
    assert parse_error({"status_code": 34, "status_message": "Not found."}) == (34, "Not found.")
    assert parse_error({"errors": ["query must be provided"]}) == (None, "query must be provided")
    assert parse_error(["nonsense"]) == (None, None)


def test_decode_json_rejects_non_json() -> None:
    with pytest.raises(UpstreamError):
        decode_json(b"<html>")
    with pytest.raises(UpstreamError):
        decode_json(b"[" * 100_000)  # nesting deep enough to exhaust the recursion limit


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "title",
                    "name",
                    "results",
                    "GB",
                    "flatrate",
                    "provider_id",
                    "videos",
                    "watch/providers",
                    "key",
                    "link",
                    "release_date",
                    "media_type",
                    "iso_3166_1",
                    "status_code",
                    "errors",
                    "display_priorities",
                    "movie_results",
                    "season_number",
                    "episode_number",
                    "seasons",
                    "episodes",
                    "next_episode_to_air",
                    "number_of_seasons",
                ]
            )
            | st.text(max_size=5),
            children,
            max_size=5,
        )
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_parsers_parse_or_reject_any_json(data: Any) -> None:
    parsers = [
        lambda d: parse_search(d),
        lambda d: parse_search(d, MediaType.TV),
        lambda d: parse_details(d, MediaType.MOVIE),
        lambda d: parse_details(d, MediaType.TV),
        parse_find,
        lambda d: parse_offers(d),
        parse_season,
        parse_providers,
        parse_regions,
        lambda d: parse_provider_list(d, "GB"),
        parse_error,
    ]
    for parse in parsers:
        with contextlib.suppress(UpstreamError):  # the one allowed failure
            parse(data)


@pytest.mark.parametrize("bad_id", [0, -1, -550, True, 1.5, "550"])
def test_ids_that_are_not_positive_whole_numbers_are_rejected(bad_id: object) -> None:
    row = {"id": bad_id, "media_type": "movie", "title": "Placeholder"}
    assert parse_search({"results": [row, {**row, "id": 7}]}) == parse_search(
        {"results": [{**row, "id": 7}]}
    )
    with pytest.raises(UpstreamError, match="without a valid id"):
        parse_details({"id": bad_id, "title": "Placeholder"}, MediaType.MOVIE)
    providers = {"results": [{"provider_id": bad_id, "provider_name": "Ghost"}]}
    assert parse_provider_list(providers) == []


def test_details_keep_the_id_asked_for() -> None:
    details = parse_details({"id": 551, "title": "Another"}, MediaType.MOVIE, 550)
    assert details.tmdb_id == 550
