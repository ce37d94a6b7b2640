"""The TMDB client over real HTTP against the fake server; MockTransport for retry maths."""

from __future__ import annotations

import http.server
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest

from tests.conftest import API_KEY, TOKEN, free_port, http_settings
from tests.fake_tmdb import FakeTMDB
from wheretowatch import __version__
from wheretowatch.errors import AuthError, ConfigError, NotFoundError, UpstreamError
from wheretowatch.models import MediaType
from wheretowatch.tmdb import TMDBClient
from wheretowatch.tmdb.http import MAX_ATTEMPTS, _retry_after

HTTP_FIELDS = {"api_token", "api_key", "timeout", "connect_timeout", "rate_limit", "concurrency"}


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def client(
    fake: FakeTMDB, sleeps: Sleeps | None = None, real_sleep: bool = False, **kwargs: object
) -> TMDBClient:
    """A client of the fake server; its waits are recorded in `sleeps`, not slept,
    unless `real_sleep`."""
    if not real_sleep:
        sleeps = sleeps if sleeps is not None else Sleeps()
    http = {k: kwargs.pop(k) for k in list(kwargs) if k in HTTP_FIELDS}
    return TMDBClient(http_settings(fake.url, **http), sleep=sleeps, **kwargs)  # type: ignore[arg-type]


def test_token_goes_in_the_authorization_header_never_the_url(fake: FakeTMDB) -> None:
    with client(fake) as tmdb:
        tmdb.search("Dune", media_type=None, language="en-US")
    (request,) = fake.requests
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["user-agent"] == f"wheretowatch/{__version__}"
    assert "api_key" not in request.query
    assert TOKEN not in request.path


def test_api_key_is_a_query_parameter_only_without_a_token(fake: FakeTMDB) -> None:
    with client(fake, api_token=None, api_key=API_KEY) as tmdb:
        tmdb.regions(language="en-US")
    assert fake.requests[0].query["api_key"] == API_KEY
    with client(fake, api_key=API_KEY) as tmdb:  # token wins
        tmdb.regions(language="en-US")
    assert "api_key" not in fake.requests[1].query


def test_no_credential_is_a_config_error_before_any_request(fake: FakeTMDB) -> None:
    with (
        TMDBClient(http_settings(fake.url, api_token=None)) as tmdb,
        pytest.raises(ConfigError, match="TMDB_API_TOKEN"),
    ):
        tmdb.regions(language="en")
    assert fake.requests == []


def test_details_is_one_request_with_appended_videos_providers_and_release_dates(
    fake: FakeTMDB,
) -> None:
    with client(fake) as tmdb:
        fetched = tmdb.details(
            MediaType.MOVIE, 1291559, language="en-US", video_languages=("en", "ja", "null")
        )
    (request,) = fake.requests
    assert request.path == "/3/movie/1291559"
    assert request.query["append_to_response"] == "videos,watch/providers,release_dates"
    assert request.query["include_video_language"] == "en,ja,null"
    details = fetched.value
    assert not fetched.from_cache
    assert details.offers["GB"].flatrate[0].provider_name == "Netflix"
    assert {v.key for v in details.videos} >= {"dcTrailerJa", "dcTeaserJa"}
    assert details.release_dates is not None
    assert [d.note for d in details.release_dates["GB"]] == ["Netflix"]
    assert fetched.fetched_at.tzinfo is UTC


def test_retries_5xx_then_succeeds(fake: FakeTMDB) -> None:
    sleeps = Sleeps()
    fake.fail(503, {"status_code": 9, "status_message": "Service offline."}, times=2)
    with client(fake, sleeps) as tmdb:
        regions = tmdb.regions(language="en-US").value
    assert "GB" in {region.code for region in regions}
    assert len(fake.requests) == 3
    assert sleeps == [0.5, 1.0]


def test_429_honours_retry_after(fake: FakeTMDB) -> None:
    sleeps = Sleeps()
    body = {"status_code": 25, "status_message": "Your request count (41) is over the limit."}
    fake.fail(429, body, headers={"Retry-After": "3"})
    with client(fake, sleeps) as tmdb:
        regions = tmdb.regions(language="en-US").value
    assert "GB" in {region.code for region in regions}
    assert len(sleeps) == 1
    assert sleeps[0] == pytest.approx(3.0, abs=0.1)


def test_persistent_errors_give_up_after_bounded_attempts(fake: FakeTMDB) -> None:
    sleeps = Sleeps()
    fake.fail(500, {"status_code": 11, "status_message": "Internal error."}, times=99)
    with client(fake, sleeps) as tmdb, pytest.raises(UpstreamError) as caught:
        tmdb.regions(language="en-US")
    assert len(fake.requests) == MAX_ATTEMPTS
    assert "HTTP 500: Internal error." in caught.value.message
    assert caught.value.http_status == 500
    assert caught.value.tmdb_code == 11


