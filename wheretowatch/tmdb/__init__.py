"""Everything that talks to TMDB: the client, its HTTP, its cache, its models' parser.

    client     TMDBClient: one method per endpoint, the cache in front of the network
    http       Transport: httpx, credentials, retries, TMDB's errors in plain words
    ratelimit  the pace every thread shares
    cache      TMDB's answers on disk (one SQLite file; reads write nothing)
    freshness  how long an answer stays fresh
    credential what a TMDB credential looks like (Read Access Token or v3 key)
    payload    TMDB JSON -> frozen models (`wheretowatch.models`)

Only this package imports httpx and sqlite3, and nothing outside it imports its
modules: what the rest of wheretowatch uses is exported here. Importing it does not load
httpx; a cached lookup never does.
"""

from wheretowatch.tmdb.cache import CachedResponse, CacheInfo, DiskCache
from wheretowatch.tmdb.client import (
    CacheMode,
    HttpSettings,
    NotCachedError,
    Progress,
    TitleRequest,
    TMDBClient,
)
from wheretowatch.tmdb.credential import (
    TOKEN_URL,
    CredentialKey,
    check_credential,
    key_for,
    looks_like_v3_key,
)
from wheretowatch.tmdb.freshness import DEFAULT_TTL, MAX_AGE, Kind
from wheretowatch.tmdb.payload import MAX_PAGES

__all__ = [
    "DEFAULT_TTL",
    "MAX_AGE",
    "MAX_PAGES",
    "TOKEN_URL",
    "CacheInfo",
    "CacheMode",
    "CachedResponse",
    "CredentialKey",
    "DiskCache",
    "HttpSettings",
    "Kind",
    "NotCachedError",
    "Progress",
    "TMDBClient",
    "TitleRequest",
    "check_credential",
    "key_for",
    "looks_like_v3_key",
]
