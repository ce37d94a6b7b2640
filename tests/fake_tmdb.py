"""A fake TMDB API v3 server that really listens on loopback.

The tests start it in a thread; anyone can start it by hand to try wheretowatch without a
TMDB account:

    python -m tests.fake_tmdb --port 8765
    TMDB_API_TOKEN=demo WHERETOWATCH_TMDB_URL=http://127.0.0.1:8765 \\
        wheretowatch "Drawing Closer" --region GB

It answers the endpoints wheretowatch uses, and those its coming features will, with
bodies shaped after TMDB's OpenAPI examples (tests/data/tmdb-examples), and behaves as TMDB
does where that is known (shared/tmdb/NOTES.md):

- search (`movie`, `tv`, `multi`, `person`) and discover (`movie`, `tv`) are paged: 20
  results a page, `page` 1 to 500 (else error 22), past the last page an empty page with
  the real totals;
- `/3/watch/providers/{movie,tv}?watch_region=XX` lists only that region's providers, at
  that region's priority; `append_to_response` takes `videos`, `watch/providers`,
  `release_dates` (and `season/N` on a series), at most 20 of them (else error 27);
- errors are TMDB's own bodies: 34 for an unknown path or id, 7 for a missing or wrong
  credential, 25 when over the scripted rate limit; `Cache-Control` as TMDB sends it;
- videos are filtered by `include_video_language`, else by `language`, as TMDB does;
- every request is recorded (`requests`, `paths()`, `queries()`, `last()`), and faults
  can be scripted (`fail`, `fail_with`, `latency`, `delays`, `rate_limit`).
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
# TMDB's error codes and messages (shared/tmdb/NOTES.md §3, from TMDB's errors table).
ERRORS = {
    3: (401, "Authentication failed: You do not have permissions to access the service."),
    7: (401, "Invalid API key: You must be granted a valid key."),
    9: (503, "Service offline"),
    10: (401, "Suspended API key"),
    11: (500, "Internal error"),
    22: (400, "Invalid page: Pages start at 1 and max at 500."),
    25: (429, "Your request count (#) is over the allowed limit of (40)."),
    27: (400, "Too many append to response objects (max 20)"),
    34: (404, "The resource you requested could not be found."),
}
PAGE_SIZE = 20  # observed, not documented (NOTES.md §2)
MAX_PAGE = 500
MAX_APPENDED = 20
MONETIZATION = ("flatrate", "free", "ads", "rent", "buy")
# Cache lifetimes TMDB was seen to send (shared/tmdb/NOTES.md §4).
MAX_AGE = {"search": 600, "details": 28800, "lists": 43200}


@dataclass(frozen=True)
class Recorded:
    path: str
    query: dict[str, str]  # the last value of each parameter
    headers: dict[str, str]

    def param(self, name: str) -> str | None:
        """A query parameter's value, or None if the request had none."""
        return self.query.get(name)


