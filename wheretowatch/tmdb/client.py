"""TMDB API v3 client: one method per endpoint, the disk cache in front of the network.

Every endpoint method returns `Fetched[model]`, so callers always know when TMDB served
the data and whether it came from the cache. `_get` decides where an answer comes from:

    normal   a fresh cached answer if there is one, else TMDB (and store the answer)
    refresh  TMDB, always (and store the answer)
    offline  the cache only, fresh or not; a miss is an error
    and in normal and refresh modes, if TMDB fails and an expired answer is cached,
    that answer, marked stale ("stale-if-error").

How long an answer stays fresh is `freshness.fresh_for`; `CacheMode.OFF` neither reads
nor writes the cache.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from types import TracebackType
from typing import TYPE_CHECKING, Protocol, Self, TypeVar
from urllib.parse import parse_qsl

from wheretowatch.errors import UpstreamError
from wheretowatch.models import (
    Fetched,
    MediaType,
    Provider,
    Region,
    TitleDetails,
    TitleMatch,
)
from wheretowatch.tmdb.cache import CachedResponse, DiskCache, request_key
from wheretowatch.tmdb.freshness import Kind, fresh_for
from wheretowatch.tmdb.payload import (
    decode_json,
    parse_details,
    parse_find,
    parse_provider_list,
    parse_regions,
    parse_search,
)

if TYPE_CHECKING:
    import httpx

    from wheretowatch.settings import Settings
    from wheretowatch.tmdb.http import Transport

T = TypeVar("T")
APPENDED = "videos,watch/providers"
_TITLE_PATH = re.compile(r"/3/(movie|tv)/(\d+)")


class CacheMode(StrEnum):
    """Where answers come from; parsed once from the flags, carried whole to `_get`."""

    NORMAL = "normal"
    REFRESH = "refresh"
    OFFLINE = "offline"
    OFF = "off"  # neither read nor write the cache


@dataclass(frozen=True, slots=True)
class HttpSettings:
    """What the HTTP layer needs from Settings; its defaults live in Settings alone."""

    base_url: str
    api_token: str | None
    api_key: str | None
    timeout: float
    connect_timeout: float
    rate_limit: float
    concurrency: int
    # For messages only: where the credential in use was set, and the config file's path.
    credential_source: str | None = None
    config_file: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> HttpSettings:
        return cls(
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


class ResponseStore(Protocol):
    def get(self, key: str) -> CachedResponse | None: ...
    def set(self, key: str, response: CachedResponse) -> None: ...
    def entry_keys(self) -> list[str]: ...
    def release_thread(self) -> None: ...
    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class TitleRequest:
    """A details request as it stands in the cache, to send again."""

    media_type: MediaType
    tmdb_id: int
    language: str
    video_languages: tuple[str, ...]


class NotCachedError(UpstreamError):
    code = "not_cached"


@dataclass(frozen=True, slots=True)
class _Answer:
    data: object
    fetched_at: float
    from_cache: bool = False
    stale_reason: str | None = None

    def wrap(self, value: T) -> Fetched[T]:
        return Fetched(
            value,
            datetime.fromtimestamp(self.fetched_at, UTC),
            from_cache=self.from_cache,
            stale=self.stale_reason is not None,
            stale_reason=self.stale_reason,
        )


class TMDBClient:
    """A TMDB API v3 client. Use as a context manager so connections and cache are closed."""

    def __init__(
        self,
        http: HttpSettings,
        *,
        cache: ResponseStore | None = None,
        mode: CacheMode = CacheMode.NORMAL,
        ttl: Mapping[Kind, float] | None = None,
        clock: Callable[[], float] = time.time,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self._settings = http
        self._base_url = http.base_url.rstrip("/")
        self._httpx_transport = transport
        self._sleep = sleep
        self._http: Transport | None = None
        self._lock = threading.Lock()
        self._cache = None if mode is CacheMode.OFF else cache
        self._mode = mode
        self._ttl = dict(ttl or {})
        self._clock = clock

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        mode: CacheMode = CacheMode.NORMAL,
        warn: Callable[[str], None] = lambda message: None,
    ) -> TMDBClient:
        cache = None if mode is CacheMode.OFF else DiskCache.for_settings(settings, warn=warn)
        return cls(HttpSettings.from_settings(settings), cache=cache, mode=mode, ttl=settings.ttl)

    @property
    def concurrency(self) -> int:
        """How many lookups may run at once (the connection pool's size)."""
        return self._settings.concurrency

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def release_thread(self) -> None:
        """Close what this thread opened (its cache connection); call as a worker ends."""
        if self._cache is not None:
            self._cache.release_thread()

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
        if self._cache is not None:
            self._cache.close()

    # --- endpoints ------------------------------------------------------------------

    def search(
        self, query: str, *, media_type: MediaType | None, language: str
    ) -> Fetched[list[TitleMatch]]:
        """Films and series matching `query`, in TMDB's order (`/search/multi` if no type)."""
        path = f"/3/search/{media_type.value if media_type else 'multi'}"
        params = {"query": query, "include_adult": "false", "language": language, "page": "1"}
        answer = self._get(path, params, kind=Kind.SEARCH)
        return answer.wrap(parse_search(answer.data, media_type))

    def find_imdb(self, imdb_id: str, *, language: str) -> Fetched[list[TitleMatch]]:
        """Titles with this IMDb id (`/find`)."""
        params = {"external_source": "imdb_id", "language": language}
        answer = self._get(f"/3/find/{imdb_id}", params, kind=Kind.SEARCH)
        return answer.wrap(parse_find(answer.data))

    def details(
        self,
        media_type: MediaType,
        tmdb_id: int,
        *,
        language: str,
        video_languages: Sequence[str],
    ) -> Fetched[TitleDetails]:
        """Details, videos and watch providers of one title, in a single request."""
        params = {
            "append_to_response": APPENDED,
            "language": language,
            "include_video_language": ",".join(video_languages),
        }
        kind = "series" if media_type is MediaType.TV else "film"
        path = f"/3/{media_type.value}/{tmdb_id}"
        answer = self._get(
            path, params, kind=Kind.TITLE, not_found=f"TMDB has no {kind} with id {tmdb_id}."
        )
        return answer.wrap(parse_details(answer.data, media_type))

    def regions(self, *, language: str) -> Fetched[list[Region]]:
        """The regions TMDB has availability data for."""
        answer = self._get("/3/watch/providers/regions", {"language": language}, kind=Kind.LISTS)
        return answer.wrap(parse_regions(answer.data))

    def providers(
        self, media_type: MediaType, *, region: str | None, language: str
    ) -> Fetched[list[Provider]]:
        """Streaming providers TMDB knows, in `region` if given."""
        params = {"language": language}
        if region:
            params["watch_region"] = region
        answer = self._get(f"/3/watch/providers/{media_type.value}", params, kind=Kind.LISTS)
        return answer.wrap(parse_provider_list(answer.data, region))

    def check_credential(self) -> None:
        """Ask TMDB whether it accepts the credential (`GET /3/authentication`): one
        request, never cached. Raises AuthError if it does not, UpstreamError if TMDB
        cannot be reached."""
        self._transport().get("/3/authentication", {})

    def cached_title_requests(self) -> list[TitleRequest]:
        """Every title request to this TMDB that the cache holds an answer to."""
        prefix = f"GET {self._base_url}"
        requests = []
        for key in self._cache.entry_keys() if self._cache is not None else []:
            path, _, query = key.removeprefix(prefix).partition("?")
            match = _TITLE_PATH.fullmatch(path) if key.startswith(prefix) else None
            params = dict(parse_qsl(query))
            if match and params.get("append_to_response") == APPENDED:
                requests.append(
                    TitleRequest(
                        MediaType(match[1]),
                        int(match[2]),
                        params.get("language", "en-US"),
                        tuple(params.get("include_video_language", "").split(",")),
                    )
                )
        return requests

    # --- cache in front of the network ----------------------------------------------

    def _get(
        self, path: str, params: Mapping[str, str], *, kind: Kind, not_found: str | None = None
    ) -> _Answer:
        key = request_key(self._base_url, path, params)
        cached = self._cached(key)
        now = self._clock()
        if cached is not None:
            fresh = cached[1].is_fresh(now)
            if self._mode is CacheMode.OFFLINE or (self._mode is CacheMode.NORMAL and fresh):
                reason = None if fresh else "--offline: the cached answer has expired"
                return _Answer(cached[0], cached[1].fetched_at, True, reason)
        if self._mode is CacheMode.OFFLINE:
            raise NotCachedError(
                "--offline: this lookup is not in the cache.",
                hint="Run it once without --offline while TMDB is reachable.",
            )
        try:
            response = self._transport().get(path, params, not_found=not_found)
        except UpstreamError as error:
            if cached is None:
                raise
            return _Answer(cached[0], cached[1].fetched_at, True, error.message)
        self._store(key, kind, response.headers, response.body, now)
        return _Answer(response.data, now)

    def _transport(self) -> Transport:
        # Imported here so that answers from the cache never load the HTTP stack.
        from wheretowatch.tmdb.http import Transport

        with self._lock:
            if self._http is None:
                self._http = Transport(
                    self._settings, transport=self._httpx_transport, sleep=self._sleep
                )
            return self._http

    def _cached(self, key: str) -> tuple[object, CachedResponse] | None:
        if self._cache is None:
            return None
        cached = self._cache.get(key)
        if cached is None:
            return None
        try:
            return decode_json(cached.body), cached
        except UpstreamError:
            return None  # damaged in storage: a miss

    def _store(
        self, key: str, kind: Kind, headers: Mapping[str, str], body: bytes, now: float
    ) -> None:
        if self._cache is not None:
            ttl = fresh_for(kind, headers, self._ttl)
            self._cache.set(key, CachedResponse(body, now, now + ttl))
