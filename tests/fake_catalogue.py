"""What the fake TMDB server knows: a handful of titles shaped after TMDB's OpenAPI examples.

Fight Club and Breaking Bad follow the spec's own examples. Drawing Closer follows the
facts in shared/tmdb/NOTES.md §6 (id 1291559, Japanese original, Netflix): its videos are
Japanese only, as expected of the real film, so a lookup that forgets the original-language
fallback finds no trailer. The rest exist to exercise one rule each.
"""

from __future__ import annotations

import hashlib
from typing import Any

Json = dict[str, Any]

NETFLIX = {
    "provider_id": 8,
    "provider_name": "Netflix",
    "logo_path": "/pbpMk2JmcoNnQwx5JGpXngfoWtp.jpg",
}
APPLE = {
    "provider_id": 2,
    "provider_name": "Apple TV",
    "logo_path": "/peURlLlr8jggOwK53fJ5wdQl05y.jpg",
}
GOOGLE = {
    "provider_id": 3,
    "provider_name": "Google Play Movies",
    "logo_path": "/tbEdFQDwx5LEVr8WpSeXQSIirVq.jpg",
}
AMAZON = {
    "provider_id": 10,
    "provider_name": "Amazon Video",
    "logo_path": "/5NyLm42TmCqCMOZFvH4fcoSNKEW.jpg",
}
PRIME = {
    "provider_id": 119,
    "provider_name": "Amazon Prime Video",
    "logo_path": "/emthp39XA2YScoYL1p0sdbAH2WA.jpg",
}
PLUTO = {
    "provider_id": 300,
    "provider_name": "Pluto TV",
    "logo_path": "/t6N57S17sdXRXmZDAkaGP0NHNG0.jpg",
}
TUBI = {
    "provider_id": 73,
    "provider_name": "Tubi TV",
    "logo_path": "/w2TDH9TRI7pltf5LjN3vXzs7QbN.jpg",
}
IPLAYER = {
    "provider_id": 38,
    "provider_name": "BBC iPlayer",
    "logo_path": "/nc8Tzc1pfrkhhx5whLrJZ6hnkNJ.jpg",
}


APPLE_TV_PLUS = {
    "provider_id": 350,
    "provider_name": "Apple TV+",
    "logo_path": "/6uhKBfmtzFqOcLousHwZuzcrScK.jpg",
}


def offer(provider: Json, priority: int) -> Json:
    return {**provider, "display_priority": priority}


def watch_link(kind: str, tmdb_id: int, slug: str, region: str) -> str:
    return f"https://www.themoviedb.org/{kind}/{tmdb_id}-{slug}/watch?locale={region}"


def video(
    name: str, key: str, kind: str, lang: str | None, published: str, official: bool = True
) -> Json:
    return {
        "iso_639_1": lang,
        "iso_3166_1": "JP" if lang == "ja" else "US",
        "name": name,
        "key": key,
        "site": "YouTube",
        "size": 1080,
        "type": kind,
        "official": official,
        "published_at": published,
        "id": hashlib.sha1(key.encode()).hexdigest()[:24],
    }


def movie(
    tmdb_id: int, title: str, original: str, lang: str, date: str, popularity: float, **extra: Any
) -> Json:
    return {
        "adult": False,
        "backdrop_path": None,
        "genre_ids": [18],
        "id": tmdb_id,
        "original_language": lang,
        "original_title": original,
        "overview": "",
        "popularity": popularity,
        "poster_path": None,
        "release_date": date,
        "title": title,
        "video": False,
        "vote_average": 7.0,
        "vote_count": 100,
        **extra,
    }


def _drawing_closer_offers() -> Json:
    regions = ("GB", "US", "JP", "DE", "FR", "KR", "BR", "IN")
    return {
        code: {
            "link": watch_link("movie", 1291559, "drawing-closer", code),
            "flatrate": [offer(NETFLIX, 0)],
        }
        for code in regions
    }