class TMDBError(Exception):
    """An answer of TMDB's own error body with this code (see ERRORS)."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


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

    def fail_with(self, code: int, **kwargs: Any) -> None:
        """Script TMDB's own error `code` (see ERRORS), with its HTTP status and body."""
        status, message = ERRORS[code]
        self.fail(status, _error_body(code, message), **kwargs)

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def queries(self, path: str | None = None) -> list[dict[str, str]]:
        """The query parameters of every request (to `path` only, if given), in order."""
        return [dict(r.query) for r in self.requests if path is None or r.path == path]

    def last(self, path: str | None = None) -> Recorded:
        """The latest request (to `path`, if given); AssertionError if there is none."""
        found = [r for r in self.requests if path is None or r.path == path]
        assert found, f"no request to {path or 'the fake'}; seen: {self.paths()}"
        return found[-1]

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
            message = ERRORS[25][1].replace("#", str(over_limit))
            message = message.replace("(40)", f"({self.rate_limit:g})")
            return (
                429,
                json.dumps(_error_body(25, message)).encode(),
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
        except TMDBError as exc:
            return _error(exc.code)
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

    def _over_rate_limit(self) -> int:
        """TMDB-style: more than `rate_limit` requests in the last second get a 429.
        Returns the request count (for the message) when over, else 0."""
        if self.rate_limit is None:
            return 0
        now = time.monotonic()
        while self._recent and self._recent[0] < now - 1.0:
            self._recent.popleft()
        if len(self._recent) >= self.rate_limit:
            self.throttled += 1
            return len(self._recent) + 1
        self._recent.append(now)
        return 0

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
            case ["search", kind] if kind in ("movie", "tv", "multi", "person"):
                if not query.get("query"):
                    return 422, {"errors": ["query must be provided"]}, 0
                rows = self._search(kind, query["query"])
                return 200, _paged(rows, query), MAX_AGE["search"]
            case ["discover", ("movie" | "tv") as kind]:
                return 200, _paged(self._discover(kind, query), query), MAX_AGE["search"]
            case ["genre", "movie", "list"]:
                return 200, {"genres": catalogue.MOVIE_GENRES}, MAX_AGE["lists"]
            case ["genre", "tv", "list"]:
                return 200, {"genres": catalogue.TV_GENRES}, MAX_AGE["lists"]
            case [("movie" | "tv") as kind, raw_id] if raw_id.isdigit():
                return 200, self._details(kind, int(raw_id), query), MAX_AGE["details"]
            # The separate endpoints that `append_to_response` saves a client from calling.
            case [("movie" | "tv") as kind, raw_id, "watch", "providers"] if raw_id.isdigit():
                title = (self.movies if kind == "movie" else self.tv)[int(raw_id)]
                body = {"id": int(raw_id), "results": title.get("_providers", {})}
                return 200, body, MAX_AGE["details"]
            case ["movie", raw_id, "release_dates"] if raw_id.isdigit():
                body = {"id": int(raw_id), "results": _release_dates(self.movies[int(raw_id)])}
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
                return 200, {"results": _provider_list(query.get("watch_region"))}, MAX_AGE["lists"]
        raise LookupError(path)

    def _search(self, kind: str, text: str) -> list[dict[str, Any]]:
        """Every hit, most popular first (`_paged` cuts the page)."""
        wanted = _fold(text)
        rows: list[dict[str, Any]] = []
        if kind in ("movie", "multi"):
            rows += [
                _row(m, "movie", "multi" if kind == "multi" else "search")
                for m in self.movies.values()
                if _hit(m, wanted)
            ]
        if kind in ("tv", "multi"):
            rows += [
                _row(t, "tv", "multi" if kind == "multi" else "search")
                for t in self.tv.values()
                if _hit(t, wanted)
            ]
        if kind in ("person", "multi"):
            rows += [
                self._person(p, media_type=kind == "multi")
                for p in catalogue.PEOPLE_BY_ID.values()
                if wanted in _fold(p["name"])
            ]
        rows.sort(key=lambda row: -row.get("popularity", 0))
        return rows

    def _person(self, person: dict[str, Any], *, media_type: bool) -> dict[str, Any]:
        """A person row of `/3/search/person` (with `media_type` in `/3/search/multi`)."""
        known = [
            m
            for m in self.movies.values()
            if person["id"] in m.get("_cast", []) or person["id"] in m.get("_crew", [])
        ]
        known.sort(key=lambda m: -m.get("popularity", 0))
        row: dict[str, Any] = {
            "adult": False,
            "gender": person["gender"],
            "id": person["id"],
            "known_for_department": person["department"],
            "name": person["name"],
            "original_name": person["name"],
            "popularity": person["popularity"],
            "profile_path": None,
            "known_for": [_row(m, "movie", "multi") for m in known[:3]],
        }
        if media_type:
            row["media_type"] = "person"
        return row

    def _discover(self, kind: str, query: dict[str, str]) -> list[dict[str, Any]]:
        """`/3/discover/{movie,tv}`: the catalogue's titles that pass every filter given,
        sorted by `sort_by` (default `popularity.desc`), ties by id."""
        source = self.movies if kind == "movie" else self.tv
        found = [t for t in source.values() if _discovered(t, kind, query)]
        found.sort(key=lambda t: t["id"])
        field, _, direction = query.get("sort_by", "").rpartition(".")
        sort_field = _SORT_FIELDS[kind].get(field)
        if sort_field is None or direction not in ("asc", "desc"):
            sort_field, direction = "popularity", "desc"
        # Titles without the value (no date yet) come last either way.
        known = [t for t in found if t.get(sort_field) not in (None, "")]
        unknown = [t for t in found if t.get(sort_field) in (None, "")]
        known.sort(key=lambda t: _sort_value(t[sort_field]), reverse=direction == "desc")
        return [_row(t, kind, "discover") for t in known + unknown]

    def _details(self, kind: str, tmdb_id: int, query: dict[str, str]) -> dict[str, Any]:
        title = (self.movies if kind == "movie" else self.tv)[tmdb_id]
        body = _details_row(title, kind)
        appended = _appended(query)
        if "videos" in appended:
            body["videos"] = {"results": _videos(title.get("_videos", []), query)}
        if "watch/providers" in appended:
            body["watch/providers"] = {"results": title.get("_providers", {})}
        if kind == "movie" and "release_dates" in appended:
            body["release_dates"] = {"results": _release_dates(title)}
        if kind == "tv" and "_seasons" in title:
            body["seasons"] = [_season_summary(s) for _, s in sorted(title["_seasons"].items())]
            # A season appended to the series' details, as TMDB allows: `season/3`.
            for item in appended:
                number = item.removeprefix("season/")
                if item.startswith("season/") and number.isdigit():
                    with contextlib.suppress(KeyError):
                        body[item] = _season_row(title["_seasons"][int(number)])
        return body

    def _season(self, series_id: int, number: int, query: dict[str, str]) -> dict[str, Any]:
        found = self.tv[series_id]["_seasons"][number]
        body = _season_row(found)
        appended = _appended(query)
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
            found[f"{kind}_results"].append(_row(source[tmdb_id], kind, "multi"))
        return found


# --- the shapes of TMDB's answers -------------------------------------------------------

# The keys of a list row, as the spec's examples have them (tests/data/tmdb-examples), with
# the value a title without one gets. `media_type` is added where TMDB mixes kinds.
_MOVIE_ROW: dict[str, Any] = {
    "adult": False,
    "backdrop_path": None,
    "genre_ids": [],
    "id": 0,
    "original_language": "",
    "original_title": "",
    "overview": "",
    "popularity": 0.0,
    "poster_path": None,
    "release_date": "",
    "title": "",
    "video": False,
    "vote_average": 0.0,
    "vote_count": 0,
}
_TV_ROW: dict[str, Any] = {
    "adult": False,
    "backdrop_path": None,
    "first_air_date": "",
    "genre_ids": [],
    "id": 0,
    "name": "",
    "origin_country": [],
    "original_language": "",
    "original_name": "",
    "overview": "",
    "popularity": 0.0,
    "poster_path": None,
    "vote_average": 0.0,
    "vote_count": 0,
}
# Details add these to the row (and carry `genres` instead of `genre_ids`).
_MOVIE_DETAILS: dict[str, Any] = {
    "belongs_to_collection": None,
    "budget": 0,
    "homepage": "",
    "imdb_id": None,
    "origin_country": [],
    "production_companies": [],
    "production_countries": [],
    "revenue": 0,
    "runtime": 0,
    "spoken_languages": [],
    "status": "Released",
    "tagline": "",
}
_TV_DETAILS: dict[str, Any] = {
    "created_by": [],
    "episode_run_time": [],
    "homepage": "",
    "in_production": False,
    "languages": [],
    "last_air_date": None,
    "last_episode_to_air": None,
    "networks": [],
    "next_episode_to_air": None,
    "number_of_episodes": 0,
    "number_of_seasons": 0,
    "production_companies": [],
    "production_countries": [],
    "seasons": [],
    "spoken_languages": [],
    "status": "Returning Series",
    "tagline": "",
    "type": "Scripted",
}
_SORT_FIELDS = {
    "movie": {
        "popularity": "popularity",
        "vote_average": "vote_average",
        "vote_count": "vote_count",
        "primary_release_date": "release_date",
        "title": "title",
        "original_title": "original_title",
        "revenue": "revenue",
    },
    "tv": {
        "popularity": "popularity",
        "vote_average": "vote_average",
        "vote_count": "vote_count",
        "first_air_date": "first_air_date",
        "name": "name",
        "original_name": "original_name",
    },
}


def _row(title: dict[str, Any], kind: str, where: str) -> dict[str, Any]:
    """A title as a list shows it: `where` is "search", "multi" (with `media_type`, as
    search/multi, find and known_for have it) or "discover" (whose TV rows have no
    `adult`)."""
    shape = _MOVIE_ROW if kind == "movie" else _TV_ROW
    row = {key: copy.deepcopy(title.get(key, default)) for key, default in shape.items()}
    if kind == "tv" and where == "discover":
        del row["adult"]
    if where == "multi":
        row["media_type"] = kind
    return row


def _details_row(title: dict[str, Any], kind: str) -> dict[str, Any]:
    """A title's details: every key the spec's example has (the catalogue's values where
    it has them), `genres` with their names."""
    extra = _MOVIE_DETAILS if kind == "movie" else _TV_DETAILS
    body = {**_row(title, kind, "search"), **copy.deepcopy(extra), **_public(title, None)}
    names = {g["id"]: g["name"] for g in catalogue.MOVIE_GENRES + catalogue.TV_GENRES}
    body["genres"] = [{"id": g, "name": names.get(g, "")} for g in body.pop("genre_ids", [])]
    return body


def _season_row(season: dict[str, Any]) -> dict[str, Any]:
    return {"networks": [], **_public(season, None), "_id": season["_id"]}


def _appended(query: dict[str, str]) -> list[str]:
    appended = [a.strip() for a in query.get("append_to_response", "").split(",") if a.strip()]
    if len(appended) > MAX_APPENDED:
        raise TMDBError(27)
    return appended


def _paged(rows: list[dict[str, Any]], query: dict[str, str]) -> dict[str, Any]:
    """TMDB's paging: 20 a page; `page` a whole number from 1 to 500 (else error 22); a
    page past the last is empty but keeps the totals. No results: one (empty) page."""
    raw = query.get("page", "1")
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PAGE:
        raise TMDBError(22)
    page = int(raw)
    start = (page - 1) * PAGE_SIZE
    return {
        "page": page,
        "results": rows[start : start + PAGE_SIZE],
        "total_pages": max(1, -(-len(rows) // PAGE_SIZE)),
        "total_results": len(rows),
    }


def _provider_list(region: str | None) -> list[dict[str, Any]]:
    """`/3/watch/providers/{movie,tv}`: all providers, or only those of `region`, at its
    priority and sorted by it (as TMDB answers `watch_region`)."""
    if not region:
        return copy.deepcopy(catalogue.PROVIDERS)
    listed = [
        {**copy.deepcopy(p), "display_priority": p["display_priorities"][region]}
        for p in catalogue.PROVIDERS
        if region in p["display_priorities"]
    ]
    return sorted(listed, key=lambda p: (p["display_priority"], p["provider_name"]))


# Where a film without release dates of its own was released: its language's country.
_COUNTRY_OF = {"en": "US", "ja": "JP", "fr": "FR", "ko": "KR", "es": "ES", "de": "DE", "ru": "RU"}


def _release_dates(title: dict[str, Any]) -> list[dict[str, Any]]:
    """The film's `release_dates` results; a film the catalogue gives none has its primary
    release date as a theatrical release in its language's country (TMDB always has one)."""
    if "_release_dates" in title:
        return copy.deepcopy(title["_release_dates"])
    if not title.get("release_date"):
        return []
    country = _COUNTRY_OF.get(title.get("original_language", ""), "US")
    return catalogue.releases(
        **{country: [catalogue.release(title["release_date"], catalogue.THEATRICAL)]}
    )


def _matches(expression: str, have: set[str]) -> bool:
    """TMDB's list filters: `a|b` is OR, `a,b` AND (here: an OR of ANDs)."""
    groups = [
        [item.strip() for item in g.split(",") if item.strip()] for g in expression.split("|")
    ]
    return any(all(item in have for item in group) for group in groups if group)


def _number(query: dict[str, str], name: str) -> float | None:
    """A numeric filter's value; one that is not a number is ignored, as TMDB does."""
    try:
        return float(query[name])
    except (KeyError, ValueError):
        return None


def _within(value: float, query: dict[str, str], name: str) -> bool:
    low, high = _number(query, f"{name}.gte"), _number(query, f"{name}.lte")
    return (low is None or value >= low) and (high is None or value <= high)


def _dated(date: str, query: dict[str, str], name: str) -> bool:
    """Whether YYYY-MM-DD `date` is within the `name.gte` / `name.lte` window (inclusive);
    an undated title is outside any window."""
    low, high = query.get(f"{name}.gte"), query.get(f"{name}.lte")
    if not (low or high):
        return True
    return bool(date) and (not low or date >= low[:10]) and (not high or date <= high[:10])


def _discovered(title: dict[str, Any], kind: str, query: dict[str, str]) -> bool:
    """Whether `title` passes every discover filter in `query` that the fake knows."""
    if title.get("adult") and query.get("include_adult") != "true":
        return False
    genres = {str(g) for g in title.get("genre_ids", [])}
    if "with_genres" in query and not _matches(query["with_genres"], genres):
        return False
    if genres & set(query.get("without_genres", "").replace("|", ",").split(",")):
        return False
    language = query.get("with_original_language")
    if language and title.get("original_language") not in language.split("|"):
        return False
    if not _within(title.get("vote_average", 0.0), query, "vote_average"):
        return False
    if not _within(title.get("vote_count", 0), query, "vote_count"):
        return False
    runtime = (
        title.get("runtime", 0) if kind == "movie" else (title.get("episode_run_time") or [0])[0]
    )
    if not _within(runtime, query, "with_runtime"):
        return False
    if kind == "movie":
        cast = {str(p) for p in title.get("_cast", [])}
        crew = {str(p) for p in title.get("_crew", [])}
        for name, people in (
            ("with_people", cast | crew),
            ("with_cast", cast),
            ("with_crew", crew),
        ):
            if name in query and not _matches(query[name], people):
                return False
        date = title.get("release_date", "")
        if not _dated(date, query, "primary_release_date"):
            return False
        if "primary_release_year" in query and date[:4] != query["primary_release_year"]:
            return False
        if not _released(title, query):
            return False
    else:
        date = title.get("first_air_date", "")
        if not _dated(date, query, "first_air_date"):
            return False
        if "first_air_date_year" in query and date[:4] != query["first_air_date_year"]:
            return False
    return _offered(title, query)


def _released(title: dict[str, Any], query: dict[str, str]) -> bool:
    """`release_date.gte/.lte` and `with_release_type`: a release (in `region`, if given)
    of one of those types, within the window."""
    types = query.get("with_release_type")
    if not (types or query.get("release_date.gte") or query.get("release_date.lte")):
        return True
    region = query.get("region")
    dates = [
        entry
        for country in _release_dates(title)
        if not region or country["iso_3166_1"] == region
        for entry in country["release_dates"]
        if _dated(entry["release_date"][:10], query, "release_date")
    ]
    return bool(dates) and (not types or _matches(types, {str(e["type"]) for e in dates}))


def _offered(title: dict[str, Any], query: dict[str, str]) -> bool:
    """`with_watch_providers`, `without_watch_providers` and `with_watch_monetization_types`,
    which TMDB applies in `watch_region` (and ignores without it)."""
    region = query.get("watch_region")
    wanted = query.get("with_watch_providers")
    unwanted = query.get("without_watch_providers")
    types = query.get("with_watch_monetization_types")
    if not region or not (wanted or unwanted or types):
        return True
    offers = title.get("_providers", {}).get(region, {})
    present = {t for t in MONETIZATION if offers.get(t)}
    if types and not _matches(types, present):
        return False
    counted = [t for t in MONETIZATION if not types or t in types.replace("|", ",").split(",")]
    providers = {str(p["provider_id"]) for t in counted for p in offers.get(t, [])}
    if wanted and not _matches(wanted, providers):
        return False
    return not (unwanted and providers & set(unwanted.replace("|", ",").split(",")))


def _sort_value(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


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


def _error_body(code: int, message: str) -> dict[str, Any]:
    return {"status_code": code, "status_message": message, "success": False}


def _error(code: int) -> tuple[int, bytes, dict[str, str]]:
    status, message = ERRORS[code]
    body = _error_body(code, message)
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
