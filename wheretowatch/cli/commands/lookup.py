"""`wheretowatch TITLE...`: one lookup, or a batch of them from --from."""

import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from wheretowatch import api
from wheretowatch.cli.options import (
    JsonOption,
    LanguageOption,
    NoInputOption,
    RegionOption,
    ServiceOption,
    TitleWords,
    TypeOption,
    YearOption,
    cache_mode,
    client_for,
)
from wheretowatch.cli.output import Output, reporting, settings_for
from wheretowatch.cli.prompt import chooser
from wheretowatch.cli.status import status_line
from wheretowatch.cli.views.lookup import (
    lookup_document,
    lookup_view,
    seasons_document,
    seasons_view,
)
from wheretowatch.cli.views.text import BLANK, attribution_view
from wheretowatch.errors import ExitCode, UsageError, WheretowatchError, most_serious
from wheretowatch.models import LookupResult, MediaType, MyServices, SeasonsResult, TitleMatch
from wheretowatch.settings.loading import Settings
from wheretowatch.tmdb import CacheMode
from wheretowatch.where.lookup import Chooser, LookupRequest, inexact_warning
from wheretowatch.where.services import my_services
from wheretowatch.where.typed import join_words, parse_title, split_byte_lines

if TYPE_CHECKING:
    from rich.console import RenderableType

    from wheretowatch.where.batch import Outcome


# A million titles of 64 bytes: far more than any batch, far less than memory.
MAX_FROM_BYTES = 64 * 1024 * 1024


def lookup_command(
    ctx: typer.Context,
    words: TitleWords = None,
    from_file: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="Look up many titles: one a line from FILE (- for stdin).",
            metavar="FILE",
            show_default=False,
        ),
    ] = None,
    region: RegionOption = None,
    service: ServiceOption = None,
    media_type: TypeOption = None,
    year: YearOption = None,
    language: LanguageOption = None,
    tmdb_id: Annotated[
        int | None,
        typer.Option(
            "--tmdb-id", help="Skip the search: this TMDB id.", metavar="ID", show_default=False
        ),
    ] = None,
    imdb_id: Annotated[
        str | None,
        typer.Option(
            "--imdb-id",
            help="Skip the search: this IMDb id (tt…).",
            metavar="ID",
            show_default=False,
        ),
    ] = None,
    season: Annotated[
        int | None,
        typer.Option(
            "--season",
            help="Only this season of the series (0 for its specials).",
            metavar="NUMBER",
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
    no_input: NoInputOption = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor write the cache.")
    ] = False,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Fetch anew, ignoring cached answers.")
    ] = False,
    offline: Annotated[bool, typer.Option("--offline", help="Answer from the cache only.")] = False,
) -> None:
    """Show where a title can be watched (the default command).

    The words of the title need no quotes: wheretowatch drawing closer is
    wheretowatch "drawing closer". On a terminal, when several titles could be meant,
    it asks which one (not with --no-input, --json or --quiet).

    --from makes a batch, one title a line: with --json, one JSON object a line
    (JSON Lines) in input order, errors included.

    \b
    Examples:
      wheretowatch Drawing Closer --region GB
      wheretowatch "Dune (1984)" --region GB,US,JP --json
      wheretowatch https://www.themoviedb.org/tv/1396-breaking-bad --region all
      wheretowatch Breaking Bad --season 5 --region GB
      wheretowatch Breaking Bad --seasons --region GB,US
      printf '%s\\n' "Fight Club" tt0133093 | wheretowatch --from - --json
    """
    output = Output.of(ctx, json=json_output, quiet=quiet)
    with reporting(output):
        mode = cache_mode(offline=offline, refresh=refresh, no_cache=no_cache)
        # The words as typed, quotes or none: `wheretowatch drawing closer` is one title.
        title = join_words(words) if words else None
        _check_seasons(season, seasons, is_batch=from_file is not None)
        if from_file is not None:
            if title is not None or tmdb_id is not None or imdb_id is not None:
                raise UsageError(
                    "--from reads the titles from a file: give no title, --tmdb-id or "
                    "--imdb-id with it.",
                    hint="Put the title in the file as a line of its own, or drop --from.",
                )
            lines = _read_lines(from_file)
            settings = settings_for(output, region=region, language=language, services=service)
            code = _lookup_batch(output, settings, mode, lines, media_type=media_type, year=year)
            raise typer.Exit(code)
        if title is None and tmdb_id is None and imdb_id is None:
            # Said before the settings are read: a missing region is not what is wrong.
            raise UsageError(
                "Give exactly one of: a title, --tmdb-id or --imdb-id.",
                hint='For example: wheretowatch "Drawing Closer"',
            )
        settings = settings_for(output, region=region, language=language, services=service)
        suggestion = _command_suggestion(ctx, words or [])
        if seasons:
            code = _seasons(output, settings, title, year, tmdb_id, imdb_id, mode)
            raise typer.Exit(code)
        try:
            result = api.lookup(
                title,
                media_type=media_type,
                year=year,
                tmdb_id=tmdb_id,
                imdb_id=imdb_id,
                season=season,
                cache=mode,
                settings=settings,
                on_warning=output.warn,
                choose=_suggesting(output, chooser(output, no_input=no_input), suggestion),
                progress=status_line(output),
            )
        except WheretowatchError as error:
            # Nothing found, or no region to look in: the command was likely meant.
            if suggestion is not None:
                error.hint = _with_suggestion(error.hint, suggestion)
            raise
        code = _show_lookup(output, result)
        if not result.exact and suggestion is not None:
            output.note(_with_suggestion(None, suggestion))
    raise typer.Exit(code)


