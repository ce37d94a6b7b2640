"""`wheretowatch plan`: which services to pay for, given the watchlist."""

from typing import Annotated

import typer

from wheretowatch.cli.options import JsonOption, RegionOption, ServiceOption
from wheretowatch.cli.output import Output, reporting, settings_for
from wheretowatch.errors import ExitCode, UsageError
from wheretowatch.lists.coverage import DEFAULT_LIMIT


def _positive(value: float | None) -> float | None:
    # The range check lets nan and inf through: neither is an amount of money.
    if value is not None and not 0 < value < float("inf"):
        raise typer.BadParameter(f"{value} is not an amount of money above 0.")
    return value


def plan_command(
    ctx: typer.Context,
    region: RegionOption = None,
    most: Annotated[
        int | None,
        typer.Option(
            "--max",
            min=1,
            metavar="N",
            help=f"At most N paid services in the best set [default: {DEFAULT_LIMIT}; no "
            "limit with --budget].",
            show_default=False,
        ),
    ] = None,
    budget: Annotated[
        float | None,
        typer.Option(
            "--budget",
            metavar="AMOUNT",
            help="The best set within this much a month, from the prices setting.",
            show_default=False,
            callback=_positive,
        ),
    ] = None,
    paid_only: Annotated[
        bool,
        typer.Option("--paid-only", help="Leave free services (free, with ads) out of the set."),
    ] = False,
    refresh: Annotated[
        bool,
        typer.Option(
            "--refresh",
            help="First fetch the titles with no data or expired data (under the rate limit).",
        ),
    ] = False,
    offline: Annotated[
        bool,
        typer.Option("--offline", help="Use only what is cached (the default; no request)."),
    ] = False,
    service: ServiceOption = None,
    json_output: JsonOption = False,
) -> None:
    """Rank the services by how many watched titles each streams, and pick the best few.

    Counts every watched title (a watched season on its own) that streams in the
    region, on a subscription, free or with ads (rent and buy never count), from the
    cached data: no request. Titles with no data, or data older than the title
    freshness, are named apart; --refresh fetches them first. The best set is picked
    greedily (free services first), and each of your services shows what dropping it
    loses. Prices come from the [prices] table of the config file: TMDB has none.
    Exit status: 0, or 3 when no watched title streams anywhere in the region.

    \b
    Examples:
      wheretowatch plan
      wheretowatch plan --region GB --max 2 --paid-only
      wheretowatch plan --budget 20 --service Netflix --service "Disney Plus"
      wheretowatch plan --json | jq -r '.set.picks[].provider_name'
    """
    from wheretowatch.cli.progress import progress_bar
    from wheretowatch.cli.views.plan import plan_document, plan_view
    from wheretowatch.lists import planning

    output = Output.of(ctx, json=json_output)
    with reporting(output):
        if offline and refresh:
            raise UsageError(
                "--offline cannot be combined with --refresh.",
                hint="--offline (the default) answers from the cache; --refresh asks TMDB.",
            )
        settings = settings_for(output, region=region, services=service)
        with progress_bar(output, "Refreshing") as progress:
            plan = planning.plan(
                settings,
                max_services=most,
                budget=budget,
                paid_only=paid_only,
                refresh=refresh,
                warn=output.warn,
                on_start=progress.start,
                on_progress=progress.advance,
            )
        command = planning.REFRESH_COMMAND
        output.show(lambda: plan_view(plan, command), lambda: plan_document(plan, command))
    if not plan.streams_anywhere:
        raise typer.Exit(ExitCode.NOT_AVAILABLE)
