"""The credits TMDB's terms require wherever its data, and JustWatch's, is shown."""

TMDB_NOTICE = "This product uses the TMDB API but is not endorsed or certified by TMDB."
JUSTWATCH_NOTICE = "Streaming availability data is provided by JustWatch."
TMDB_URL = "https://www.themoviedb.org"
JUSTWATCH_URL = "https://www.justwatch.com"


def attribution_lines() -> tuple[str, str]:
    return (f"{TMDB_NOTICE} ({TMDB_URL})", f"{JUSTWATCH_NOTICE} ({JUSTWATCH_URL})")
