"""`wheretowatch search`: every candidate for a title, to pick an id from."""

from typing import Annotated

import typer

from wheretowatch.cli.options import (
    JsonOption,
    LanguageOption,
    TypeOption,
    YearOption,
    client_for,
)
from wheretowatch.cli.output import Output, reporting, settings_for
from wheretowatch.cli.views.catalog import search_document, search_table
from wheretowatch.errors import ExitCode, NotFoundError, UsageError
from wheretowatch.where.lookup import search_typed
from wheretowatch.where.typed import join_words, parse_title


def search_command(
    ctx: typer.Context,
    words: Annotated[
        list[str],
        typer.Argument(
            help='Text to search for (quotes optional), or "Title (1999)".',
            metavar="TITLE...",
            show_default=False,
        ),
    ],
    media_type: TypeOption = None,
    year: YearOption = None,
    language: LanguageOption = None,
    json_output: JsonOption = False,
) -> None:
    """List a search's candidates, best match first, with their ids.

    \b
    Examples:
      wheretowatch search drawing closer
      wheretowatch search Dune --type film --year 1984
      wheretowatch search "Dune (1984)" --json
    """
    output = Output.of(ctx, json=json_output)
    with reporting(output):
        title = parse_title(join_words(words))
        if title.query is None:
            raise UsageError(
                f"search takes words; {title.text} names one title already.",
                hint=f"Look it up: wheretowatch {title.text}",
            )
        if year is not None and title.year not in (None, year):
            raise UsageError(
                f"The title gives the year {title.year}, --year gives {year}.",
                hint="Give the year once.",
            )
        settings = settings_for(output, language=language)
        with client_for(settings, output) as tmdb:
            found, query, _ = search_typed(
                tmdb,
                title.query,
                trailing_year=title.trailing_year,
                language=settings.language,
                media_type=media_type,
                year=year if year is not None else title.year,
            )
        output.warn_stale(found.stale_reason, found.fetched_at)
        matches = found.value
        if not matches and not output.json:  # JSON: a document with no results says it
            raise NotFoundError(
                f"TMDB lists no film or series matching {title.query.strip()!r}.",
                hint="Check the spelling, try the original title, or drop --type / --year.",
            )
        output.show(search_table(matches), search_document(query, matches))
    raise typer.Exit(ExitCode.OK if matches else ExitCode.NOT_FOUND)
