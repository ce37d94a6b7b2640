"""`wheretowatch browse`: what streams tonight on your services, in your region."""

from datetime import UTC, datetime
from typing import Annotated

import typer

from wheretowatch import api
from wheretowatch.cli.options import (
    JsonOption,
    NoInputOption,
    OneRegionOption,
    ServiceOption,
    TypeOption,
    cache_mode,
)
from wheretowatch.cli.output import Output, reporting, settings_for
from wheretowatch.cli.prompt import person_chooser
from wheretowatch.cli.status import status_line
from wheretowatch.cli.views.browse import browse_document, browse_view, nothing_found
from wheretowatch.discover.query import Sort
from wheretowatch.errors import ExitCode

_SORTS = [sort.value for sort in Sort]


def _complete_sort(incomplete: str) -> list[str]:
    return [sort for sort in _SORTS if sort.startswith(incomplete)]


def browse_command(
    ctx: typer.Context,
    region: OneRegionOption = None,
    service: ServiceOption = None,
    any_service: Annotated[
        bool, typer.Option("--any-service", help="Every service, not only yours.")
    ] = False,
    how: Annotated[
        str | None,
        typer.Option(
            "--how",
            help="Widen streaming (subscription, free, with ads): rent, buy, or rent,buy.",
            metavar="WAYS",
            show_default=False,
        ),
    ] = None,
    media_type: TypeOption = None,
    genre: Annotated[
        list[str] | None,
        typer.Option(
            "--genre",
            "-g",
            help="Only this genre (repeat it: all of them), as TMDB names it.",
            metavar="NAME",
            show_default=False,
        ),
    ] = None,
    min_rating: Annotated[
        float | None,
        typer.Option(
            "--min-rating",
            help="Rated at least this, out of 10 (with at least --min-votes votes).",
            metavar="X",
            show_default=False,
        ),
    ] = None,
    min_votes: Annotated[
        int | None,
        typer.Option(
            "--min-votes",
            help="The votes a title needs with --min-rating or --sort rating [default: 100].",
            metavar="N",
            show_default=False,
        ),
    ] = None,
    since: Annotated[
        int | None,
        typer.Option(
            "--since", help="Released in or after YEAR.", metavar="YEAR", show_default=False
        ),
    ] = None,
    until: Annotated[
        int | None,
        typer.Option(
            "--until", help="Released in or before YEAR.", metavar="YEAR", show_default=False
        ),
    ] = None,
    max_runtime: Annotated[
        int | None,
        typer.Option(
            "--max-runtime",
            help="At most this many minutes (a series: an episode).",
            metavar="MIN",
            show_default=False,
        ),
    ] = None,
    original_language: Annotated[
        str | None,
        typer.Option(
            "--language",
            "-l",
            help="Originally in this language: ja, ko, fr… (several with commas).",
            metavar="CODE",
            show_default=False,
        ),
    ] = None,
    person: Annotated[
        str | None,
        typer.Option(
            "--person",
            help="Films with this person, in front of or behind the camera (name or TMDB id).",
            metavar="NAME",
            show_default=False,
        ),
    ] = None,
    sort: Annotated[
        str,
        typer.Option(
            "--sort",
            help=f"{', '.join(_SORTS[:-1])} or {_SORTS[-1]}.",
            metavar="ORDER",
            autocompletion=_complete_sort,
        ),
    ] = Sort.POPULAR.value,
    limit: Annotated[
        int, typer.Option("--limit", "-n", help="How many titles to show.", metavar="N")
    ] = 20,
    exclude_watchlist: Annotated[
        bool,
        typer.Option("--exclude-watchlist", help="Leave out the titles on your watchlist."),
    ] = False,
    random_pick: Annotated[
        bool,
        typer.Option("--random", help="Draw --limit titles at random from the best 60."),
    ] = False,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed",
            help="The same draw again: --random with this seed.",
            metavar="N",
            show_default=False,
        ),
    ] = None,
    add: Annotated[
        bool, typer.Option("--add", help="Put the titles found on your watchlist.")
    ] = False,
    json_output: JsonOption = False,
    no_input: NoInputOption = False,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Fetch anew, ignoring cached answers.")
    ] = False,
    offline: Annotated[bool, typer.Option("--offline", help="Answer from the cache only.")] = False,
) -> None:
    """Show what streams on your services in your region: popular, well rated or new.

    Your services are the services setting (or --service, or --any-service); each title
    names those of them that carry it. --min-rating and --sort rating count only titles
    with enough votes (--min-votes, 100 by default), so that a 10 from three votes does
    not lead. --debug shows each request to TMDB: a page of 20 titles a service and type.

    \b
    Examples:
      wheretowatch browse --region GB --service Netflix --type film --min-rating 7
      wheretowatch browse --genre comedy --max-runtime 100 --sort rating
      wheretowatch browse --type series --language ko --exclude-watchlist --limit 40
      wheretowatch browse --random --limit 1 --seed 7
      wheretowatch browse --person "Denis Villeneuve" --how rent,buy --json
    """
    output = Output.of(ctx, json=json_output)
    with reporting(output):
        mode = cache_mode(offline=offline, refresh=refresh, no_cache=False)
        settings = settings_for(output, region=region, services=service)
        result = api.browse(
            media_type=media_type,
            any_service=any_service,
            how=how,
            genre=genre or (),
            min_rating=min_rating,
            min_votes=min_votes,
            since=since,
            until=until,
            max_runtime=max_runtime,
            original_language=original_language,
            person=person,
            sort=sort,
            limit=limit,
            exclude_watchlist=exclude_watchlist,
            random=random_pick,
            seed=seed,
            add=add,
            cache=mode,
            settings=settings,
            on_warning=output.warn,
            choose_person=person_chooser(output, no_input=no_input),
            progress=status_line(output),
        )
        output.warn_stale(result.stale_reason, result.fetched_at)
        if not result.titles and not output.json:
            output.note(nothing_found(result))
        else:
            output.show(
                lambda: browse_view(result, datetime.now(UTC)), lambda: browse_document(result)
            )
    raise typer.Exit(ExitCode.OK if result.titles else ExitCode.NOT_AVAILABLE)
