"""The fake TMDB itself, over real HTTP: it must answer as TMDB does (shared/tmdb/NOTES.md
and the OpenAPI spec), or the tests of the client prove nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests import fake_catalogue as catalogue
from tests.conftest import API_KEY, TOKEN
from tests.fake_tmdb import FakeTMDB

NETFLIX, APPLE, PRIME, PLUTO = 8, 2, 119, 300
NOT_FOUND = {
    "status_code": 34,
    "status_message": "The resource you requested could not be found.",
    "success": False,
}
INVALID_PAGE = {
    "status_code": 22,
    "status_message": "Invalid page: Pages start at 1 and max at 500.",
    "success": False,
}
INVALID_KEY = {
    "status_code": 7,
    "status_message": "Invalid API key: You must be granted a valid key.",
    "success": False,
}


def get(fake: FakeTMDB, path: str, token: str | None = TOKEN, **params: Any) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.get(f"{fake.url}{path}", params=params, headers=headers, timeout=10)


def ok(fake: FakeTMDB, path: str, **params: Any) -> Any:
    response = get(fake, path, **params)
    assert response.status_code == 200, response.text
    return response.json()


def ids(body: Any) -> list[int]:
    return [row["id"] for row in body["results"]]


def every_page(fake: FakeTMDB, path: str, **params: Any) -> list[dict[str, Any]]:
    first = ok(fake, path, **params)
    rows: list[dict[str, Any]] = list(first["results"])
    for page in range(2, first["total_pages"] + 1):
        rows += ok(fake, path, page=page, **params)["results"]
    assert len(rows) == first["total_results"]
    return rows


# --- provider lists --------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["movie", "tv"])
def test_provider_list_without_a_region_is_every_provider(fake: FakeTMDB, kind: str) -> None:
    body = ok(fake, f"/3/watch/providers/{kind}")
    assert len(body["results"]) == len(catalogue.PROVIDERS)
    assert {p["provider_id"] for p in body["results"]} >= {NETFLIX, 1796, 337}


@pytest.mark.parametrize("kind", ["movie", "tv"])
def test_provider_list_of_a_region_has_only_its_providers_at_its_priority(
    fake: FakeTMDB, kind: str
) -> None:
    body = ok(fake, f"/3/watch/providers/{kind}", watch_region="GB")
    rows = body["results"]
    assert all("GB" in row["display_priorities"] for row in rows)
    assert [row["display_priority"] for row in rows] == sorted(
        row["display_priorities"]["GB"] for row in rows
    )
    names = [row["provider_name"] for row in rows]
    assert names[:3] == ["Netflix", "Amazon Prime Video", "BBC iPlayer"]
    assert "Disney Plus" not in names  # no GB priority in the catalogue
    assert "Tubi TV" not in names  # US and India only
    us = [
        row["provider_name"]
        for row in ok(fake, "/3/watch/providers/movie", watch_region="US")["results"]
    ]
    assert "BBC iPlayer" not in us
    assert us[0] == "Netflix"


def test_provider_list_of_a_region_nobody_serves_is_empty(fake: FakeTMDB) -> None:
    assert ok(fake, "/3/watch/providers/movie", watch_region="AQ") == {"results": []}


# --- paging ----------------------------------------------------------------------------


def test_search_pages_by_twenty(fake: FakeTMDB) -> None:
    first = ok(fake, "/3/search/movie", query="The")
    assert first["page"] == 1
    assert len(first["results"]) == 20
    assert first["total_results"] > 40
    assert first["total_pages"] == -(-first["total_results"] // 20)
    rows = every_page(fake, "/3/search/movie", query="The")
    assert len({row["id"] for row in rows}) == len(rows)  # no title on two pages
    popularity = [row["popularity"] for row in rows]
    assert popularity == sorted(popularity, reverse=True)


def test_a_page_past_the_last_is_empty_with_the_real_totals(fake: FakeTMDB) -> None:
    body = ok(fake, "/3/search/movie", query="Dune", page=7)
    assert body == {"page": 7, "results": [], "total_pages": 1, "total_results": 2}


def test_no_results_is_one_empty_page(fake: FakeTMDB) -> None:
    body = ok(fake, "/3/search/multi", query="zzzz nothing")
    assert body == {"page": 1, "results": [], "total_pages": 1, "total_results": 0}


@pytest.mark.parametrize("page", ["0", "501", "-1", "abc", "1.5", ""])
@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/3/search/movie", {"query": "Dune"}),
        ("/3/search/person", {"query": "Brad"}),
        ("/3/discover/movie", {}),
        ("/3/discover/tv", {}),
    ],
)
def test_a_page_out_of_range_is_error_22(
    fake: FakeTMDB, path: str, params: dict[str, str], page: str
) -> None:
    response = get(fake, path, page=page, **params)
    assert response.status_code == 400
    assert response.json() == INVALID_PAGE


def test_page_500_is_allowed(fake: FakeTMDB) -> None:
    body = ok(fake, "/3/discover/movie", page=500)
    assert body["page"] == 500
    assert body["results"] == []


# --- errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/3/nonsense",
        "/4/movie/550",
        "/3/movie/424242",
        "/3/movie/abc",
        "/3/movie/550/credits",
        "/3/tv/1396/season/99",
        "/3/movie/424242/release_dates",
        "/",
    ],
)
def test_unknown_paths_and_ids_get_tmdbs_not_found(fake: FakeTMDB, path: str) -> None:
    response = get(fake, path)
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


@pytest.mark.parametrize("token", [None, "wrong", API_KEY])
def test_a_missing_or_wrong_credential_is_error_7(fake: FakeTMDB, token: str | None) -> None:
    response = get(fake, "/3/movie/550", token=token)
    assert response.status_code == 401
    assert response.json() == INVALID_KEY


def test_the_v3_key_works_as_a_parameter_and_not_as_a_token(fake: FakeTMDB) -> None:
    assert get(fake, "/3/movie/550", token=None, api_key=API_KEY).status_code == 200
    assert get(fake, "/3/movie/550", token=None, api_key=TOKEN).status_code == 401


def test_scripted_faults_still_come_first(fake: FakeTMDB) -> None:
    fake.fail(503, {"status_code": 9, "status_message": "Service offline."}, path_prefix="/3/movie")
    fake.fail_with(3, path_prefix="/3/search")
    assert get(fake, "/3/search/movie", query="Dune").json()["status_code"] == 3
    assert get(fake, "/3/movie/550").status_code == 503
    assert get(fake, "/3/movie/550").status_code == 200


def test_the_rate_limit_answers_tmdbs_429(fake: FakeTMDB) -> None:
    fake.rate_limit = 2
    statuses = [get(fake, "/3/configuration/nothing").status_code for _ in range(3)]
    assert statuses == [404, 404, 429]
    response = get(fake, "/3/movie/550")
    assert response.headers["Retry-After"] == "1"
    body = response.json()
    assert body["status_code"] == 25
    assert body["success"] is False
    assert body["status_message"].endswith("is over the allowed limit of (2).")


def test_more_than_20_appended_objects_is_error_27(fake: FakeTMDB) -> None:
    response = get(fake, "/3/movie/550", append_to_response=",".join(["videos"] * 21))
    assert response.status_code == 400
    assert response.json()["status_code"] == 27
    assert get(fake, "/3/movie/550", append_to_response=",".join(["videos"] * 20)).is_success


def test_a_search_without_query_is_the_validation_error(fake: FakeTMDB) -> None:
    response = get(fake, "/3/search/movie")
    assert response.status_code == 422
    assert response.json() == {"errors": ["query must be provided"]}


# --- release dates ---------------------------------------------------------------------


def release_dates(body: Any) -> dict[str, list[dict[str, Any]]]:
    return {country["iso_3166_1"]: country["release_dates"] for country in body["results"]}


def test_release_dates_appended_and_standalone_agree(fake: FakeTMDB) -> None:
    film = catalogue.NOT_YET_STREAMING_IN_GB
    details = ok(fake, f"/3/movie/{film}", append_to_response="release_dates,watch/providers")
    standalone = ok(fake, f"/3/movie/{film}/release_dates")
    assert standalone["id"] == film
    assert details["release_dates"] == {"results": standalone["results"]}
    assert "release_dates" not in ok(fake, f"/3/movie/{film}")


def test_a_film_not_yet_streaming_in_gb_has_a_future_netflix_date_there(fake: FakeTMDB) -> None:
    film = catalogue.NOT_YET_STREAMING_IN_GB
    body = ok(fake, f"/3/movie/{film}", append_to_response="release_dates,watch/providers")
    gb = release_dates(body["release_dates"])["GB"]
    digital = [d for d in gb if d["type"] == 4 and d["note"] == "Netflix"]
    assert [d["release_date"] for d in digital] == ["2027-03-12T00:00:00.000Z"]
    assert any(d["release_date"] < "2026-01-01" for d in gb)  # and past ones
    assert digital[0] == {
        "certification": "12A",
        "descriptors": [],
        "iso_639_1": "",
        "note": "Netflix",
        "release_date": "2027-03-12T00:00:00.000Z",
        "type": 4,
    }
    offers = body["watch/providers"]["results"]
    assert "flatrate" not in offers["GB"]
    assert offers["US"]["flatrate"][0]["provider_id"] == NETFLIX


def test_festival_and_us_only_release_dates(fake: FakeTMDB) -> None:
    dune = release_dates(ok(fake, "/3/movie/438631/release_dates"))
    assert dune["IT"] == [
        {
            "certification": "",
            "descriptors": [],
            "iso_639_1": "",
            "note": "Venice Film Festival",
            "release_date": "2021-09-03T00:00:00.000Z",
            "type": 1,
        }
    ]
    assert list(release_dates(ok(fake, "/3/movie/489999/release_dates"))) == ["US"]
    # Fight Club's are the spec's own example.
    assert len(release_dates(ok(fake, "/3/movie/550/release_dates"))) > 5


def test_a_film_without_release_dates_of_its_own_has_its_primary_one(fake: FakeTMDB) -> None:
    assert release_dates(ok(fake, "/3/movie/78/release_dates")) == {
        "US": [
            {
                "certification": "",
                "descriptors": [],
                "iso_639_1": "",
                "note": "",
                "release_date": "1982-06-25T00:00:00.000Z",
                "type": 3,
            }
        ]
    }


def test_appending_still_gives_videos_and_providers(fake: FakeTMDB) -> None:
    body = ok(fake, "/3/movie/550", append_to_response="videos,watch/providers,release_dates")
    assert {"videos", "watch/providers", "release_dates"} <= body.keys()
    assert "id" not in body["videos"]
    assert body["genres"] == [{"id": 18, "name": "Drama"}]
    assert "genre_ids" not in body


# --- discover --------------------------------------------------------------------------


def test_discover_netflix_gb_pages_like_tmdb(fake: FakeTMDB) -> None:
    params = {"watch_region": "GB", "with_watch_providers": str(NETFLIX)}
    first = ok(fake, "/3/discover/movie", **params)
    assert first["total_results"] == len(catalogue.NETFLIX_GB_MOVIES) >= 45
    assert first["total_pages"] == 3
    rows = every_page(fake, "/3/discover/movie", **params)
    assert sorted(row["id"] for row in rows) == catalogue.NETFLIX_GB_MOVIES
    assert [len(ok(fake, "/3/discover/movie", page=n, **params)["results"]) for n in (1, 2, 3)] == [
        20,
        20,
        len(rows) - 40,
    ]
    assert len({row["vote_average"] for row in rows}) > 20  # varied ratings


def test_discover_without_filters_is_the_catalogue_by_popularity(fake: FakeTMDB) -> None:
    rows = every_page(fake, "/3/discover/movie")
    assert len(rows) == len(fake.movies)
    popularity = [row["popularity"] for row in rows]
    assert popularity == sorted(popularity, reverse=True)


def test_watch_providers_or_and(fake: FakeTMDB) -> None:
    base = {"watch_region": "GB"}
    netflix = {
        r["id"] for r in every_page(fake, "/3/discover/movie", **base, with_watch_providers="8")
    }
    apple = {
        r["id"] for r in every_page(fake, "/3/discover/movie", **base, with_watch_providers="2")
    }
    either = every_page(fake, "/3/discover/movie", **base, with_watch_providers="8|2")
    both = every_page(fake, "/3/discover/movie", **base, with_watch_providers="8,2")
    assert {r["id"] for r in either} == netflix | apple
    assert {r["id"] for r in both} == netflix & apple
    assert netflix & apple  # the filters make a difference
    assert apple - netflix


def test_monetization_types(fake: FakeTMDB) -> None:
    base = {"watch_region": "GB", "with_watch_providers": "2"}
    rent = every_page(fake, "/3/discover/movie", **base, with_watch_monetization_types="rent")
    flatrate = every_page(
        fake, "/3/discover/movie", **base, with_watch_monetization_types="flatrate"
    )
    assert catalogue.NOT_YET_STREAMING_IN_GB in {r["id"] for r in rent}
    assert flatrate == []  # Apple TV rents and sells in GB, never streams
    ads = every_page(
        fake, "/3/discover/movie", watch_region="GB", with_watch_monetization_types="ads"
    )
    assert ads
    ads_or_free = every_page(
        fake, "/3/discover/movie", watch_region="GB", with_watch_monetization_types="ads|free"
    )
    assert ads_or_free == ads


def test_provider_filters_need_a_watch_region(fake: FakeTMDB) -> None:
    everything = ok(fake, "/3/discover/movie")["total_results"]
    assert ok(fake, "/3/discover/movie", with_watch_providers="8")["total_results"] == everything


@pytest.mark.parametrize(
    ("sort_by", "field", "descending"),
    [
        ("popularity.desc", "popularity", True),
        ("vote_average.desc", "vote_average", True),
        ("primary_release_date.desc", "release_date", True),
        ("primary_release_date.asc", "release_date", False),
        ("title.asc", "title", False),
    ],
)
def test_discover_movie_sorts(fake: FakeTMDB, sort_by: str, field: str, descending: bool) -> None:
    rows = every_page(
        fake, "/3/discover/movie", watch_region="GB", with_watch_providers="8", sort_by=sort_by
    )
    values = [row[field] for row in rows if row[field] != ""]
    key = str.casefold if field == "title" else None
    assert values == sorted(values, key=key, reverse=descending)


@pytest.mark.parametrize(
    ("sort_by", "field", "descending"),
    [("first_air_date.desc", "first_air_date", True), ("name.asc", "name", False)],
)
def test_discover_tv_sorts_and_pages(
    fake: FakeTMDB, sort_by: str, field: str, descending: bool
) -> None:
    rows = every_page(
        fake, "/3/discover/tv", watch_region="GB", with_watch_providers="8", sort_by=sort_by
    )
    assert len(rows) > 20
    assert 1396 in {row["id"] for row in rows}
    values = [row[field] for row in rows]
    assert values == sorted(values, key=str.casefold, reverse=descending)


def test_discover_numeric_and_genre_filters(fake: FakeTMDB) -> None:
    rows = every_page(
        fake,
        "/3/discover/movie",
        **{"vote_average.gte": "7.5", "vote_count.gte": "500", "with_runtime.lte": "120"},
    )
    assert rows
    films = [fake.movies[row["id"]] for row in rows]
    assert all(f["vote_average"] >= 7.5 and f["vote_count"] >= 500 for f in films)
    assert all(f.get("runtime", 0) <= 120 for f in films)
    drama = {r["id"] for r in every_page(fake, "/3/discover/movie", with_genres="18")}
    romance = {r["id"] for r in every_page(fake, "/3/discover/movie", with_genres="10749")}
    both = {r["id"] for r in every_page(fake, "/3/discover/movie", with_genres="18,10749")}
    either = {r["id"] for r in every_page(fake, "/3/discover/movie", with_genres="18|10749")}
    assert both == drama & romance
    assert either == drama | romance
    assert 1291559 in both
    french = every_page(fake, "/3/discover/movie", with_original_language="fr")
    assert french
    assert {row["original_language"] for row in french} == {"fr"}


def test_discover_people_and_dates(fake: FakeTMDB) -> None:
    villeneuve = every_page(fake, "/3/discover/movie", with_people="137427")
    assert {row["id"] for row in villeneuve} == {438631, 335984}
    assert ids(ok(fake, "/3/discover/movie", with_people="287,819")) == [550]
    nineties = every_page(
        fake,
        "/3/discover/movie",
        **{"primary_release_date.gte": "1990-01-01", "primary_release_date.lte": "1999-12-31"},
    )
    assert 550 in {row["id"] for row in nineties}
    assert all("1990" <= row["release_date"] < "2000" for row in nineties)
    recent_tv = every_page(fake, "/3/discover/tv", **{"first_air_date.gte": "2020-01-01"})
    assert 95396 in {row["id"] for row in recent_tv}
    assert all(row["first_air_date"] >= "2020-01-01" for row in recent_tv)


def test_discover_release_types_in_a_region(fake: FakeTMDB) -> None:
    coming = {
        "region": "GB",
        "with_release_type": "4",
        "release_date.gte": "2026-12-08",
        "release_date.lte": "2027-12-31",
    }
    assert ids(ok(fake, "/3/discover/movie", **coming)) == [catalogue.NOT_YET_STREAMING_IN_GB]
    assert ids(ok(fake, "/3/discover/movie", **{**coming, "region": "US"})) == []
    premieres = {"region": "IT", "with_release_type": "1|2", "release_date.gte": "2021-01-01"}
    assert ids(ok(fake, "/3/discover/movie", **premieres)) == [438631]
    us_limited = ids(ok(fake, "/3/discover/movie", region="US", with_release_type="2"))
    assert us_limited == [489999]


def test_discover_rows_have_the_list_shape(fake: FakeTMDB) -> None:
    movie = ok(fake, "/3/discover/movie")["results"][0]
    assert not any(key.startswith("_") for key in movie)
    assert {"id", "title", "original_title", "release_date", "genre_ids", "vote_count"} <= set(
        movie
    )
    series = ok(fake, "/3/discover/tv")["results"][0]
    assert {"id", "name", "original_name", "first_air_date", "origin_country"} <= set(series)


# --- genres, people, the request log ---------------------------------------------------


def test_genre_lists(fake: FakeTMDB) -> None:
    movie = {g["id"]: g["name"] for g in ok(fake, "/3/genre/movie/list")["genres"]}
    tv = {g["id"]: g["name"] for g in ok(fake, "/3/genre/tv/list")["genres"]}
    assert movie[28] == "Action"
    assert movie[878] == "Science Fiction"
    assert tv[10765] == "Sci-Fi & Fantasy"
    assert 28 not in tv
    used = {g for film in fake.movies.values() for g in film["genre_ids"]}
    assert used <= movie.keys()


def test_search_person(fake: FakeTMDB) -> None:
    body = ok(fake, "/3/search/person", query="brad pitt")
    assert body["total_results"] == 1
    [brad] = body["results"]
    assert brad["id"] == 287
    assert brad["known_for_department"] == "Acting"
    assert [film["id"] for film in brad["known_for"]] == [550]
    assert brad["known_for"][0]["media_type"] == "movie"
    assert "media_type" not in brad
    multi = ok(fake, "/3/search/multi", query="brad pitt")["results"]
    assert [(r["media_type"], r["id"]) for r in multi] == [("person", 287)]


def test_the_request_log(fake: FakeTMDB) -> None:
    get(fake, "/3/discover/movie", watch_region="GB", with_watch_providers="8|9", page=2)
    get(fake, "/3/search/movie", query="Dune")
    assert fake.paths() == ["/3/discover/movie", "/3/search/movie"]
    assert fake.queries("/3/discover/movie") == [
        {"watch_region": "GB", "with_watch_providers": "8|9", "page": "2"}
    ]
    assert fake.last().param("query") == "Dune"
    assert fake.last("/3/discover/movie").param("page") == "2"
    assert fake.last().param("page") is None
    fake.reset()
    assert fake.requests == []
    with pytest.raises(AssertionError, match="no request"):
        fake.last()
