"""The packaged defaults: the lowest layer of wheretowatch's settings.

Precedence: command-line flag > environment variable > your config file > the system
locale > these. A Python mapping rather than a TOML file: every run reads them, and most
runs of a script or a cron job have no config file, so need not import a TOML parser.

There is deliberately no `region` here: a silent default region gives silently wrong
answers. The region comes from --region, WHERETOWATCH_REGION, your config file or your
system locale, and the tool always says which.

How long cached answers stay fresh is unset here on purpose: then TMDB's own
Cache-Control max-age decides, else 4h for searches, 6h for titles and their
availability, 7d for the region and provider lists. Set ttl_search, ttl_title or
ttl_lists ("30m", "6h", "7d") to override; six months (182d) at most.
"""

from collections.abc import Mapping
from types import MappingProxyType

DEFAULTS: Mapping[str, object] = MappingProxyType(
    {
        # Language for titles and trailers (ISO 639-1, optionally with a region: "ja-JP").
        "language": "en-US",
        # Your own streaming services (names or TMDB provider ids), highlighted in tables.
        "services": (),
        # Seconds to wait for TMDB to answer a request, and to open a connection.
        "timeout": 10.0,
        "connect_timeout": 5.0,
        # TMDB API base URL. Requests go to <tmdb_url>/3/...
        "tmdb_url": "https://api.themoviedb.org",
        # The disk cache never grows past this many megabytes (oldest answers go first).
        "cache_size_mb": 100,
        # Batches and `refresh`: requests a second to TMDB (TMDB answers 429 above about
        # 40), and how many lookups run at once.
        "rate_limit": 35,
        "concurrency": 8,
    }
)
