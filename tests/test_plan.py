"""`wheretowatch plan`: the ranking, the greedy set, the losses, prices and what is left out.

A new user's 30 watched films, each made in the fake TMDB with known offers in GB, are
added through the CLI and refreshed through it; then `plan` answers from what that left.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests import fake_catalogue as catalogue
from tests.conftest import RunCli
from tests.fake_tmdb import FakeTMDB
from wheretowatch.lists.coverage import (
    DEFAULT_LIMIT,
    Carriage,
    PlannedTitle,
    Service,
    best_set,
    make_plan,
    rank,
)
from wheretowatch.lists.watchlist import WatchedTitle, Watchlist
from wheretowatch.models import MediaType
from wheretowatch.settings.loading import load_settings
from wheretowatch.tmdb import CachedResponse, DiskCache

FIRST = 6_100_001
IDS = list(range(FIRST, FIRST + 30))
PARAMOUNT = {"provider_id": 531, "provider_name": "Paramount Plus", "logo_path": None}


def film(n: int) -> int:
    """The id of the n-th film (1-based)."""
    return FIRST + n - 1


def _offers(n: int) -> dict[str, Any]:
    """GB offers of film n: Netflix 1-12, Prime 9-18, iPlayer free 19-22, Pluto with ads
    22-23, Apple TV+ 24-26, Paramount Plus 27-29 (a tie with Apple TV+), film 30 to rent."""
    flatrate, free, ads = [], [], []
    if n <= 12:
        flatrate.append(catalogue.offer(catalogue.NETFLIX, 1))
    if 9 <= n <= 18:
        flatrate.append(catalogue.offer(catalogue.PRIME, 2))
    if 19 <= n <= 22:
        free.append(catalogue.offer(catalogue.IPLAYER, 3))
    if 22 <= n <= 23:
        ads.append(catalogue.offer(catalogue.PLUTO, 81))
    if 24 <= n <= 26:
        flatrate.append(catalogue.offer(catalogue.APPLE_TV_PLUS, 6))
    if 27 <= n <= 29:
        flatrate.append(catalogue.offer(PARAMOUNT, 7))
    region: dict[str, Any] = {"link": catalogue.watch_link("movie", film(n), "plan", "GB")}
    for key, offers in (("flatrate", flatrate), ("free", free), ("ads", ads)):
        if offers:
            region[key] = offers
    if n == 30:
        region["rent"] = [catalogue.offer(catalogue.APPLE, 5)]
    return {"GB": region}


def add_films(fake: FakeTMDB) -> None:
    for n in range(1, 31):
        fake.movies[film(n)] = catalogue.movie(
            film(n),
            f"Plan Film {n}",
            f"Plan Film {n}",
            "en",
            "2020-01-01",
            1.0,
            _providers=_offers(n),
            _videos=[],
        )


@pytest.fixture
def watched(
    online: FakeTMDB, run: RunCli, monkeypatch: pytest.MonkeyPatch, config_dir: Path
) -> FakeTMDB:
    """30 films watched in GB, added and refreshed through the CLI; the fake's log empty."""
    monkeypatch.setenv("WHERETOWATCH_REGION", "GB")
    monkeypatch.setenv("WHERETOWATCH_SERVICES", "Netflix,Amazon Prime Video")
    add_films(online)
    for tmdb_id in IDS:
        assert run("watchlist", "add", "--tmdb-id", str(tmdb_id)).exit_code == 0
    assert run("refresh").exit_code == 0
    online.reset()
    add_films(online)
    return online


def labels(titles: list[dict[str, Any]]) -> list[str]:
    return [title["title"] for title in titles]


def names(n: range | list[int]) -> list[str]:
    return [f"Plan Film {i} (2020)" for i in n]