def test_a_long_retry_after_is_not_waited_out(fake: FakeTMDB) -> None:
    sleeps = Sleeps()
    fake.fail(429, b"", headers={"Retry-After": "3600"})
    with client(fake, sleeps) as tmdb, pytest.raises(UpstreamError, match="rate limiting"):
        tmdb.regions(language="en-US")
    assert sleeps == []


def test_401_is_an_auth_error_with_tmdb_message(fake: FakeTMDB) -> None:
    with client(fake, api_token="wrong") as tmdb, pytest.raises(AuthError) as caught:
        tmdb.regions(language="en-US")
    assert "Invalid API key" in caught.value.message
    assert len(fake.requests) == 1  # never retried


def test_404_is_not_found(fake: FakeTMDB) -> None:
    with client(fake) as tmdb, pytest.raises(NotFoundError, match="no film with id 7"):
        tmdb.details(MediaType.MOVIE, 7, language="en", video_languages=("en",))


def test_validation_error_body_is_read(fake: FakeTMDB) -> None:
    with client(fake) as tmdb, pytest.raises(UpstreamError, match="query must be provided"):
        tmdb.search("", media_type=None, language="en")


@pytest.mark.parametrize(
    ("status", "body", "content_type", "message"),
    [
        (200, b"<html>Login to the hotel wifi</html>", "text/html", "instead of JSON"),
        (200, b'{"results": [{"id": 1', "application/json", "not valid JSON"),
        (200, b"[1, 2, 3]", "application/json", "shape"),
        (502, b"<html>Bad Gateway</html>", "text/html", "HTTP 502 without an explanation"),
    ],
)
def test_bad_bodies_are_upstream_errors(
    fake: FakeTMDB, status: int, body: bytes, content_type: str, message: str
) -> None:
    fake.fail(status, body, content_type=content_type, times=MAX_ATTEMPTS)
    with client(fake) as tmdb, pytest.raises(UpstreamError, match=message):
        tmdb.regions(language="en-US")


def test_read_timeout_is_an_upstream_error(fake: FakeTMDB) -> None:
    fake.latency = 1.0
    with client(fake, timeout=0.2) as tmdb, pytest.raises(UpstreamError, match="did not answer"):
        tmdb.regions(language="en-US")


def test_connection_refused_is_an_upstream_error() -> None:
    tmdb = TMDBClient(http_settings(f"http://127.0.0.1:{free_port()}"), sleep=Sleeps())
    with tmdb, pytest.raises(UpstreamError, match="Cannot reach TMDB"):
        tmdb.regions(language="en-US")


def test_errors_never_contain_the_credential() -> None:
    def echo_secret(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json={"status_code": 47, "status_message": str(request.url)})

    tmdb = TMDBClient(
        http_settings("http://tmdb.test", api_token=None, api_key=API_KEY),
        transport=httpx.MockTransport(echo_secret),
        sleep=Sleeps(),
    )
    with tmdb, pytest.raises(UpstreamError) as caught:
        tmdb.regions(language="en-US")
    assert API_KEY not in caught.value.message
    assert "***" in caught.value.message


def test_retry_after_parses_seconds_and_dates() -> None:
    assert _retry_after("7") == 7.0
    assert _retry_after(None) is None
    assert _retry_after("soon") is None
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    wait = _retry_after(later)
    assert wait is not None
    assert 25 <= wait <= 30


@pytest.fixture
def untrusted_https(tmp_path: Path) -> Iterator[str]:
    """An HTTPS server on loopback whose certificate no CA signed."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_https_is_always_verified(untrusted_https: str) -> None:
    tmdb = TMDBClient(http_settings(untrusted_https), sleep=Sleeps())
    with tmdb, pytest.raises(UpstreamError, match="CERTIFICATE_VERIFY_FAILED"):
        tmdb.regions(language="en-US")


def test_a_request_never_outlasts_its_time_budget(
    fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each answer is slow and an error, so without the budget all 4 attempts would run.
    monkeypatch.setattr("wheretowatch.tmdb.http.REQUEST_BUDGET", 1.0)
    fake.latency = 0.4
    fake.fail(503, {"status_code": 9, "status_message": "Service offline."}, times=99)
    started = time.monotonic()
    with client(fake, real_sleep=True) as tmdb, pytest.raises(UpstreamError):
        tmdb.regions(language="en-US")
    assert time.monotonic() - started < 2.0
    assert 1 < len(fake.requests) < MAX_ATTEMPTS