def _lookup_batch(
    output: Output,
    settings: Settings,
    mode: CacheMode,
    lines: list[tuple[int, str | bytes]],
    *,
    media_type: MediaType | None,
    year: int | None,
) -> ExitCode:
    """One answer per title line, in order; a line that is no title (or not UTF-8 text) is
    an error of its own."""
    # Only a batch needs threads: kept off the path of a single lookup.
    from wheretowatch.where.batch import Outcome, lookup_many

    template = api.build_request(settings, None, media_type=media_type, year=year)
    parsed: list[LookupRequest | UsageError] = []
    for number, line in lines:
        try:
            if isinstance(line, bytes):
                raise _not_utf8(number)
            parsed.append(
                api.build_request(settings, parse_title(line), media_type=media_type, year=year)
            )
        except UsageError as error:
            parsed.append(error)
    requests = [item for item in parsed if isinstance(item, LookupRequest)]
    output.prepare()  # before the workers start: see Output.prepare
    with client_for(settings, output, mode, status=False) as tmdb:
        mine = my_services(tmdb, settings, warn=output.warn)
        answers = lookup_many(tmdb, requests, workers=tmdb.concurrency)

        def outcomes() -> "Iterator[tuple[int, Outcome]]":
            for (number, line), item in zip(lines, parsed, strict=True):
                # Bytes that are not UTF-8 shown as escapes (\xff): the line, legibly.
                text = line.decode("utf-8", "backslashreplace") if isinstance(line, bytes) else line
                if isinstance(item, UsageError):
                    yield number, Outcome(template._replace(query=text, text=text), error=item)
                else:
                    yield number, next(answers)

        with closing(answers):  # stopped before the client closes, whatever happens
            return _show_batch(output, outcomes(), mine)


def _command_suggestion(ctx: typer.Context, words: list[str]) -> str | None:
    """`wheretowatch search brad pitt` for `serch brad pitt`: the command a title's first
    word is a slip of (within two edits), if any."""
    if not words:
        return None
    root = ctx.find_root()
    commands = root.command.list_commands(root) if hasattr(root.command, "list_commands") else []
    from wheretowatch.cli.suggestions import closest_command  # only for a slip

    near = closest_command(words[0], commands)
    if near is None:
        return None
    return " ".join(["wheretowatch", near, *words[1:]])


def _suggesting(output: Output, choose: Chooser | None, suggestion: str | None) -> Chooser | None:
    """The prompt, saying first the command a slip of the first word may have meant: a
    person about to pick among titles may have wanted `search` all along."""
    if choose is None or suggestion is None:
        return choose

    def ask(matches: Sequence[TitleMatch]) -> TitleMatch:
        output.note(_with_suggestion(None, suggestion))
        return choose(matches)

    return ask


def _with_suggestion(hint: str | None, suggestion: str) -> str:
    question = f"did you mean: {suggestion}?"
    return f"{hint}\n{question}" if hint else question


def _show_lookup(output: Output, result: LookupResult, *, in_batch: bool = False) -> ExitCode:
    """One answer; in a batch, a JSON line each, and the credits once at the end."""
    output.warn_stale(result.stale_reason, result.fetched_at)
    if (inexact := inexact_warning(result)) is not None:
        output.warn(inexact)

    def view() -> "list[RenderableType]":
        parts = lookup_view(result, datetime.now(UTC), attribution=not in_batch)
        return [*parts, BLANK] if in_batch else parts

    output.show(view, lambda: _document(result), lines=in_batch)
    return ExitCode.OK if result.available else ExitCode.NOT_AVAILABLE


