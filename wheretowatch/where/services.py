"""The user's services, resolved once against TMDB's provider list.

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

This module runs on the cached-lookup hot path: it imports nothing heavy.
"""

import unicodedata
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from wheretowatch.errors import ConfigError, UsageError, WheretowatchError
from wheretowatch.models import Provider, ResolvedService

MAX_CANDIDATES = 5
_ADS_TIER = ("with", "ads")


class ServiceProblem(NamedTuple):
    """A name that resolved to no service (`candidates` are the closest) or to several."""

    name: str
    ambiguous: bool
    candidates: tuple[str, ...]

    def describe(self) -> str:
        names = ", ".join(self.candidates[:MAX_CANDIDATES])
        if len(self.candidates) > MAX_CANDIDATES:
            names += ", …"
        if self.ambiguous:
            return f"{self.name!r} (which one: {names}?)"
        if self.name.isascii() and self.name.isdigit():
            return f"{self.name!r} (no provider has that id)"
        return f"{self.name!r} (did you mean {names}?)" if names else f"{self.name!r}"


class ServiceError(WheretowatchError):
    """Some services could not be resolved; never raised itself (see the two below)."""

    def __init__(
        self, message: str, *, problems: tuple[ServiceProblem, ...], region: str | None = None
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
    catalogue = _Catalogue(providers)
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


def covers(services: Iterable[ResolvedService], provider: Provider) -> bool:
    """Whether any of the services covers this provider (by its id)."""
    return any(provider.provider_id in service.provider_ids for service in services)


def _fold_words(name: str) -> tuple[str, ...]:
    """A name as comparable words: "Disney+" -> ("disney", "plus"), "Amélie" -> ("amelie",)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold().replace("+", " plus "))
    # Only Latin-script diacritics go, as in `service.normalize_title`.
    kept = "".join(ch for ch in decomposed if not "\u0300" <= ch <= "\u036f")
    spaced = "".join(ch if ch.isalnum() else " " for ch in unicodedata.normalize("NFC", kept))
    return tuple(spaced.split())


class _Catalogue:
    """TMDB's providers grouped by folded name, with each ads tier under its service."""

    def __init__(self, providers: Sequence[Provider]) -> None:
        self._by_key: dict[str, list[Provider]] = {}
        self._words: dict[str, tuple[str, ...]] = {}
        self._by_id: dict[int, Provider] = {}
        for provider in providers:
            self._by_id.setdefault(provider.provider_id, provider)
            words = _fold_words(provider.provider_name)
            if not words:
                continue
            key = "".join(words)
            self._words.setdefault(key, words)
            group = self._by_key.setdefault(key, [])
            if all(p.provider_id != provider.provider_id for p in group):
                group.append(provider)
        self._base_of = {key: base for key in self._by_key if (base := self._tier_base(key))}

    def resolve(self, name: str) -> tuple[Provider, ...] | ServiceProblem:
        if name.isascii() and name.isdigit():
            return self._resolve_id(name)
        key = "".join(_fold_words(name))
        if key in self._by_key:
            return self._covered(key)
        candidates = self._part_matches(key)
        if len(candidates) == 1:
            return self._covered(candidates[0])
        if candidates:
            return ServiceProblem(name, True, tuple(self._display(c) for c in candidates))
        return ServiceProblem(name, False, self._closest(key))

    def _resolve_id(self, name: str) -> tuple[Provider, ...] | ServiceProblem:
        provider = self._by_id.get(int(name))
        if provider is None:
            return ServiceProblem(name, False, ())
        key = "".join(_fold_words(provider.provider_name))
        return self._covered(key) if key in self._by_key else (provider,)

    def _covered(self, key: str) -> tuple[Provider, ...]:
        tiers = [tier for tier, base in self._base_of.items() if base == key]
        return tuple(p for k in (key, *tiers) for p in self._by_key[k])

    def _tier_base(self, key: str) -> str | None:
        """The service an ads tier belongs to: "Netflix [basic] with Ads" -> "netflix"."""
        words = self._words[key]
        if words[-2:] != _ADS_TIER:
            return None
        # At most one plan word between: "Paramount+ Amazon Channel with Ads" is the
        # channel's tier, not Paramount+'s.
        for base in (words[:-2], words[:-3]):
            if base and "".join(base) in self._by_key:
                return "".join(base)
        return None

    def _part_matches(self, key: str) -> list[str]:
        if not key:
            return []
        found = [k for k, words in self._words.items() if _is_part(key, words)]
        # "prime video" is in "Amazon Prime Video" and in its ads tier: one service.
        return [k for k in found if self._base_of.get(k) not in found]

    def _closest(self, key: str) -> tuple[str, ...]:
        import difflib  # only needed to explain a mistake

        close = difflib.get_close_matches(key, list(self._by_key), n=3, cutoff=0.6)
        return tuple(self._display(k) for k in close)

    def _display(self, key: str) -> str:
        return self._by_key[key][0].provider_name


def _is_part(key: str, words: tuple[str, ...]) -> bool:
    """Whether `key` is some run of whole words: "primevideo" is in amazon|prime|video."""
    return any(
        "".join(words[start:end]) == key
        for start in range(len(words))
        for end in range(start + 1, len(words) + 1)
    )


def _error(problems: tuple[ServiceProblem, ...], origin: str, region: str | None) -> ServiceError:
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
