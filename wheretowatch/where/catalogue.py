"""TMDB's providers as a catalogue of services, and the name a person types looked up in it.

TMDB lists one service under several ids and names ("Netflix", "Netflix basic with Ads");
people type "netflix", "8" or "prime video". Grouping the providers by folded name and
matching a typed name against the groups is the costly, fiddly part of resolving the
user's services, so it lives here, imported only when there are services to resolve:
a lookup with none never loads it.
"""

import unicodedata
from collections.abc import Sequence
from typing import NamedTuple

from wheretowatch.models import Provider

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


def _fold_words(name: str) -> tuple[str, ...]:
    """A name as comparable words: "Disney+" -> ("disney", "plus"), "Amélie" -> ("amelie",)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold().replace("+", " plus "))
    # Only Latin-script diacritics go, as in `ranking.normalize_title`.
    kept = "".join(ch for ch in decomposed if not "\u0300" <= ch <= "\u036f")
    spaced = "".join(ch if ch.isalnum() else " " for ch in unicodedata.normalize("NFC", kept))
    return tuple(spaced.split())


class Catalogue:
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
