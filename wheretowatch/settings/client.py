"""The TMDB client, built from the user's settings: the one place the two layers meet.

`wheretowatch.tmdb` knows nothing of settings; what it needs is handed to it here.
"""

from collections.abc import Callable

from wheretowatch.settings.loading import Settings
from wheretowatch.tmdb import CacheMode, DiskCache, HttpSettings, Progress, TMDBClient


def _ignore(message: str) -> None:
    pass


def http_settings(settings: Settings) -> HttpSettings:
    return HttpSettings(
        base_url=settings.tmdb_url,
        api_token=settings.api_token,
        api_key=settings.api_key,
        timeout=settings.timeout,
        connect_timeout=settings.connect_timeout,
        rate_limit=settings.rate_limit,
        concurrency=settings.concurrency,
        credential_source=settings.source("api_token" if settings.api_token else "api_key"),
        config_file=str(settings.config_file),
    )


def open_cache(settings: Settings, *, warn: Callable[[str], None] = _ignore) -> DiskCache:
    return DiskCache(settings.cache_dir, size_limit=settings.cache_size_bytes, warn=warn)


def open_client(
    settings: Settings,
    *,
    mode: CacheMode = CacheMode.NORMAL,
    warn: Callable[[str], None] = _ignore,
    progress: Progress | None = None,
) -> TMDBClient:
    """A client with the user's credential, limits and cache; use it as a context manager."""
    cache = None if mode is CacheMode.OFF else open_cache(settings, warn=warn)
    return TMDBClient(
        http_settings(settings), cache=cache, mode=mode, ttl=settings.ttl, progress=progress
    )
