"""Turn TMDB's JSON into models: the boundary past which no raw dict travels.

TMDB's data is untrusted and uneven: fields go missing, `null` stands where a string was
promised, dates are sometimes `""`, new keys and availability categories appear. The
parsers tolerate all of that field by field and reject only a payload whose shape makes
no sense at all (not an object, no id), as an `UpstreamError`. They never raise anything
else, whatever the input, and they import no HTTP stack: cached bodies are parsed here too.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from datetime import date
from typing import Any

from wheretowatch.errors import UpstreamError
from wheretowatch.models import (
    MAX_ID,
    MAX_SEASON,
    MAX_TITLE_LENGTH,
    Category,
    DiscoveredTitle,
    DiscoverPage,
    Episode,
    Genre,
    MediaType,
    Person,
    Provider,
    Region,
    RegionOffers,
    ReleaseDate,
    ReleaseDates,
    ReleasePage,
    ReleaseType,
    SeasonDetails,
    SeasonSummary,
    SeriesInfo,
    TitleDetails,
    TitleMatch,
    Video,
    encodable,
    language_code,
)

# TMDB ranks unranked providers last; so do we.
_UNRANKED = 1_000_000
# What a title's names and a season's number can be: longer or larger is not TMDB's data
# but a broken or hostile answer, and once stored it would travel into every later run.

Obj = Mapping[str, Any]


def decode_json(body: bytes) -> object:
    """Parse a response body, or raise UpstreamError if it is not JSON."""
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise UpstreamError(
            "TMDB sent a response that is not valid JSON (cut off, or a page from a proxy).",
            hint="Try again in a moment.",
        ) from exc


def parse_search(data: object, media_type: MediaType | None = None) -> list[TitleMatch]:
    """Films and series from a search; people and unknown kinds are dropped."""
    rows = _list(_object(data, "search results"), "results")
    return _matches(rows, media_type)


def parse_find(data: object) -> list[TitleMatch]:
    """Films, then series, from `/find/{imdb_id}`."""
    obj = _object(data, "find results")
    return _matches(_list(obj, "movie_results"), MediaType.MOVIE) + _matches(
        _list(obj, "tv_results"), MediaType.TV
    )


def parse_details(
    data: object,
    media_type: MediaType,
    requested_id: int | None = None,
    regions: Collection[str] | None = None,
) -> TitleDetails:
    """Title details with the appended `videos` and `watch/providers` (in `regions` only,
    if given: a popular title has offers in a hundred regions, and a lookup asks for one).

    The id is the one asked for when given: an answer that names another title (a mirror
    gone wrong) must not file its data, or a watchlist entry, under the wrong id."""
    obj = _object(data, "title details")
    tmdb_id = requested_id if requested_id is not None else _id(obj, "id")
    if tmdb_id is None:
        raise UpstreamError("TMDB sent title details without a valid id.")
    title, original, date = _title_fields(obj, media_type)
    return TitleDetails(
        tmdb_id=tmdb_id,
        media_type=media_type,
        title=title or original,
        original_title=original or title,
        year=_year(date),
        original_language=language_code(obj.get("original_language")),
        imdb_id=_opt_str(obj, "imdb_id"),
        offers=parse_offers(_opt_object(obj, "watch/providers").get("results"), regions),
        videos=parse_videos(_opt_object(obj, "videos")),
        series=_series(obj) if media_type is MediaType.TV else None,
        runtime=_runtime(obj, media_type),
        release_dates=parse_release_dates(obj.get("release_dates")),
    )


def parse_season(data: object) -> SeasonDetails:
    """Season details with the appended `videos` and `watch/providers`."""
    obj = _object(data, "season details")
    number = _season_number(obj)
    if number is None:
        raise UpstreamError("TMDB sent season details without a season number.")
    episodes = obj.get("episodes")
    return SeasonDetails(
        season_number=number,
        name=_str(obj, "name") or f"Season {number}",
        air_date=_opt_str(obj, "air_date"),
        episode_count=len(episodes) if isinstance(episodes, list) else None,
        offers=parse_offers(_opt_object(obj, "watch/providers").get("results")),
        videos=parse_videos(_opt_object(obj, "videos")),
    )


def parse_providers(data: object) -> dict[str, RegionOffers]:
    """A `.../watch/providers` answer: region code to offers."""
    return parse_offers(_object(data, "watch providers").get("results"))


def parse_offers(
    results: object, regions: Collection[str] | None = None
) -> dict[str, RegionOffers]:
    """The `results` of a watch/providers object: region code to offers (only `regions`'s,
    if given)."""
    if not isinstance(results, Mapping):
        return {}
    offers = {}
    wanted = results.items() if regions is None else ((c, results.get(c)) for c in regions)
    for code, region in wanted:
        if not (isinstance(code, str) and _is_region_code(code) and isinstance(region, Mapping)):
            continue
        offers[code] = RegionOffers(
            region=code,
            link=_url(region.get("link")),
            **{category.value: _providers(region.get(category.value)) for category in Category},
        )
    return offers


def parse_videos(data: object) -> tuple[Video, ...]:
    if not isinstance(data, Mapping):
        return ()
    videos = []
    for row in _objects(_list(data, "results")):
        key = _opt_str(row, "key")
        if key is None:
            continue
        videos.append(
            Video(
                name=_str(row, "name"),
                key=key,
                site=_str(row, "site"),
                type=_str(row, "type"),
                official=row.get("official") is True,
                language=language_code(row.get("iso_639_1")),
                published_at=_opt_str(row, "published_at"),
            )
        )
    return tuple(videos)


def parse_regions(data: object) -> list[Region]:
    regions = []
    for row in _objects(_list(_object(data, "region list"), "results")):
        code = _str(row, "iso_3166_1")
        if _is_region_code(code):
            english = _str(row, "english_name") or code
            regions.append(Region(code, english, _str(row, "native_name") or english))
    return sorted(regions, key=lambda region: region.code)


def parse_provider_list(data: object, region: str | None = None) -> list[Provider]:
    """TMDB's provider list, ordered by priority in `region` (or globally)."""
    providers = []
    for row in _objects(_list(_object(data, "provider list"), "results")):
        provider_id = _id(row, "provider_id")
        if provider_id is None:
            continue
        priorities = _opt_object(row, "display_priorities")
        priority = _int(priorities, region) if region else None
        if priority is None:
            priority = _int(row, "display_priority")
        providers.append(
            Provider(
                provider_id=provider_id,
                provider_name=_str(row, "provider_name") or f"Provider {provider_id}",
                display_priority=_UNRANKED if priority is None else priority,
                logo_path=_opt_str(row, "logo_path"),
            )
        )
    return sorted(providers, key=lambda p: (p.display_priority, p.provider_name.casefold()))