MOVIES: dict[int, Json] = {
    1291559: movie(
        1291559,
        "Drawing Closer",
        "余命一年の僕が、余命半年の君と出会った話。",
        "ja",
        "2024-06-26",
        31.5,
        runtime=118,
        imdb_id=None,
        _alt_titles=["余命一年の僕が、余命半年の君と出会った話。"],
        _providers=_drawing_closer_offers(),
        _videos=[
            video(
                "映画『余命一年の僕が、余命半年の君と出会った話。』予告編",
                "dcTrailerJa",
                "Trailer",
                "ja",
                "2024-05-16T03:00:00.000Z",
            ),
            video("ティーザー予告", "dcTeaserJa", "Teaser", "ja", "2024-04-11T03:00:00.000Z"),
            video(
                "メイキング映像", "dcClipJa", "Behind the Scenes", "ja", "2024-06-30T03:00:00.000Z"
            ),
        ],
    ),
    # More popular than Drawing Closer, so TMDB lists it first; the exact match must still win.
    990001: movie(
        990001,
        "Drawing Closer to Home",
        "Drawing Closer to Home",
        "en",
        "2019-03-01",
        88.0,
        _providers={
            "GB": {"link": watch_link("movie", 990001, "home", "GB"), "buy": [offer(APPLE, 1)]}
        },
        _videos=[],
    ),
    550: movie(
        550,
        "Fight Club",
        "Fight Club",
        "en",
        "1999-10-15",
        73.433,
        imdb_id="tt0137523",
        _providers={
            "GB": {
                "link": watch_link("movie", 550, "fight-club", "GB"),
                "flatrate": [offer(PRIME, 4)],
                "rent": [offer(GOOGLE, 3), offer(APPLE, 1), offer(AMAZON, 6)],
                "buy": [offer(APPLE, 1), offer(GOOGLE, 3)],
            },
            "US": {
                "link": watch_link("movie", 550, "fight-club", "US"),
                "ads": [offer(PLUTO, 40)],
                "free": [offer(TUBI, 30)],
                "rent": [offer(APPLE, 2), offer(AMAZON, 5)],
                "buy": [offer(APPLE, 2)],
                "flatrate_and_buy": [offer(APPLE, 2)],
            },
            "AE": {
                "link": watch_link("movie", 550, "fight-club", "AE"),
                "flatrate": [offer(PRIME, 12)],
                "rent": [offer(APPLE, 1), offer(GOOGLE, 3)],
            },
        },
        _videos=[
            video(
                "Fight Club (1999) Trailer - Starring Brad Pitt, Edward Norton, Helena Bonham Carter",
                "O-b2VfmmbyA",
                "Trailer",
                "en",
                "2016-03-05T02:03:14.000Z",
                official=False,
            ),
            video("#TBT Trailer", "BdJKm16Co6M", "Trailer", "en", "2014-10-02T19:20:22.000Z"),
        ],
    ),
    489999: movie(
        489999,
        "Search",
        "Search",
        "en",
        "2018-08-24",
        25.0,
        _providers={
            "US": {
                "link": watch_link("movie", 489999, "searching", "US"),
                "rent": [offer(APPLE, 2)],
                "buy": [offer(APPLE, 2)],
            }
        },
        _videos=[
            video(
                "Searching - Official Trailer",
                "searchTrailer",
                "Trailer",
                "en",
                "2018-06-01T00:00:00.000Z",
            )
        ],
    ),
    841: movie(841, "Dune", "Dune", "en", "1984-12-14", 40.0, _providers={}, _videos=[]),
    438631: movie(
        438631,
        "Dune",
        "Dune",
        "en",
        "2021-09-15",
        150.0,
        _providers={
            "GB": {
                "link": watch_link("movie", 438631, "dune", "GB"),
                "flatrate": [offer(NETFLIX, 1)],
            }
        },
        _videos=[],
    ),
    # Titles ending in a number that looks like a year: found as typed, never cut short.
    335984: movie(
        335984,
        "Blade Runner 2049",
        "Blade Runner 2049",
        "en",
        "2017-10-04",
        60.0,
        _providers={},
        _videos=[],
    ),
    78: movie(
        78, "Blade Runner", "Blade Runner", "en", "1982-06-25", 50.0, _providers={}, _videos=[]
    ),
    530915: movie(530915, "1917", "1917", "en", "2019-12-25", 45.0, _providers={}, _videos=[]),
    990002: movie(
        990002, "Nowhere Film", "Nowhere Film", "en", "2001-01-01", 1.0, _providers={}, _videos=[]
    ),
    # Every string hostile: markup, ANSI and OSC 8 escapes, newlines, bidi overrides.
    990666: movie(
        990666,
        "[bold red]Evil[/] \x1b[31mRED\x1b]8;;https://evil.example\x07click\x1b]8;;\x07\nline2 \u202egnp.exe",
        "[link=https://evil.example]orig[/link]",
        "en",
        "",
        2.0,
        _providers={
            "GB": {
                "link": "https://www.themoviedb.org/movie/990666/watch?locale=GB",
                "flatrate": [
                    {
                        "provider_id": 6666,
                        "provider_name": "[blink]Sneaky[/blink]\x1b[2J\x07",
                        "display_priority": 1,
                    }
                ],
            }
        },
        _videos=[
            video(
                "\x1b[31mtrailer[/]", "k\x1b[0m&list=x", "Trailer", "en", "2020-01-01T00:00:00.000Z"
            )
        ],
    ),
}

