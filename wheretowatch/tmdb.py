"""TMDB API v3 client: one method per endpoint, models out, wheretowatch errors raised.

Every request goes through `_get`, which
- sends the Read Access Token as `Authorization: Bearer` (a v3 key as `api_key=` only
  when no token is set), and keeps both out of every message;
- retries 429, 5xx and transport errors with capped exponential backoff, honouring
  `Retry-After`, within a bounded time budget per request;
- turns TMDB's error bodies, HTML pages from proxies and cut-off JSON into one of the
  errors in `wheretowatch.errors`.

httpx is imported only when the first request is actually sent, so code paths that
answer from the cache never load the HTTP stack.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import TYPE_CHECKING, Self

from wheretowatch import __version__
from wheretowatch.errors import AuthError, ConfigError, NotFoundError, UpstreamError
from wheretowatch.models import (
    Fetched,
    MediaType,
    ProviderInfo,
    Region,
    TitleDetails,
    TitleMatch,
)
from wheretowatch.payload import (
    decode_json,
    parse_details,
    parse_error,
    parse_find,
    parse_provider_list,
    parse_regions,
    parse_search,
)
from wheretowatch.settings import TOKEN_URL, Settings

if TYPE_CHECKING:
    import httpx

USER_AGENT = f"wheretowatch/{__version__}"
MAX_ATTEMPTS = 4
BACKOFF_BASE = 0.5
BACKOFF_CAP = 4.0
# No single request (with its retries) may take longer than this; a lookup makes two.
REQUEST_BUDGET = 30.0
# A TMDB answer is a few hundred KB at most; anything far larger is not TMDB.
MAX_BODY_BYTES = 16 * 1024 * 1024
APPENDED = "videos,watch/providers"


@dataclass(frozen=True, slots=True)
class _Answer:
    data: object
    fetched_at: datetime


class TMDBClient:
    """A TMDB API v3 client. Use as a context manager so the connection pool is closed."""

    def __init__(
        self,
        *,
        base_url: str,
        api_token: str | None = None,
        api_key: str | None = None,
        timeout: float = 10.0,
        connect_timeout: float = 5.0,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not (api_token or api_key):
            raise ConfigError(
                "No TMDB credential: set TMDB_API_TOKEN to your TMDB API Read Access Token.",
                hint=f"Get one free with a TMDB account at {TOKEN_URL}, then "
                "`export TMDB_API_TOKEN=...` (or put api_token in the config file).",
            )
        self._base_url = base_url.rstrip("/")
        self._token = api_token
        self._key = None if api_token else api_key
        self._timeout = timeout
        self._connect_timeout = connect_timeout
        self._transport = transport
        self._sleep = sleep
        self._http: httpx.Client | None = None

    @classmethod
    def from_settings(
        cls, settings: Settings, *, transport: httpx.BaseTransport | None = None
    ) -> TMDBClient:
        return cls(
            base_url=settings.tmdb_url,
            api_token=settings.api_token,
            api_key=settings.api_key,
            timeout=settings.timeout,
            connect_timeout=settings.connect_timeout,
            transport=transport,
        )

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
            self._http = None

    # --- endpoints ------------------------------------------------------------------

    def search(
        self, query: str, *, media_type: MediaType | None, language: str
    ) -> list[TitleMatch]:
        """Films and series matching `query`, in TMDB's order (`/search/multi` if no type)."""
        path = f"/3/search/{media_type.value if media_type else 'multi'}"
        params = {"query": query, "include_adult": "false", "language": language, "page": "1"}
        return parse_search(self._get(path, params).data, media_type)

    def find_imdb(self, imdb_id: str, *, language: str) -> list[TitleMatch]:
        """Titles with this IMDb id (`/find`)."""
        params = {"external_source": "imdb_id", "language": language}
        return parse_find(self._get(f"/3/find/{imdb_id}", params).data)

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
        what = (
            f"TMDB has no {'series' if media_type is MediaType.TV else 'film'} with id {tmdb_id}."
        )
        answer = self._get(f"/3/{media_type.value}/{tmdb_id}", params, not_found=what)
        return Fetched(parse_details(answer.data, media_type), answer.fetched_at)

    def regions(self, *, language: str) -> list[Region]:
        """The regions TMDB has availability data for."""
        return parse_regions(self._get("/3/watch/providers/regions", {"language": language}).data)

    def providers(
        self, media_type: MediaType, *, region: str | None, language: str
    ) -> list[ProviderInfo]:
        """Streaming providers TMDB knows, in `region` if given."""
        params = {"language": language}
        if region:
            params["watch_region"] = region
        answer = self._get(f"/3/watch/providers/{media_type.value}", params)
        return parse_provider_list(answer.data, region)

    # --- transport ------------------------------------------------------------------

    def _get(
        self, path: str, params: Mapping[str, str], *, not_found: str | None = None
    ) -> _Answer:
        deadline = time.monotonic() + REQUEST_BUDGET
        attempt = 0
        while True:
            attempt += 1
            try:
                status, headers, body = self._send(path, params, deadline)
            except UpstreamError:
                if not self._may_retry(attempt, None, deadline):
                    raise
                self._sleep(_backoff(attempt))
                continue
            if 200 <= status < 300:
                return _Answer(_decode_ok(headers, body), datetime.now(UTC))
            error = self._error_for(status, body, not_found)
            wait = _retry_after(headers.get("retry-after")) if status == 429 else None
            if not (_retryable(status) and self._may_retry(attempt, wait, deadline)):
                raise error
            self._sleep(wait if wait is not None else _backoff(attempt))

    def _may_retry(self, attempt: int, wait: float | None, deadline: float) -> bool:
        pause = wait if wait is not None else _backoff(attempt)
        return attempt < MAX_ATTEMPTS and time.monotonic() + pause < deadline

    def _send(
        self, path: str, params: Mapping[str, str], deadline: float
    ) -> tuple[int, Mapping[str, str], bytes]:
        import httpx

        query = dict(params)
        if self._key:
            query["api_key"] = self._key
        try:
            with self._client().stream("GET", path, params=query) as response:
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > MAX_BODY_BYTES:
                        raise UpstreamError("TMDB sent an answer far larger than any TMDB answer.")
                    if time.monotonic() > deadline:
                        raise UpstreamError(
                            f"TMDB did not finish answering within {REQUEST_BUDGET:.0f} seconds.",
                            hint="Try again later.",
                        )
                return response.status_code, response.headers, bytes(body)
        except httpx.TimeoutException as exc:
            raise UpstreamError(
                f"TMDB did not answer in time ({_describe_timeout(exc)}).",
                hint="Check your network connection, or raise `timeout` in the config file.",
            ) from None
        except httpx.TransportError as exc:
            reason = self._redact(str(exc)) or type(exc).__name__
            raise UpstreamError(
                f"Cannot reach TMDB at {self._base_url}: {reason}.",
                hint="Check your network connection (and WHERETOWATCH_TMDB_URL if you set it).",
            ) from None

    def _client(self) -> httpx.Client:
        if self._http is None:
            import httpx

            headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
            if self._token:
                headers["Authorization"] = f"Bearer {self._token}"
            self._http = httpx.Client(
                base_url=self._base_url,
                headers=headers,
                timeout=httpx.Timeout(self._timeout, connect=self._connect_timeout),
                transport=self._transport,
                follow_redirects=False,
            )
        return self._http

    def _error_for(self, status: int, body: bytes, not_found: str | None) -> Exception:
        try:
            tmdb_code, tmdb_message = parse_error(decode_json(body))
        except UpstreamError:
            tmdb_code, tmdb_message = None, None
        said = f": {self._redact(tmdb_message)}" if tmdb_message else ""
        if status == 401:
            variable = "TMDB_API_TOKEN" if self._token else "TMDB_API_KEY"
            return AuthError(
                f"TMDB rejected the credential in {variable}{said}",
                hint=f"Check the value (a Read Access Token for TMDB_API_TOKEN); see {TOKEN_URL}.",
            )
        if status == 404:
            return NotFoundError(not_found or f"TMDB has no such resource{said}")
        if status == 429:
            return UpstreamError(
                f"TMDB is rate limiting requests (HTTP 429){said}",
                hint="Wait a minute and try again.",
                http_status=status,
                tmdb_code=tmdb_code,
            )
        return UpstreamError(
            f"TMDB answered HTTP {status}{said or ' without an explanation'}",
            hint="Try again later." if status >= 500 else "This may be a wheretowatch bug.",
            http_status=status,
            tmdb_code=tmdb_code,
        )

    def _redact(self, text: str) -> str:
        for secret in (self._token, self._key):
            if secret:
                text = text.replace(secret, "***")
        return text


def _decode_ok(headers: Mapping[str, str], body: bytes) -> object:
    kind = headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if not (kind == "application/json" or kind.endswith("+json")):
        raise UpstreamError(
            f"TMDB answered with {kind or 'an unknown content type'} instead of JSON "
            "(a proxy or captive portal in the way?).",
            hint="Check your network connection.",
        )
    return decode_json(body)


def _retryable(status: int) -> bool:
    return status == 429 or status >= 500


def _backoff(attempt: int) -> float:
    return min(BACKOFF_BASE * 2.0 ** (attempt - 1), BACKOFF_CAP)


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a `Retry-After` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _describe_timeout(exc: Exception) -> str:
    kind = type(exc).__name__
    return {
        "ConnectTimeout": "no connection",
        "ReadTimeout": "no data",
        "WriteTimeout": "could not send",
        "PoolTimeout": "no free connection",
    }.get(kind, kind)