# TMDB answers at most this many pages of a list (error 22 past it).
MAX_PAGES = 500


def parse_discover(data: object, media_type: MediaType) -> DiscoverPage:
    """A page of `/3/discover/{movie,tv}`: its rows, and TMDB's totals (at least one page,
    at most MAX_PAGES: TMDB answers no page past either)."""
    obj = _object(data, "discover results")
    rows = []
    for row in _objects(_list(obj, "results")):
        tmdb_id = _id(row, "id")
        if tmdb_id is None:
            continue
        title, original, date = _title_fields(row, media_type)
        votes = _int(row, "vote_count")
        genres = (g for g in _list(row, "genre_ids") if type(g) is int and g > 0)
        rows.append(
            DiscoveredTitle(
                tmdb_id=tmdb_id,
                media_type=media_type,
                title=title or original,
                original_title=original or title,
                year=_year(date),
                release_date=date[:10] if _year(date) is not None else None,
                original_language=_opt_str(row, "original_language"),
                popularity=_float(row, "popularity"),
                vote_average=min(max(_float(row, "vote_average"), 0.0), 10.0),
                vote_count=max(votes, 0) if votes is not None else 0,
                genre_ids=tuple(dict.fromkeys(genres)),
            )
        )
    page = _int(obj, "page")
    total = _int(obj, "total_pages")
    results = _int(obj, "total_results")
    return DiscoverPage(
        page=page if page is not None and page > 0 else 1,
        total_pages=min(max(total or 1, 1), MAX_PAGES),
        total_results=max(results or 0, len(rows)),
        results=tuple(rows),
    )


def parse_genres(data: object) -> list[Genre]:
    """`/3/genre/{movie,tv}/list`: TMDB's genres, in its order; nameless ones dropped."""
    genres = []
    for row in _objects(_list(_object(data, "genre list"), "genres")):
        genre_id, name = _id(row, "id"), _str(row, "name").strip()
        if genre_id is not None and name:
            genres.append(Genre(genre_id, name))
    return genres