TV: dict[int, Json] = {
    1396: {
        "adult": False,
        "backdrop_path": "/tsRy63Mu5cu8etL1X7ZLyf7UP1M.jpg",
        "genre_ids": [18, 80],
        "id": 1396,
        "origin_country": ["US"],
        "original_language": "en",
        "original_name": "Breaking Bad",
        "overview": "",
        "popularity": 298.884,
        "poster_path": "/ggFHVNu6YYI5L9pCfOacjizRGt.jpg",
        "first_air_date": "2008-01-20",
        "name": "Breaking Bad",
        "vote_average": 8.879,
        "vote_count": 11536,
        "_providers": {
            "GB": {
                "link": watch_link("tv", 1396, "breaking-bad", "GB"),
                "flatrate": [offer(NETFLIX, 0)],
            },
            "US": {
                "link": watch_link("tv", 1396, "breaking-bad", "US"),
                "flatrate": [offer(NETFLIX, 0)],
                "buy": [offer(APPLE, 2), offer(AMAZON, 4)],
            },
        },
        "_videos": [
            video(
                "Breaking Bad - Official Trailer",
                "HhesaQXLuRY",
                "Trailer",
                "en",
                "2013-07-01T00:00:00.000Z",
            )
        ],
    },
}


def episode(series_id: int, season: int, number: int, air_date: str | None) -> Json:
    """An episode row as in the spec's example for season details (fields trimmed)."""
    return {
        "air_date": air_date,
        "episode_number": number,
        "episode_type": "standard",
        "id": series_id * 1000 + season * 100 + number,
        "name": f"Episode {number}",
        "overview": "",
        "production_code": f"{season}{number:02d}",
        "runtime": 50,
        "season_number": season,
        "show_id": series_id,
        "still_path": None,
        "vote_average": 8.0,
        "vote_count": 10,
        "crew": [],
        "guest_stars": [],
    }


def season(
    series_id: int,
    season_id: int,
    number: int,
    air_date: str | None,
    episodes: int,
    providers: dict[str, Json],
    videos: list[Json] | None = None,
    name: str | None = None,
) -> Json:
    """A season shaped after the spec's `/3/tv/{series_id}/season/{season_number}` example.

    `_providers` is what `.../watch/providers` answers: its `id` is the season's, its
    links the series' watch page (as TMDB sends them).
    """
    return {
        "_id": f"{season_id:024x}",
        "air_date": air_date,
        "episodes": [episode(series_id, number, n, air_date) for n in range(1, episodes + 1)],
        "name": name or f"Season {number}",
        "overview": "",
        "id": season_id,
        "poster_path": None,
        "season_number": number,
        "vote_average": 8.0,
        "_providers": providers,
        "_videos": videos or [],
    }


def next_episode(series_id: int, season: int, number: int, air_date: str) -> Json:
    # As series details show it: without the season details' crew and guest stars.
    row = {**episode(series_id, season, number, air_date), "episode_type": "standard"}
    return {k: v for k, v in row.items() if k not in ("crew", "guest_stars")}


def _bb_region(code: str, *categories: tuple[str, list[Json]]) -> Json:
    return {"link": watch_link("tv", 1396, "breaking-bad", code), **dict(categories)}


# Seasons 1-4 stream on Netflix in GB, season 5 can only be bought there.
_BB_GB = _bb_region("GB", ("flatrate", [offer(NETFLIX, 0)]))
_BB_GB_LAST = _bb_region("GB", ("buy", [offer(APPLE, 2), offer(AMAZON, 4)]))
_BB_US = _bb_region(
    "US", ("flatrate", [offer(NETFLIX, 0)]), ("buy", [offer(APPLE, 2), offer(AMAZON, 4)])
)
TV[1396].update(
    {
        "number_of_seasons": 5,
        "number_of_episodes": 62,
        "status": "Ended",
        "in_production": False,
        "last_air_date": "2013-09-29",
        "last_episode_to_air": next_episode(1396, 5, 16, "2013-09-29"),
        "next_episode_to_air": None,
        "_seasons": {
            0: season(1396, 3577, 0, "2009-02-17", 2, {}, name="Specials"),
            **{
                number: season(
                    1396,
                    3571 + number,
                    number,
                    date,
                    count,
                    {"GB": _BB_GB_LAST if number == 5 else _BB_GB, "US": _BB_US},
                )
                for number, date, count in [
                    (1, "2008-01-20", 7),
                    (2, "2009-03-08", 13),
                    (3, "2010-03-21", 13),
                    (4, "2011-07-17", 13),
                    (5, "2012-07-15", 16),
                ]
            },
        },
    }
)


