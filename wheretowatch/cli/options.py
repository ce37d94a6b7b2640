"""What the commands share in their signatures: option types, completions, the cache
mode parsed from its flags, and the client a command opens."""

import os
from typing import Annotated

import typer

from wheretowatch.cli.output import Output
from wheretowatch.cli.status import status_line
from wheretowatch.cli.views.text import visible
from wheretowatch.errors import UsageError, WheretowatchError
from wheretowatch.models import MediaType
from wheretowatch.settings.client import open_client
from wheretowatch.settings.loading import Settings, load_settings
from wheretowatch.settings.regions import complete_regions, known_regions
from wheretowatch.tmdb import CacheMode, TMDBClient

# Set by the completion scripts to the shell asking: complete_bash, complete_zsh…
COMPLETE_VAR = "_WHERETOWATCH_COMPLETE"


def complete_region(incomplete: str) -> list[tuple[str, str]]:
    """--region completions: TMDB's regions if cached, else ISO 3166. Never the network."""
    names = known_regions()
    try:
        settings = load_settings({}, os.environ)
        with open_client(settings, mode=CacheMode.OFFLINE) as tmdb:
            cached = tmdb.regions(language=settings.language).value
        # TMDB's names, shown by the shell as they come: escaped like every other output.
        names = {visible(region.code): visible(region.english_name) for region in cached}
    except WheretowatchError:
        pass  # nothing cached yet, or no usable settings: the packaged list will do
    return complete_regions(incomplete, names)


def complete_service(incomplete: str) -> list[str]:
    """--service completions: provider names from the cached provider list (of your first
    region, else of every region). Never the network; nothing cached, nothing offered."""
    try:
        settings = load_settings({}, os.environ)
        codes = settings.region.codes if settings.region else ()
        region = codes[0] if codes else None
        with open_client(settings, mode=CacheMode.OFFLINE) as tmdb:
            for where in dict.fromkeys([region, None]):
                try:
                    found = tmdb.providers(
                        MediaType.MOVIE, region=where, language=settings.language
                    )
                except WheretowatchError:
                    continue
                names = [visible(p.provider_name) for p in found.value]
                return _starting_with(names, incomplete)
    except WheretowatchError:
        pass
    return []


def complete_watched(incomplete: str) -> list[str]:
    """Titles on the watchlist, for `watchlist remove`."""
    from wheretowatch.api import watchlist

    try:
        titles = watchlist()
    except WheretowatchError:
        return []
    return _starting_with([visible(t.title) for t in titles], incomplete)


def _starting_with(values: list[str], incomplete: str) -> list[str]:
    """The values `incomplete` begins, case ignored, in the case typed as region codes'
    completion does ("bbc" offers "bbc iPlayer"; names match whatever their case): Typer
    keeps only completions that start with exactly what was typed."""
    typed = incomplete.casefold()
    return [
        incomplete + value[len(incomplete) :]
        for value in values
        if value.casefold().startswith(typed)
    ]


def cache_mode(*, offline: bool, refresh: bool, no_cache: bool) -> CacheMode:
    """The one cache mode the flags ask for."""
    if offline and (refresh or no_cache):
        raise UsageError(
            "--offline cannot be combined with --refresh or --no-cache.",
            hint="--offline answers from the cache only; --refresh and --no-cache ask TMDB.",
        )
    if offline:
        return CacheMode.OFFLINE
    if no_cache:
        return CacheMode.OFF
    return CacheMode.REFRESH if refresh else CacheMode.NORMAL


def client_for(
    settings: Settings, output: Output, mode: CacheMode = CacheMode.NORMAL, *, status: bool = True
) -> TMDBClient:
    """The client a command opens; with `status`, a slow TMDB shows on a terminal's stderr
    (a batch, printing as answers come, does without)."""
    progress = status_line(output) if status else None
    return open_client(settings, mode=mode, warn=output.warn, progress=progress)


TitleWords = Annotated[
    list[str] | None,
    typer.Argument(
        help="The title: its words (quotes optional), tt0137523, an imdb.com or "
        'themoviedb.org address, or "Title (1999)".',
        metavar="TITLE...",
        show_default=False,
    ),
]
RegionOption = Annotated[
    str | None,
    typer.Option(
        "--region",
        "-r",
        help="Region code, several with commas (GB,US,JP), or all.",
        metavar="CODES",
        show_default=False,
        autocompletion=complete_region,
    ),
]
_TYPE_WORDS = {
    "movie": MediaType.MOVIE,
    "film": MediaType.MOVIE,
    "tv": MediaType.TV,
    "series": MediaType.TV,
    "show": MediaType.TV,
}


def parse_media_type(value: str | MediaType) -> MediaType:
    """--type as people say it: movie or film; tv, series or show; any case."""
    if isinstance(value, MediaType):
        return value
    found = _TYPE_WORDS.get(value.strip().casefold())
    if found is None:
        raise typer.BadParameter(f"{value!r} is not a type: use film (movie) or series (tv).")
    return found


def complete_media_type(incomplete: str) -> list[str]:
    return [word for word in ("film", "series", "movie", "tv") if word.startswith(incomplete)]


TypeOption = Annotated[
    MediaType | None,
    typer.Option(
        "--type",
        "-t",
        parser=parse_media_type,
        metavar="TYPE",
        help="Only films (film, movie) or only series (series, show, tv).",
        show_default=False,
        autocompletion=complete_media_type,
    ),
]
NoInputOption = Annotated[
    bool,
    typer.Option(
        "--no-input",
        envvar="WHERETOWATCH_NO_INPUT",
        help="Never ask which title is meant: take the best match.",
        show_envvar=False,
    ),
]
YearOption = Annotated[
    int | None,
    typer.Option(
        "--year", "-y", help="Prefer titles from this year.", metavar="YEAR", show_default=False
    ),
]
LanguageOption = Annotated[
    str | None,
    typer.Option(
        "--language",
        "-l",
        help="Language for titles and trailers (en, ja-JP…).",
        metavar="LANGUAGE",
        show_default=False,
    ),
]
ServiceOption = Annotated[
    list[str] | None,
    typer.Option(
        "--service",
        "-s",
        help="One of your services, by name or id (repeat it); replaces the `services` "
        "setting for this run.",
        metavar="SERVICE",
        show_default=False,
        autocompletion=complete_service,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")]

# For the commands TMDB's discover answers, one region at a time (browse, upcoming).
OneRegionOption = Annotated[
    str | None,
    typer.Option(
        "--region",
        "-r",
        help="The region to look in (one: TMDB's discover answers per region).",
        metavar="CODE",
        show_default=False,
        autocompletion=complete_region,
    ),
]
