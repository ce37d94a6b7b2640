"""Copy the response examples of TMDB's OpenAPI spec that wheretowatch parses into this folder.

    python tests/data/tmdb-examples/extract.py [PATH/TO/openapi.json]

The spec (shared/tmdb/openapi.json, beside the repository, or $WHERETOWATCH_TMDB_SPEC)
embeds one 200-response example per endpoint, most as a JSON string. Each is written here
as OPERATION-ID.json, trimmed where it is large (see `TRIMS`) so the copies stay small;
the trimming is part of this script, and `tests/test_spec_examples.py` re-runs it on the
spec, when the spec is there, to check that the copies still match.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]

# Operation id -> spec path: the endpoints the client parses, and those the coming
# features (release dates, discover, genres, people) will.
ENDPOINTS = {
    "search-multi": "/3/search/multi",
    "search-movie": "/3/search/movie",
    "search-tv": "/3/search/tv",
    "search-person": "/3/search/person",
    "find-by-id": "/3/find/{external_id}",
    "movie-details": "/3/movie/{movie_id}",
    "tv-series-details": "/3/tv/{series_id}",
    "tv-season-details": "/3/tv/{series_id}/season/{season_number}",
    "movie-watch-providers": "/3/movie/{movie_id}/watch/providers",
    "tv-series-watch-providers": "/3/tv/{series_id}/watch/providers",
    "tv-season-watch-providers": "/3/tv/{series_id}/season/{season_number}/watch/providers",
    "movie-videos": "/3/movie/{movie_id}/videos",
    "tv-series-videos": "/3/tv/{series_id}/videos",
    "movie-release-dates": "/3/movie/{movie_id}/release_dates",
    "configuration-countries": "/3/configuration/countries",
    "watch-providers-available-regions": "/3/watch/providers/regions",
    "watch-providers-movie-list": "/3/watch/providers/movie",
    "watch-provider-tv-list": "/3/watch/providers/tv",
    "discover-movie": "/3/discover/movie",
    "discover-tv": "/3/discover/tv",
    "genre-movie-list": "/3/genre/movie/list",
    "genre-tv-list": "/3/genre/tv/list",
}

KEEP_REGIONS = ("DE", "GB", "JP", "US")
KEEP_PROVIDERS = (2, 3, 8, 9, 10, 119, 337, 350)


def spec_path(from_env: str | None = None) -> Path | None:
    """The spec beside the repository (../shared/tmdb/openapi.json), else where
    $WHERETOWATCH_TMDB_SPEC (or `from_env`, read earlier) says; None if neither is there."""
    candidates = [REPO.parent / "shared" / "tmdb" / "openapi.json"]
    named = from_env or os.environ.get("WHERETOWATCH_TMDB_SPEC")
    if named:
        candidates.append(Path(named))
    return next((path for path in candidates if path.is_file()), None)


def _first_rows(count: int) -> Callable[[Any], Any]:
    def trim(data: Any) -> Any:
        return {**data, "results": data["results"][:count]}

    return trim


def _regions(data: Any) -> Any:
    results = data["results"]
    return {**data, "results": {k: results[k] for k in KEEP_REGIONS if k in results}}


def _region_rows(data: Any) -> Any:
    rows = data if isinstance(data, list) else data["results"]
    kept = [row for n, row in enumerate(rows) if n < 5 or row["iso_3166_1"] in KEEP_REGIONS]
    return kept if isinstance(data, list) else {**data, "results": kept}


def _provider_rows(data: Any) -> Any:
    return {
        **data,
        "results": [row for row in data["results"] if row["provider_id"] in KEEP_PROVIDERS],
    }


def _episodes(data: Any) -> Any:
    episodes = [
        {**episode, "crew": episode["crew"][:1], "guest_stars": episode["guest_stars"][:1]}
        for episode in data["episodes"]
    ]
    return {**data, "episodes": episodes}


# What is cut from the large examples. Paging figures stay as the spec has them.
TRIMS: dict[str, Callable[[Any], Any]] = {
    "search-multi": _first_rows(6),
    "search-movie": _first_rows(5),
    "discover-movie": _first_rows(5),
    "discover-tv": _first_rows(5),
    "tv-season-details": _episodes,
    "movie-watch-providers": _regions,
    "tv-series-watch-providers": _regions,
    "tv-season-watch-providers": _regions,
    "configuration-countries": _region_rows,
    "watch-providers-available-regions": _region_rows,
    "watch-providers-movie-list": _provider_rows,
    "watch-provider-tv-list": _provider_rows,
}


def example(spec: Any, path: str) -> Any:
    """The (first) example of the 200 answer of GET `path`, decoded."""
    content = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    value = next(iter(content["examples"].values()))["value"]
    return json.loads(value) if isinstance(value, str) else value


def extract(spec: Any) -> dict[str, Any]:
    """File name -> trimmed example, for every endpoint in ENDPOINTS."""
    copies = {}
    for operation, path in ENDPOINTS.items():
        data = example(spec, path)
        copies[f"{operation}.json"] = TRIMS.get(operation, lambda d: d)(data)
    return copies


def dump(data: Any) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else spec_path()
    if source is None or not source.is_file():
        print("No openapi.json: give its path, or set WHERETOWATCH_TMDB_SPEC.", file=sys.stderr)
        return 2
    spec = json.loads(source.read_text(encoding="utf-8"))
    for name, data in extract(spec).items():
        (HERE / name).write_text(dump(data), encoding="utf-8")
        print(f"wrote {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