def _sev_region(code: str) -> Json:
    return {
        "link": watch_link("tv", 95396, "severance", code),
        "flatrate": [offer(APPLE_TV_PLUS, 1)],
    }


TV[95396] = {
    "adult": False,
    "backdrop_path": "/npD65vPa4vvn1ZHpp3o05A5vdKT.jpg",
    "genre_ids": [18, 9648, 10765],
    "id": 95396,
    "origin_country": ["US"],
    "original_language": "en",
    "original_name": "Severance",
    "overview": "",
    "popularity": 120.5,
    "poster_path": "/lFf6LLrQjYldcZItzOkGmMMigP7.jpg",
    "first_air_date": "2022-02-17",
    "name": "Severance",
    "vote_average": 8.4,
    "vote_count": 2500,
    "number_of_seasons": 3,
    "number_of_episodes": 20,
    "status": "Returning Series",
    "in_production": True,
    "last_air_date": "2025-03-20",
    "last_episode_to_air": next_episode(95396, 2, 10, "2025-03-20"),
    "next_episode_to_air": next_episode(95396, 3, 1, "2026-12-03"),
    "_providers": {code: _sev_region(code) for code in ("GB", "US")},
    "_videos": [
        video("Severance - Official Trailer", "xEQP4VVuyrY", "Trailer", "en", "2022-01-13")
    ],
    "_seasons": {
        # Season 1 streams in GB and the US; season 2 only in the US so far.
        1: season(95396, 134589, 1, "2022-02-17", 9, {c: _sev_region(c) for c in ("GB", "US")}),
        2: season(
            95396,
            342004,
            2,
            "2025-01-16",
            10,
            {"US": _sev_region("US")},
            [video("Severance - Season 2 Trailer", "Lvp6Yx6Tr6s", "Trailer", "en", "2024-07-09")],
        ),
        3: season(95396, 460001, 3, "2026-12-03", 0, {}),
    },
}

IMDB = {"tt0137523": ("movie", 550)}

REGIONS = [
    {"iso_3166_1": code, "english_name": name, "native_name": native}
    for code, name, native in [
        ("AE", "United Arab Emirates", "United Arab Emirates"),
        ("BR", "Brazil", "Brasil"),
        ("DE", "Germany", "Deutschland"),
        ("FR", "France", "France"),
        ("GB", "United Kingdom", "United Kingdom"),
        ("IN", "India", "India"),
        ("JP", "Japan", "日本"),
        ("KR", "South Korea", "대한민국"),
        ("US", "United States of America", "United States"),
    ]
]

