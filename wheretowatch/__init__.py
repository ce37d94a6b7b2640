"""wheretowatch: where can I watch this film or series?

    from wheretowatch import lookup, refresh, watchlist
    result = lookup("Drawing Closer", region="GB")

The package imports nothing heavy on purpose: a cached lookup must not pay for the HTTP
stack, and the Python API needs neither Typer nor Rich.
"""

from wheretowatch.api import lookup, refresh, watchlist
from wheretowatch.errors import WheretowatchError
from wheretowatch.models import LookupResult
from wheretowatch.version import __version__

__all__ = ["LookupResult", "WheretowatchError", "__version__", "lookup", "refresh", "watchlist"]
