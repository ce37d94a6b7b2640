"""The lookup service: the match rule, trailers, regions, and the request count."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import http_settings
from tests.fake_tmdb import FakeTMDB
from wheretowatch.errors import NotFoundError, UsageError
from wheretowatch.models import MediaType, RegionSelection, TitleMatch, Video
from wheretowatch.tmdb import TMDBClient
from wheretowatch.where.lookup import LookupRequest, lookup
from wheretowatch.where.ranking import needs_choice, normalize_title, rank_matches
from wheretowatch.where.trailers import select_trailers, video_languages

GB = RegionSelection(codes=("GB",), source="test")


def match(tmdb_id: int, title: str, year: int | None = None, original: str = "") -> TitleMatch:
    return TitleMatch(tmdb_id, MediaType.MOVIE, title, original or title, year, "en")


def video(kind: str, official: bool, language: str | None, published: str, key: str = "k") -> Video:
    return Video(f"{kind} {language}", key, "YouTube", kind, official, language, published)


def test_normalize_ignores_case_accents_punctuation_and_spacing() -> None:
    assert normalize_title("Amélie!") == normalize_title("amelie")
    assert normalize_title("Se7en: The Movie") == "se7enthemovie"
    assert normalize_title("余命一年の僕が、") == "余命一年の僕が"  # voicing marks stay


def test_exact_match_beats_popularity_order() -> None:
    ranked = rank_matches(
        [match(1, "Drawing Closer to Home"), match(2, "Drawing Closer")], "drawing closer"
    )
    assert [m.tmdb_id for m in ranked] == [2, 1]


def test_original_title_counts_as_exact() -> None:
    ranked = rank_matches(
        [match(1, "Other"), match(2, "Le Samouraï", original="Le Samourai")], "le samourai"
    )
    assert ranked[0].tmdb_id == 2


def test_year_picks_among_exact_matches_and_ties_keep_tmdb_order() -> None:
    titles = [match(1, "Dune", 2021), match(2, "Dune", 1984), match(3, "Dune: Part Two", 2024)]
    assert [m.tmdb_id for m in rank_matches(titles, "Dune")] == [1, 2, 3]
    assert [m.tmdb_id for m in rank_matches(titles, "Dune", 1984)] == [2, 1, 3]


def test_video_languages_fall_back_to_original_english_and_none() -> None:
    assert video_languages("en-US", "ja") == ("en", "ja", "null")
    assert video_languages("ja-JP", "ja") == ("ja", "en", "null")
    unknown = video_languages("fr", None)
    assert unknown[0] == "fr"
    assert "ja" in unknown
    assert unknown[-2:] == ("en", "null")


def test_trailers_official_first_then_teasers_then_preferred_language() -> None:
    videos = [
        video("Teaser", True, "en", "2024-01-01", "t1"),
        video("Trailer", False, "en", "2024-03-01", "t2"),
        video("Trailer", True, "ja", "2024-02-01", "t3"),
        video("Trailer", True, "en", "2023-01-01", "t4"),
        video("Trailer", True, "en", "2024-01-01", "t5"),
        video("Clip", True, "en", "2024-01-01", "t6"),
        Video("Vimeo one", "123", "Vimeo", "Trailer", False, None, None),
        Video("Elsewhere", "x", "Dailymotion", "Trailer", True, "en", None),
    ]
    keys = [v.key for v in select_trailers(videos, ("en", "ja", "null"))]
    assert keys == ["t5", "t4", "t3", "t2", "123", "t1"]


@pytest.fixture
def tmdb(fake: FakeTMDB) -> Iterator[TMDBClient]:
    with TMDBClient(http_settings(fake.url)) as client:
        yield client


def test_cold_lookup_by_title_makes_exactly_two_requests(fake: FakeTMDB, tmdb: TMDBClient) -> None:
    result = lookup(tmdb, LookupRequest("Drawing Closer", regions=GB))
    assert fake.paths() == ["/3/search/multi", "/3/movie/1291559"]
    assert result.title.title == "Drawing Closer"
    assert result.available


def test_lookup_by_tmdb_id_makes_one_request(fake: FakeTMDB, tmdb: TMDBClient) -> None:
    lookup(tmdb, LookupRequest(tmdb_id=1291559, regions=GB))
    assert fake.paths() == ["/3/movie/1291559"]


def test_japanese_film_gets_its_trailer_with_an_english_setting(tmdb: TMDBClient) -> None:
    result = lookup(tmdb, LookupRequest("Drawing Closer", regions=GB, language="en-US"))
    assert [t.type for t in result.trailers] == ["Trailer", "Teaser"]
    assert result.trailers[0].language == "ja"
    by_id = lookup(tmdb, LookupRequest(tmdb_id=1291559, regions=GB, language="en-US"))
    assert by_id.trailers == result.trailers


def test_type_narrows_the_search(fake: FakeTMDB, tmdb: TMDBClient) -> None:
    result = lookup(tmdb, LookupRequest("Breaking Bad", regions=GB, media_type=MediaType.TV))
    assert fake.paths() == ["/3/search/tv", "/3/tv/1396"]
    assert result.title.media_type is MediaType.TV


def test_japanese_title_query(tmdb: TMDBClient) -> None:
    query = "余命一年の僕が、余命半年の君と出会った話。"
    assert lookup(tmdb, LookupRequest(query, regions=GB)).title.tmdb_id == 1291559


def test_region_selection_keeps_asked_order_and_all_keeps_regions_with_offers(
    tmdb: TMDBClient,
) -> None:
    asked = RegionSelection(codes=("US", "AE", "NZ"), source="test")
    result = lookup(tmdb, LookupRequest("Fight Club", regions=asked))
    assert list(result.availability) == ["US", "AE", "NZ"]
    assert not result.availability["NZ"].available
    every = RegionSelection(codes=(), source="test", all_regions=True)
    assert list(lookup(tmdb, LookupRequest("Fight Club", regions=every)).availability) == [
        "AE",
        "GB",
        "US",
    ]


def test_nothing_found_is_not_found(tmdb: TMDBClient) -> None:
    with pytest.raises(NotFoundError):
        lookup(tmdb, LookupRequest("Nothing like it", regions=GB))
    with pytest.raises(NotFoundError):
        lookup(tmdb, LookupRequest(imdb_id="tt9999999", regions=GB))


@pytest.mark.parametrize(
    "request_",
    [
        LookupRequest("", regions=GB),
        LookupRequest("x" * 501, regions=GB),
        LookupRequest("bad\x1b[31m", regions=GB),
        LookupRequest(regions=GB),
        LookupRequest("x", tmdb_id=1, regions=GB),
        LookupRequest(tmdb_id=0, regions=GB),
        LookupRequest(imdb_id="0137523", regions=GB),
        LookupRequest("x", year=0, regions=GB),
    ],
)
def test_bad_requests_are_usage_errors_without_requests(
    fake: FakeTMDB, tmdb: TMDBClient, request_: LookupRequest
) -> None:
    with pytest.raises(UsageError):
        lookup(tmdb, request_)
    assert fake.requests == []


def test_a_pick_is_in_doubt_when_no_candidate_is_exact_or_the_year_does_not_decide() -> None:
    dunes = [match(438631, "Dune", 2021), match(841, "Dune", 1984)]
    assert needs_choice(dunes, "Dune", None)
    assert not needs_choice(dunes, "Dune", 1984)
    assert needs_choice(dunes, "Dune", 1999)  # the year matches neither
    assert not needs_choice(
        [match(1, "Drawing Closer"), match(2, "Closer")], "Drawing Closer", None
    )
    assert needs_choice([match(1, "Drawing Closer to Home")], "Drawing", None)
    assert not needs_choice([match(1, "Amélie", original="Le Fabuleux Destin")], "amelie", None)