# TMDB's `/3/watch/providers/{movie,tv}`: `display_priorities` names every region the
# provider serves (the fake filters on it for `watch_region`). Other regions' figures are
# those of the spec's example; GB and US keep the fake's own, which the tests rely on.
PROVIDERS: list[Json] = [
    {
        **NETFLIX,
        "display_priority": 4,
        "display_priorities": {
            "AE": 0,
            "BR": 0,
            "DE": 0,
            "FR": 0,
            "GB": 1,
            "IN": 0,
            "JP": 2,
            "KR": 0,
            "US": 0,
        },
    },
    {
        **APPLE,
        "display_priority": 2,
        "display_priorities": {
            "AE": 1,
            "BR": 8,
            "DE": 4,
            "FR": 5,
            "GB": 5,
            "IN": 8,
            "JP": 7,
            "US": 4,
        },
    },
    {
        **GOOGLE,
        "display_priority": 3,
        "display_priorities": {
            "AE": 3,
            "BR": 16,
            "DE": 8,
            "FR": 7,
            "GB": 12,
            "IN": 10,
            "JP": 9,
            "KR": 7,
            "US": 14,
        },
    },
    {
        **AMAZON,
        "display_priority": 10,
        "display_priorities": {"BR": 15, "DE": 7, "FR": 46, "GB": 8, "IN": 49, "JP": 6, "US": 3},
    },
    {
        **PRIME,
        "display_priority": 9,
        "display_priorities": {"AE": 12, "BR": 2, "FR": 1, "GB": 2, "IN": 1, "KR": 1, "US": 1},
    },
    {**IPLAYER, "display_priority": 30, "display_priorities": {"GB": 3}},
    {**TUBI, "display_priority": 50, "display_priorities": {"IN": 16, "US": 50}},
    {
        **PLUTO,
        "display_priority": 24,
        "display_priorities": {"BR": 47, "DE": 75, "FR": 47, "GB": 81, "US": 107},
    },
    {
        **APPLE_TV_PLUS,
        "display_priority": 9,
        "display_priorities": {
            "AE": 2,
            "BR": 9,
            "DE": 3,
            "FR": 6,
            "GB": 6,
            "IN": 7,
            "JP": 11,
            "KR": 5,
            "US": 3,
        },
    },
    # As TMDB lists them: ads tiers after their service, channels as providers of their own.
    *[
        {
            "provider_id": provider_id,
            "provider_name": name,
            "logo_path": None,
            "display_priority": 40 + n,
            "display_priorities": {"US": 40 + n, **elsewhere},
        }
        for n, (provider_id, name, elsewhere) in enumerate(
            [
                (
                    1796,
                    "Netflix basic with Ads",
                    {"BR": 60, "DE": 115, "FR": 79, "GB": 109, "JP": 30, "KR": 30},
                ),
                (1797, "Netflix Standard with Ads", {"GB": 110}),
                (337, "Disney Plus", {"BR": 1, "DE": 2, "FR": 2, "JP": 3, "KR": 2}),
                (531, "Paramount Plus", {"BR": 6, "DE": 121, "FR": 84, "GB": 7}),
                (
                    1853,
                    "Paramount Plus Apple TV Channel",
                    {"BR": 69, "DE": 131, "FR": 91, "GB": 115},
                ),
                (582, "Paramount+ Amazon Channel", {"BR": 50, "DE": 122, "FR": 85, "GB": 89}),
            ]
        )
    ],
]


# --- Titles the import tests' export files name (tests/data/imports) ------------------
# Two films share a name (Solaris), one is dated a year after its festival run (Nomadland),
# one name is only a miniseries (Chernobyl), and one IMDb id per kind for `/find`.


def _streaming(kind: str, tmdb_id: int, slug: str, **by_region: list[Json]) -> Json:
    return {
        region: {"link": watch_link(kind, tmdb_id, slug, region), "flatrate": providers}
        for region, providers in by_region.items()
    }


_IMPORTED_MOVIES: dict[int, Json] = {
    593: movie(
        593,
        "Solaris",
        "Солярис",
        "ru",
        "1972-03-20",
        12.0,
        imdb_id="tt0069293",
        _providers=_streaming("movie", 593, "solaris", GB=[offer(IPLAYER, 3)]),
    ),
    2103: movie(
        2103,
        "Solaris",
        "Solaris",
        "en",
        "2002-11-27",
        14.0,
        imdb_id="tt0307479",
        _providers={},
    ),
    844: movie(844, "2046", "2046", "cn", "2004-09-28", 9.0, _providers={}),
    530915: movie(
        530915,
        "1917",
        "1917",
        "en",
        "2019-12-25",
        60.0,
        _providers=_streaming("movie", 530915, "1917", GB=[offer(NETFLIX, 1)]),
    ),
    935: movie(
        935,
        "Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb",
        "Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb",
        "en",
        "1964-01-29",
        20.0,
        _providers={},
    ),
    146: movie(146, "Crouching Tiger, Hidden Dragon", "臥虎藏龍", "zh", "2000-07-06", 25.0),
    581734: movie(
        581734,
        "Nomadland",
        "Nomadland",
        "en",
        "2021-02-19",
        22.0,
        _providers={
            "GB": {
                "link": watch_link("movie", 581734, "nomadland", "GB"),
                "rent": [offer(APPLE, 2)],
            }
        },
    ),
    194: movie(
        194,
        "Amélie",
        "Le Fabuleux Destin d'Amélie Poulain",
        "fr",
        "2001-04-25",
        30.0,
        imdb_id="tt0211915",
    ),
    275: movie(275, "Fargo", "Fargo", "en", "1996-03-08", 28.0, imdb_id="tt0116282"),
}