def parse_people(data: object) -> list[Person]:
    """`/3/search/person`: people in TMDB's order, each with the titles they are known for."""
    people = []
    for row in _objects(_list(_object(data, "people search results"), "results")):
        person_id, name = _id(row, "id"), _str(row, "name").strip()
        if person_id is None or not name:
            continue
        known = []
        for title in _objects(_list(row, "known_for")):
            kind = _media_type(title)
            if kind is not None:
                shown, original, _ = _title_fields(title, kind)
                if shown or original:
                    known.append(shown or original)
        people.append(
            Person(
                person_id=person_id,
                name=name,
                department=_opt_str(row, "known_for_department"),
                popularity=_float(row, "popularity"),
                known_for=tuple(known),
            )
        )
    return people


def is_error_body(data: object) -> bool:
    """Whether a 2xx answer is really one of TMDB's error bodies (`"success": false`, or a
    failing `status_code` with its message and nothing else a real answer has)."""
    if not isinstance(data, Mapping):
        return False
    if data.get("success") is False:
        return True
    code = _int(data, "status_code")
    return (
        code is not None
        and code not in _SUCCESS_CODES
        and isinstance(data.get("status_message"), str)
        and not {"id", "results"} & data.keys()
    )


# TMDB's codes for "Success.", "updated successfully" and "deleted successfully".
_SUCCESS_CODES = frozenset({1, 12, 13})


def parse_error(data: object) -> tuple[int | None, str | None]:
    """TMDB's own error code and message, from either of its two error shapes."""
    if not isinstance(data, Mapping):
        return None, None
    message = _opt_str(data, "status_message")
    errors = [e for e in _list(data, "errors") if isinstance(e, str)]
    if message is None and errors:
        message = "; ".join(errors)
    return _int(data, "status_code"), message


# --- field readers: each returns a safe default instead of raising ---------------------


def _object(data: object, what: str) -> Obj:
    if not isinstance(data, Mapping):
        raise UpstreamError(f"TMDB sent {what} in a shape wheretowatch does not understand.")
    return data


def _opt_object(obj: Obj, key: str) -> Obj:
    value = obj.get(key)
    return value if isinstance(value, Mapping) else {}


def _objects(rows: Iterable[object]) -> Iterable[Obj]:
    return (row for row in rows if isinstance(row, Mapping))


def _list(obj: Obj, key: str) -> list[object]:
    value = obj.get(key)
    return value if isinstance(value, list) else []


def _str(obj: Obj, key: str) -> str:
    value = obj.get(key)
    return encodable(value) if isinstance(value, str) else ""


def _name(obj: Obj, key: str) -> str:
    """A title's name, at most MAX_TITLE_LENGTH characters."""
    return _str(obj, key)[:MAX_TITLE_LENGTH]


def _season_number(obj: Obj) -> int | None:
    number = _int(obj, "season_number")
    return number if number is not None and 0 <= number <= MAX_SEASON else None


def _opt_str(obj: Obj, key: str) -> str | None:
    return _str(obj, key) or None


def _int(obj: Obj, key: str) -> int | None:
    value = obj.get(key)
    # bool is an int subclass; `true` is not an id.
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _id(obj: Obj, key: str) -> int | None:
    """A TMDB id: a positive whole number (0 and -1 are placeholders, never titles)."""
    value = _int(obj, key)
    return value if value is not None and 0 < value <= MAX_ID else None


def _float(obj: Obj, key: str) -> float:
    value = obj.get(key)
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        return number if number == number and abs(number) != float("inf") else 0.0
    return 0.0


def _year(date: str) -> int | None:
    head = date[:4]
    return int(head) if len(head) == 4 and head.isascii() and head.isdigit() else None


def _url(value: object) -> str | None:
    if isinstance(value, str) and value.startswith(("https://", "http://")):
        return value
    return None


def _is_region_code(code: str) -> bool:
    return len(code) == 2 and code.isascii() and code.isalpha() and code.isupper()


def _series(obj: Obj) -> SeriesInfo:
    seasons = []
    for row in _objects(_list(obj, "seasons")):
        number = _season_number(row)
        if number is None:
            continue
        seasons.append(
            SeasonSummary(
                season_number=number,
                name=_str(row, "name") or f"Season {number}",
                air_date=_opt_str(row, "air_date"),
                episode_count=_int(row, "episode_count"),
            )
        )
    return SeriesInfo(
        number_of_seasons=_int(obj, "number_of_seasons"),
        status=_opt_str(obj, "status"),
        next_episode=_episode(obj.get("next_episode_to_air")),
        last_episode=_episode(obj.get("last_episode_to_air")),
        seasons=tuple(sorted(seasons, key=lambda season: season.season_number)),
    )


