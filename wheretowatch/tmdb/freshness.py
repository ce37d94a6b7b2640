"""How long a TMDB answer stays fresh: the one place that decides it.

An answer is stored with TMDB's own freshness (`Cache-Control: max-age`, else
DEFAULT_TTL). When it is read, the user's `ttl_*` setting for its kind, if set, decides
instead, so a setting applies at once to everything already cached, and takes nothing
with it when it is removed. Never more than TMDB's terms allow.
"""

from collections.abc import Mapping
from enum import StrEnum


class Kind(StrEnum):
    """Kinds of answer, each with its own freshness: availability changes daily, lists rarely."""

    SEARCH = "search"
    TITLE = "title"
    LISTS = "lists"


# Used when neither the user nor TMDB's Cache-Control says how long an answer stays fresh.
DEFAULT_TTL: Mapping[Kind, float] = {
    Kind.SEARCH: 4 * 3600.0,
    Kind.TITLE: 6 * 3600.0,
    Kind.LISTS: 7 * 86400.0,
}
# TMDB's terms: "Cache, for longer than 6 months, any information ..." is forbidden.
MAX_AGE = 182 * 86400.0


def fresh_for(kind: Kind, headers: Mapping[str, str]) -> float:
    """Seconds TMDB says an answer of `kind` that came with `headers` stays fresh."""
    ttl = max_age(headers)
    if ttl is None:
        ttl = DEFAULT_TTL[kind]
    return min(ttl, MAX_AGE)


def max_age(headers: Mapping[str, str]) -> float | None:
    """Seconds from `Cache-Control: max-age=N`; 0 for no-store/no-cache; None if absent."""
    directives = [d.strip().lower() for d in headers.get("cache-control", "").split(",")]
    if "no-store" in directives or "no-cache" in directives:
        return 0.0
    for directive in directives:
        name, _, value = directive.partition("=")
        if name == "max-age" and value.strip().isdigit():
            return float(value.strip())
    return None


def still_fresh(
    kind: Kind, fetched_at: float, stored_until: float, configured: Mapping[Kind, float], now: float
) -> bool:
    """Whether a cached answer may still be served. A `ttl_*` setting applies to answers
    stored before it was set too (`0` means ask TMDB every time); otherwise the freshness
    decided when the answer was stored (TMDB's max-age, or the default) stands."""
    ttl = configured.get(kind)
    if ttl is not None:
        return now < fetched_at + min(ttl, MAX_AGE)
    return now < stored_until
