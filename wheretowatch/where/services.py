"""The user's services, resolved once against TMDB's provider list.

    mine = my_services(client, settings)   # the services setting (or --service), resolved
    services = resolve_services(["netflix", "prime video", "337"], providers, origin="--service")
    mine = MyServices(services)
    mine.includes(provider)      # by provider id

A name resolves, in this order:

    an id            "8" means what provider 8's own name means
    an exact name    case, accents, spacing and punctuation ignored; "+" reads "plus",
                     so "Disney+" is "Disney Plus" but "Apple TV+" is not "Apple TV"
    a part of one    whole words of exactly one service: "prime video", "iplayer"

A service covers every provider of that name (TMDB lists some twice, under different ids
in different regions) and its ads tiers ("Netflix basic with Ads" belongs to "Netflix").
A channel ("Paramount+ Amazon Channel") is a service of its own.

Every name that resolves to no service, or to several, is collected before one error is
raised naming them all with the closest providers: a `ServiceUsageError` (exit 2) when the
names came from a flag, else a `ServiceConfigError` (exit 6). Catch `ServiceError` for both.

Setup and `config set` store each service with the provider ids it resolved to, beside
its name: "Netflix (8, 1796)". Such an entry needs no provider list (a cold lookup makes
no request for them) and outlives a rename on TMDB's side ("HBO Max" became "Max"). A
name stored without ids that no longer resolves is, in lookups, lists and refreshes, a
warning (its star goes, nothing fails); `doctor` reports it as a problem with the fix.

This module runs on every lookup (`my_services` answers at once when no services are
set); the matching itself, in `catalogue`, is imported only when there are names to resolve.
"""

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from wheretowatch.errors import ConfigError, UsageError, WheretowatchError
from wheretowatch.models import Fetched, MediaType, MyServices, Provider, ResolvedService
from wheretowatch.settings.loading import Settings
from wheretowatch.tmdb import TMDBClient

if TYPE_CHECKING:
    from wheretowatch.where.catalogue import ServiceProblem


_ENTRY = re.compile(r"(?P<name>.*?)\s*\((?P<ids>\d+(?:\s*,\s*\d+)*)\)")


def split_entry(entry: str) -> tuple[str, tuple[int, ...]]:
    """A stored service, "Netflix (8, 1796)", as its name and provider ids (none for a
    bare name)."""
    found = _ENTRY.fullmatch(entry.strip())
    if found is None or not found["name"]:
        return entry.strip(), ()
    return found["name"], tuple(int(i) for i in found["ids"].split(","))


def service_entry(service: ResolvedService) -> str:
    """A resolved service as setup and `config set` store it: its name and its ids."""
    ids = ", ".join(str(i) for i in sorted(service.provider_ids))
    name = service.name
    if name.isascii() and name.isdigit() and service.providers:
        name = service.providers[0].provider_name  # "2" was typed: its name, for people
    return f"{name} ({ids})" if ids else name


def my_services(
    client: TMDBClient,
    settings: Settings,
    *,
    on_fetch: Callable[[Fetched[list[Provider]]], object] | None = None,
    warn: Callable[[str], None] | None = None,
    verify: bool = False,
) -> MyServices:
    """The `services` setting (or --service), resolved against TMDB's provider lists for
    films and series; an unknown or ambiguous name is an error naming the closest ones.
    Given `warn`, such a name in a setting (not a flag) is a warning instead, and the rest
    are resolved: a provider renamed on TMDB loses its star, the lookup goes on.

    Entries stored with their ids need no list at all (unless `verify`, as `doctor` does:
    are those ids still TMDB's?); the lists, when needed, are cached for their lifetime,
    so this costs no request on most runs (`on_fetch` is shown each list as it comes, to
    count them).
    """
    if not settings.services:
        return MyServices()
    entries = [split_entry(entry) for entry in settings.services]
    if not verify and all(ids for _, ids in entries):
        return MyServices(tuple(_by_ids(name, ids) for name, ids in entries))
    origin = settings.source("services")
    if origin.startswith("config file"):
        origin = f"the services setting in {settings.config_file}"
    providers = all_providers(client, language=settings.language, on_fetch=on_fetch)
    # The hint names the providers of the region in effect: the list to pick from.
    region = settings.region.codes[0] if settings.region and settings.region.codes else None
    if warn is None or origin.startswith("-"):
        return MyServices(
            resolve_services(settings.services, providers, origin=origin, region=region)
        )
    resolved, problems = _resolve_each(settings.services, providers)
    if problems:
        error = _error(problems, origin, region)
        warn(f"{error.message} Not marked as yours. {error.hint}")
    return MyServices(resolved)