def plan_json(run: RunCli, *args: str) -> dict[str, Any]:
    result = run("plan", "--json", *args)
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_ranking_counts_streaming_titles_with_no_request(watched: FakeTMDB, run: RunCli) -> None:
    document = plan_json(run, "--region", "GB", "--offline")
    ranking = [(row["provider_name"], row["titles"]) for row in document["ranking"]]
    assert ranking == [
        ("Netflix", 12),
        ("Amazon Prime Video", 10),
        ("BBC iPlayer", 4),
        ("Apple TV+", 3),
        ("Paramount Plus", 3),
        ("Pluto TV", 2),
    ]
    assert [row["mine"] for row in document["ranking"]] == [True, True, False, False, False, False]
    assert [row["free"] for row in document["ranking"]][2:] == [True, False, False, True]
    assert document["counted"] == 30
    assert watched.requests == []


def test_best_set_takes_free_services_first_then_three_paid(watched: FakeTMDB, run: RunCli) -> None:
    picks = plan_json(run, "--region", "GB", "--offline")["set"]["picks"]
    assert [(p["provider_name"], labels(p["adds"])) for p in picks] == [
        ("BBC iPlayer", names(range(19, 23))),
        ("Pluto TV", names([23])),
        ("Netflix", names(range(1, 13))),
        ("Amazon Prime Video", names(range(13, 19))),
        # Apple TV+ and Paramount Plus add three each: TMDB's priority in GB decides.
        ("Apple TV+", names(range(24, 27))),
    ]


def test_uncovered_and_nowhere_are_named(watched: FakeTMDB, run: RunCli) -> None:
    document = plan_json(run, "--region", "GB", "--offline")
    assert labels(document["set"]["uncovered"]) == names(range(27, 30))
    assert labels(document["nowhere"]) == names([30])  # to rent only: never counted


def test_paid_only_leaves_free_services_out_of_the_set(watched: FakeTMDB, run: RunCli) -> None:
    picks = plan_json(run, "--paid-only", "--max", "2")["set"]["picks"]
    assert [p["provider_name"] for p in picks] == ["Netflix", "Amazon Prime Video"]


def test_losses_name_what_only_each_service_streams(watched: FakeTMDB, run: RunCli) -> None:
    losses = plan_json(run)["losses"]
    assert [(x["service"], labels(x["only"]), x["shared"], x["carries"]) for x in losses] == [
        ("Netflix", names(range(1, 9)), 4, 12),
        ("Amazon Prime Video", names(range(13, 19)), 4, 10),
    ]


def test_the_answer_is_the_same_every_run(watched: FakeTMDB, run: RunCli) -> None:
    outputs = {run("plan", "--json").stdout for _ in range(3)}
    assert len(outputs) == 1


def test_table_shows_the_ranking_the_set_and_the_losses(watched: FakeTMDB, run: RunCli) -> None:
    result = run("plan")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert "Services streaming your 30 counted titles in GB:" in result.stdout
    assert "Netflix ★" in result.stdout
    assert "BBC iPlayer (free)" in result.stdout
    assert "Dropping Netflix loses 8: Plan Film 1 (2020)" in result.stdout
    assert "Not covered (3): Plan Film 27 (2020)" in result.stdout


def test_a_title_with_no_cached_data_is_named_with_how_to_refresh_it(
    watched: FakeTMDB, run: RunCli
) -> None:
    # Written as `watchlist add` writes it, but never looked up: nothing cached, no snapshot.
    settings = load_settings()
    Watchlist(settings.data_dir).add(WatchedTitle(550, MediaType.MOVIE, "Fight Club", 1999, "en"))
    document = plan_json(run, "--offline")
    assert document["stale"] == [
        {
            "key": "movie/550",
            "title": "Fight Club (1999)",
            "reason": "nothing is cached for it",
            "fetched_at": None,
        }
    ]
    assert document["refresh_command"] == "wheretowatch plan --refresh"
    assert document["counted"] == 30
    table = run("plan")
    assert "1 watched title is not counted:\n  Fight Club (1999): nothing is cached for it" in (
        table.stdout
    )
    assert "Fetch them anew: wheretowatch plan --refresh" in table.stdout
    assert watched.requests == []


def test_refresh_fetches_only_the_titles_left_out(watched: FakeTMDB, run: RunCli) -> None:
    settings = load_settings()
    Watchlist(settings.data_dir).add(WatchedTitle(550, MediaType.MOVIE, "Fight Club", 1999, "en"))
    document = plan_json(run, "--refresh")
    assert document["stale"] == []
    assert document["counted"] == 31
    assert watched.paths() == ["/3/movie/550"]


