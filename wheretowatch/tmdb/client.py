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

import re
import threading
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import UTC, date, datetime
from enum import StrEnum
from types import TracebackType
from typing import TYPE_CHECKING, NamedTuple, Protocol, Self, TypeVar
from urllib.parse import parse_qsl

from wheretowatch.errors import UnreachableError, UpstreamError
from wheretowatch.models import (
    DiscoverPage,
    Fetched,
    Genre,
    MediaType,
    Person,
    Provider,
    Region,
    RegionOffers,
    ReleasePage,
    ReleaseType,
    SeasonDetails,
    TitleDetails,
    TitleMatch,
)
from wheretowatch.tmdb.cache import CachedResponse, request_key
from wheretowatch.tmdb.freshness import Kind, fresh_for, still_fresh
from wheretowatch.tmdb.payload import (
    MAX_PAGES,
    decode_json,
    parse_details,
    parse_discover,
    parse_find,
    parse_genres,
    parse_people,
    parse_provider_list,
    parse_providers,
    parse_regions,
    parse_release_page,
    parse_search,
    parse_season,
)

if TYPE_CHECKING:
    import httpx

    from wheretowatch.tmdb.http import Transport

T = TypeVar("T")
APPENDED = "videos,watch/providers"
# A film's details also carry its release dates, at no extra request. A series has none,
# so its requests (and cache entries) stay as they were.
FILM_APPENDED = f"{APPENDED},release_dates"
_TITLE_PATH = r"/3/(movie|tv)/(\d+)"


class CacheMode(StrEnum):
    """Where answers come from; parsed once from the flags, carried whole to `_get`."""

    NORMAL = "normal"
    REFRESH = "refresh"
    OFFLINE = "offline"
    OFF = "off"  # neither read nor write the cache


class HttpSettings(NamedTuple):
    """What the HTTP layer needs to know; built from the user's settings above this layer
    (`wheretowatch.settings.client`), whose defaults live in Settings alone."""

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


class Progress(Protocol):
    """Told what the client waits on TMDB for, to show someone at a terminal.

    `begin` and `end` bracket each request (threads may overlap them); `update` says what
    is happening meanwhile: "TMDB is busy, retrying in 2 s (2 of 4)".
    """

    def begin(self, activity: str) -> None: ...
    def update(self, message: str) -> None: ...
    def end(self) -> None: ...


class ResponseStore(Protocol):
    def get(self, key: str) -> CachedResponse | None: ...
    def set(self, key: str, response: CachedResponse) -> None: ...
    def entry_keys(self) -> list[str]: ...
    def close(self) -> None: ...


class TitleRequest(NamedTuple):
    """A details request as it stands in the cache, to send again."""

    media_type: MediaType
    tmdb_id: int
    language: str
    video_languages: tuple[str, ...]


def _details_params(
    language: str, video_languages: Sequence[str], *, film: bool = False
) -> dict[str, str]:
    """A details request's parameters: the same for a lookup, a refresh and a cache peek;
    a film's also asks for its release dates, at no extra request."""
    return {
        "append_to_response": FILM_APPENDED if film else APPENDED,
        "language": language,
        "include_video_language": ",".join(video_languages),
    }


class NotCachedError(UpstreamError):
    code = "not_cached"


