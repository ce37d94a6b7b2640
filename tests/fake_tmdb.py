"""A fake TMDB API v3 server that really listens on loopback.

The tests start it in a thread; anyone can start it by hand to try wheretowatch without a
TMDB account:

    python -m tests.fake_tmdb --port 8765
    TMDB_API_TOKEN=demo WHERETOWATCH_TMDB_URL=http://127.0.0.1:8765 \\
        wheretowatch "Drawing Closer" --region GB

It answers the endpoints wheretowatch uses with bodies shaped after TMDB's OpenAPI
examples, TMDB-style error bodies, `Cache-Control` headers, and the video-language
filtering TMDB applies. It records every request, and faults can be scripted.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests import fake_catalogue as catalogue

# Bound at import: a test that skips the client's waits must not skip the server's stalls.
server_sleep = time.sleep

DEFAULT_TOKEN = "demo"
STALL_HEADER = "X-Fake-Stall-Seconds"
DRIP_HEADER = "X-Fake-Drip-Seconds"
ERRORS = {
    7: (401, "Invalid API key: You must be granted a valid key."),
    34: (404, "The resource you requested could not be found."),
    22: (400, "Invalid page: Pages start at 1 and max at 500."),
}
# Cache lifetimes TMDB was seen to send (shared/tmdb/NOTES.md §4).
MAX_AGE = {"search": 600, "details": 28800, "lists": 43200}


@dataclass(frozen=True)
class Recorded:
    path: str
    query: dict[str, str]
    headers: dict[str, str]


@dataclass
class Fault:
    """A canned answer for the next matching requests."""

    status: int
    body: bytes
    content_type: str = "application/json;charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    path_prefix: str = "/"
    times: int = 1
    stall: float = 0.0  # send half the body, then go silent this long: an answer that never ends
    drip: float = 0.0  # send status line, headers and body a byte at a time, this far apart


class FakeTMDB:
    def __init__(self, token: str = DEFAULT_TOKEN, api_key: str | None = None) -> None:
        self.token = token
        self.api_key = api_key
        self.requests: list[Recorded] = []
        self.faults: deque[Fault] = deque()
        self.latency = 0.0
        self.delays: dict[str, float] = {}  # path prefix -> extra seconds
        self.rate_limit: float | None = None  # requests a second before 429s
        self.throttled = 0  # 429s sent for the rate limit
        self.in_flight = 0
        self.max_in_flight = 0
        self._generation = 0
        self._recent: deque[float] = deque()
        self.movies = {k: dict(v) for k, v in catalogue.MOVIES.items()}
        self.tv = copy.deepcopy(catalogue.TV)  # tests change nested season data
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # --- control -----------------------------------------------------------------

    def start(self, port: int = 0) -> str:
        server = _Server(("127.0.0.1", port), _handler_for(self))
        server.daemon_threads = True
        self._server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.faults.clear()
            self._recent.clear()
        self.latency = 0.0
        self.delays = {}
        self.rate_limit = None
        self.throttled = 0
        with self._lock:
            self._generation += 1
            self.in_flight = 0
        self.max_in_flight = 0
        self.movies = {k: dict(v) for k, v in catalogue.MOVIES.items()}
        self.tv = copy.deepcopy(catalogue.TV)  # tests change nested season data

    def generate(self, count: int, first_id: int = 5_000_000) -> list[int]:
        """Add `count` made-up films streaming in GB and US; returns their ids."""
        ids = list(range(first_id, first_id + count))
        for tmdb_id in ids:
            self.movies[tmdb_id] = catalogue.movie(
                tmdb_id,
                f"Generated Film {tmdb_id}",
                f"Generated Film {tmdb_id}",
                "en",
                "2020-01-01",
                1.0,
                _providers={
                    code: {
                        "link": catalogue.watch_link("movie", tmdb_id, "generated", code),
                        "flatrate": [catalogue.offer(catalogue.NETFLIX, 0)],
                        "rent": [catalogue.offer(catalogue.APPLE, 2)],
                    }
                    for code in ("GB", "US")
                },
                _videos=[
                    catalogue.video("Trailer", f"gen{tmdb_id}", "Trailer", "en", "2020-01-01")
                ],
            )
        return ids

    def fail(self, status: int, body: bytes | str | dict[str, Any] = b"", **kwargs: Any) -> None:
        if isinstance(body, dict):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode()
        self.faults.append(Fault(status, body, **kwargs))

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    # --- serving -----------------------------------------------------------------

    def answer(
        self, method: str, target: str, headers: dict[str, str]
    ) -> tuple[int, bytes, dict[str, str]]:
        split = urlsplit(target)
        query = {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        with self._lock:
            self.requests.append(Recorded(split.path, query, headers))
            fault = self._take_fault(split.path)
            over_limit = self._over_rate_limit()
            # A request a previous test abandoned may still be sleeping here: it must not
            # count towards this test's in-flight figures.
            generation = self._generation
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            delay = self.latency + sum(
                extra for prefix, extra in self.delays.items() if split.path.startswith(prefix)
            )
            if delay:
                server_sleep(delay)
        finally:
            with self._lock:
                if generation == self._generation:
                    self.in_flight -= 1
        if over_limit:
            body = {"status_code": 25, "status_message": "Your request count is over the limit."}
            return (
                429,
                json.dumps(body).encode(),
                {
                    "Content-Type": "application/json;charset=utf-8",
                    "Retry-After": "1",
                },
            )
        if fault is not None:
            extra = {"Content-Type": fault.content_type, **fault.headers}
            if fault.stall:
                extra[STALL_HEADER] = str(fault.stall)
            if fault.drip:
                extra[DRIP_HEADER] = str(fault.drip)
            return fault.status, fault.body, extra
        if not self._authorised(headers, query):
            return _error(7)
        try:
            status, body, max_age = self._route(split.path, query)
        except LookupError:
            return _error(34)
        return (
            status,
            json.dumps(body).encode(),
            {
                "Content-Type": "application/json;charset=utf-8",
                "Cache-Control": f"public, max-age={max_age}",
            },
        )

    def _over_rate_limit(self) -> bool:
        """TMDB-style: more than `rate_limit` requests in the last second get a 429."""
        if self.rate_limit is None:
            return False
        now = time.monotonic()
        while self._recent and self._recent[0] < now - 1.0:
            self._recent.popleft()
        if len(self._recent) >= self.rate_limit:
            self.throttled += 1
            return True
        self._recent.append(now)
        return False

    def _take_fault(self, path: str) -> Fault | None:
        for fault in self.faults:
            if path.startswith(fault.path_prefix):
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.remove(fault)
                return fault
        return None

    def _authorised(self, headers: dict[str, str], query: dict[str, str]) -> bool:
        bearer = headers.get("authorization", "")
        if bearer == f"Bearer {self.token}":
            return True
        return self.api_key is not None and query.get("api_key") == self.api_key

    def _route(self, path: str, query: dict[str, str]) -> tuple[int, Any, int]:
        parts = path.strip("/").split("/")
        if parts[0] != "3":
            raise LookupError(path)
        match parts[1:]:
            case ["search", kind] if kind in ("movie", "tv", "multi"):
                if not query.get("query"):
                    return 422, {"errors": ["query must be provided"]}, 0
                return 200, self._search(kind, query["query"]), MAX_AGE["search"]
            case [("movie" | "tv") as kind, raw_id] if raw_id.isdigit():
                return 200, self._details(kind, int(raw_id), query), MAX_AGE["details"]
            # The separate endpoints that `append_to_response` saves a client from calling.
            case [("movie" | "tv") as kind, raw_id, "watch", "providers"] if raw_id.isdigit():
                title = (self.movies if kind == "movie" else self.tv)[int(raw_id)]
                body = {"id": int(raw_id), "results": title.get("_providers", {})}
                return 200, body, MAX_AGE["details"]
            case ["tv", raw_id, "season", raw_number] if raw_id.isdigit() and raw_number.isdigit():
                body = self._season(int(raw_id), int(raw_number), query)
                return 200, body, MAX_AGE["details"]
            case ["tv", raw_id, "season", raw_number, "watch", "providers"] if (
                raw_id.isdigit() and raw_number.isdigit()
            ):
                found = self.tv[int(raw_id)]["_seasons"][int(raw_number)]
                body = {"id": found["id"], "results": found["_providers"]}
                return 200, body, MAX_AGE["details"]
            case [("movie" | "tv") as kind, raw_id, "videos"] if raw_id.isdigit():
                title = (self.movies if kind == "movie" else self.tv)[int(raw_id)]
                videos = _videos(title.get("_videos", []), query)
                return 200, {"id": int(raw_id), "results": videos}, MAX_AGE["details"]
            case ["authentication"]:
                return 200, {"success": True, "status_code": 1, "status_message": "Success."}, 0
            case ["find", external_id]:
                return 200, self._find(external_id), MAX_AGE["details"]
            case ["watch", "providers", "regions"]:
                return 200, {"results": catalogue.REGIONS}, MAX_AGE["lists"]
            case ["watch", "providers", ("movie" | "tv")]:
                return 200, {"results": catalogue.PROVIDERS}, MAX_AGE["lists"]
        raise LookupError(path)

    def _search(self, kind: str, text: str) -> dict[str, Any]:
        wanted = _fold(text)
        rows: list[dict[str, Any]] = []
        if kind in ("movie", "multi"):
            rows += [
                _public(m, "movie" if kind == "multi" else None)
                for m in self.movies.values()
                if _hit(m, wanted)
            ]
        if kind in ("tv", "multi"):
            rows += [
                _public(t, "tv" if kind == "multi" else None)
                for t in self.tv.values()
                if _hit(t, wanted)
            ]
        if kind == "multi":
            rows += [p for p in catalogue.PEOPLE if wanted in _fold(p["name"])]
        rows.sort(key=lambda row: -row.get("popularity", 0))
        return {"page": 1, "results": rows, "total_pages": 1, "total_results": len(rows)}

    def _details(self, kind: str, tmdb_id: int, query: dict[str, str]) -> dict[str, Any]:
        title = (self.movies if kind == "movie" else self.tv)[tmdb_id]
        body = _public(title, None)
        appended = [a for a in query.get("append_to_response", "").split(",") if a]
        if "videos" in appended:
            body["videos"] = {"results": _videos(title.get("_videos", []), query)}
        if "watch/providers" in appended:
            body["watch/providers"] = {"results": title.get("_providers", {})}
        if kind == "tv" and "_seasons" in title:
            body["seasons"] = [_season_summary(s) for _, s in sorted(title["_seasons"].items())]
            # A season appended to the series' details, as TMDB allows: `season/3`.
            for item in appended:
                number = item.removeprefix("season/")
                if item.startswith("season/") and number.isdigit():
                    with contextlib.suppress(KeyError):
                        body[item] = _public(title["_seasons"][int(number)], None)
        return body

    def _season(self, series_id: int, number: int, query: dict[str, str]) -> dict[str, Any]:
        found = self.tv[series_id]["_seasons"][number]
        body = _public(found, None)
        appended = [a for a in query.get("append_to_response", "").split(",") if a]
        if "videos" in appended:
            body["videos"] = {"results": _videos(found.get("_videos", []), query)}
        if "watch/providers" in appended:
            body["watch/providers"] = {"results": found.get("_providers", {})}
        return body

    def _find(self, external_id: str) -> dict[str, Any]:
        found: dict[str, Any] = {
            "movie_results": [],
            "person_results": [],
            "tv_results": [],
            "tv_episode_results": [],
            "tv_season_results": [],
        }
        if external_id in catalogue.IMDB:
            kind, tmdb_id = catalogue.IMDB[external_id]
            source = self.movies if kind == "movie" else self.tv
            found[f"{kind}_results"].append(_public(source[tmdb_id], kind))
        return found


def _videos(videos: list[dict[str, Any]], query: dict[str, str]) -> list[dict[str, Any]]:
    # TMDB filters videos by `include_video_language` if given, else by `language`.
    if "include_video_language" in query:
        allowed = set(query["include_video_language"].split(","))
    else:
        allowed = {query.get("language", "en-US").split("-")[0]}
    return [v for v in videos if (v["iso_639_1"] or "null") in allowed]


def _season_summary(season: dict[str, Any]) -> dict[str, Any]:
    """A season as the series' details list it."""
    keys = ("air_date", "id", "name", "overview", "poster_path", "season_number", "vote_average")
    return {**{k: season[k] for k in keys}, "episode_count": len(season["episodes"])}


