"""Command-line wiring: options -> Settings -> service -> renderer. Nothing else.

This is the only module that knows Typer. Expected errors become messages and exit
statuses in exactly one place, `_reporting`; anything else is a bug and exits 1.
"""

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

import typer
from rich.console import Console, RenderableType
from rich.text import Text
from typer.core import TyperGroup

from wheretowatch import __version__, render, schema
from wheretowatch.attribution import attribution_lines
from wheretowatch.cache import DiskCache
from wheretowatch.errors import ExitCode, UsageError, WheretowatchError
from wheretowatch.models import MediaType, OwnServices
from wheretowatch.region import select_regions
from wheretowatch.service import LookupRequest, lookup, search
from wheretowatch.settings import Settings, load_settings, parse_duration
from wheretowatch.tmdb import CacheMode, TMDBClient

LOOKUP = "lookup"


class _DefaultToLookup(TyperGroup):
    """`wheretowatch TITLE` runs `lookup` when the first word is not a command."""

    # Any: Typer types these with the Context of the Click it vendors, which it does not export.
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in _GROUP_OPTIONS:
            args = [LOOKUP, *args]
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)  # in the order a new user needs them, not alphabetical


_GROUP_OPTIONS = ("--help", "-h", "--version")

app = typer.Typer(
    cls=_DefaultToLookup,
    name="wheretowatch",
    help="Where can I watch this? Streaming, rental and purchase options from TMDB and "
    'JustWatch, with trailers.\n\nwheretowatch "Drawing Closer" --region GB is short for '
    'wheretowatch lookup "Drawing Closer" --region GB.',
    epilog="A title that is also a command name: wheretowatch lookup search "
    "(or: wheretowatch -- search)",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


View = RenderableType | list[RenderableType]


@dataclass(frozen=True, slots=True)
class _Output:
    json: bool = False
    quiet: bool = False

    @property
    def out(self) -> Console:
        return Console(highlight=False, markup=False, emoji=False)

    @property
    def err(self) -> Console:
        return Console(stderr=True, highlight=False, markup=False, emoji=False)

    def show(self, view: View | Callable[[], View], document: Any) -> None:
        if self.quiet:
            return
        if self.json:
            self.out.file.write(schema.dumps(document) + "\n")
            return
        console = self.out
        parts = view() if callable(view) else view
        for part in parts if isinstance(parts, list) else [parts]:
            # Rich may fold or crop text to the width; links must stay whole, so plain text
            # is left to the terminal to wrap. Tables are laid out to the width as usual.
            console.print(part, soft_wrap=isinstance(part, Text))

    def warn(self, message: str) -> None:
        self.err.print(render.safe(f"warning: {message}", "yellow"), soft_wrap=True)

    def warn_stale(self, reason: str | None, fetched_at: datetime) -> None:
        if reason is not None:
            age = render.describe_age(fetched_at, datetime.now(UTC))
            self.warn(f"{reason.rstrip('.')}. Showing cached data fetched {age}.")


@contextmanager
def _reporting(output: _Output) -> Iterator[None]:
    """The one place where expected errors become messages and exit statuses."""
    try:
        yield
    except WheretowatchError as error:
        if output.json:
            output.out.file.write(schema.dumps(schema.error_document(error)) + "\n")
        else:
            message = render.safe(f"error: {error.message}", "bold red")
            if error.hint:
                message.append("\n")
                message.append_text(render.safe(f"hint: {error.hint}"))
            output.err.print(message, soft_wrap=True)
        raise typer.Exit(error.exit_code) from None


def _settings(output: _Output, **flags: object) -> Settings:
    settings = load_settings(flags, os.environ)
    for warning in settings.warnings:
        output.warn(warning)
    return settings


def _cache_mode(*, offline: bool, refresh: bool, no_cache: bool) -> CacheMode:
    if offline and (refresh or no_cache):
        raise UsageError("--offline cannot be combined with --refresh or --no-cache.")
    if offline:
        return CacheMode.OFFLINE
    return CacheMode.REFRESH if refresh else CacheMode.NORMAL


def _client(
    settings: Settings, output: _Output, mode: CacheMode = CacheMode.NORMAL, use_cache: bool = True
) -> TMDBClient:
    return TMDBClient.from_settings(settings, mode=mode, use_cache=use_cache, warn=output.warn)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"wheretowatch {__version__}")
        typer.echo("\n".join(attribution_lines()))
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Where can I watch this?"""


RegionOption = Annotated[
    str | None,
    typer.Option(
        "--region",
        "-r",
        help="Region code, several with commas (GB,US,JP), or all.",
        show_default=False,
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
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]


@app.command(LOOKUP)
def lookup_command(
    title: Annotated[
        str | None, typer.Argument(help="Film or series title.", show_default=False)
    ] = None,
    region: RegionOption = None,
    media_type: TypeOption = None,
    year: YearOption = None,
    language: LanguageOption = None,
    tmdb_id: Annotated[
        int | None,
        typer.Option("--tmdb-id", help="Skip the search: this TMDB id.", show_default=False),
    ] = None,
    imdb_id: Annotated[
        str | None,
        typer.Option("--imdb-id", help="Skip the search: this IMDb id (tt…).", show_default=False),
    ] = None,
    json_output: JsonOption = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print nothing; the exit status answers.")
    ] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor write the cache.")
    ] = False,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Fetch anew, ignoring cached answers.")
    ] = False,
    offline: Annotated[bool, typer.Option("--offline", help="Answer from the cache only.")] = False,
) -> None:
    """Show where a title can be watched (the default command).

    \b
    Examples:
      wheretowatch "Drawing Closer" --region GB
      wheretowatch "Drawing Closer" --region GB,US,JP --json
      wheretowatch --tmdb-id 1396 --type tv --region all
    """
    output = _Output(json=json_output, quiet=quiet)
    with _reporting(output):
        mode = _cache_mode(offline=offline, refresh=refresh, no_cache=no_cache)
        settings = _settings(output, region=region, language=language)
        request = LookupRequest(
            query=title,
            regions=select_regions(settings.region, settings.source("region")),
            language=settings.language,
            media_type=media_type,
            year=year,
            tmdb_id=tmdb_id,
            imdb_id=imdb_id,
        )
        with _client(settings, output, mode, use_cache=not no_cache) as tmdb:
            result = lookup(tmdb, request)
        output.warn_stale(result.stale_reason, result.fetched_at)
        services = OwnServices(settings.services)
        output.show(
            lambda: render.lookup_view(result, services, datetime.now(UTC)),
            schema.lookup_document(result),
        )
    raise typer.Exit(ExitCode.OK if result.available else ExitCode.NOT_AVAILABLE)


@app.command("search")
def search_command(
    query: Annotated[str, typer.Argument(help="Text to search for.", show_default=False)],
    media_type: TypeOption = None,
    year: YearOption = None,
    language: LanguageOption = None,
    json_output: JsonOption = False,
) -> None:
    """List the titles a search finds, best match first, with their TMDB ids.

    \b
    Examples:
      wheretowatch search "Drawing Closer"
      wheretowatch search Dune --type movie --year 1984
    """
    output = _Output(json=json_output)
    with _reporting(output):
        settings = _settings(output, language=language)
        with _client(settings, output) as tmdb:
            found = search(
                tmdb, query, language=settings.language, media_type=media_type, year=year
            )
        output.warn_stale(found.stale_reason, found.fetched_at)
        matches = found.value
        output.show(render.search_table(matches), schema.search_document(query, matches))
    raise typer.Exit(ExitCode.OK if matches else ExitCode.NOT_FOUND)


@app.command("regions")
def regions_command(language: LanguageOption = None, json_output: JsonOption = False) -> None:
    """List the region codes TMDB has availability data for.

    \b
    Example:
      wheretowatch regions
    """
    output = _Output(json=json_output)
    with _reporting(output):
        settings = _settings(output, language=language)
        with _client(settings, output) as tmdb:
            fetched = tmdb.regions(language=settings.language)
        output.warn_stale(fetched.stale_reason, fetched.fetched_at)
        regions = fetched.value
        output.show(render.regions_table(regions), schema.regions_document(regions))


@app.command("providers")
def providers_command(
    region: Annotated[
        str | None,
        typer.Option("--region", "-r", help="Only providers in this region.", show_default=False),
    ] = None,
    media_type: Annotated[
        MediaType, typer.Option("--type", "-t", help="Film or series providers.")
    ] = MediaType.MOVIE,
    language: LanguageOption = None,
    json_output: JsonOption = False,
) -> None:
    """List streaming providers with their TMDB ids (for the `services` setting).

    \b
    Examples:
      wheretowatch providers --region GB
      wheretowatch providers --region JP --type tv --json
    """
    output = _Output(json=json_output)
    with _reporting(output):
        settings = _settings(output, language=language)
        code = None
        if region is not None:
            selection = select_regions(region, "--region")
            if selection.all_regions or len(selection.codes) != 1:
                raise UsageError(
                    "providers takes a single region code.", hint="For example: --region GB"
                )
            code = selection.codes[0]
        with _client(settings, output) as tmdb:
            fetched = tmdb.providers(media_type, region=code, language=settings.language)
        output.warn_stale(fetched.stale_reason, fetched.fetched_at)
        providers = fetched.value
        services = OwnServices(settings.services)
        output.show(
            render.providers_table(providers, services), schema.providers_document(code, providers)
        )


@app.command("config")
def config_command(json_output: JsonOption = False) -> None:
    """Show every effective setting and where it came from (secrets masked).

    \b
    Example:
      wheretowatch config
    """
    output = _Output(json=json_output)
    with _reporting(output):
        settings = _settings(output)
        output.show(render.settings_table(settings), schema.settings_document(settings))


cache_app = typer.Typer(
    name="cache",
    help="Inspect or clear the disk cache of TMDB answers.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(cache_app)


def _disk_cache(settings: Settings, output: _Output) -> DiskCache:
    size = int(settings.cache_size_mb * 1024 * 1024)
    return DiskCache(settings.cache_dir, size_limit=size, warn=output.warn)


@cache_app.command("info")
def cache_info_command(json_output: JsonOption = False) -> None:
    """Show where the cache is, its size, entry count, and oldest and newest entry.

    \b
    Examples:
      wheretowatch cache info
      wheretowatch cache info --json
    """
    output = _Output(json=json_output)
    with _reporting(output):
        settings = _settings(output)
        cache = _disk_cache(settings, output)
        info = cache.info()
        cache.close()
        limit = int(settings.cache_size_mb * 1024 * 1024)
        output.show(
            lambda: render.cache_info_view(info, limit, datetime.now(UTC)),
            schema.cache_info_document(info, limit),
        )


@cache_app.command("clear")
def cache_clear_command(
    older_than: Annotated[
        str | None,
        typer.Option(
            "--older-than", help="Only entries fetched longer ago: 12h, 7d, 2w.", show_default=False
        ),
    ] = None,
) -> None:
    """Delete cached answers (all, or those older than --older-than).

    \b
    Examples:
      wheretowatch cache clear
      wheretowatch cache clear --older-than 7d
    """
    output = _Output()
    with _reporting(output):
        try:
            seconds = None if older_than is None else parse_duration(older_than)
        except ValueError as exc:
            raise UsageError(f"--older-than {older_than!r}: {exc}.") from None
        settings = _settings(output)
        cache = _disk_cache(settings, output)
        removed = cache.clear(seconds)
        cache.close()
        noun = "entry" if removed == 1 else "entries"
        output.show(
            render.safe(f"Removed {removed} cached {noun} from {settings.cache_dir}."), None
        )


@cache_app.command("path")
def cache_path_command() -> None:
    """Print the cache directory (for scripts).

    \b
    Example:
      du -sh "$(wheretowatch cache path)"
    """
    output = _Output()
    with _reporting(output):
        typer.echo(str(_settings(output).cache_dir))


def main() -> None:
    """Console-script entry point."""
    app(prog_name="wheretowatch")
