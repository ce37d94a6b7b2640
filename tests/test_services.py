"""The user's services resolved against TMDB's provider list: names, ids, tiers, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import RunCli
from tests.fake_tmdb import FakeTMDB
from wheretowatch.errors import ConfigError, ExitCode, UsageError
from wheretowatch.models import MyServices, Provider, ResolvedService
from wheretowatch.where.catalogue import ServiceProblem
from wheretowatch.where.services import (
    ServiceConfigError,
    ServiceError,
    ServiceUsageError,
    resolve_services,
)


def provider(provider_id: int, name: str, priority: int = 10) -> Provider:
    return Provider(provider_id, name, priority)


# Shaped after /watch/providers/movie: some services under two ids (one per region group),
# the same provider twice (two regions), ads tiers and channels next to their service.
PROVIDERS = [
    provider(8, "Netflix", 1),
    provider(1796, "Netflix basic with Ads"),
    provider(1797, "Netflix Standard with Ads"),
    provider(9, "Amazon Prime Video", 2),
    provider(119, "Amazon Prime Video", 3),
    provider(2100, "Amazon Prime Video with Ads"),
    provider(10, "Amazon Video"),
    provider(337, "Disney Plus"),
    provider(531, "Paramount Plus"),
    provider(1853, "Paramount Plus Apple TV Channel"),
    provider(582, "Paramount+ Amazon Channel"),
    provider(38, "BBC iPlayer"),
    provider(350, "Apple TV+"),
    provider(2, "Apple TV"),
    provider(11, "MUBI"),
    provider(201, "MUBI Amazon Channel"),
    provider(1967, "Canal+ Séries"),
    provider(8, "Netflix", 4),
]


def ids(name: str) -> set[int]:
    [service] = resolve_services([name], PROVIDERS, origin="--service")
    return set(service.provider_ids)


RESOLVED = [
    # (name, provider ids it covers)
    ("Netflix", {8, 1796, 1797}),
    ("Apple TV", {2}),
    ("Apple TV+", {350}),
    ("MUBI", {11}),
    ("Amazon Video", {10}),
    ("Netflix basic with Ads", {1796}),
    ("Paramount+ Amazon Channel", {582}),
]


@pytest.mark.parametrize(("name", "covered"), RESOLVED)
def test_an_exact_name_covers_its_providers(name: str, covered: set[int]) -> None:
    assert ids(name) == covered


@pytest.mark.parametrize(
    ("name", "covered"),
    [("8", {8, 1796, 1797}), ("350", {350}), ("2", {2}), ("119", {9, 119, 2100}), ("1796", {1796})],
)
def test_an_id_means_what_that_providers_name_means(name: str, covered: set[int]) -> None:
    assert ids(name) == covered


@pytest.mark.parametrize(
    ("name", "covered"),
    [
        ("NETFLIX", {8, 1796, 1797}),
        ("  netflix!  ", {8, 1796, 1797}),
        ("Disney+", {337}),
        ("disney plus", {337}),
        ("DISNEY-PLUS", {337}),
        ("DisneyPlus", {337}),
        ("bbc-iplayer", {38}),
        ("BBCiPlayer", {38}),
        ("paramount+", {531}),
        ("Paramount Plus", {531}),
        ("apple tv plus", {350}),
        ("appletv", {2}),
        ("Canal+ Series", {1967}),
        ("canal plus séries", {1967}),
        ("ｎｅｔｆｌｉｘ", {8, 1796, 1797}),  # full-width, as some input methods type it
    ],
)
def test_names_match_ignoring_case_spacing_punctuation_and_accents(
    name: str, covered: set[int]
) -> None:
    assert ids(name) == covered


@pytest.mark.parametrize(
    ("name", "covered"),
    [
        ("prime video", {9, 119, 2100}),
        ("primevideo", {9, 119, 2100}),
        ("iplayer", {38}),
        ("bbc", {38}),
        ("disney", {337}),
        ("basic", {1796}),
        ("Standard with Ads", {1797}),
    ],
)
def test_an_unambiguous_part_of_a_name_matches_on_whole_words(name: str, covered: set[int]) -> None:
    assert ids(name) == covered


@pytest.mark.parametrize("name", ["flix", "ime vid", "player", "disn"])
def test_a_part_inside_a_word_matches_nothing(name: str) -> None:
    with pytest.raises(ServiceUsageError) as raised:
        resolve_services([name], PROVIDERS, origin="--service")
    assert not raised.value.problems[0].ambiguous


def test_a_service_covers_its_ads_tiers_but_a_tier_covers_only_itself() -> None:
    assert {1796, 1797} <= ids("Netflix")
    assert 2100 in ids("Amazon Prime Video")
    assert ids("Netflix Standard with Ads") == {1797}


@pytest.mark.parametrize(
    ("name", "not_covered"),
    [("Paramount+", {582, 1853}), ("MUBI", {201}), ("Apple TV", {350, 1853}), ("Netflix", {2})],
)
def test_a_channel_is_a_service_of_its_own(name: str, not_covered: set[int]) -> None:
    assert not ids(name) & not_covered


def test_an_exact_name_wins_over_part_matches() -> None:
    # "Apple TV" is also part of "Apple TV+" and "Paramount Plus Apple TV Channel".
    assert ids("apple tv") == {2}
    assert ids("mubi") == {11}


def test_a_name_listed_twice_under_two_ids_is_one_service() -> None:
    [service] = resolve_services(["Amazon Prime Video"], PROVIDERS, origin="--service")
    assert service.provider_ids == {9, 119, 2100}
    assert [p.provider_id for p in service.providers] == [9, 119, 2100]


def test_the_same_provider_listed_twice_is_covered_once() -> None:
    [service] = resolve_services(["Netflix"], PROVIDERS, origin="--service")
    assert [p.provider_id for p in service.providers] == [8, 1796, 1797]


def test_services_keep_the_users_names_and_order() -> None:
    resolved = resolve_services([" disney ", "8", "BBC iPlayer"], PROVIDERS, origin="--service")
    assert [s.name for s in resolved] == ["disney", "8", "BBC iPlayer"]


def test_no_names_resolve_to_no_services() -> None:
    assert resolve_services([], PROVIDERS, origin="--service") == ()


@pytest.mark.parametrize(
    ("name", "suggested"),
    [("Netflx", "Netflix"), ("Disny Plus", "Disney Plus"), ("BBC iPlyer", "BBC iPlayer")],
)
def test_an_unknown_name_is_reported_with_the_closest_providers(name: str, suggested: str) -> None:
    with pytest.raises(ServiceUsageError) as raised:
        resolve_services([name], PROVIDERS, origin="--service")
    assert raised.value.message.startswith(f"Unknown service in --service: {name!r}")
    assert f"did you mean {suggested}" in raised.value.message
    assert raised.value.problems[0].candidates[0] == suggested
    assert raised.value.hint


def test_an_unknown_name_far_from_every_provider_suggests_nothing() -> None:
    with pytest.raises(ServiceUsageError) as raised:
        resolve_services(["Hulu"], PROVIDERS, origin="--service")
    assert raised.value.message == "Unknown service in --service: 'Hulu'."
    assert raised.value.problems == (ServiceProblem("Hulu", False, ()),)


def test_an_unknown_id_says_no_provider_has_it() -> None:
    with pytest.raises(ServiceUsageError, match="'12345' \\(no provider has that id\\)"):
        resolve_services(["12345"], PROVIDERS, origin="--service")


@pytest.mark.parametrize(
    ("name", "candidates"),
    [
        (
            "amazon",
            (
                "Amazon Prime Video",
                "Amazon Video",
                "Paramount+ Amazon Channel",
                "MUBI Amazon Channel",
            ),
        ),
        (
            "paramount",
            ("Paramount Plus", "Paramount Plus Apple TV Channel", "Paramount+ Amazon Channel"),
        ),
        (
            "with ads",
            ("Netflix basic with Ads", "Netflix Standard with Ads", "Amazon Prime Video with Ads"),
        ),
    ],
)
def test_an_ambiguous_name_is_reported_with_its_candidates_never_picked(
    name: str, candidates: tuple[str, ...]
) -> None:
    with pytest.raises(ServiceUsageError) as raised:
        resolve_services([name], PROVIDERS, origin="--service")
    assert raised.value.problems == (ServiceProblem(name, True, candidates),)
    assert raised.value.message == (
        f"Ambiguous service in --service: {name!r} (which one: {', '.join(candidates)}?)."
    )


def test_an_ambiguous_name_shows_at_most_five_candidates() -> None:
    many = [provider(i, f"Channel {i}") for i in range(1, 8)]
    with pytest.raises(ServiceUsageError) as raised:
        resolve_services(["channel"], many, origin="--service")
    assert len(raised.value.problems[0].candidates) == 7
    assert "Channel 5, …?" in raised.value.message
    assert "Channel 6" not in raised.value.message


def test_every_bad_name_is_reported_in_one_error() -> None:
    with pytest.raises(ServiceUsageError) as raised:
        resolve_services(
            ["Netflx", "Netflix", "amazon", "Hulu", "12345"], PROVIDERS, origin="--service"
        )
    error = raised.value
    assert [p.name for p in error.problems] == ["Netflx", "amazon", "Hulu", "12345"]
    assert error.message.startswith("4 unknown or ambiguous services in --service: 'Netflx'")
    for shown in ("did you mean Netflix", "which one: Amazon Prime Video", "'Hulu'", "'12345'"):
        assert shown in error.message


def test_several_unknown_names_are_counted_as_unknown() -> None:
    with pytest.raises(ServiceUsageError, match=r"^2 unknown services in --service"):
        resolve_services(["Hulu", "Crunchyroll"], PROVIDERS, origin="--service")


def test_names_from_a_flag_are_a_usage_error() -> None:
    with pytest.raises(UsageError) as raised:
        resolve_services(["Hulu"], PROVIDERS, origin="--service")
    assert isinstance(raised.value, ServiceError)
    assert not isinstance(raised.value, ConfigError)
    assert raised.value.exit_code == ExitCode.USAGE
    assert raised.value.code == "usage"


def test_names_from_a_setting_are_a_config_error_naming_the_file() -> None:
    origin = "the services setting in /home/me/.config/wheretowatch/config.toml"
    with pytest.raises(ServiceConfigError) as raised:
        resolve_services(["Netflix", "Hulu"], PROVIDERS, origin=origin)
    assert isinstance(raised.value, ConfigError)
    assert not isinstance(raised.value, UsageError)
    assert raised.value.exit_code == ExitCode.CONFIG
    assert raised.value.code == "config"
    assert raised.value.message == f"Unknown service in {origin}: 'Hulu'."


def test_a_single_string_is_refused_rather_than_read_letter_by_letter() -> None:
    with pytest.raises(TypeError):
        resolve_services("Netflix", PROVIDERS, origin="--service")


def test_my_services_includes_by_provider_id_and_is_false_when_empty() -> None:
    mine = MyServices(resolve_services(["netflix", "iplayer"], PROVIDERS, origin="--service"))
    assert mine
    assert mine.includes(provider(1796, "Netflix basic with Ads"))
    assert mine.includes(provider(38, "BBC iPlayer"))
    assert not mine.includes(provider(337, "Disney Plus"))
    assert not MyServices()
    assert not MyServices().includes(provider(8, "Netflix"))


def test_my_services_compare_by_their_services() -> None:
    netflix = ResolvedService("Netflix", (provider(8, "Netflix"),))
    assert MyServices((netflix,)) == MyServices((netflix,))
    assert MyServices((netflix,)) != MyServices()


NAMES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["Netflix", "+", "with Ads", "tv", "8", "０", "Amazon", " ", ""]),
)
PROVIDER_LISTS = st.lists(
    st.builds(provider, st.integers(0, 3000), st.one_of(NAMES, st.sampled_from(["Netflix"]))),
    max_size=20,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(NAMES, max_size=5), st.one_of(PROVIDER_LISTS, st.just(PROVIDERS)))
def test_resolving_raises_nothing_but_a_service_error(
    names: list[str], providers: list[Provider]
) -> None:
    problems: tuple[ServiceProblem, ...] = ()
    try:
        resolved = resolve_services(names, providers, origin="--service")
    except ServiceError as error:
        problems = error.problems
    if problems:
        assert {p.name for p in problems} <= {name.strip() for name in names}
        return
    known = {p.provider_id for p in providers}
    assert len(resolved) == len(names)
    for service in resolved:
        assert service.providers
        assert service.provider_ids <= known


# ---- through the command line, against the fake TMDB's provider list ----------------------


def _resolved(run: RunCli, *names: str) -> dict[str, list[str]]:
    flags = [arg for name in names for arg in ("--service", name)]
    result = run("providers", "--json", *flags)
    assert result.exit_code == 0, result.stdout + result.stderr
    services = json.loads(result.stdout)["services"]
    return {s["name"]: [p["provider_name"] for p in s["providers"]] for s in services}


@pytest.mark.usefixtures("online")
@pytest.mark.parametrize(
    ("name", "covered"),
    [
        ("Netflix", ["Netflix", "Netflix basic with Ads", "Netflix Standard with Ads"]),
        ("8", ["Netflix", "Netflix basic with Ads", "Netflix Standard with Ads"]),
        ("prime video", ["Amazon Prime Video"]),
        ("bbc-iplayer", ["BBC iPlayer"]),
        ("Netflix Standard with Ads", ["Netflix Standard with Ads"]),
        ("Paramount Plus", ["Paramount Plus"]),
        ("paramount+ amazon channel", ["Paramount+ Amazon Channel"]),
    ],
)
def test_the_cli_resolves_exact_part_ads_tier_and_channel_names(
    run: RunCli, name: str, covered: list[str]
) -> None:
    assert _resolved(run, name) == {name: covered}


@pytest.mark.usefixtures("online")
def test_providers_shows_what_each_service_covers(run: RunCli) -> None:
    result = run("providers", "-s", "netflix", "-s", "prime video")
    assert result.exit_code == 0
    assert "Your services (--service), marked ★:" in result.stdout
    assert "netflix: Netflix, Netflix basic with Ads, Netflix Standard with Ads" in result.stdout
    assert "prime video: Amazon Prime Video" in result.stdout


@pytest.mark.usefixtures("online")
def test_an_unknown_or_ambiguous_service_flag_exits_2_naming_the_closest(run: RunCli) -> None:
    result = run("Drawing Closer", "-r", "GB", "-s", "netflx", "-s", "paramount")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "'netflx' (did you mean Netflix?)" in result.stderr
    assert (
        "'paramount' (which one: Paramount Plus, Paramount Plus Apple TV Channel, "
        "Paramount+ Amazon Channel?)" in result.stderr
    )


@pytest.mark.usefixtures("online")
def test_an_unknown_service_in_the_config_file_is_a_warning_naming_file_and_key(
    run: RunCli, config_dir: Path
) -> None:
    path = config_dir / "config.toml"
    path.write_text('services = ["Netflix", "Disny Plus"]\n')
    result = run("Drawing Closer", "-r", "GB")
    assert result.exit_code == 0
    assert "Netflix ★" in result.stdout  # the services that resolve keep their star
    assert f"warning: Unknown service in the services setting in {path}" in result.stderr
    assert "'Disny Plus' (did you mean Disney Plus?)" in result.stderr
    assert "Not marked as yours." in result.stderr


@pytest.mark.usefixtures("online")
def test_providers_lists_the_providers_despite_a_bad_services_setting(
    run: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WHERETOWATCH_SERVICES", "Netflx")
    result = run("providers", "--region", "GB")
    assert result.exit_code == 0
    assert "Netflix" in result.stdout
    assert "Your services" not in result.stdout
    assert "warning: Unknown service in WHERETOWATCH_SERVICES" in result.stderr
    assert "'Netflx' (did you mean Netflix?)" in result.stderr


@pytest.mark.usefixtures("online")
def test_a_bad_service_flag_still_stops_providers(run: RunCli) -> None:
    result = run("providers", "--service", "Netflx")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "'Netflx' (did you mean Netflix?)" in result.stderr


@pytest.mark.usefixtures("online")
def test_the_services_hint_names_the_region_in_effect(
    run: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WHERETOWATCH_SERVICES", "Netflx")
    monkeypatch.setenv("WHERETOWATCH_REGION", "JP,GB")
    result = run("Drawing Closer")
    assert result.exit_code == 0
    assert "Drawing Closer" in result.stdout
    assert "Use a provider's name or id: `wheretowatch providers --region JP`" in (result.stderr)
    assert "XX" not in result.stderr


def test_without_a_region_the_services_hint_names_the_whole_list() -> None:
    with pytest.raises(ServiceUsageError) as raised:
        resolve_services(["Netflx"], PROVIDERS, origin="--service")
    assert raised.value.hint == "Use a provider's name or id: `wheretowatch providers` lists them."


# ---- services stored with their ids (#24: renames, request counts) ----------------------


@pytest.mark.usefixtures("online")
def test_a_service_stored_with_its_ids_survives_a_rename_and_needs_no_list(
    run: RunCli, config_dir: Path, fake: FakeTMDB
) -> None:
    # TMDB now calls provider 8 "Netflix"; the file still says the old name.
    (config_dir / "config.toml").write_text('services = ["Netflix Classic (8, 1796)"]\n')
    result = run("Drawing Closer", "-r", "GB")
    assert result.exit_code == 0
    assert "Netflix ★" in result.stdout
    assert result.stderr == ""
    # A cold lookup: the search and the details, and no provider list.
    assert fake.paths() == ["/3/search/multi", "/3/movie/1291559"]


@pytest.mark.usefixtures("online")
def test_a_name_that_no_longer_resolves_is_a_warning_in_lookups_lists_and_refresh(
    run: RunCli, config_dir: Path
) -> None:
    path = config_dir / "config.toml"
    path.write_text('services = ["HBO Max (99999)", "Netflix (8)"]\n')
    assert run("watchlist", "add", "Drawing Closer", "-r", "GB").exit_code == 0
    looked_up = run("Drawing Closer", "-r", "GB")
    listed = run("watchlist", "list")
    refreshed = run("refresh")
    for result in (looked_up, listed, refreshed):
        assert result.exit_code in (0, 5), result.stderr
    # Stored with ids: nothing to warn about until the ids are checked (doctor does).
    path.write_text('services = ["HBO Max", "Netflix (8)"]\n')
    looked_up = run("Drawing Closer", "-r", "GB")
    listed = run("watchlist", "list")
    refreshed = run("refresh")
    for result in (looked_up, listed, refreshed):
        assert result.exit_code in (0, 5), result.stderr
        assert "warning: Unknown service in the services setting" in result.stderr
        assert "'HBO Max'" in result.stderr
    assert "Netflix ★" in looked_up.stdout


@pytest.mark.usefixtures("online")
def test_doctor_reports_a_service_whose_ids_and_name_are_gone(
    run: RunCli, config_dir: Path
) -> None:
    (config_dir / "config.toml").write_text('services = ["HBO Max (99999)", "Netflix (8)"]\n')
    result = run("doctor")
    assert result.exit_code == 6
    assert "'HBO Max'" in result.stdout + result.stderr


@pytest.mark.usefixtures("online")
def test_refresh_flag_refreshes_the_title_not_the_provider_lists(
    run: RunCli, monkeypatch: pytest.MonkeyPatch, fake: FakeTMDB
) -> None:
    monkeypatch.setenv("WHERETOWATCH_SERVICES", "Netflix")
    assert run("Drawing Closer", "-r", "GB").exit_code == 0
    fake.requests.clear()
    assert run("Drawing Closer", "-r", "GB", "--refresh").exit_code == 0
    assert not [p for p in fake.paths() if p.startswith("/3/watch/providers")]
    assert "/3/movie/1291559" in fake.paths()
    fake.requests.clear()
    assert run("providers", "--refresh").exit_code == 0
    assert fake.paths() == ["/3/watch/providers/movie"]
