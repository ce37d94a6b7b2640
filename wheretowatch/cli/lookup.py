"""`wheretowatch TITLE`: one lookup, or a batch of them."""

import sys
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import RenderableType

from wheretowatch import api, render, schema
from wheretowatch.cli.options import (
    JsonOption,
    LanguageOption,
    RegionOption,
    ServiceOption,
    TypeOption,
    YearOption,
    cache_mode,
    client_for,
)
from wheretowatch.cli.output import Output, reporting, settings_for
from wheretowatch.errors import ExitCode, UsageError, most_serious
from wheretowatch.models import LookupResult, MyServices
from wheretowatch.service import my_services

if TYPE_CHECKING:
    from wheretowatch.batch import Outcome
    from wheretowatch.settings import Settings
    from wheretowatch.tmdb import CacheMode


def lookup_command(
    ctx: typer.Context,
    titles: Annotated[
        list[str] | None,
        typer.Argument(help="Film or series titles, one or several.", show_default=False),
    ] = None,
    from_file: Annotated[
        str | None,
        typer.Option(
            "--from", help="Read titles from a file, one a line (- for stdin).", show_default=False
        ),
    ] = None,
    region: RegionOption = None,
    service: ServiceOption = None,
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
    season: Annotated[
        int | None,
        typer.Option(
            "--season",
            help="Only this season of the series (0 for its specials).",
            show_default=False,
        ),
    ] = None,
    seasons: Annotated[
        bool,
        typer.Option("--seasons", help="A row per season: where each one streams."),
    ] = False,
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

    Several titles, or --from, make a batch: with --json, one JSON object a line
    (JSON Lines) in input order, errors included.

    \b
    Examples:
      wheretowatch "Drawing Closer" --region GB
      wheretowatch "Drawing Closer" --region GB,US,JP --json
      wheretowatch --tmdb-id 1396 --type tv --region all
      wheretowatch "Breaking Bad" --season 5 --region GB
      wheretowatch "Breaking Bad" --seasons --region GB,US
      wheretowatch --from titles.txt --region GB --json
    """
    output = Output.of(ctx, json=json_output, quiet=quiet)
    with reporting(output):
        mode = cache_mode(offline=offline, refresh=refresh, no_cache=no_cache)
        queries = list(titles or []) + (_read_titles(from_file) if from_file else [])
        is_batch = from_file is not None or len(queries) > 1
        if is_batch and (tmdb_id is not None or imdb_id is not None):
            raise UsageError("--tmdb-id and --imdb-id look up one title, not a batch.")
        _check_seasons(season, seasons, is_batch=is_batch)
        settings = settings_for(output, region=region, language=language, services=service)
        if seasons:
            code = _seasons(output, settings, queries, year, tmdb_id, imdb_id, mode)
        elif not is_batch:
            # A single lookup is exactly the Python API's.
            result = api.lookup(
                queries[0] if queries else None,
                media_type=media_type,
                year=year,
                tmdb_id=tmdb_id,
                imdb_id=imdb_id,
                season=season,
                cache=mode,
                settings=settings,
                on_warning=output.warn,
            )
            code = _show_lookup(output, result)
        else:
            # Only a batch needs threads: kept off the path of a single lookup.
            from wheretowatch.batch import lookup_many

            template = api.build_request(settings, None, media_type=media_type, year=year)
            requests = [replace(template, query=query) for query in queries]
            with client_for(settings, output, mode) as tmdb:
                mine = my_services(tmdb, settings)
                outcomes = lookup_many(tmdb, requests, workers=tmdb.concurrency)
                code = _show_batch(output, outcomes, mine)
    raise typer.Exit(code)


def _show_lookup(output: Output, result: LookupResult, *, in_batch: bool = False) -> ExitCode:
    """One answer; in a batch, a JSON line each, and the credits once at the end."""
    output.warn_stale(result.stale_reason, result.fetched_at)

    def view() -> list[RenderableType]:
        parts = render.lookup_view(result, datetime.now(UTC), attribution=not in_batch)
        return [*parts, render.BLANK] if in_batch else parts

    output.show(view, lambda: schema.lookup_document(result), lines=in_batch)
    return ExitCode.OK if result.available else ExitCode.NOT_AVAILABLE


def _check_seasons(season: int | None, seasons: bool, *, is_batch: bool) -> None:
    if season is not None and seasons:
        raise UsageError("Give --season N or --seasons, not both.")
    if is_batch and (season is not None or seasons):
        what = "--season" if season is not None else "--seasons"
        raise UsageError(f"{what} goes with one series, not a batch.")


def _seasons(
    output: Output,
    settings: "Settings",
    queries: list[str],
    year: int | None,
    tmdb_id: int | None,
    imdb_id: str | None,
    mode: "CacheMode",
) -> ExitCode:
    if settings.require_region().all_regions:
        raise UsageError(
            "--seasons shows a column a region: ask for one or a few, not all.",
            hint="For example: --seasons --region GB,US, or --season 2 --region all",
        )
    result = api.seasons(
        queries[0] if queries else None,
        year=year,
        tmdb_id=tmdb_id,
        imdb_id=imdb_id,
        cache=mode,
        settings=settings,
        on_warning=output.warn,
    )
    output.warn_stale(result.stale_reason, result.fetched_at)
    output.show(
        lambda: render.seasons_view(result, datetime.now(UTC)),
        lambda: schema.seasons_document(result),
    )
    return ExitCode.OK if result.available else ExitCode.NOT_AVAILABLE


def _show_batch(output: Output, outcomes: "Iterable[Outcome]", services: MyServices) -> ExitCode:
    codes = []
    for outcome in outcomes:
        if outcome.result is not None:
            result = outcome.result._replace(services=services)
            codes.append(_show_lookup(output, result, in_batch=True))
        elif outcome.error is not None:
            output.report(outcome.error, query=outcome.label)
            codes.append(outcome.error.exit_code)
    if codes and not output.json:
        output.show(render.attribution_view(), None)
    return most_serious(codes)


def _read_titles(path: str) -> list[str]:
    from wheretowatch.batch import parse_title_lines

    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8") as file:
                text = file.read()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
        raise UsageError(f"Cannot read --from {path}: {reason}.") from None
    titles = parse_title_lines(text.splitlines())
    if not titles:
        raise UsageError(
            f"--from {path} holds no titles.", hint="One title a line; # starts a comment."
        )
    return titles
