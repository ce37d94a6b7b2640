"""wheretowatch: where can I watch this film or series?

    from wheretowatch import browse, lookup, refresh, watchlist
    result = lookup("Drawing Closer", region="GB")
    tonight = browse(region="GB", services=["Netflix"], min_rating=7)

The package imports nothing until a name is used: the command line starts by importing
`wheretowatch.cli`, and a cached lookup must not pay for anything it does not use (the
HTTP stack above all). The Python API needs neither Typer nor Rich.
"""

from typing import TYPE_CHECKING, Any

from wheretowatch.version import __version__

if TYPE_CHECKING:
    from wheretowatch.api import (
        browse,
        calendar,
        lookup,
        plan,
        refresh,
        release_outlook,
        upcoming,
        watchlist,
    )
    from wheretowatch.discover.browsing import BrowsedTitle, BrowseResult
    from wheretowatch.errors import WheretowatchError
    from wheretowatch.lists.coverage import Plan
    from wheretowatch.models import LookupResult

__all__ = [
    "BrowseResult",
    "BrowsedTitle",
    "LookupResult",
    "Plan",
    "WheretowatchError",
    "__version__",
    "browse",
    "calendar",
    "lookup",
    "plan",
    "refresh",
    "release_outlook",
    "upcoming",
    "watchlist",
]

_HOMES = {
    "browse": "wheretowatch.api",
    "BrowseResult": "wheretowatch.discover.browsing",
    "BrowsedTitle": "wheretowatch.discover.browsing",
    "lookup": "wheretowatch.api",
    "refresh": "wheretowatch.api",
    "watchlist": "wheretowatch.api",
    "WheretowatchError": "wheretowatch.errors",
    "LookupResult": "wheretowatch.models",
    "plan": "wheretowatch.api",
    "Plan": "wheretowatch.lists.coverage",
    "release_outlook": "wheretowatch.api",
    "calendar": "wheretowatch.api",
    "upcoming": "wheretowatch.api",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        import importlib

        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'wheretowatch' has no attribute {name!r}")