def _by_ids(name: str, ids: tuple[int, ...]) -> ResolvedService:
    """A service stored with its provider ids: matched by id, whatever TMDB calls it now."""
    return ResolvedService(name, tuple(Provider(i, name, 0) for i in ids))


class ServiceError(WheretowatchError):
    """Some services could not be resolved; never raised itself (see the two below)."""

    def __init__(
        self, message: str, *, problems: "tuple[ServiceProblem, ...]", region: str | None = None
    ) -> None:
        super().__init__(message, hint=_hint(region))
        self.problems = problems


def _hint(region: str | None) -> str:
    """Where to find the right names: the providers of the region in effect, if any."""
    command = f"wheretowatch providers --region {region}" if region else "wheretowatch providers"
    return f"Use a provider's name or id: `{command}` lists them."


class ServiceUsageError(ServiceError, UsageError):
    """From a flag such as --service: exit 2."""


class ServiceConfigError(ServiceError, ConfigError):
    """From a setting (config file or environment): exit 6."""


def resolve_services(
    names: Sequence[str],
    providers: Sequence[Provider],
    *,
    origin: str,
    region: str | None = None,
) -> tuple[ResolvedService, ...]:
    """Resolve each name to the providers it covers, in the order given.

    `origin` says where the names came from, for the error: a flag (an origin starting
    with "-", such as "--service") gives a `ServiceUsageError`; anything else ("the
    services setting in /path/config.toml") a `ServiceConfigError`. Raises once, naming
    every unknown or ambiguous name; its hint lists the providers of `region`, the region
    in effect, when one is given.
    """
    if isinstance(names, str):
        raise TypeError("names must be a sequence of names, not one string")
    resolved, problems = _resolve_each(names, providers)
    if problems:
        raise _error(problems, origin, region)
    return resolved


def _resolve_each(
    entries: Sequence[str], providers: Sequence[Provider]
) -> "tuple[tuple[ResolvedService, ...], tuple[ServiceProblem, ...]]":
    """Each entry resolved by its stored ids first (those TMDB still lists), else by its
    name; those that resolve, and the problems of those that do not."""
    # Imported here: a lookup with no services set (most scripts) has no use for it.
    from wheretowatch.where.catalogue import Catalogue, ServiceProblem

    catalogue = Catalogue(providers)
    listed = {provider.provider_id for provider in providers}
    resolved: list[ResolvedService] = []
    problems: list[ServiceProblem] = []
    for given in entries:
        name, ids = split_entry(given)
        if ids and any(i in listed for i in ids):
            resolved.append(
                ResolvedService(name, tuple(p for p in providers if p.provider_id in ids))
            )
            continue
        found = catalogue.resolve(name)
        if isinstance(found, ServiceProblem):
            problems.append(found)
        else:
            resolved.append(ResolvedService(name, found))
    return tuple(resolved), tuple(problems)


def _error(problems: "tuple[ServiceProblem, ...]", origin: str, region: str | None) -> ServiceError:
    kinds = {problem.ambiguous for problem in problems}
    if len(problems) == 1:
        label = "Ambiguous service" if problems[0].ambiguous else "Unknown service"
    else:
        label = {
            frozenset({True}): f"{len(problems)} ambiguous services",
            frozenset({False}): f"{len(problems)} unknown services",
        }.get(frozenset(kinds), f"{len(problems)} unknown or ambiguous services")
    described = "; ".join(problem.describe() for problem in problems)
    message = f"{label} in {origin}: {described}."
    # A flag is typed on the command line; anything else is a setting somewhere.
    error = ServiceUsageError if origin.startswith("-") else ServiceConfigError
    return error(message, problems=problems, region=region)


def all_providers(
    client: TMDBClient,
    *,
    language: str,
    region: str | None = None,
    on_fetch: Callable[[Fetched[list[Provider]]], object] | None = None,
) -> list[Provider]:
    """Every provider TMDB lists for films and for series (in `region`, or anywhere): the
    names services are matched against. Two lists, cached for their lifetime."""
    providers: list[Provider] = []
    for media_type in MediaType:
        listed = client.providers(media_type, region=region, language=language)
        if on_fetch is not None:
            on_fetch(listed)
        providers += listed.value
    return providers
