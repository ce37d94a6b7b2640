"""`plan`: the services ranked, the best set, what each of yours is worth, what is left."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from wheretowatch.cli.views.document import ATTRIBUTION, SCHEMA_VERSION, JSONValue
from wheretowatch.cli.views.offers import MINE_MARK
from wheretowatch.cli.views.text import safe

if TYPE_CHECKING:
    from rich.console import RenderableType

    from wheretowatch.lists.coverage import Loss, Pick, Plan, PlannedTitle, Ranked, Service

# A table names this many titles of a list, then says how many more; --json names all.
SHOWN_TITLES = 8


def plan_view(plan: Plan, refresh_command: str) -> list[RenderableType]:
    parts: list[RenderableType] = []
    regions = ", ".join(plan.regions)
    if plan.ranking:
        # A line of its own, not the table's title: Rich would wrap that to the table's width.
        heading = f"Services streaming your {len(plan.titles)} counted titles in {regions}:"
        parts.append(Text(heading, "bold"))
        parts.append(ranking_table(plan))
        parts.append(_best_set(plan))
    else:
        counted = len(plan.titles)
        parts.append(
            safe(
                f"None of the {counted} watched titles counted streams on any service in {regions}."
                if counted
                else f"No watched title could be counted in {regions}."
            )
        )
    if plan.nowhere and plan.ranking:
        parts.append(_titles_line(f"Streaming nowhere in {regions}", plan.nowhere))
    if plan.losses:
        parts.append(_losses(plan.losses))
    if plan.unpriced:
        names = ", ".join(plan.unpriced)
        parts.append(safe(f"Prices that match no service here: {names}.", "dim"))
    if plan.unknown:
        parts.append(_unknown(plan, refresh_command))
    return parts


def ranking_table(plan: Plan) -> Table:
    priced = any(row.service.price is not None for row in plan.ranking)
    table = Table()
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Service")
    table.add_column("Titles", justify="right", no_wrap=True)
    if priced:
        table.add_column("Price", justify="right", no_wrap=True)
        table.add_column("Titles/unit", justify="right", no_wrap=True)
    for number, row in enumerate(plan.ranking, 1):
        cells: list[RenderableType] = [
            str(number),
            _service_name(row.service),
            str(len(row.titles)),
        ]
        if priced:
            per = row.titles_per_unit
            price = row.service.price
            cells += [
                "—" if price is None else f"{price:.2f}",
                "—" if per is None else f"{per:.2f}",
            ]
        table.add_row(*cells)
    return table


def _service_name(service: Service) -> Text:
    name = safe(service.name, "bold green" if service.mine else "")
    if service.mine:
        name.append(MINE_MARK, "bold green")
    if service.free:
        name.append(" (free)", "cyan")
    return name


def _best_set(plan: Plan) -> Text:
    limits = []
    if plan.limit is not None:
        limits.append(f"at most {plan.limit} paid")
    if plan.budget is not None:
        limits.append(f"within {plan.budget:.2f} a month")
    if plan.paid_only:
        limits.append("paid only")
    heading = "Best set" + (f" ({', '.join(limits)})" if limits else "") + ":"
    lines = [Text(heading, "bold")]
    if not plan.picks:
        lines.append(Text("  nothing fits" if plan.budget is not None else "  nothing to pick"))
    for number, pick in enumerate(plan.picks, 1):
        lines.append(_pick_line(number, pick))
    covered = sum(len(pick.adds) for pick in plan.picks)
    streaming = covered + len(plan.uncovered)
    summary = f"  Covers {covered} of the {streaming} titles that stream"
    cost = plan.cost
    if cost is not None and any(not p.service.free for p in plan.picks):
        summary += f", for {cost:.2f} a month"
    lines.append(Text(summary + "."))
    if plan.uncovered:
        lines.append(_titles_line("  Not covered", plan.uncovered))
    return Text("\n").join(lines)


def _pick_line(number: int, pick: Pick) -> Text:
    line = Text(f"  {number}. ")
    line.append_text(_service_name(pick.service))
    if pick.service.price is not None and not pick.service.free:
        line.append(f" ({pick.service.price:.2f})")
    line.append_text(_titles_line(f" adds {len(pick.adds)}", pick.adds, count=False))
    return line


def _losses(losses: Sequence[Loss]) -> Text:
    lines = [Text("Your services:", "bold")]
    for loss in losses:
        line = safe(f"  Dropping {loss.name} loses {len(loss.only)}")
        if loss.only:
            line.append_text(_names(loss.only))
        line.append(f"; it streams {loss.carries}, {loss.shared} of them also on another of yours.")
        lines.append(line)
    return Text("\n").join(lines)


def _unknown(plan: Plan, refresh_command: str) -> Text:
    count = len(plan.unknown)
    noun = "title is" if count == 1 else "titles are"
    lines = [Text(f"{count} watched {noun} not counted:", "yellow")]
    for entry in plan.unknown[:SHOWN_TITLES]:
        lines.append(safe(f"  {entry.title.label}: {entry.reason}"))
    if count > SHOWN_TITLES:
        lines.append(Text(f"  and {count - SHOWN_TITLES} more"))
    lines.append(Text(f"Fetch them anew: {refresh_command}"))
    return Text("\n").join(lines)


def _titles_line(heading: str, titles: Sequence[PlannedTitle], *, count: bool = True) -> Text:
    line = Text(f"{heading} ({len(titles)})" if count else heading)
    line.append_text(_names(titles))
    return line


def _names(titles: Sequence[PlannedTitle]) -> Text:
    # "; ", not ", ": titles hold commas ("Crouching Tiger, Hidden Dragon").
    shown = "; ".join(title.label for title in titles[:SHOWN_TITLES])
    more = len(titles) - SHOWN_TITLES
    return safe(f": {shown}" + (f" and {more} more" if more > 0 else ""))


# --- --json -------------------------------------------------------------------------


def plan_document(plan: Plan, refresh_command: str) -> dict[str, JSONValue]:
    return {
        "schema": SCHEMA_VERSION,
        "regions": list(plan.regions),
        "counted": len(plan.titles),
        "ranking": [_ranked_document(row) for row in plan.ranking],
        "set": {
            "max": plan.limit,
            "budget": plan.budget,
            "paid_only": plan.paid_only,
            "cost": plan.cost,
            "picks": [_pick_document(pick) for pick in plan.picks],
            "uncovered": _titles_document(plan.uncovered),
        },
        "nowhere": _titles_document(plan.nowhere),
        "losses": [_loss_document(loss) for loss in plan.losses],
        "stale": [
            {
                "key": entry.title.key,
                "title": entry.title.label,
                "reason": entry.reason,
                "fetched_at": entry.fetched_at,
            }
            for entry in plan.unknown
        ],
        "refresh_command": refresh_command if plan.unknown else None,
        "unpriced": list(plan.unpriced),
        "attribution": dict(ATTRIBUTION),
    }


def _service_document(service: Service) -> dict[str, JSONValue]:
    return {
        "provider_id": service.provider_id,
        "provider_name": service.name,
        "display_priority": service.priority,
        "free": service.free,
        "mine": service.mine,
        "price": service.price,
    }


def _ranked_document(row: Ranked) -> dict[str, JSONValue]:
    per = row.titles_per_unit
    return {
        **_service_document(row.service),
        "titles": len(row.titles),
        "titles_per_unit": None if per is None else round(per, 4),
    }


def _pick_document(pick: Pick) -> dict[str, JSONValue]:
    return {**_service_document(pick.service), "adds": _titles_document(pick.adds)}


def _loss_document(loss: Loss) -> dict[str, JSONValue]:
    return {
        "service": loss.name,
        "provider_ids": list(loss.provider_ids),
        "carries": loss.carries,
        "shared": loss.shared,
        "only": _titles_document(loss.only),
    }


def _titles_document(titles: Sequence[PlannedTitle]) -> list[JSONValue]:
    return [{"key": title.key, "title": title.label} for title in titles]