def _runtime(obj: Obj, media_type: MediaType) -> int | None:
    """Minutes: a film's `runtime`; a series' first `episode_run_time` (often empty now),
    else its last episode's `runtime`. 0 is TMDB's "not known"."""
    if media_type is MediaType.MOVIE:
        minutes = _int(obj, "runtime")
    else:
        times = [t for t in _list(obj, "episode_run_time") if type(t) is int]
        minutes = times[0] if times else _int(_opt_object(obj, "last_episode_to_air"), "runtime")
    return minutes if minutes is not None and 0 < minutes < 10_000 else None


def _episode(data: object) -> Episode | None:
    if not isinstance(data, Mapping):
        return None
    season, episode = _season_number(data), _int(data, "episode_number")
    if season is None or episode is None or episode < 0:
        return None
    return Episode(season, episode, _opt_str(data, "air_date"))


def _title_fields(obj: Obj, media_type: MediaType) -> tuple[str, str, str]:
    if media_type is MediaType.TV:
        return _name(obj, "name"), _name(obj, "original_name"), _str(obj, "first_air_date")
    return _name(obj, "title"), _name(obj, "original_title"), _str(obj, "release_date")


def _matches(rows: list[object], media_type: MediaType | None) -> list[TitleMatch]:
    matches = []
    for row in _objects(rows):
        kind = media_type or _media_type(row)
        tmdb_id = _id(row, "id")
        if kind is None or tmdb_id is None:
            continue
        title, original, date = _title_fields(row, kind)
        matches.append(
            TitleMatch(
                tmdb_id=tmdb_id,
                media_type=kind,
                title=title or original,
                original_title=original or title,
                year=_year(date),
                original_language=language_code(row.get("original_language")),
                popularity=_float(row, "popularity"),
            )
        )
    return matches


def _media_type(row: Obj) -> MediaType | None:
    value = row.get("media_type")
    return MediaType(value) if value in ("movie", "tv") else None


def _providers(rows: object) -> tuple[Provider, ...]:
    if not isinstance(rows, list):
        return ()
    seen: dict[int, Provider] = {}
    for row in _objects(rows):
        provider_id = _id(row, "provider_id")
        if provider_id is None or provider_id in seen:
            continue
        priority = _int(row, "display_priority")
        seen[provider_id] = Provider(
            provider_id=provider_id,
            provider_name=_str(row, "provider_name") or f"Provider {provider_id}",
            display_priority=_UNRANKED if priority is None else priority,
            logo_path=_opt_str(row, "logo_path"),
        )
    return tuple(sorted(seen.values(), key=lambda p: (p.display_priority, p.provider_name)))


def parse_release_dates(data: object) -> ReleaseDates | None:
    """The appended `release_dates` (or a `/release_dates` answer): region code to its
    dates, in date order. None when the answer has none at all (cached before they were
    asked for): not known, which is not the same as TMDB knowing of no date."""
    if not isinstance(data, Mapping):
        return None
    regions: dict[str, tuple[ReleaseDate, ...]] = {}
    for row in _objects(_list(data, "results")):
        code = _str(row, "iso_3166_1")
        if not _is_region_code(code):
            continue
        dates = [d for d in map(_release_date, _objects(_list(row, "release_dates"))) if d]
        regions[code] = tuple(sorted({*regions.get(code, ()), *dates}, key=_by_date))
    return regions


def _release_date(row: Obj) -> ReleaseDate | None:
    kind, when = _int(row, "type"), _str(row, "release_date")[:10]
    if kind is None:
        return None
    try:
        return ReleaseDate(ReleaseType(kind), date.fromisoformat(when), _str(row, "note").strip())
    except ValueError:  # a type TMDB has added since, or no valid day
        return None


def _by_date(release: ReleaseDate) -> tuple[date, int, str]:
    return release.date, release.type.value, release.note


def parse_release_page(data: object) -> ReleasePage:
    """A page of `/3/discover/movie`: its films and TMDB's paging totals."""
    obj = _object(data, "a page of films")
    page = _int(obj, "page") or 1
    return ReleasePage(
        films=tuple(_matches(_list(obj, "results"), MediaType.MOVIE)),
        page=page,
        total_pages=max(_int(obj, "total_pages") or 0, 0),
        total_results=max(_int(obj, "total_results") or 0, 0),
    )