def _public(title: dict[str, Any], media_type: str | None) -> dict[str, Any]:
    row = {k: v for k, v in title.items() if not k.startswith("_")}
    if media_type:
        row["media_type"] = media_type
    return row


def _hit(title: dict[str, Any], wanted: str) -> bool:
    names = [
        title.get("title"),
        title.get("original_title"),
        title.get("name"),
        title.get("original_name"),
    ]
    names += title.get("_alt_titles", [])
    return any(wanted in _fold(name) for name in names if isinstance(name, str))


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if c.isalnum())


def _error(code: int) -> tuple[int, bytes, dict[str, str]]:
    status, message = ERRORS[code]
    body = {"status_code": code, "status_message": message, "success": False}
    return status, json.dumps(body).encode(), {"Content-Type": "application/json;charset=utf-8"}


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gives up mid-answer (a timeout test) is routine, not an error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _handler_for(fake: FakeTMDB) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes; with Nagle on, the second waits for the
        # client's delayed ACK: 40 ms a request that a real server does not add.
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, body, extra = fake.answer("GET", self.path, headers)
            stall = float(extra.pop(STALL_HEADER, 0))
            drip = float(extra.pop(DRIP_HEADER, 0))
            if drip:
                self._drip(status, body, extra, drip)
                return
            self.send_response(status)
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            # The client may have given up first (a timeout test): nothing to report.
            with contextlib.suppress(ConnectionError):
                if stall:
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    server_sleep(stall)
                self.wfile.write(body)

        def _drip(self, status: int, body: bytes, extra: dict[str, str], pause: float) -> None:
            """A slow-loris answer: every byte of it, the status line first, `pause` apart."""
            head = f"HTTP/1.1 {status} OK\r\n" + "".join(f"{k}: {v}\r\n" for k, v in extra.items())
            raw = f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body
            self.close_connection = True
            with contextlib.suppress(OSError):
                for index in range(len(raw)):
                    self.wfile.write(raw[index : index + 1])
                    self.wfile.flush()
                    threading.Event().wait(pause)  # not time.sleep: tests stub that out

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output clean

    return Handler


