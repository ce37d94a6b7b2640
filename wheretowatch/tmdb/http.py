"""HTTP to TMDB: credentials, timeouts, retries, and TMDB's errors in plain words.

`Transport.get` answers with the body of a 2xx JSON response or raises one of the errors
in `wheretowatch.errors`:
- the Read Access Token goes in `Authorization: Bearer`, a v3 key in `api_key=` only
  when no token is set; both are redacted from every message;
- 429, 5xx and transport errors are retried with capped exponential backoff, honouring
  `Retry-After`, within REQUEST_BUDGET seconds per request: connecting, headers and body
  included, however slowly a server drips them (`_DeadlineBackend`);
- TMDB's error bodies (even under HTTP 200), HTML pages from proxies and cut-off answers
  become errors; an answer too large to be TMDB's is refused and not asked for again.

httpx is imported on the first request, not before: answers from the cache never load it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from wheretowatch.errors import (
    AuthError,
    ConfigError,
    NotFoundError,
    UnreachableError,
    UpstreamError,
)
from wheretowatch.tmdb.credential import TOKEN_URL, looks_like_v3_key
from wheretowatch.tmdb.payload import decode_json, is_error_body, parse_error
from wheretowatch.tmdb.ratelimit import RateLimiter
from wheretowatch.version import __version__

if TYPE_CHECKING:
    import httpx

    from wheretowatch.tmdb.client import HttpSettings, Progress

USER_AGENT = f"wheretowatch/{__version__}"
# `--debug` shows this logger on stderr; every line passes through Transport._redact.
log = logging.getLogger("wheretowatch.http")
# Waits between attempts go through this, looked up when a Transport is made, so that the
# tests can skip them without replacing time.sleep for the whole process (the fake server
# in the same process must still really stall).
default_sleep: Callable[[float], None] = time.sleep
MAX_ATTEMPTS = 4
BACKOFF_BASE = 0.5
BACKOFF_CAP = 4.0
# No single request (with its retries) may take longer than this; a lookup makes two.
REQUEST_BUDGET = 30.0
# A TMDB answer is a few hundred KB at most; anything far larger is not TMDB.
MAX_BODY_BYTES = 16 * 1024 * 1024
# A secret cut short in a message still gives most of it away; this much is redacted.
SHORTEST_REDACTED = 8
# The HTTP status TMDB pairs with each of its codes, for an error body sent under 200.
_TMDB_CODE_STATUS = {3: 401, 7: 401, 10: 401, 14: 401, 6: 404, 34: 404, 25: 429, 9: 503, 11: 500}
_deadline = threading.local()  # the end of the budget of the request this thread is sending


class _Refused(UpstreamError):
    """An answer refused for what it is (its size): asking again would get the same."""


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
        progress: Progress | None = None,
    ) -> None:
        self.base_url = settings.base_url.rstrip("/")
        self._progress = progress
        self._settings = settings
        self._token = settings.api_token
        self._key = None if settings.api_token else settings.api_key
        self._transport = transport
        self._sleep = sleep if sleep is not None else default_sleep
        self._limiter = RateLimiter(settings.rate_limit, sleep=self._sleep)
        self._http: httpx.Client | None = None
        self._lock = threading.Lock()  # threads of a batch share one pool
        # Consecutive attempts that reached no TMDB at all, across the threads of a run;
        # at MAX_ATTEMPTS, `unreachable` is set and no request is sent again (see `_get`).
        self._unreached = 0
        self.unreachable: UnreachableError | None = None

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    def get(
        self, path: str, params: Mapping[str, str], *, not_found: str | None = None
    ) -> Response:
        if self._progress is None:
            return self._get(path, params, not_found)
        self._progress.begin(_activity(path))
        try:
            return self._get(path, params, not_found)
        finally:
            self._progress.end()

    def _get(self, path: str, params: Mapping[str, str], not_found: str | None) -> Response:
        deadline = time.monotonic() + REQUEST_BUDGET
        attempt = 0
        while True:
            attempt += 1
            if (down := self.unreachable) is not None:
                # A run of hundreds of titles stops asking at once, instead of retrying
                # (and warning about) every one of them against a network that is down.
                raise UnreachableError(down.message, reason=down.reason, hint=down.hint)
            try:
                status, headers, body = self._reached(path, params, deadline)
                answered = status
                if 200 <= status < 300:
                    # A cut-off body or a proxy's page is as passing as a 502: retried too.
                    _check_json(headers)
                    data = decode_json(body)
                    if not is_error_body(data):
                        return Response(headers, body, data)
                    # Never parsed as an empty answer, and so never cached as one.
                    status = _TMDB_CODE_STATUS.get(parse_error(data)[0] or 0, 502)
            except _Refused:
                raise
            except UpstreamError:
                if not self._may_retry(attempt, None, deadline):
                    raise
                self._retrying("TMDB is not answering", _backoff(attempt), attempt)
                self._sleep(_backoff(attempt))
                continue
            error = self._error_for(status, body, not_found, answered=answered)
            wait = _retry_after(headers.get("retry-after")) if status == 429 else None
            if not (_retryable(status) and self._may_retry(attempt, wait, deadline)):
                raise error
            pause = wait if wait is not None else _backoff(attempt)
            self._retrying("TMDB is busy", pause, attempt)
            if status == 429:
                self._limiter.hold_off(pause)  # every thread backs off, not just this one
            else:
                self._sleep(pause)

    def _reached(
        self, path: str, params: Mapping[str, str], deadline: float
    ) -> tuple[int, Mapping[str, str], bytes]:
        """`_send`, counting the attempts that reached no TMDB at all, one after another."""
        try:
            answer = self._send(path, params, deadline)
        except UnreachableError as error:
            with self._lock:
                self._unreached += 1
                if self._unreached >= MAX_ATTEMPTS and self.unreachable is None:
                    self.unreachable = error
            raise
        with self._lock:
            self._unreached = 0
        return answer

    def _retrying(self, why: str, pause: float, attempt: int) -> None:
        if self._progress is not None:
            self._progress.update(
                f"{why}, retrying in {round(pause, 1):g} s ({attempt + 1} of {MAX_ATTEMPTS})"
            )

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
        _deadline.at = deadline
        try:
            with client.stream("GET", path, params=query) as response:
                self._log_exchange(response, started)
                body = bytearray()
                for chunk in response.iter_bytes():  # decoded: a gzip bomb stops here too
                    body += chunk
                    if len(body) > MAX_BODY_BYTES:
                        raise _Refused(
                            "TMDB sent an answer far larger than any TMDB answer "
                            f"(over {MAX_BODY_BYTES // (1024 * 1024)} MB); it was not read.",
                            hint="Check WHERETOWATCH_TMDB_URL if you set it; else try later.",
                        )
                    if time.monotonic() > deadline:
                        raise _over_budget()
                return response.status_code, response.headers, bytes(body)
        except httpx.TimeoutException as exc:
            self._log_failure(path, exc)
            if time.monotonic() >= deadline:
                raise _over_budget() from None
            raise UnreachableError(
                f"TMDB did not answer in time ({_describe_timeout(exc)}).",
                reason=f"timed out ({_describe_timeout(exc)})",
                hint="Check your network connection, or raise `timeout` in the config file.",
            ) from None
        except httpx.TransportError as exc:
            self._log_failure(path, exc)
            reason = self._redact(str(exc)) or type(exc).__name__
            raise UnreachableError(
                f"Cannot reach TMDB at {self.base_url}: {reason}.",
                reason=_unreached_because(exc),
                hint="Check your network connection (and WHERETOWATCH_TMDB_URL if you set it).",
            ) from None
        except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
            # A request that cannot be built (a value no URL takes): an error of the one
            # title it concerns, never of the run. Asking again would build the same.
            self._log_failure(path, exc)
            raise _Refused(
                f"wheretowatch could not send a request to TMDB ({type(exc).__name__}).",
                hint="A value given or stored for this title is not one TMDB takes.",
            ) from None
        finally:
            _deadline.at = None

    def _log_exchange(self, response: httpx.Response, started: float) -> None:
        if not log.isEnabledFor(logging.DEBUG):
            return
        request = response.request
        elapsed = (time.monotonic() - started) * 1000
        log.debug(self._redact(f"GET {request.url} -> {response.status_code} ({elapsed:.0f} ms)"))
        for name, value in request.headers.items():
            shown = _mask_authorization(value) if name.lower() == "authorization" else value
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
                hint=f"Get one free with a TMDB account at {TOKEN_URL}, then run `wheretowatch "
                "setup` or `wheretowatch config set api_token`.",
            )
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        settings = self._settings
        import httpx

        client = httpx.Client(
            base_url=self.base_url,
            headers=headers,
            timeout=httpx.Timeout(settings.timeout, connect=settings.connect_timeout),
            limits=httpx.Limits(max_connections=settings.concurrency),
            transport=self._transport,
            follow_redirects=False,
            # Loading the CA bundle takes ~20 ms. A plain-http base URL (a local mirror, the
            # fake server) never does TLS, and with redirects off it cannot reach an https
            # URL, so it has no certificates to check; https URLs are always verified.
            verify=self.base_url.startswith("https://"),
        )
        _bound_by_deadline(client)
        return client

    def _error_for(
        self, status: int, body: bytes, not_found: str | None, *, answered: int
    ) -> Exception:
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
        if 300 <= status < 400:
            # TMDB's API never redirects: whatever answers here is not the API.
            return UpstreamError(
                f"Unexpected answer from {self.base_url}: HTTP {status} "
                "(a redirect or cache validation, which TMDB's API never sends).",
                hint="Check WHERETOWATCH_TMDB_URL (or tmdb_url in the config file): "
                "TMDB's API is https://api.themoviedb.org.",
                http_status=status,
                tmdb_code=tmdb_code,
            )
        if answered != status:
            return UpstreamError(
                f"TMDB answered HTTP {answered} with an error{said or ''}",
                hint="Try again later.",
                http_status=answered,
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
        # The hint names the kind of credential where it was set: a v3 key in api_key.
        kind = "a Read Access Token" if self._token else "a v3 API key, 32 hexadecimal characters"
        hint = f"Check the value ({kind}, in {where}); see {TOKEN_URL}."
        if self._key and self._key.startswith("eyJ"):
            hint = (
                "That value looks like a Read Access Token (it starts with eyJ), not a v3 API "
                "key: set it as TMDB_API_TOKEN (or `wheretowatch config set api_token`)."
            )
        if self._token and looks_like_v3_key(self._token):
            hint = (
                "That value looks like a v3 API key (32 hexadecimal characters), not a Read "
                "Access Token: set it as TMDB_API_KEY (or `wheretowatch config set api_key`)."
            )
        return AuthError(f"TMDB rejected the credential in {where}{said}", hint=hint)

    def _redact(self, text: str) -> str:
        """The text with every credential replaced by ***."""
        return redact(text, (self._token, self._key))


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """`text` with each secret replaced by ***: as it is, escaped as `repr` shows it, in
    any letter case, and cut short (any start or end of it at least SHORTEST_REDACTED
    characters long)."""
    for secret in secrets:
        if not secret:
            continue
        forms = {secret, secret.encode("unicode_escape").decode("ascii"), repr(secret)[1:-1]}
        # Longest first: an escaped form is redacted whole, not as the raw form's pieces.
        for form in sorted(forms, key=len, reverse=True):
            text = _redact_form(text, form)
    return text


def _redact_form(text: str, secret: str) -> str:
    shortest = min(SHORTEST_REDACTED, len(secret))
    folded, wanted = text.casefold(), secret.casefold()
    if len(folded) != len(text) or len(wanted) != len(secret):
        folded, wanted = text, secret  # folding changed lengths (ß -> ss): match exactly
    spans = []
    for start in _occurrences(folded, wanted[:shortest]):  # the secret, or its start
        end = start + shortest
        while end < len(folded) and end - start < len(wanted):
            if folded[end] != wanted[end - start]:
                break
            end += 1
        spans.append((start, end))
    for start in _occurrences(folded, wanted[-shortest:]):  # its end, cut off before
        begin, matched = start, len(wanted) - shortest
        while matched and begin and folded[begin - 1] == wanted[matched - 1]:
            begin, matched = begin - 1, matched - 1
        spans.append((begin, start + shortest))
    for start, end in reversed(_merged(sorted(spans))):
        text = text[:start] + "***" + text[end:]
    return text


def _occurrences(text: str, part: str) -> Iterable[int]:
    start = text.find(part)
    while start != -1:
        yield start
        start = text.find(part, start + 1)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _mask_authorization(value: str) -> str:
    """The header as sent with its credential masked: `Bearer ***`, `Basic ***`."""
    scheme, _, credential = value.partition(" ")
    return f"{scheme} ***" if credential else "***"


def _over_budget() -> UpstreamError:
    return UpstreamError(
        f"TMDB did not finish answering within {REQUEST_BUDGET:.0f} seconds.",
        hint="Try again later; check WHERETOWATCH_TMDB_URL if you set it.",
    )


def _bound_by_deadline(client: httpx.Client) -> None:
    """Make every socket operation of `client` end by the budget of its request.

    httpx's timeouts are per operation: a server that sends a byte a second never trips a
    10-second read timeout. httpx has no hook for an overall one, so the network backend
    of each connection pool (the direct one, and any proxy's) is wrapped to cut every
    connect, TLS handshake, read and write to what is left of the budget. Private httpx
    attributes are reached here alone; tests/test_faults.py::test_headers_dripped_a_byte_
    at_a_time_are_cut_off_by_the_request_budget fails if this stops applying."""
    transports = [getattr(client, "_transport", None)]
    transports += list(getattr(client, "_mounts", {}).values())
    for transport in transports:
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if backend is not None and not isinstance(backend, _DeadlineBackend):
            pool._network_backend = _DeadlineBackend(backend)  # type: ignore[union-attr]


def _bounded(timeout: float | None) -> float | None:
    deadline: float | None = getattr(_deadline, "at", None)
    if deadline is None:
        return timeout
    left = max(deadline - time.monotonic(), 0.001)  # 0 would mean "non-blocking"
    return left if timeout is None else min(timeout, left)


class _DeadlineBackend:
    """An httpcore network backend whose streams honour the thread's request deadline."""

    def __init__(self, backend: Any) -> None:
        self._backend = backend

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, **kw: Any) -> Any:
        return _DeadlineStream(self._backend.connect_tcp(host, port, _bounded(timeout), **kw))

    def connect_unix_socket(self, path: str, timeout: float | None = None, **kw: Any) -> Any:
        return _DeadlineStream(self._backend.connect_unix_socket(path, _bounded(timeout), **kw))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class _DeadlineStream:
    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data: bytes = self._stream.read(max_bytes, _bounded(timeout))
        return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _bounded(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> Any:
        return _DeadlineStream(
            self._stream.start_tls(ssl_context, server_hostname, _bounded(timeout))
        )

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


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


def _unreached_because(exc: Exception) -> str:
    """Why no TMDB was reached, in a few words: "name resolution failed"."""
    text = f"{type(exc).__name__} {exc}".casefold()
    words = {
        "name resolution failed": ("name or service", "name resolution", "nodename", "getaddrinfo"),
        "connection refused": ("refused",),
        "TLS failed": ("ssl", "tls", "certificate"),
        "connection reset": ("reset", "broken pipe"),
        "network unreachable": ("unreachable",),
    }
    for reason, clues in words.items():
        if any(clue in text for clue in clues):
            return reason
    return "the connection failed"


def _describe_timeout(exc: Exception) -> str:
    kind = type(exc).__name__
    return {
        "ConnectTimeout": "no connection",
        "ReadTimeout": "no data",
        "WriteTimeout": "could not send",
        "PoolTimeout": "no free connection",
    }.get(kind, kind)


def _activity(path: str) -> str:
    """What a request is for, in words: "/3/search/multi" -> "Searching TMDB"."""
    parts = path.strip("/").split("/")[1:]
    match parts:
        case ["search", *_]:
            return "Searching TMDB"
        case ["find", *_]:
            return "Looking the IMDb id up on TMDB"
        case ["watch", "providers", "regions"]:
            return "Fetching TMDB's regions"
        case ["watch", "providers", *_]:
            return "Fetching TMDB's providers"
        case [("movie" | "tv"), *_]:
            return "Fetching the title from TMDB"
    return "Waiting for TMDB"
