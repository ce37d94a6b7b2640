"""`wheretowatch browse`: what streams on your services, from TMDB's discover.

Against the fake TMDB, whose discover answers from its catalogue with TMDB's paging: the
parameters sent, the pages read (never past the last), the merge of one query a service,
each title's services, --exclude-watchlist, --random --seed, --add, and every exit status.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

import wheretowatch
from tests import fake_catalogue as catalogue
from tests.conftest import TOKEN, RunCli
from tests.fake_tmdb import FakeTMDB
from wheretowatch.discover.browsing import BrowsedTitle, BrowseResult
from wheretowatch.discover.genres import GenreError, resolve_genres
from wheretowatch.discover.query import BrowseQuery
from wheretowatch.errors import UsageError
from wheretowatch.lists.watchlist import WatchedTitle, Watchlist
from wheretowatch.models import Genre, MediaType, Person
from wheretowatch.settings.loading import load_settings
from wheretowatch.tmdb.payload import parse_discover, parse_genres, parse_people

FILMS = "/3/discover/movie"
SERIES = "/3/discover/tv"
NETFLIX = ("--region", "GB", "--service", "Netflix")
LONG_TITLE = "The Extraordinarily Long-Winded Adventures of Somebody Unpronounceable"


def streaming(title: dict[str, Any], region: str, provider: int) -> bool:
    offers = title.get("_providers", {}).get(region, {})
    return any(
        p["provider_id"] == provider
        for kind in ("flatrate", "free", "ads")
        for p in offers.get(kind, [])
    )


def expected_films(*, min_rating: float = 0.0, min_votes: int = 0) -> list[int]:
    """The catalogue's films on Netflix in GB, as TMDB's discover orders them."""
    films = [
        f
        for f in catalogue.MOVIES.values()
        if streaming(f, "GB", 8)
        and f.get("vote_average", 0) >= min_rating
        and f.get("vote_count", 0) >= min_votes
    ]
    films.sort(key=lambda f: f["id"])
    films.sort(key=lambda f: -f["popularity"])
    return [f["id"] for f in films]


def browse_json(run: RunCli, *args: str, code: int = 0) -> dict[str, Any]:
    result = run("browse", *args, "--json")
    assert result.exit_code == code, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def pages(fake: FakeTMDB, path: str = FILMS) -> list[int]:
    return [int(q["page"]) for q in fake.queries(path)]


# --- the command a new user tries first ------------------------------------------------


def test_films_on_netflix_rated_7_send_the_query_and_read_only_the_pages_there_are(
    online: FakeTMDB, run: RunCli
) -> None:
    document = browse_json(run, *NETFLIX, "--type", "film", "--min-rating", "7", "--limit", "45")
    sent = online.queries(FILMS)
    for query in sent:
        assert query["watch_region"] == "GB"
        assert "8" in query["with_watch_providers"].split("|")
        assert query["with_watch_monetization_types"] == "flatrate|free|ads"
        assert query["vote_average.gte"] == "7"
        assert query["vote_count.gte"] == "100"  # the vote floor
        assert query["sort_by"] == "popularity.desc"
    wanted = expected_films(min_rating=7, min_votes=100)
    assert 20 < len(wanted) < 45  # two pages: the third is never asked for
    assert pages(online) == [1, 2]
    assert not online.queries(SERIES)
    assert [r["tmdb_id"] for r in document["results"]] == wanted
    assert all(r["services"] == ["Netflix"] for r in document["results"])
    assert all(r["media_type"] == "movie" for r in document["results"])
    assert document["query"]["region"] == "GB"
    assert document["query"]["services"][0]["name"] == "Netflix"
    assert 8 in document["query"]["services"][0]["provider_ids"]
    assert document["query"]["filters"]["min_votes"] == 100
    assert document["query"]["tmdb"][0]["params"]["watch_region"] == "GB"
    # The provider lists that resolve "Netflix" are the only other requests, and a week's
    # cache keeps them: the second run sends nothing at all.
    assert document["requests"]["by_kind"]["discover page"] == {"answers": 2, "sent": 2}
    assert document["requests"]["by_kind"]["provider list"] == {"answers": 2, "sent": 2}
    online.reset()
    again = browse_json(run, *NETFLIX, "--type", "film", "--min-rating", "7", "--limit", "45")
    assert online.requests == []
    assert again["results"] == document["results"]
    assert again["requests"]["sent"] == 0


def test_a_limit_of_45_reads_three_pages_and_a_limit_of_20_one(
    online: FakeTMDB, run: RunCli
) -> None:
    document = browse_json(run, *NETFLIX, "--type", "film", "--limit", "45")
    assert pages(online) == [1, 2, 3]
    assert [r["tmdb_id"] for r in document["results"]] == expected_films()[:45]
    online.reset()
    browse_json(run, *NETFLIX, "--type", "film", "--limit", "20", "--sort", "rating")
    assert pages(online) == [1]


def test_no_page_past_the_last_however_large_the_limit(online: FakeTMDB, run: RunCli) -> None:
    document = browse_json(run, *NETFLIX, "--type", "film", "--limit", "500")
    total = len(expected_films())
    assert pages(online) == list(range(1, math.ceil(total / 20) + 1))
    assert len(document["results"]) == total


def test_the_debug_log_counts_the_requests(online: FakeTMDB, run: RunCli) -> None:
    result = run("--debug", "browse", *NETFLIX, "--type", "film", "--limit", "45")
    assert result.exit_code == 0
    assert "browse: 1 discover queries, at most 3 pages each" in result.stderr
    assert "5 answers, 5 requests to TMDB: provider list 2 (0 cached), discover page 3" in (
        result.stderr
    )


# --- several services: one query each, merged, each title naming its services ----------


def test_each_service_is_asked_on_its_own_and_the_lists_are_merged(
    online: FakeTMDB, run: RunCli
) -> None:
    document = browse_json(
        run, "--region", "GB", "--service", "Netflix", "--service", "apple tv+", "--limit", "6"
    )
    # Two services, films and series: four queries, a page each.
    assert len(online.queries(FILMS)) == len(online.queries(SERIES)) == 2
    providers = {q["with_watch_providers"] for q in online.queries(SERIES)}
    assert "350" in providers
    results = document["results"]
    popularity = [r["popularity"] for r in results]
    assert popularity == sorted(popularity, reverse=True)
    by_id = {r["tmdb_id"]: r for r in results}
    assert by_id[1396]["services"] == ["Netflix"]  # Breaking Bad
    assert by_id[95396]["services"] == ["Apple TV+"]  # Severance
    assert {r["media_type"] for r in results} == {"movie", "tv"}


def test_a_title_on_two_of_the_services_names_both(online: FakeTMDB, run: RunCli) -> None:
    document = browse_json(
        run, *NETFLIX, "--service", "Pluto TV", "--type", "film", "--limit", "45"
    )
    both = [r for r in document["results"] if len(r["services"]) == 2]
    assert both
    assert all(r["services"] == ["Netflix", "Pluto TV"] for r in both)
    ids = [r["tmdb_id"] for r in document["results"]]
    assert len(ids) == len(set(ids))


def test_any_service_names_the_providers_from_each_titles_details(
    online: FakeTMDB, run: RunCli
) -> None:
    document = browse_json(run, "--region", "GB", "--any-service", "--limit", "3")
    assert all("with_watch_providers" not in q for q in online.queries(FILMS))
    assert [r["tmdb_id"] for r in document["results"]] == [1396, 438631, 95396]
    assert [r["services"] for r in document["results"]] == [["Netflix"], ["Netflix"], ["Apple TV+"]]
    assert document["results"][1]["runtime"] == 155
    assert document["requests"]["by_kind"]["title details"]["answers"] == 3


def test_a_lookup_leaves_the_running_time_for_browse(online: FakeTMDB, run: RunCli) -> None:
    assert run("--region", "GB", "--tmdb-id", "438631", "--type", "film").exit_code == 0
    online.reset()
    document = browse_json(run, *NETFLIX, "--type", "film", "--limit", "2")
    assert document["results"][0]["tmdb_id"] == 438631
    assert document["results"][0]["runtime"] == 155
    assert document["results"][1]["runtime"] is None
    assert not [p for p in online.paths() if p.startswith("/3/movie/")]


# --- the watchlist ----------------------------------------------------------------------


def watch(*tmdb_ids: int) -> None:
    store = Watchlist(load_settings().data_dir)
    for tmdb_id in tmdb_ids:
        store.add(WatchedTitle(tmdb_id, MediaType.MOVIE, f"Film {tmdb_id}"))


def test_exclude_watchlist_drops_watched_titles_and_still_fills_the_limit(
    online: FakeTMDB, run: RunCli
) -> None:
    top = expected_films()
    watched = top[:3] + top[18:20]
    watch(*watched)
    document = browse_json(run, *NETFLIX, "--type", "film", "--exclude-watchlist")
    ids = [r["tmdb_id"] for r in document["results"]]
    assert len(ids) == 20
    assert not set(ids) & set(watched)
    assert ids == [i for i in top if i not in watched][:20]
    assert document["excluded"] == 5
    assert pages(online) == [1, 2]  # the second page makes up for the five dropped


def test_add_puts_the_titles_on_the_watchlist(online: FakeTMDB, run: RunCli) -> None:
    result = run("browse", *NETFLIX, "--type", "film", "--limit", "3", "--add")
    assert result.exit_code == 0
    assert "Added 3 new titles to the watchlist." in result.stdout
    titles = Watchlist(load_settings().data_dir).titles()
    assert [t.tmdb_id for t in titles] == expected_films()[:3]
    assert all(t.regions == ("GB",) for t in titles)
    again = run("browse", *NETFLIX, "--type", "film", "--limit", "3", "--add")
    assert "Added 0 new titles" in again.stdout


# --- random ------------------------------------------------------------------------------


def test_the_same_seed_draws_the_same_titles(online: FakeTMDB, run: RunCli) -> None:
    args = (*NETFLIX, "--type", "film", "--random", "--seed", "42", "--limit", "5")
    first = browse_json(run, *args)
    second = browse_json(run, *args)
    drawn = [r["tmdb_id"] for r in first["results"]]
    assert drawn == [r["tmdb_id"] for r in second["results"]]
    assert len(drawn) == len(set(drawn)) == 5
    assert set(drawn) <= set(expected_films()[:60])
    assert first["query"]["seed"] == 42
    other = browse_json(run, *NETFLIX, "--type", "film", "--seed", "43", "--limit", "5")
    assert [r["tmdb_id"] for r in other["results"]] != drawn


def test_random_without_a_seed_says_which_seed_it_drew_with(online: FakeTMDB, run: RunCli) -> None:
    result = run("browse", *NETFLIX, "--random", "--limit", "1")
    assert result.exit_code == 0
    seed = re.search(r"Drawn with --seed (\d+)", result.stdout)
    assert seed is not None
    first = browse_json(run, *NETFLIX, "--limit", "1", "--seed", seed[1])
    assert first["results"][0]["title"] in result.stdout


# --- filters -----------------------------------------------------------------------------


def test_the_filters_become_tmdbs_parameters(online: FakeTMDB, run: RunCli) -> None:
    result = run(
        "browse",
        *NETFLIX,
        "--genre",
        "drama",
        "--since",
        "2000",
        "--until",
        "2010",
        "--max-runtime",
        "150",
        "--language",
        "en,fr",
        "--sort",
        "newest",
        "--how",
        "rent,buy",
    )
    assert result.exit_code in (0, 3), result.stderr
    film = online.last(FILMS).query
    assert film["with_genres"] == "18"
    assert film["primary_release_date.gte"] == "2000-01-01"
    assert film["primary_release_date.lte"] == "2010-12-31"
    assert film["with_runtime.lte"] == "150"
    assert film["with_original_language"] == "en|fr"
    assert film["sort_by"] == "primary_release_date.desc"
    assert film["with_watch_monetization_types"] == "flatrate|free|ads|rent|buy"
    assert "vote_count.gte" not in film
    series = online.last(SERIES).query
    assert series["first_air_date.gte"] == "2000-01-01"
    assert series["sort_by"] == "first_air_date.desc"


def test_newest_first_across_films_and_series(online: FakeTMDB, run: RunCli) -> None:
    document = browse_json(run, *NETFLIX, "--sort", "newest", "--limit", "30")
    dates = [r["release_date"] for r in document["results"]]
    assert dates == sorted(dates, reverse=True)


def test_a_genre_of_series_only_asks_for_series(online: FakeTMDB, run: RunCli) -> None:
    result = run("browse", *NETFLIX, "--genre", "sci-fi", "--json")
    assert result.exit_code == 0
    assert "series only" in result.stderr
    assert not online.queries(FILMS)
    assert online.last(SERIES).query["with_genres"] == "10765"


def test_an_unknown_genre_is_a_usage_error_with_a_suggestion(online: FakeTMDB, run: RunCli) -> None:
    result = run("browse", *NETFLIX, "--genre", "comedie")
    assert result.exit_code == 2
    assert "Unknown genre 'comedie'" in result.stderr
    assert "Did you mean 'Comedy'" in result.stderr
    assert not online.queries(FILMS)
    document = browse_json(run, *NETFLIX, "--genre", "thriler", code=2)
    assert document["error"]["code"] == "usage"
    assert "Thriller" in document["error"]["hint"]


def test_a_person_is_found_by_name(online: FakeTMDB, run: RunCli) -> None:
    document = browse_json(run, *NETFLIX, "--person", "Denis Villeneuve", "--how", "rent,buy")
    assert online.last(FILMS).query["with_people"] == "137427"
    assert not online.queries(SERIES)
    assert document["query"]["filters"]["person"] == {"id": 137427, "name": "Denis Villeneuve"}
    assert [r["tmdb_id"] for r in document["results"]] == [438631]


def test_an_ambiguous_person_without_a_terminal_lists_the_candidates(
    online: FakeTMDB, run: RunCli
) -> None:
    result = run("browse", *NETFLIX, "--person", "d")
    assert result.exit_code == 2
    assert "people match 'd'" in result.stderr
    assert "David Fincher (Directing; Fight Club), id 7467" in result.stderr
    assert "--person" in result.stderr
    assert not online.queries(FILMS)
    # The id says who: no search at all.
    online.reset()
    browse_json(run, *NETFLIX, "--person", "7467", code=3)
    assert online.last(FILMS).query["with_people"] == "7467"
    assert not online.queries("/3/search/person")


# --- exit statuses -------------------------------------------------------------------------


def test_nothing_found_exits_3(online: FakeTMDB, run: RunCli) -> None:
    result = run("browse", *NETFLIX, "--min-rating", "9.9")
    assert result.exit_code == 3
    assert result.stdout == ""
    assert "No films or series found streaming in GB on Netflix" in result.stderr
    document = browse_json(run, *NETFLIX, "--min-rating", "9.9", code=3)
    assert document["results"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--region", "GB,US", "--service", "Netflix"), "one region at a time"),
        (("--region", "all", "--service", "Netflix"), "one region at a time"),
        (("--region", "GB", "--service", "Netflx"), "Unknown service in --service: 'Netflx'"),
        (("--region", "GB", "--service", "Netflix", "--any-service"), "not both"),
        ((*NETFLIX, "--type", "series", "--person", "Brad Pitt"), "films only"),
        ((*NETFLIX, "--since", "2020", "--until", "2010"), "nothing is both"),
        ((*NETFLIX, "--sort", "best"), "--sort takes one of"),
        ((*NETFLIX, "--how", "borrow"), "--how takes"),
        ((*NETFLIX, "--language", "japanese"), "two-letter language code"),
        ((*NETFLIX, "--limit", "0"), "--limit must be"),
        ((*NETFLIX, "--min-rating", "11"), "out of 10"),
    ],
)
def test_usage_errors_exit_2(
    online: FakeTMDB, run: RunCli, args: tuple[str, ...], message: str
) -> None:
    result = run("browse", *args)
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr
    assert not online.queries(FILMS)


def test_no_services_set_is_a_settings_error(online: FakeTMDB, run: RunCli) -> None:
    result = run("browse", "--region", "GB")
    assert result.exit_code == 6
    assert "--any-service" in result.stderr
    assert browse_json(run, "--region", "GB", "--any-service", "--limit", "1")["results"]


def test_tmdb_failing_exits_7(online: FakeTMDB, run: RunCli, no_waiting: list[float]) -> None:
    online.fail(
        503, {"status_code": 9, "status_message": "Service offline"}, path_prefix=FILMS, times=10
    )
    result = run("browse", *NETFLIX, "--type", "film")
    assert result.exit_code == 7
    assert "503" in result.stderr


# --- the table ---------------------------------------------------------------------------


def test_the_table_never_cuts_a_title_inside_a_word_at_80_columns(
    online: FakeTMDB, run: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    online.movies[catalogue.NETFLIX_GB_FILLER_IDS[0]]["title"] = LONG_TITLE
    online.movies[catalogue.NETFLIX_GB_FILLER_IDS[0]]["popularity"] = 1000.0
    result = run("browse", *NETFLIX, "--service", "Pluto TV", "--limit", "10")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    cells = " ".join(line.split("│")[1].strip() for line in lines if line.count("│") > 2)
    words = cells.split()
    for word in LONG_TITLE.split():
        assert word in words
    assert "Films and series streaming in GB on Netflix, Pluto TV" in result.stdout
    assert "1000" not in cells


# --- the Python API and the parsers ------------------------------------------------------


def test_the_python_api_returns_typed_results(
    online: FakeTMDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMDB_API_TOKEN", TOKEN)
    result = wheretowatch.browse(
        region="GB", services=["Netflix"], media_type="movie", min_rating=7, limit=3
    )
    assert isinstance(result, BrowseResult)
    assert all(isinstance(title, BrowsedTitle) for title in result.titles)
    assert [t.tmdb_id for t in result.titles] == expected_films(min_rating=7, min_votes=100)[:3]
    assert result.titles[0].services == ("Netflix",)
    assert result.cost.read == 3
    assert wheretowatch.BrowseResult is BrowseResult


def test_the_query_checks_what_needs_no_tmdb() -> None:
    query = BrowseQuery.build(region="GB", person="287")
    assert query.media_types == (MediaType.MOVIE,)
    assert BrowseQuery.build(region="GB", sort="rating").vote_floor == 100
    assert BrowseQuery.build(region="GB").vote_floor is None
    assert BrowseQuery.build(region="GB", min_rating=8, min_votes=5).vote_floor == 5
    assert BrowseQuery.build(region="GB", seed=3).random
    assert BrowseQuery.build(region="GB", language="pt-BR, ja").languages == ("pt", "ja")
    with pytest.raises(UsageError):
        BrowseQuery.build(region="GB", max_runtime=0)


def test_genres_resolve_by_name_part_or_id() -> None:
    lists = {
        MediaType.MOVIE: parse_genres({"genres": catalogue.MOVIE_GENRES}),
        MediaType.TV: parse_genres({"genres": catalogue.TV_GENRES}),
    }
    assert resolve_genres(["science fiction"], lists) == {
        MediaType.MOVIE: (Genre(878, "Science Fiction"),)
    }
    assert resolve_genres(["sci-fi"], lists) == {MediaType.TV: (Genre(10765, "Sci-Fi & Fantasy"),)}
    assert resolve_genres(["COMEDY"], lists) == {
        MediaType.MOVIE: (Genre(35, "Comedy"),),
        MediaType.TV: (Genre(35, "Comedy"),),
    }
    assert resolve_genres(["27"], lists) == {MediaType.MOVIE: (Genre(27, "Horror"),)}
    with pytest.raises(GenreError) as unknown:
        resolve_genres(["horor"], lists)
    assert "Did you mean 'Horror'?" in (unknown.value.hint or "")
    with pytest.raises(GenreError, match="No film or series genre"):
        resolve_genres(["horror", "reality"], lists)


def example(name: str) -> Any:
    path = Path(__file__).parent / "data" / "tmdb-examples" / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_parsers_read_tmdbs_own_examples() -> None:
    page = parse_discover(example("discover-movie"), MediaType.MOVIE)
    assert page.page == 1
    assert page.total_pages >= 1
    assert page.results
    first = page.results[0]
    assert first.tmdb_id == 640146
    assert first.genre_ids == (28, 12, 878)
    assert 0 < first.vote_average <= 10
    assert first.vote_count > 0
    series = parse_discover(example("discover-tv"), MediaType.TV)
    assert series.results
    assert all(t.media_type is MediaType.TV for t in series.results)
    assert parse_genres(example("genre-movie-list"))[0].name
    people = parse_people(example("search-person"))
    assert people[0].name == "Tom Hanks"
    assert people[0].department == "Acting"
    assert "Forrest Gump" in people[0].known_for


@pytest.mark.parametrize(
    "junk",
    [
        {},
        {"results": None, "total_pages": "many"},
        {"results": [None, 3, {"id": "x"}, {"id": 5, "vote_average": 99, "vote_count": -1}]},
        {"page": 0, "total_pages": 10_000, "results": [{"id": 1, "genre_ids": [True, 18, -2]}]},
    ],
)
def test_the_discover_parser_takes_junk_in_its_stride(junk: dict[str, Any]) -> None:
    page = parse_discover(junk, MediaType.MOVIE)
    assert 1 <= page.total_pages <= 500
    assert page.page >= 1
    for title in page.results:
        assert 0 <= title.vote_average <= 10
        assert title.vote_count >= 0
        assert all(g > 0 and g is not True for g in title.genre_ids)


def test_an_ambiguous_person_is_asked_about_when_someone_can_answer(
    online: FakeTMDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMDB_API_TOKEN", TOKEN)
    offered: list[list[str]] = []

    def choose(people: Sequence[Person]) -> Person:
        offered.append([p.name for p in people])
        return next(p for p in people if p.name == "Denis Villeneuve")

    result = wheretowatch.browse(
        region="GB", services=["Netflix"], person="d", how="rent,buy", choose_person=choose
    )
    assert "Denis Villeneuve" in offered[0]
    assert len(offered[0]) > 1
    assert result.person is not None
    assert result.person.person_id == 137427
    assert online.last(FILMS).query["with_people"] == "137427"


def test_sort_completion_offers_every_order_a_browse_knows() -> None:
    from wheretowatch.cli.commands.browse import _complete_sort
    from wheretowatch.discover.query import Sort

    assert _complete_sort("") == [sort.value for sort in Sort]
    assert _complete_sort("r") == ["rating"]
