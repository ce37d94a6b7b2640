"""Which services carry the watched titles: the ranking, the best set, what each is worth.

Pure functions over typed values, no files and no TMDB: `planning` gathers what the
cache knows into a `Carriage`, and `make_plan` decides.

    plan = make_plan(carriage, mine=services, limit=3)
    for pick in plan.picks:
        print(pick.service.name, len(pick.adds))

The best set is the greedy set cover: each step takes the service that adds the most
titles not yet covered (with a budget, the most titles a unit of money, among those that
still fit). Ties go to more titles in all, then TMDB's display priority in the region,
then the name, then the provider id: the same answer every run. Free services (TMDB's
"free" and "ads" kinds of offer) are taken first, and cost nothing; `paid_only` leaves
them out of the set.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from wheretowatch.models import ResolvedService

DEFAULT_LIMIT = 3
# A provider TMDB's lists do not rank sorts after every ranked one.
UNRANKED = 1_000_000


@dataclass(frozen=True, slots=True)
class PlannedTitle:
    """A watched title as the plan counts it (a watched season is a title of its own)."""

    key: str  # "movie/550", "tv/1396/season/2"
    label: str


@dataclass(frozen=True, slots=True)
class Service:
    """A TMDB provider as the plan sees it in the asked regions."""

    provider_id: int
    name: str
    priority: int  # TMDB's display priority in the region: lower comes first
    free: bool = False  # offers the watched titles only free or with ads
    mine: bool = False  # one of the user's services covers it
    price: float | None = None  # a month, from the prices setting

    def sort_key(self) -> tuple[int, str, int]:
        return self.priority, self.name.casefold(), self.provider_id


@dataclass(frozen=True, slots=True)
class Unknown:
    """A watched title left out of the count: nothing cached, or cached too long ago."""

    title: PlannedTitle
    reason: str
    fetched_at: str | None = None  # ISO 8601, when there is old data


@dataclass(frozen=True, slots=True)
class Carriage:
    """What the plan is computed from: which services stream which watched titles."""

    regions: tuple[str, ...]
    titles: tuple[PlannedTitle, ...]  # every title counted, in watchlist order
    services: Mapping[int, Service]
    carried: Mapping[int, frozenset[str]]  # provider id -> keys of the titles it streams
    unknown: tuple[Unknown, ...] = ()


@dataclass(frozen=True, slots=True)
class Ranked:
    """One row of the ranking: a service and the watched titles it streams."""

    service: Service
    titles: tuple[PlannedTitle, ...]

    @property
    def titles_per_unit(self) -> float | None:
        """Titles a unit of money a month; None without a price."""
        price = self.service.price
        return None if price is None else len(self.titles) / price


@dataclass(frozen=True, slots=True)
class Pick:
    """A service of the best set, with the titles it adds to the services before it."""

    service: Service
    adds: tuple[PlannedTitle, ...]


@dataclass(frozen=True, slots=True)
class Loss:
    """One of the user's services: what dropping it loses, and what it shares."""

    name: str
    provider_ids: tuple[int, ...]
    only: tuple[PlannedTitle, ...]  # no other service of the user's streams these
    shared: int  # titles it streams that another of the user's services streams too
    carries: int


@dataclass(frozen=True, slots=True)
class Plan:
    """The answer of `wheretowatch plan`."""

    regions: tuple[str, ...]
    titles: tuple[PlannedTitle, ...]  # counted: their data is known and fresh
    ranking: tuple[Ranked, ...]
    picks: tuple[Pick, ...]
    uncovered: tuple[PlannedTitle, ...]  # stream somewhere, but on none of the picks
    nowhere: tuple[PlannedTitle, ...]  # stream on no service in the regions
    losses: tuple[Loss, ...]
    unknown: tuple[Unknown, ...]
    limit: int | None
    budget: float | None = None
    paid_only: bool = False
    unpriced: tuple[str, ...] = ()  # price names no provider here matches

    @property
    def cost(self) -> float | None:
        """The picks' prices a month, if every paid pick has one."""
        prices = [p.service.price for p in self.picks if not p.service.free]
        if any(price is None for price in prices):
            return None
        return float(sum(_exact(price) for price in prices if price is not None))

    @property
    def streams_anywhere(self) -> bool:
        return bool(self.ranking)


def make_plan(
    carriage: Carriage,
    *,
    mine: Sequence[ResolvedService] = (),
    limit: int | None = DEFAULT_LIMIT,
    budget: float | None = None,
    paid_only: bool = False,
    unpriced: Sequence[str] = (),
) -> Plan:
    """The ranking, the best set within `limit` paid services (None: no limit) and
    `budget`, the user's services' losses, and what is left."""
    ranking = rank(carriage)
    picks = best_set(carriage, limit=limit, budget=budget, paid_only=paid_only)
    covered = {title.key for pick in picks for title in pick.adds}
    streamed = {key for keys in carriage.carried.values() for key in keys}
    left = streamed - covered
    return Plan(
        regions=carriage.regions,
        titles=carriage.titles,
        ranking=ranking,
        picks=picks,
        uncovered=tuple(t for t in carriage.titles if t.key in left),
        nowhere=tuple(t for t in carriage.titles if t.key not in streamed),
        losses=losses(carriage, mine),
        unknown=carriage.unknown,
        limit=limit,
        budget=budget,
        paid_only=paid_only,
        unpriced=tuple(unpriced),
    )