def _document(result: LookupResult | SeasonsResult) -> object:

    if isinstance(result, SeasonsResult):
        return seasons_document(result)
    return lookup_document(result)


def _check_seasons(season: int | None, seasons: bool, *, is_batch: bool) -> None:
    if season is not None and seasons:
        raise UsageError(
            "Give --season N or --seasons, not both.",
            hint="--season N for one season's table, --seasons for a row per season.",
        )
    if is_batch and (season is not None or seasons):
        what = "--season" if season is not None else "--seasons"
        raise UsageError(
            f"{what} goes with one series, not a batch.",
            hint=f'Look the series up on its own: wheretowatch "Breaking Bad" {what}'
            + (f" {season}" if season is not None else ""),
        )


def _seasons(
    output: Output,
    settings: Settings,
    title: str | None,
    year: int | None,
    tmdb_id: int | None,
    imdb_id: str | None,
    mode: CacheMode,
) -> ExitCode:
    if settings.require_region().all_regions:
        raise UsageError(
            "--seasons shows a column a region: ask for one or a few, not all.",
            hint="For example: --seasons --region GB,US, or --season 2 --region all",
        )
    result = api.seasons(
        title,
        year=year,
        tmdb_id=tmdb_id,
        imdb_id=imdb_id,
        cache=mode,
        settings=settings,
        on_warning=output.warn,
    )
    output.warn_stale(result.stale_reason, result.fetched_at)
    if result.seasons_left_out:
        shown = len(result.seasons)
        output.warn(
            f"{result.title.title} has {shown + result.seasons_left_out:,} seasons; only the "
            f"first {shown} were looked up. Ask for a later one with --season N."
        )
    output.show(
        lambda: seasons_view(result, datetime.now(UTC)),
        lambda: _document(result),
    )
    return ExitCode.OK if result.available else ExitCode.NOT_AVAILABLE


def _show_batch(
    output: Output, outcomes: "Iterable[tuple[int, Outcome]]", services: MyServices
) -> ExitCode:
    codes = []
    for number, outcome in outcomes:
        if outcome.result is not None:
            result = outcome.result._replace(services=services)
            codes.append(_show_lookup(output, result, in_batch=True))
        elif outcome.error is not None:
            output.report(outcome.error, query=outcome.label, line=number)
            codes.append(outcome.error.exit_code)
    if codes and not output.json:
        output.show(attribution_view(), None)
    return most_serious(codes)


def _not_utf8(number: int) -> UsageError:
    return UsageError(
        f"Line {number} is not UTF-8 text.",
        hint="Save the file as UTF-8 (most editors offer it when saving), or retype that line.",
    )


def _read_lines(path: str) -> list[tuple[int, str | bytes]]:
    """The title lines of a --from file or stdin: only \\n and \\r\\n end a line. A line
    that is not UTF-8 comes as its bytes, to be answered with an error of its own."""
    try:
        if path == "-":
            if sys.stdin is None:  # started with stdin closed (`<&-`)
                raise UsageError(
                    "--from - reads standard input, which is closed.",
                    hint="Give a file: --from titles.txt, or pipe the titles in.",
                )
            data = sys.stdin.buffer.read(MAX_FROM_BYTES + 1)
        else:
            # Not files.read_regular_file: `--from <(command)` is a pipe, and welcome.
            with open(path, "rb") as file:
                data = file.read(MAX_FROM_BYTES + 1)
    except OSError as exc:
        reason = exc.strerror or "cannot be read"
        raise UsageError(
            f"Cannot read --from {path}: {reason}.",
            hint="Give a readable text file with one title a line, or - for stdin.",
        ) from None
    if len(data) > MAX_FROM_BYTES:  # /dev/zero, or a stream that never ends
        raise UsageError(
            f"--from {path} is larger than {MAX_FROM_BYTES // 2**20} MB: not a list of titles.",
            hint="Give a text file with one title a line.",
        )
    if b"\0" in data:
        # No text file holds NUL: a binary file or UTF-16, where every line would be wrong.
        raise UsageError(
            f"Cannot read --from {path}: not a text file.",
            hint="Give a UTF-8 text file with one title a line.",
        )
    lines = split_byte_lines(data)
    if not lines:
        raise UsageError(
            f"--from {path} holds no titles.", hint="One title a line; # starts a comment."
        )
    return lines