class _Answer(NamedTuple):
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
        transport: "httpx.BaseTransport | None" = None,
        sleep: Callable[[float], None] | None = None,
        progress: Progress | None = None,
    ) -> None:
        self._settings = http
        self._progress = progress
        self._base_url = http.base_url.rstrip("/")
        self._httpx_transport = transport
        self._sleep = sleep
        self._http: Transport | None = None
        self._lock = threading.Lock()
        self._cache = None if mode is CacheMode.OFF else cache
        self._mode = mode
        self._ttl = dict(ttl or {})
        self._clock = clock

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
        regions: Collection[str] | None = None,
    ) -> Fetched[TitleDetails]:
        """Details, videos and watch providers of one title, in a single request; offers
        only in `regions` if given (the request, and so the cache entry, is the same)."""
        film = media_type is MediaType.MOVIE
        params = _details_params(language, video_languages, film=film)
        kind = "film" if film else "series"
        path = f"/3/{media_type.value}/{tmdb_id}"
        not_found = f"TMDB has no {kind} with id {tmdb_id}."
        try:
            answer = self._get(path, params, kind=Kind.TITLE, not_found=not_found)
        except NotCachedError:
            if not film:
                raise
            # --offline with a film cached before its release dates were asked for: that
            # answer still says where it streams; its release dates are then unknown.
            legacy = params | {"append_to_response": APPENDED}
            answer = self._get(path, legacy, kind=Kind.TITLE, not_found=not_found)
        return answer.wrap(parse_details(answer.data, media_type, tmdb_id, regions))

    def season(
        self,
        series_id: int,
        season_number: int,
        *,
        language: str,
        video_languages: Sequence[str],
    ) -> Fetched[SeasonDetails]:
        """One season's details, videos and watch providers, in a single request."""
        params = _details_params(language, video_languages)
        answer = self._get(
            f"/3/tv/{series_id}/season/{season_number}",
            params,
            kind=Kind.TITLE,
            not_found=f"TMDB has no season {season_number} of the series with id {series_id}.",
        )
        return answer.wrap(parse_season(answer.data))

    def season_providers(
        self, series_id: int, season_number: int, *, language: str
    ) -> Fetched[dict[str, RegionOffers]]:
        """Where one season can be watched, in every region (the lightest season request)."""
        answer = self._get(
            f"/3/tv/{series_id}/season/{season_number}/watch/providers",
            {"language": language},
            kind=Kind.TITLE,
            not_found=f"TMDB has no season {season_number} of the series with id {series_id}.",
        )
        return answer.wrap(parse_providers(answer.data))

    def regions(self, *, language: str) -> Fetched[list[Region]]:
        """The regions TMDB has availability data for."""
        answer = self._get("/3/watch/providers/regions", {"language": language}, kind=Kind.LISTS)
        return answer.wrap(parse_regions(answer.data))

    def providers(
        self, media_type: MediaType, *, region: str | None, language: str, refresh: bool = False
    ) -> Fetched[list[Provider]]:
        """Streaming providers TMDB knows, in `region` if given.

        A list is used for its whole lifetime even by a client in refresh mode (`--refresh`
        and `refresh` are about titles); `refresh` asks TMDB anew (`providers --refresh`).
        """
        params = {"language": language}
        if region:
            params["watch_region"] = region
        mode = self._mode
        if refresh and mode is CacheMode.NORMAL:
            mode = CacheMode.REFRESH
        elif not refresh and mode is CacheMode.REFRESH:
            mode = CacheMode.NORMAL
        path = f"/3/watch/providers/{media_type.value}"
        answer = self._get(path, params, kind=Kind.LISTS, mode=mode)
        return answer.wrap(parse_provider_list(answer.data, region))

    def discover(
        self, media_type: MediaType, filters: Mapping[str, str], *, page: int, language: str
    ) -> Fetched[DiscoverPage]:
        """One page of `/3/discover/{movie,tv}` with TMDB's `filters` as given (watch_region,
        with_watch_providers, sort_by…); cached like a search. Pages run from 1 to 500."""
        if not 1 <= page <= MAX_PAGES:
            raise ValueError(f"TMDB pages run from 1 to {MAX_PAGES}, not {page}")
        params = {
            "include_adult": "false",
            **filters,
            "language": language,
            "page": str(page),
        }
        answer = self._get(f"/3/discover/{media_type.value}", params, kind=Kind.SEARCH)
        return answer.wrap(parse_discover(answer.data, media_type))

    def genres(self, media_type: MediaType, *, language: str) -> Fetched[list[Genre]]:
        """TMDB's genres for films or series, named in `language`; cached like every list."""
        path = f"/3/genre/{media_type.value}/list"
        answer = self._get(path, {"language": language}, kind=Kind.LISTS)
        return answer.wrap(parse_genres(answer.data))

    def search_people(self, query: str, *, language: str) -> Fetched[list[Person]]:
        """People whose name matches `query`, most popular first (`/3/search/person`)."""
        params = {"query": query, "include_adult": "false", "language": language, "page": "1"}
        answer = self._get("/3/search/person", params, kind=Kind.SEARCH)
        return answer.wrap(parse_people(answer.data))

    def cached_details(
        self,
        media_type: MediaType,
        tmdb_id: int,
        *,
        language: str,
        video_languages: Sequence[str],
        regions: Collection[str] | None = None,
    ) -> TitleDetails | None:
        """The details `details` would answer with, if the cache holds them (fresh or not):
        never a request. For what rarely changes, such as a running time."""
        film = media_type is MediaType.MOVIE
        path = f"/3/{media_type.value}/{tmdb_id}"
        cached = self._cached(
            request_key(self._base_url, path, _details_params(language, video_languages, film=film))
        )
        if cached is None and film:  # cached before release dates were asked for
            legacy = _details_params(language, video_languages)
            cached = self._cached(request_key(self._base_url, path, legacy))
        if cached is None:
            return None
        try:
            return parse_details(cached[0], media_type, tmdb_id, regions)
        except UpstreamError:
            return None

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
            match = re.fullmatch(_TITLE_PATH, path) if key.startswith(prefix) else None
            params = dict(parse_qsl(query))
            if match and params.get("append_to_response") in (APPENDED, FILM_APPENDED):
                requests.append(
                    TitleRequest(
                        MediaType(match[1]),
                        int(match[2]),
                        params.get("language", "en-US"),
                        tuple(params.get("include_video_language", "").split(",")),
                    )
                )
        # A film cached both before and since its release dates were asked for: once.
        return list(dict.fromkeys(requests))

    def digital_releases(
        self, region: str, since: date, until: date, page: int = 1, *, language: str
    ) -> Fetched[ReleasePage]:
        """One page of the films with a digital release (type 4) in `region` from `since`
        to `until`, in the order of their primary release dates (`/3/discover/movie`)."""
        params = {
            "region": region,
            "with_release_type": str(ReleaseType.DIGITAL.value),
            "release_date.gte": since.isoformat(),
            "release_date.lte": until.isoformat(),
            "sort_by": "primary_release_date.asc",
            "include_adult": "false",
            "language": language,
            "page": str(page),
        }
        answer = self._get("/3/discover/movie", params, kind=Kind.SEARCH)
        return answer.wrap(parse_release_page(answer.data))

    # --- cache in front of the network ----------------------------------------------

    def _get(
        self,
        path: str,
        params: Mapping[str, str],
        *,
        kind: Kind,
        not_found: str | None = None,
        mode: CacheMode | None = None,
    ) -> _Answer:
        mode = mode or self._mode
        key = request_key(self._base_url, path, params)
        cached = self._cached(key)
        now = self._clock()
        if cached is not None:
            entry = cached[1]
            fresh = still_fresh(kind, entry.fetched_at, entry.fresh_until, self._ttl, now)
            if mode is CacheMode.OFFLINE or (mode is CacheMode.NORMAL and fresh):
                reason = None if fresh else "--offline: the cached answer has expired"
                return _Answer(cached[0], cached[1].fetched_at, True, reason)
        if mode is CacheMode.OFFLINE:
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

    @property
    def unreachable(self) -> "UnreachableError | None":
        """Why TMDB could not be reached, once a run of attempts reached it no more: from
        then on this client sends nothing (see `http.Transport`). None while it answers."""
        return self._http.unreachable if self._http is not None else None

    def _transport(self) -> "Transport":
        # Imported here so that answers from the cache never load the HTTP stack.
        from wheretowatch.tmdb.http import Transport

        with self._lock:
            if self._http is None:
                self._http = Transport(
                    self._settings,
                    transport=self._httpx_transport,
                    sleep=self._sleep,
                    progress=self._progress,
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
            ttl = fresh_for(kind, headers)
            self._cache.set(key, CachedResponse(body, now, now + ttl))
