"""HTTP to TMDB: credentials, timeouts, retries, and TMDB's errors in plain words.

`Transport.get` answers with the body of a 2xx JSON response or raises one of the errors
in `wheretowatch.errors`:
- the Read Access Token goes in `Authorization: Bearer`, a v3 key in `api_key=` only
  when no token is set; both are redacted from every message;
- 429, 5xx and transport errors are retried with capped exponential backoff, honouring
  `Retry-After`, within REQUEST_BUDGET seconds per request;
- TMDB's error bodies, HTML pages from proxies and cut-off answers become errors.

httpx is imported on the first request, not before: answers from the cache never load it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from wheretowatch.credential import looks_like_v3_key
from wheretowatch.errors import AuthError, ConfigError, NotFoundError, UpstreamError
from wheretowatch.settings import TOKEN_URL
from wheretowatch.tmdb.payload import decode_json, parse_error
from wheretowatch.tmdb.ratelimit import RateLimiter
from wheretowatch.version import __version__

if TYPE_CHECKING:
    import httpx

    from wheretowatch.tmdb.client import HttpSettings

USER_AGENT = f"wheretowatch/{__version__}"
# `--debug` shows this logger on stderr; every line passes through Transport._redact.
log = logging.getLogger("wheretowatch.http")
MAX_ATTEMPTS = 4
BACKOFF_BASE = 0.5
BACKOFF_CAP = 4.0
# No single request (with its retries) may take longer than this; a lookup makes two.
REQUEST_BUDGET = 30.0
# A TMDB answer is a few hundred KB at most; anything far larger is not TMDB.
MAX_BODY_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Response:
    headers: Mapping[str, str]
    body: bytes
    data: object  # the body, parsed


class Transport:
    """One connection pool to TMDB, opened on the first request."""

    def __init__(
        self,
        settings: HttpSettings,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.base_url = settings.base_url.rstrip("/")
        self._settings = settings
        self._token = settings.api_token
        self._key = None if settings.api_token else settings.api_key
        self._transport = transport
        self._sleep = sleep if sleep is not None else time.sleep
        self._limiter = RateLimiter(settings.rate_limit, sleep=self._sleep)
        self._http: httpx.Client | None = None
        self._lock = threading.Lock()  # threads of a batch share one pool

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    def get(
        self, path: str, params: Mapping[str, str], *, not_found: str | None = None
    ) -> Response:
        deadline = time.monotonic() + REQUEST_BUDGET
        attempt = 0
        while True:
            attempt += 1
            try:
                status, headers, body = self._send(path, params, deadline)
                if 200 <= status < 300:
                    # A cut-off body or a proxy's page is as passing as a 502: retried too.
                    _check_json(headers)
                    return Response(headers, body, decode_json(body))
            except UpstreamError:
                if not self._may_retry(attempt, None, deadline):
                    raise
                self._sleep(_backoff(attempt))
                continue
            error = self._error_for(status, body, not_found)
            wait = _retry_after(headers.get("retry-after")) if status == 429 else None
            if not (_retryable(status) and self._may_retry(attempt, wait, deadline)):
                raise error
            pause = wait if wait is not None else _backoff(attempt)
            if status == 429:
                self._limiter.hold_off(pause)  # every thread backs off, not just this one
            else:
                self._sleep(pause)

    def _may_retry(self, attempt: int, wait: float | None, deadline: float) -> bool:
        pause = wait if wait is not None else _backoff(attempt)
        return attempt < MAX_ATTEMPTS and time.monotonic() + pause < deadline

    def _send(
        self, path: str, params: Mapping[str, str], deadline: float
    ) -> tuple[int, Mapping[str, str], bytes]:
        import httpx

        client = self._client()
        self._limiter.acquire()
        query = dict(params)
        if self._key:
            query["api_key"] = self._key
        started = time.monotonic()
        try:
            with client.stream("GET", path, params=query) as response:
                self._log_exchange(response, started)
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
            self._log_failure(path, exc)
            raise UpstreamError(
                f"TMDB did not answer in time ({_describe_timeout(exc)}).",
                hint="Check your network connection, or raise `timeout` in the config file.",
            ) from None
        except httpx.TransportError as exc:
            self._log_failure(path, exc)
            reason = self._redact(str(exc)) or type(exc).__name__
            raise UpstreamError(
                f"Cannot reach TMDB at {self.base_url}: {reason}.",
                hint="Check your network connection (and WHERETOWATCH_TMDB_URL if you set it).",
            ) from None

    def _log_exchange(self, response: httpx.Response, started: float) -> None:
        if not log.isEnabledFor(logging.DEBUG):
            return
        request = response.request
        elapsed = (time.monotonic() - started) * 1000
        log.debug(self._redact(f"GET {request.url} -> {response.status_code} ({elapsed:.0f} ms)"))
        for name, value in request.headers.items():
            shown = "Bearer ***" if name.lower() == "authorization" else value
            log.debug(self._redact(f"  > {name}: {shown}"))
        for name in ("content-type", "cache-control", "retry-after"):
            if name in response.headers:
                log.debug(self._redact(f"  < {name}: {response.headers[name]}"))

    def _log_failure(self, path: str, exc: Exception) -> None:
        log.debug(self._redact(f"GET {self.base_url}{path} failed: {type(exc).__name__} {exc}"))

    def _client(self) -> httpx.Client:
        with self._lock:
            if self._http is None:
                self._http = self._open()
            return self._http

    def _open(self) -> httpx.Client:
        if not (self._token or self._key):
            # Checked here, not earlier: answers from the cache need no credential.
            where = self._settings.config_file or "the config file"
            raise ConfigError(
                "No TMDB credential: run `wheretowatch setup`, or set TMDB_API_TOKEN to your "
                f"TMDB API Read Access Token (or api_token in {where}).",
                hint=f"Get one free with a TMDB account at {TOKEN_URL}.",
            )
        import httpx

        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        return httpx.Client(
            base_url=self.base_url,
            headers=headers,
            timeout=httpx.Timeout(self._settings.timeout, connect=self._settings.connect_timeout),
            limits=httpx.Limits(max_connections=self._settings.concurrency),
            transport=self._transport,
            follow_redirects=False,
            # Loading the CA bundle takes ~20 ms. A plain-http base URL (a local mirror, the
            # fake server) never does TLS, and with redirects off it cannot reach an https
            # URL, so it has no certificates to check; https URLs are always verified.
            verify=self.base_url.startswith("https://"),
        )

    def _error_for(self, status: int, body: bytes, not_found: str | None) -> Exception:
        try:
            tmdb_code, tmdb_message = parse_error(decode_json(body))
        except UpstreamError:
            tmdb_code, tmdb_message = None, None
        said = f": {self._redact(tmdb_message)}" if tmdb_message else ""
        if status == 401:
            return self._rejected(said)
        if status == 404:
            return NotFoundError(
                not_found or f"TMDB has no such resource{said}",
                hint="Check the id; a series needs --type tv (`wheretowatch search` lists ids).",
            )
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

    def _rejected(self, said: str) -> AuthError:
        key = "api_token" if self._token else "api_key"
        variable = "TMDB_API_TOKEN" if self._token else "TMDB_API_KEY"
        where = self._settings.credential_source or variable
        if where.startswith("config file"):
            where = f"{key} in the {where.removeprefix('config ')}"
        hint = f"Check the value (a Read Access Token for {variable}); see {TOKEN_URL}."
        if self._token and looks_like_v3_key(self._token):
            hint = (
                "That value looks like a v3 API key (32 hexadecimal characters), not a Read "
                "Access Token: set it as TMDB_API_KEY (or `wheretowatch config set api_key`)."
            )
        return AuthError(f"TMDB rejected the credential in {where}{said}", hint=hint)

    def _redact(self, text: str) -> str:
        """The text with every credential replaced by ***."""
        for secret in (self._token, self._key):
            if secret:
                text = text.replace(secret, "***")
        return text


def _check_json(headers: Mapping[str, str]) -> None:
    kind = headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if not (kind == "application/json" or kind.endswith("+json")):
        raise UpstreamError(
            f"TMDB answered with {kind or 'an unknown content type'} instead of JSON "
            "(a proxy or captive portal in the way?).",
            hint="Check your network connection.",
        )


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
    from email.utils import parsedate_to_datetime  # rare: most servers send seconds

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
