"""`plan`: which services to pay for, from what is known of the watched titles.

    from wheretowatch.settings.loading import load_settings
    from wheretowatch.lists import planning

    plan = planning.plan(load_settings(), max_services=2)  # 0 requests
    for pick in plan.picks:
        print(pick.service.name, [title.label for title in pick.adds])

By default nothing is asked of TMDB: each watched title's offers come from the cache
(the last lookup or refresh of it), else from the snapshot the last refresh kept. A title
with neither, or whose data is older than an answer stays fresh (`ttl_title`, else TMDB's
max-age), is left out of the count and named. With `refresh`, those are fetched first, as
`watchlist list` fetches them: under the shared rate limit, fresh answers costing nothing.

What is decided from the offers is `coverage`; this module only gathers them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from wheretowatch.errors import ConfigError, UsageError, WheretowatchError
from wheretowatch.lists import availability
from wheretowatch.lists.coverage import (
    DEFAULT_LIMIT,
    UNRANKED,
    Carriage,
    Plan,
    PlannedTitle,
    Service,
    Unknown,
    make_plan,
)
from wheretowatch.lists.snapshots import Snapshot, Snapshots
from wheretowatch.models import STREAMING, Category, MediaType, Provider, RegionOffers
from wheretowatch.models import RegionSelection as Regions
from wheretowatch.settings.client import open_client
from wheretowatch.settings.loading import Settings
from wheretowatch.tmdb import DEFAULT_TTL, CacheMode, Kind, NotCachedError

# What refreshes the titles left out, named beside them.
REFRESH_COMMAND = "wheretowatch plan --refresh"
_FREE = (Category.FREE, Category.ADS)


def plan(
    settings: Settings,
    *,
    max_services: int | None = None,
    budget: float | None = None,
    paid_only: bool = False,
    refresh: bool = False,
    warn: Callable[[str], None] = lambda message: None,
    on_start: Callable[[int], None] = lambda total: None,
    on_progress: Callable[[], None] = lambda: None,
) -> Plan:
    """The plan for the region setting (a few codes, not all): at most `max_services`
    paid services in the best set (DEFAULT_LIMIT, or no limit with a `budget`, which
    needs the prices setting). 0 requests unless `refresh`."""
    regions = settings.require_region()
    check_regions(regions)
    limit = _limit(max_services, budget, settings)
    listing = availability.check(
        settings,
        offline=not refresh,
        warn=warn,
        on_start=on_start,
        on_progress=on_progress,
        regions=regions,
    )
    gathered = _gather(listing.titles, settings, regions.codes)
    listed = _listed_priorities(settings, regions.codes, warn)
    providers = {**gathered.providers, **{p.provider_id: p for p in listed.values()}}
    prices, unpriced = match_prices(settings.prices, providers.values())
    services = {
        provider_id: Service(
            provider_id=provider_id,
            name=provider.provider_name,
            priority=listed[provider_id].display_priority
            if provider_id in listed
            else gathered.priorities.get(provider_id, UNRANKED),
            free=provider_id not in gathered.paid,
            mine=listing.services.includes(provider),
            price=prices.get(provider_id),
        )
        for provider_id, provider in gathered.providers.items()
    }
    carriage = Carriage(
        regions=regions.codes,
        titles=tuple(gathered.titles),
        services=services,
        carried={pid: frozenset(keys) for pid, keys in gathered.carried.items()},
        unknown=tuple(gathered.unknown),
    )
    return make_plan(
        carriage,
        mine=listing.services.services,
        limit=limit,
        budget=budget,
        paid_only=paid_only,
        unpriced=unpriced,
    )


def _limit(max_services: int | None, budget: float | None, settings: Settings) -> int | None:
    """How many paid services the best set may have: as asked, else DEFAULT_LIMIT, or no
    limit when a budget bounds it instead (which needs prices: TMDB has none)."""
    if budget is not None and not settings.prices:
        raise UsageError(
            "--budget needs the monthly prices of the services, and none are set.",
            hint="TMDB has no prices: add them to the config file, as [prices] then a "
            "line each such as Netflix = 10.99 (or `wheretowatch config set prices "
            'Netflix=10.99 "Disney Plus=7.99"`).',
        )
    if max_services is not None:
        return max_services
    return None if budget is not None else DEFAULT_LIMIT


def check_regions(regions: Regions) -> None:
    """A plan is for where you pay: a few regions, never every one."""
    if not regions.all_regions and regions.codes:
        return
    message = "A plan is for the regions you subscribe in, not every region."
    hint = "Pass --region GB (or a few: GB,IE)."
    if regions.source.startswith("-"):
        raise UsageError(message, hint=hint)
    raise ConfigError(f"{message} Your region setting is {regions.describe()}.", hint=hint)


def match_prices(
    prices: Mapping[str, float], providers: Iterable[Provider]
) -> tuple[dict[int, float], tuple[str, ...]]:
    """Each provider's price, by the name the user gave it (resolved as services are:
    "Disney+" is Disney Plus, Netflix covers its ads tiers); and the names matching none."""
    if not prices:
        return {}, ()
    from wheretowatch.where.catalogue import Catalogue, ServiceProblem

    catalogue = Catalogue(list(providers))
    found: dict[int, float] = {}
    unmatched = []
    for name, price in prices.items():
        resolved = catalogue.resolve(name)
        if isinstance(resolved, ServiceProblem):
            unmatched.append(name)
            continue
        for provider in resolved:
            found.setdefault(provider.provider_id, price)
    return found, tuple(unmatched)


@dataclass
class _Gathered:
    titles: list[PlannedTitle] = field(default_factory=list)
    unknown: list[Unknown] = field(default_factory=list)
    providers: dict[int, Provider] = field(default_factory=dict)
    carried: dict[int, set[str]] = field(default_factory=dict)
    priorities: dict[int, int] = field(default_factory=dict)
    paid: set[int] = field(default_factory=set)  # streams some title on a subscription


def _gather(
    entries: Sequence[availability.TitleAvailability], settings: Settings, codes: Sequence[str]
) -> _Gathered:
    gathered = _Gathered()
    snapshots: dict[str, Snapshot] | None = None
    for entry in entries:
        title = PlannedTitle(entry.title.key, entry.title.label)
        result = entry.result
        if result is not None and result.stale:
            when = result.fetched_at.isoformat(timespec="seconds")
            gathered.unknown.append(Unknown(title, "its cached data has expired", when))
            continue
        if result is not None:
            offers: Mapping[str, RegionOffers] = result.availability
        elif isinstance(entry.error, NotCachedError):
            if snapshots is None:  # read only when the cache misses a title
                snapshots = Snapshots(settings.data_dir).load()
            found = _from_snapshot(snapshots.get(entry.title.key), settings, codes)
            if isinstance(found, Unknown):
                gathered.unknown.append(Unknown(title, found.reason, found.fetched_at))
                continue
            offers = found
        else:
            why = entry.error.message if entry.error else "it could not be looked up"
            gathered.unknown.append(Unknown(title, why))
            continue
        gathered.titles.append(title)
        _count(gathered, title, offers, codes)
    return gathered


def _count(
    gathered: _Gathered,
    title: PlannedTitle,
    offers: Mapping[str, RegionOffers],
    codes: Sequence[str],
) -> None:
    for code in codes:
        region = offers.get(code)
        if region is None:
            continue
        for category in STREAMING:
            for provider in region.providers(category):
                pid = provider.provider_id
                gathered.providers.setdefault(pid, provider)
                gathered.carried.setdefault(pid, set()).add(title.key)
                if category not in _FREE:
                    gathered.paid.add(pid)
                known = gathered.priorities.get(pid, UNRANKED)
                gathered.priorities[pid] = min(known, provider.display_priority)


def _from_snapshot(
    snapshot: Snapshot | None, settings: Settings, codes: Sequence[str]
) -> Mapping[str, RegionOffers] | Unknown:
    """The offers the last refresh saw, if it looked in these regions and lately enough."""
    placeholder = PlannedTitle("", "")
    if snapshot is None:
        return Unknown(placeholder, "nothing is cached for it")
    if not (snapshot.all_regions or set(codes) <= set(snapshot.regions_checked)):
        return Unknown(placeholder, "the last refresh did not look in these regions")
    try:
        fetched = datetime.fromisoformat(snapshot.fetched_at)
    except ValueError:
        return Unknown(placeholder, "nothing is cached for it")
    fresh_for = settings.ttl.get(Kind.TITLE, DEFAULT_TTL[Kind.TITLE])
    age = (datetime.now(UTC) - fetched).total_seconds()
    if age > fresh_for:
        return Unknown(
            placeholder, "its data from the last refresh is too old", snapshot.fetched_at
        )
    return snapshot.offers


def _listed_priorities(
    settings: Settings, codes: Sequence[str], warn: Callable[[str], None]
) -> dict[int, Provider]:
    """Each provider as TMDB's cached provider lists rank it in the first region that
    lists it; none if the lists are not cached (the offers' own priorities stand in)."""
    listed: dict[int, Provider] = {}
    with open_client(settings, mode=CacheMode.OFFLINE, warn=warn) as cache:
        for code in codes:
            for media_type in MediaType:
                try:
                    providers = cache.providers(media_type, region=code, language=settings.language)
                except WheretowatchError:
                    continue
                for provider in providers.value:
                    listed.setdefault(provider.provider_id, provider)
    return listed