def test_an_expired_answer_is_left_out_and_dated(watched: FakeTMDB, run: RunCli) -> None:
    settings = load_settings()
    cache = DiskCache(settings.cache_dir)
    for key in [k for k in cache.entry_keys() if f"/movie/{film(1)}?" in k]:
        entry = cache.get(key)
        assert entry is not None
        cache.set(key, CachedResponse(entry.body, entry.fetched_at - 86400, entry.fetched_at - 1))
    cache.close()
    document = plan_json(run, "--offline")
    assert [(s["title"], s["reason"]) for s in document["stale"]] == [
        ("Plan Film 1 (2020)", "its cached data has expired")
    ]
    assert document["stale"][0]["fetched_at"]
    assert document["ranking"][0] == {**document["ranking"][0], "titles": 11}


def test_the_last_refresh_stands_in_for_a_cleared_cache(watched: FakeTMDB, run: RunCli) -> None:
    before = plan_json(run, "--offline")
    assert run("cache", "clear").exit_code == 0
    result = run("plan", "--offline", "--json")
    assert result.exit_code == 0
    after = json.loads(result.stdout)

    def counts(document: dict[str, Any]) -> list[tuple[str, int]]:
        return [(row["provider_name"], row["titles"]) for row in document["ranking"]]

    assert counts(after) == counts(before)
    assert [p["adds"] for p in after["set"]["picks"]] == [p["adds"] for p in before["set"]["picks"]]
    # The provider lists went with the cache: which services are yours is not known.
    assert "provider lists are not cached" in result.stderr
    assert watched.requests == []


def test_budget_keeps_within_the_prices_set(
    watched: FakeTMDB, run: RunCli, config_dir: Path
) -> None:
    (config_dir / "config.toml").write_text(
        "[prices]\nNetflix = 10.99\n'Prime Video' = 8.99\n'Apple TV+' = 8.99\n'Paramount+' = 6.99\n"
    )
    document = plan_json(run, "--budget", "20")
    paid = [p for p in document["set"]["picks"] if not p["free"]]
    # Most titles a unit of money first: Prime (10 for 8.99), then Netflix's 8 more.
    assert [(p["provider_name"], p["price"]) for p in paid] == [
        ("Amazon Prime Video", 8.99),
        ("Netflix", 10.99),
    ]
    assert document["set"]["cost"] == 19.98
    assert document["set"]["budget"] == 20.0
    netflix = document["ranking"][0]
    assert netflix["titles_per_unit"] == round(12 / 10.99, 4)


def test_budget_prefers_one_dear_service_that_adds_more(
    watched: FakeTMDB, run: RunCli, config_dir: Path
) -> None:
    (config_dir / "config.toml").write_text("[prices]\nNetflix = 10.99\n'Prime Video' = 8.99\n")
    document = plan_json(run, "--budget", "15")
    paid = [p["provider_name"] for p in document["set"]["picks"] if not p["free"]]
    assert paid == ["Netflix"]  # 12 titles, where the cheaper Prime alone gives 10
    assert document["set"]["cost"] <= 15


def test_budget_needs_prices(watched: FakeTMDB, run: RunCli) -> None:
    result = run("plan", "--budget", "20")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--budget needs the monthly prices" in result.stderr
    assert "[prices]" in result.stderr


def test_the_python_api_keeps_the_commands_rules(watched: FakeTMDB, run: RunCli) -> None:
    import wheretowatch
    from wheretowatch.errors import UsageError

    command = run("plan", "--budget", "20")
    with pytest.raises(UsageError) as refused:
        wheretowatch.plan(budget=20)
    assert command.exit_code == 2
    assert refused.value.message in " ".join(command.stderr.split())
    assert refused.value.hint is not None
    assert "config set prices" in refused.value.hint
    # The same default size of the best set, from one place.
    assert wheretowatch.plan().limit == plan_json(run)["set"]["max"] == DEFAULT_LIMIT