def _series(tmdb_id: int, name: str, date: str, popularity: float, **extra: Any) -> Json:
    return {
        "adult": False,
        "id": tmdb_id,
        "name": name,
        "original_name": name,
        "original_language": "en",
        "first_air_date": date,
        "popularity": popularity,
        "origin_country": ["US"],
        "overview": "",
        "genre_ids": [18],
        **extra,
    }


_IMPORTED_TV: dict[int, Json] = {
    87108: _series(
        87108,
        "Chernobyl",
        "2019-05-06",
        50.0,
        _providers=_streaming("tv", 87108, "chernobyl", GB=[offer(PRIME, 2)]),
    ),
    60622: _series(60622, "Fargo", "2014-04-15", 40.0),
    1438: _series(1438, "The Wire", "2002-06-02", 45.0),
}

MOVIES.update(_IMPORTED_MOVIES)
TV.update(_IMPORTED_TV)
IMDB.update(
    {
        "tt0069293": ("movie", 593),
        "tt0307479": ("movie", 2103),
        "tt0211915": ("movie", 194),
        "tt0116282": ("movie", 275),
        "tt2802850": ("tv", 60622),
        "tt0306414": ("tv", 1438),
    }
)


# --- What the coming features read: genres, people, release dates, a catalogue to page ---

# TMDB's genre ids and English names (`/3/genre/movie/list`, `/3/genre/tv/list`).
MOVIE_GENRES: list[Json] = [
    {"id": genre_id, "name": name}
    for genre_id, name in [
        (28, "Action"),
        (12, "Adventure"),
        (16, "Animation"),
        (35, "Comedy"),
        (80, "Crime"),
        (99, "Documentary"),
        (18, "Drama"),
        (10751, "Family"),
        (14, "Fantasy"),
        (36, "History"),
        (27, "Horror"),
        (10402, "Music"),
        (9648, "Mystery"),
        (10749, "Romance"),
        (878, "Science Fiction"),
        (10770, "TV Movie"),
        (53, "Thriller"),
        (10752, "War"),
        (37, "Western"),
    ]
]
TV_GENRES: list[Json] = [
    {"id": genre_id, "name": name}
    for genre_id, name in [
        (10759, "Action & Adventure"),
        (16, "Animation"),
        (35, "Comedy"),
        (80, "Crime"),
        (99, "Documentary"),
        (18, "Drama"),
        (10751, "Family"),
        (10762, "Kids"),
        (9648, "Mystery"),
        (10763, "News"),
        (10764, "Reality"),
        (10765, "Sci-Fi & Fantasy"),
        (10766, "Soap"),
        (10767, "Talk"),
        (10768, "War & Politics"),
        (37, "Western"),
    ]
]

# Release types, as TMDB numbers them.
PREMIERE, THEATRICAL_LIMITED, THEATRICAL, DIGITAL, PHYSICAL, TV_RELEASE = range(1, 7)


def release(date: str, kind: int, note: str = "", certification: str = "", lang: str = "") -> Json:
    """One `release_dates` entry, shaped as in the spec's example (`date` is YYYY-MM-DD)."""
    return {
        "certification": certification,
        "descriptors": [],
        "iso_639_1": lang,
        "note": note,
        "release_date": f"{date}T00:00:00.000Z",
        "type": kind,
    }


def releases(**by_region: list[Json]) -> list[Json]:
    return [{"iso_3166_1": code, "release_dates": dates} for code, dates in by_region.items()]


def _spec_release_dates_of_fight_club() -> list[Json]:
    """Fight Club's release dates are the spec's own example (tests/data/tmdb-examples)."""
    import json
    from pathlib import Path

    path = Path(__file__).parent / "data" / "tmdb-examples" / "movie-release-dates.json"
    results: list[Json] = json.loads(path.read_text(encoding="utf-8"))["results"]
    return results