def rank(carriage: Carriage) -> tuple[Ranked, ...]:
    """Every service that streams a watched title, most titles first."""
    rows = [
        Ranked(carriage.services[provider_id], _in_order(carriage.titles, keys))
        for provider_id, keys in carriage.carried.items()
        if keys
    ]
    return tuple(sorted(rows, key=lambda row: (-len(row.titles), *row.service.sort_key())))


def best_set(
    carriage: Carriage,
    *,
    limit: int | None = DEFAULT_LIMIT,
    budget: float | None = None,
    paid_only: bool = False,
) -> tuple[Pick, ...]:
    """The greedy set cover: free services first (unless `paid_only`), then at most
    `limit` paid ones within `budget` (only priced services can be counted against it)."""
    covered: set[str] = set()
    picks: list[Pick] = []
    free = [] if paid_only else [s for s in carriage.services.values() if s.free]
    picks += _greedy(carriage, free, covered, limit=None, budget=None)
    paid = [s for s in carriage.services.values() if not s.free]
    if budget is not None:
        paid = [s for s in paid if s.price is not None]
    chosen = _greedy(carriage, paid, covered, limit=limit, budget=budget)
    if budget is not None:
        chosen = _or_best_single(carriage, paid, covered, chosen, budget)
    return (*picks, *chosen)


def losses(carriage: Carriage, mine: Sequence[ResolvedService]) -> tuple[Loss, ...]:
    """For each of the user's services: the titles only it streams, and how many of its
    titles another of the user's services streams too."""
    carried = [_keys_of(carriage, service.provider_ids) for service in mine]
    found = []
    for index, service in enumerate(mine):
        others: set[str] = set()
        for other, keys in enumerate(carried):
            if other != index:
                others |= keys
        own = carried[index]
        found.append(
            Loss(
                name=service.name,
                provider_ids=tuple(sorted(service.provider_ids)),
                only=_in_order(carriage.titles, own - others),
                shared=len(own & others),
                carries=len(own),
            )
        )
    return tuple(found)


def _greedy(
    carriage: Carriage,
    candidates: Iterable[Service],
    covered: set[str],
    *,
    limit: int | None,
    budget: float | None,
) -> list[Pick]:
    """Pick services one at a time, each the best by what it adds; updates `covered`."""
    left = sorted(candidates, key=Service.sort_key)
    money = None if budget is None else _exact(budget)
    picks: list[Pick] = []
    while left and (limit is None or len(picks) < limit):
        affordable = [
            s for s in left if money is None or s.price is None or _exact(s.price) <= money
        ]
        best = _best(carriage, affordable, covered, by_price=money is not None)
        if best is None:
            break
        adds = carriage.carried.get(best.provider_id, frozenset()) - covered
        covered |= adds
        left.remove(best)
        if money is not None and best.price is not None:
            money -= _exact(best.price)
        picks.append(Pick(best, _in_order(carriage.titles, adds)))
    return picks


def _best(
    carriage: Carriage, candidates: Sequence[Service], covered: set[str], *, by_price: bool
) -> Service | None:
    """The candidate adding the most (a unit of money, `by_price`), ties broken by more
    titles in all, then priority, name and id; None when none adds a title."""
    best: Service | None = None
    best_key: tuple[object, ...] = ()
    for service in candidates:
        keys = carriage.carried.get(service.provider_id, frozenset())
        adds = len(keys - covered)
        if not adds:
            continue
        value = Fraction(adds) / _exact(service.price) if by_price and service.price else adds
        key = (-value, -len(keys), *service.sort_key())
        if best is None or key < best_key:
            best, best_key = service, key
    return best


def _or_best_single(
    carriage: Carriage,
    candidates: Sequence[Service],
    covered: set[str],
    chosen: list[Pick],
    budget: float,
) -> list[Pick]:
    """Greedy by titles a unit of money can miss one dear service that alone adds more
    (the usual guard for a budget): keep whichever of the two adds more titles."""
    before = covered - {title.key for pick in chosen for title in pick.adds}
    money = _exact(budget)
    single: tuple[int, Service] | None = None
    for service in sorted(candidates, key=Service.sort_key):
        if service.price is None or _exact(service.price) > money:
            continue
        adds = len(carriage.carried.get(service.provider_id, frozenset()) - before)
        if single is None or adds > single[0]:
            single = (adds, service)
    greedy_adds = sum(len(pick.adds) for pick in chosen)
    if single is None or single[0] <= greedy_adds:
        return chosen
    service = single[1]
    added = carriage.carried.get(service.provider_id, frozenset()) - before
    covered.clear()
    covered |= before | added
    return [Pick(service, _in_order(carriage.titles, added))]


def _keys_of(carriage: Carriage, provider_ids: Iterable[int]) -> set[str]:
    keys: set[str] = set()
    for provider_id in provider_ids:
        keys |= carriage.carried.get(provider_id, frozenset())
    return keys


def _in_order(titles: Sequence[PlannedTitle], keys: Iterable[str]) -> tuple[PlannedTitle, ...]:
    wanted = set(keys)
    return tuple(title for title in titles if title.key in wanted)


def _exact(amount: float) -> Fraction:
    """A price as the decimal the user wrote: 9.99 + 9.99 is exactly 19.98 here."""
    return Fraction(str(amount))