@contextmanager
def running(token: str = DEFAULT_TOKEN, api_key: str | None = None) -> Iterator[FakeTMDB]:
    fake = FakeTMDB(token=token, api_key=api_key)
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


def demo(arguments: list[str]) -> int:
    """Run `wheretowatch ARGUMENTS` against a fake TMDB, in throwaway directories."""
    with running() as fake, tempfile.TemporaryDirectory() as home:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("WHERETOWATCH_", "TMDB_"))},
            "TMDB_API_TOKEN": DEFAULT_TOKEN,
            "WHERETOWATCH_TMDB_URL": fake.url,
            "WHERETOWATCH_CONFIG_DIR": f"{home}/config",
            "WHERETOWATCH_CACHE_DIR": f"{home}/cache",
            "WHERETOWATCH_DATA_DIR": f"{home}/data",
        }
        command = [sys.executable, "-m", "wheretowatch", *(arguments or DEMO)]
        return subprocess.run(command, env=env, check=False).returncode


DEMO = ["Drawing Closer", "--region", "GB,JP"]


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the fake TMDB server on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--token", default=DEFAULT_TOKEN, help="the token to accept")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to each answer")
    parser.add_argument(
        "--demo",
        nargs=argparse.REMAINDER,
        metavar="ARGS",
        help='run `wheretowatch ARGS` against the fake server and stop (default: "Drawing '
        'Closer" --region GB,JP)',
    )
    args = parser.parse_args()
    if args.demo is not None:
        sys.exit(demo(args.demo))
    fake = FakeTMDB(token=args.token)
    fake.latency = args.latency
    url = fake.start(args.port)
    print(f"Fake TMDB listening on {url} (token: {args.token!r}). Try:")
    env = f"TMDB_API_TOKEN={args.token} WHERETOWATCH_TMDB_URL={url}"
    print(f'  {env} wheretowatch "Drawing Closer" --region GB')
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