# Dune (2021) premiered at Venice; Searching has US dates only; Drawing Closer went out on
# Netflix everywhere on one day.
MOVIES[550]["_release_dates"] = _spec_release_dates_of_fight_club()
MOVIES[438631]["_release_dates"] = releases(
    IT=[release("2021-09-03", PREMIERE, "Venice Film Festival")],
    FR=[release("2021-09-15", THEATRICAL, certification="TP")],
    GB=[
        release("2021-10-21", THEATRICAL, certification="12A"),
        release("2022-02-28", DIGITAL, "Netflix", certification="12"),
    ],
    US=[
        release("2021-10-22", THEATRICAL, certification="PG-13"),
        release("2021-10-22", DIGITAL, "HBO Max", certification="PG-13"),
    ],
)
MOVIES[489999]["_release_dates"] = releases(
    US=[
        release("2018-01-21", PREMIERE, "Sundance Film Festival"),
        release("2018-08-24", THEATRICAL_LIMITED, certification="PG-13"),
        release("2018-08-31", THEATRICAL, certification="PG-13"),
        release("2018-11-13", DIGITAL, certification="PG-13"),
    ]
)
MOVIES[1291559]["_release_dates"] = releases(
    **{code: [release("2024-06-27", DIGITAL, "Netflix")] for code in ("JP", "GB", "US", "DE")}
)
for _tmdb_id, _runtime in [(550, 139), (438631, 155), (841, 137), (489999, 102), (78, 117)]:
    MOVIES[_tmdb_id]["runtime"] = _runtime
MOVIES[335984]["runtime"] = 164
MOVIES[530915]["runtime"] = 119
MOVIES[550].update(genre_ids=[18], vote_average=8.438, vote_count=27000)
MOVIES[438631].update(genre_ids=[878, 12], vote_average=7.8, vote_count=11000)
MOVIES[1291559].update(genre_ids=[10749, 18], vote_average=7.6, vote_count=120)

# Not yet streaming in GB: in cinemas there, to rent and buy, and on Netflix from a date in
# 2027 (a DIGITAL release with the note "Netflix"); in the US it is on Netflix already.
MOVIES[990100] = movie(
    990100,
    "Winter Orchard",
    "Winter Orchard",
    "en",
    "2025-11-21",
    64.0,
    runtime=112,
    genre_ids=[18, 10749],
    vote_average=7.3,
    vote_count=410,
    imdb_id=None,
    _providers={
        "GB": {
            "link": watch_link("movie", 990100, "winter-orchard", "GB"),
            "rent": [offer(APPLE, 5)],
            "buy": [offer(APPLE, 5)],
        },
        "US": {
            "link": watch_link("movie", 990100, "winter-orchard", "US"),
            "flatrate": [offer(NETFLIX, 0)],
        },
    },
    _videos=[],
    _release_dates=releases(
        CA=[release("2025-09-05", PREMIERE, "Toronto International Film Festival")],
        GB=[
            release("2025-12-05", THEATRICAL, certification="12A"),
            release("2026-02-13", DIGITAL, "Premium VOD", certification="12A"),
            release("2027-03-12", DIGITAL, "Netflix", certification="12A"),
        ],
        US=[
            release("2025-11-21", THEATRICAL, certification="PG-13"),
            release("2026-01-09", DIGITAL, "Netflix", certification="PG-13"),
        ],
    ),
)
NOT_YET_STREAMING_IN_GB = 990100

# People: `/3/search/person`, `with_people`, `with_cast`, `with_crew`.
_PEOPLE: list[Json] = [
    {"id": 287, "name": "Brad Pitt", "gender": 2, "department": "Acting", "popularity": 30.0},
    {
        "id": 819,
        "name": "Edward Norton",
        "gender": 2,
        "department": "Acting",
        "popularity": 18.0,
    },
    {
        "id": 7467,
        "name": "David Fincher",
        "gender": 2,
        "department": "Directing",
        "popularity": 9.5,
    },
    {
        "id": 1190668,
        "name": "Timothée Chalamet",
        "gender": 2,
        "department": "Acting",
        "popularity": 45.0,
    },
    {
        "id": 137427,
        "name": "Denis Villeneuve",
        "gender": 2,
        "department": "Directing",
        "popularity": 12.0,
    },
]
PEOPLE_BY_ID: dict[int, Json] = {person["id"]: person for person in _PEOPLE}
MOVIES[550].update(_cast=[287, 819], _crew=[7467])
MOVIES[438631].update(_cast=[1190668], _crew=[137427])
MOVIES[335984].update(_crew=[137427])


# Filler: enough titles for discover's paging. 45 films stream on Netflix in GB (with the
# three above: 48, three pages of 20), with spread ratings, dates, genres and languages;
# 12 more stream elsewhere. Their names are made of words no test searches for.
_FIRST = ["Amber", "Copper", "Velvet", "Hollow", "Quiet", "Scarlet", "Iron", "Paper", "Glass"]
_SECOND = ["Meridian", "Lantern", "Estuary", "Harbour", "Compass", "Orrery", "Atlas", "Quarry"]
_LANGUAGES = ["en", "en", "en", "fr", "ko", "ja", "es", "de"]
_MOVIE_GENRE_SETS = [
    [18],
    [28, 53],
    [35],
    [878, 12],
    [27],
    [10749, 18],
    [80, 53],
    [16, 10751],
    [99],
]
_TV_GENRE_SETS = [[18], [80, 9648], [35], [10765, 18], [10759], [99], [10764]]
FILLER_MOVIE_IDS = range(970001, 970058)
NETFLIX_GB_FILLER_IDS = range(970001, 970046)
FILLER_TV_IDS = range(970501, 970525)


