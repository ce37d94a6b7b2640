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

This module runs on every lookup (`my_services` answers at once when no services are
set); the matching itself, in `catalogue`, is imported only when there are names to resolve.
"""

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from wheretowatch.errors import ConfigError, UsageError, WheretowatchError
from wheretowatch.models import Fetched, MediaType, MyServices, Provider, ResolvedService
from wheretowatch.settings.loading import Settings
from wheretowatch.tmdb import TMDBClient

if TYPE_CHECKING:
    from wheretowatch.where.catalogue import ServiceProblem


def my_services(
    client: TMDBClient,
    settings: Settings,
    *,
    on_fetch: Callable[[Fetched[list[Provider]]], object] | None = None,
) -> MyServices:
    """The `services` setting (or --service), resolved against TMDB's provider lists for
    films and series; an unknown or ambiguous name is an error naming the closest ones.

    The lists are cached for a week like every list, so this costs no request on most runs
    (`on_fetch` is shown each list as it comes, to count them).
    """
    if not settings.services:
        return MyServices()
    origin = settings.source("services")
    if origin.startswith("config file"):
        origin = f"the services setting in {settings.config_file}"
    providers: list[Provider] = []
    for media_type in MediaType:
        listed = client.providers(media_type, region=None, language=settings.language)
        if on_fetch is not None:
            on_fetch(listed)
        providers += listed.value
    # The hint names the providers of the region in effect: the list to pick from.
    region = settings.region.codes[0] if settings.region and settings.region.codes else None
    return MyServices(resolve_services(settings.services, providers, origin=origin, region=region))


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
    # Imported here: a lookup with no services set (most scripts) has no use for it.
    from wheretowatch.where.catalogue import Catalogue, ServiceProblem

    catalogue = Catalogue(providers)
    resolved: list[ResolvedService] = []
    problems: list[ServiceProblem] = []
    for given in names:
        name = given.strip()
        found = catalogue.resolve(name)
        if isinstance(found, ServiceProblem):
            problems.append(found)
        else:
            resolved.append(ResolvedService(name, found))
    if problems:
        raise _error(tuple(problems), origin, region)
    return tuple(resolved)


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