def test_a_bad_price_is_a_settings_error_naming_it(
    online: FakeTMDB, run: RunCli, config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WHERETOWATCH_REGION", "GB")
    (config_dir / "config.toml").write_text("[prices]\nNetflix = 10.99\n'Disney Plus' = -3\n")
    result = run("plan")
    assert result.exit_code == 6
    assert result.stdout == ""
    assert "the price of 'Disney Plus' is -3: expected more than 0" in result.stderr
    assert "line 1" in result.stderr


def test_config_shows_the_prices(run: RunCli, config_dir: Path) -> None:
    (config_dir / "config.toml").write_text("[prices]\nNetflix = 10.99\n")
    result = run("config", "--json")
    assert result.exit_code == 0
    setting = json.loads(result.stdout)["settings"]["prices"]
    assert setting["value"] == "Netflix 10.99"
    assert setting["source"].startswith("config file")


def test_config_set_prices_writes_a_table(run: RunCli, config_dir: Path) -> None:
    result = run("config", "set", "prices", "Netflix=10.99", "Disney Plus=7.99")
    assert result.exit_code == 0, result.stderr
    assert load_settings().prices == {"Netflix": 10.99, "Disney Plus": 7.99}


def test_region_all_is_refused(watched: FakeTMDB, run: RunCli) -> None:
    result = run("plan", "--region", "all")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "not every region" in result.stderr


def test_exit_3_when_nothing_streams_in_the_region(watched: FakeTMDB, run: RunCli) -> None:
    result = run("plan", "--region", "JP", "--offline")
    assert result.exit_code == 3
    assert "streams on any service in JP" in result.stdout
    json_result = run("plan", "--region", "JP", "--json")
    assert json_result.exit_code == 3
    assert json.loads(json_result.stdout)["ranking"] == []


def test_python_api_returns_typed_values(watched: FakeTMDB) -> None:
    import wheretowatch

    plan = wheretowatch.plan(region="GB", max_services=1)
    assert isinstance(plan, wheretowatch.Plan)
    assert [pick.service.name for pick in plan.picks] == ["BBC iPlayer", "Pluto TV", "Netflix"]
    assert plan.losses[0].name == "Netflix"
    assert watched.requests == []


# --- the pure computation ---------------------------------------------------------


def _carriage(carried: dict[str, set[str]], **services: Service) -> Carriage:
    keys = sorted({key for held in carried.values() for key in held})
    by_name = {service.name: service for service in services.values()}
    return Carriage(
        regions=("GB",),
        titles=tuple(PlannedTitle(key, key) for key in keys),
        services={s.provider_id: s for s in by_name.values()},
        carried={by_name[name].provider_id: frozenset(held) for name, held in carried.items()},
    )


def test_ties_go_to_more_titles_then_priority_then_name() -> None:
    a = Service(1, "Bravo", priority=5)
    b = Service(2, "Alpha", priority=5)
    c = Service(3, "Charlie", priority=1)
    d = Service(4, "Delta", priority=9)
    carriage = _carriage(
        {"Bravo": {"x", "y"}, "Alpha": {"x", "y"}, "Charlie": {"z"}, "Delta": {"x", "y", "z"}},
        a=a,
        b=b,
        c=c,
        d=d,
    )
    assert [row.service.name for row in rank(carriage)] == ["Delta", "Alpha", "Bravo", "Charlie"]
    # Alpha and Bravo add as much as each other and hold as much: the name decides.
    picks = best_set(_carriage({"Bravo": {"x"}, "Alpha": {"y"}}, a=a, b=b), limit=1)
    assert [pick.service.name for pick in picks] == ["Alpha"]


def test_a_pick_that_adds_nothing_is_not_taken() -> None:
    a = Service(1, "A", priority=1)
    b = Service(2, "B", priority=2)
    picks = best_set(_carriage({"A": {"x", "y"}, "B": {"x"}}, a=a, b=b), limit=3)
    assert [pick.service.name for pick in picks] == ["A"]


def test_losses_without_services_are_empty() -> None:
    plan = make_plan(_carriage({"A": {"x"}}, a=Service(1, "A", priority=1)))
    assert plan.losses == ()
    assert plan.streams_anywhere