def _filler_name(n: int) -> str:
    return f"The {_FIRST[n % len(_FIRST)]} {_SECOND[(n // len(_FIRST)) % len(_SECOND)]}"


def _filler_movie(n: int) -> Json:
    tmdb_id = FILLER_MOVIE_IDS[n]
    date = f"{1995 + (n * 7) % 31}-{1 + (n * 5) % 12:02d}-{1 + (n * 11) % 28:02d}"
    code = "GB" if tmdb_id in NETFLIX_GB_FILLER_IDS else "DE"
    streaming = [offer(NETFLIX, 1 if code == "GB" else 0)] if code == "GB" else [offer(PRIME, 1)]
    region: Json = {"link": watch_link("movie", tmdb_id, "filler", code), "flatrate": streaming}
    if n % 3 == 0:
        region["rent"] = [offer(APPLE, 5)]
    if n % 5 == 0:
        region["ads"] = [offer(PLUTO, 81)]
    offers = {code: region}
    if n % 4 == 0:
        offers["US"] = {
            "link": watch_link("movie", tmdb_id, "filler", "US"),
            "flatrate": [offer(NETFLIX, 0)],
        }
    lang = _LANGUAGES[n % len(_LANGUAGES)]
    return movie(
        tmdb_id,
        _filler_name(n),
        _filler_name(n),
        lang,
        date,
        round(2.0 + (n * 53) % 97 + n / 100, 3),
        runtime=80 + (n * 13) % 90,
        genre_ids=_MOVIE_GENRE_SETS[n % len(_MOVIE_GENRE_SETS)],
        vote_average=round(4.5 + ((n * 37) % 50) / 10, 1),
        vote_count=20 + (n * 97) % 3000,
        overview=f"Filler film {n + 1} of the fake catalogue.",
        _providers=offers,
        _videos=[],
        _release_dates=releases(
            **{
                "US" if lang == "en" else code: [release(date, THEATRICAL)],
                code: [release(date, DIGITAL, "Netflix" if code == "GB" else "")],
            }
        ),
    )


def _filler_series(n: int) -> Json:
    tmdb_id = FILLER_TV_IDS[n]
    date = f"{2005 + (n * 3) % 21}-{1 + (n * 7) % 12:02d}-{1 + (n * 5) % 28:02d}"
    return _series(
        tmdb_id,
        f"{_filler_name(n + 3)} Chronicles",
        date,
        round(3.0 + (n * 41) % 89 + n / 100, 3),
        original_language=_LANGUAGES[n % len(_LANGUAGES)],
        genre_ids=_TV_GENRE_SETS[n % len(_TV_GENRE_SETS)],
        vote_average=round(5.0 + ((n * 29) % 45) / 10, 1),
        vote_count=10 + (n * 71) % 2000,
        episode_run_time=[25 + (n * 9) % 40],
        overview=f"Filler series {n + 1} of the fake catalogue.",
        _providers={
            "GB": {
                "link": watch_link("tv", tmdb_id, "filler", "GB"),
                "flatrate": [offer(NETFLIX, 1)],
            }
        },
    )


MOVIES.update({FILLER_MOVIE_IDS[n]: _filler_movie(n) for n in range(len(FILLER_MOVIE_IDS))})
TV.update({FILLER_TV_IDS[n]: _filler_series(n) for n in range(len(FILLER_TV_IDS))})
NETFLIX_GB_MOVIES = sorted(
    tmdb_id
    for tmdb_id, film in MOVIES.items()
    if any(
        o["provider_id"] == 8 for o in film.get("_providers", {}).get("GB", {}).get("flatrate", [])
    )
)


def endless_series(seasons: int) -> Json:
    """Severance as a record claiming `seasons` seasons (a bad record, or a daily show):
    each season with no episode and no provider."""
    return {
        **TV[95396],
        "number_of_seasons": seasons,
        "_seasons": {n: season(95396, 900000 + n, n, None, 0, {}) for n in range(1, seasons + 1)},
    }
