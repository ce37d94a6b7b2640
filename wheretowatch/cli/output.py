"""What every command shares: output to stdout/stderr, error reporting, common options.

Expected errors become messages and exit statuses in exactly one place, `reporting`;
anything else is a bug and exits 1.
"""

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Annotated, Any, Literal

import typer
from rich.console import Console, RenderableType
from rich.text import Text

from wheretowatch import render, schema
from wheretowatch.errors import UsageError, WheretowatchError
from wheretowatch.models import MediaType
from wheretowatch.region import complete_regions, known_regions
from wheretowatch.settings import Settings, load_settings
from wheretowatch.tmdb import CacheMode, TMDBClient

View = RenderableType | list[RenderableType]
ColorMode = Literal["auto", "always", "never"]
# Set once per invocation by the root command's --color (see cli.app): the consoles of
# every command follow it.
_color: ColorMode = "auto"


def complete_region(incomplete: str) -> list[tuple[str, str]]:
    """--region completions: TMDB's regions if cached, else ISO 3166. Never the network."""
    names = known_regions()
    try:
        settings = load_settings({}, os.environ)
        with TMDBClient.from_settings(settings, mode=CacheMode.OFFLINE) as tmdb:
            cached = tmdb.regions(language=settings.language).value
        names = {region.code: region.english_name for region in cached}
    except WheretowatchError:
        pass  # nothing cached yet, or no usable settings: the packaged list will do
    return complete_regions(incomplete, names)


def complete_service(incomplete: str) -> list[str]:
    """--service completions: provider names from the cached provider list (of your first
    region, else of every region). Never the network; nothing cached, nothing offered."""
    try:
        settings = load_settings({}, os.environ)
        first = settings.region.split(",")[0].strip().upper() if settings.region else None
        region = first if first and first != "ALL" else None
        with TMDBClient.from_settings(settings, mode=CacheMode.OFFLINE) as tmdb:
            for where in dict.fromkeys([region, None]):
                try:
                    found = tmdb.providers(
                        MediaType.MOVIE, region=where, language=settings.language
                    )
                except WheretowatchError:
                    continue
                names = [p.provider_name for p in found.value]
                return [name for name in names if name.startswith(incomplete)]
    except WheretowatchError:
        pass
    return []


def complete_watched(incomplete: str) -> list[str]:
    """Titles on the watchlist, for `watchlist remove`."""
    from wheretowatch.watchlist import Watchlist

    try:
        titles = Watchlist(load_settings({}, os.environ).data_dir).titles()
    except WheretowatchError:
        return []
    return [t.title for t in titles if t.title.startswith(incomplete)]


def use_color(mode: ColorMode) -> None:
    global _color
    _color = mode


def _console(stderr: bool) -> Console:
    # auto: Rich's own detection (colour and links on a terminal, none when piped, and it
    # honours NO_COLOR, TERM=dumb and COLUMNS); always: as on a terminal; never: plain text.
    options: dict[str, Any] = {"highlight": False, "markup": False, "emoji": False}
    if _color == "always":
        options["force_terminal"] = True
        if os.environ.get("TERM") in ("dumb", "unknown"):
            options["color_system"] = "standard"  # Rich turns a dumb terminal's colour off
    elif _color == "never":
        options["color_system"] = None
    return Console(stderr=stderr, **options)


@dataclass(frozen=True)
class Output:
    json: bool = False
    quiet: bool = False

    # One console per stream for the whole command run (a batch prints many times).
    @cached_property
    def out(self) -> Console:
        return _console(stderr=False)

    @cached_property
    def err(self) -> Console:
        return _console(stderr=True)

    def show(self, view: View | Callable[[], View], document: Any, lines: bool = False) -> None:
        """Print the view, or with --json the document; either may be given as a callable,
        so that only the one printed is built."""
        if self.quiet:
            return
        if self.json:
            built = document() if callable(document) else document
            self.out.file.write(schema.dumps(built, compact=lines) + "\n")
            return
        console = self.out
        parts = view() if callable(view) else view
        for part in parts if isinstance(parts, list) else [parts]:
            # Rich may fold or crop text to the width; links must stay whole, so plain text
            # is left to the terminal to wrap. Tables are laid out to the width as usual.
            console.print(part, soft_wrap=isinstance(part, Text))

    def report(self, error: WheretowatchError, query: str | None = None) -> None:
        """An expected error: JSON on stdout with --json, else plain words on stderr."""
        if self.json:
            document = schema.error_document(error, query)
            self.out.file.write(schema.dumps(document, compact=query is not None) + "\n")
            return
        message = render.safe(f"error: {error.message}", "bold red")
        if error.hint:
            message.append("\n")
            message.append_text(render.safe(f"hint: {error.hint}"))
        self.err.print(message, soft_wrap=True)

    def warn(self, message: str) -> None:
        self.err.print(render.safe(f"warning: {message}", "yellow"), soft_wrap=True)

    def warn_stale(self, reason: str | None, fetched_at: datetime) -> None:
        if reason is not None:
            age = render.describe_age(fetched_at, datetime.now(UTC))
            self.warn(f"{reason.rstrip('.')}. Showing cached data fetched {age}.")


@contextmanager
def reporting(output: Output) -> Iterator[None]:
    """The one place where expected errors become messages and exit statuses."""
    try:
        yield
    except WheretowatchError as error:
        output.report(error)
        raise typer.Exit(error.exit_code) from None


def settings_for(output: Output, **flags: object) -> Settings:
    settings = load_settings(flags, os.environ)
    for warning in settings.warnings:
        output.warn(warning)
    return settings


def cache_mode(*, offline: bool, refresh: bool, no_cache: bool) -> CacheMode:
    if offline and (refresh or no_cache):
        raise UsageError("--offline cannot be combined with --refresh or --no-cache.")
    if offline:
        return CacheMode.OFFLINE
    return CacheMode.REFRESH if refresh else CacheMode.NORMAL


def client_for(
    settings: Settings, output: Output, mode: CacheMode = CacheMode.NORMAL, use_cache: bool = True
) -> TMDBClient:
    return TMDBClient.from_settings(settings, mode=mode, use_cache=use_cache, warn=output.warn)


RegionOption = Annotated[
    str | None,
    typer.Option(
        "--region",
        "-r",
        help="Region code, several with commas (GB,US,JP), or all.",
        show_default=False,
        autocompletion=complete_region,
    ),
]
TypeOption = Annotated[
    MediaType | None,
    typer.Option(
        "--type", "-t", help="Only films (movie) or only series (tv).", show_default=False
    ),
]
YearOption = Annotated[
    int | None,
    typer.Option("--year", "-y", help="Prefer titles from this year.", show_default=False),
]
LanguageOption = Annotated[
    str | None,
    typer.Option(
        "--language",
        "-l",
        help="Language for titles and trailers (en, ja-JP…).",
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
        show_default=False,
        autocompletion=complete_service,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")]
