"""wheretowatch: where can I watch this film or series?

    from wheretowatch import lookup, refresh, watchlist
    result = lookup("Drawing Closer", region="GB")

The package imports nothing until a name is used: the command line starts by importing
`wheretowatch.cli`, and a cached lookup must not pay for anything it does not use (the
HTTP stack above all). The Python API needs neither Typer nor Rich.
"""

from typing import TYPE_CHECKING, Any

from wheretowatch.version import __version__

if TYPE_CHECKING:
    from wheretowatch.api import calendar, lookup, refresh, release_outlook, upcoming, watchlist
    from wheretowatch.errors import WheretowatchError
    from wheretowatch.models import LookupResult

__all__ = [
    "LookupResult",
    "WheretowatchError",
    "__version__",
    "calendar",
    "lookup",
    "refresh",
    "release_outlook",
    "upcoming",
    "watchlist",
]

_HOMES = {
    "lookup": "wheretowatch.api",
    "refresh": "wheretowatch.api",
    "watchlist": "wheretowatch.api",
    "WheretowatchError": "wheretowatch.errors",
    "LookupResult": "wheretowatch.models",
    "release_outlook": "wheretowatch.api",
    "calendar": "wheretowatch.api",
    "upcoming": "wheretowatch.api",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        import importlib

        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'wheretowatch' has no attribute {name!r}")
