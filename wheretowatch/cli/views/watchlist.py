"""The watchlist: its titles, where each streams now, and what a refresh found changed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text

from wheretowatch.cli.views.document import SCHEMA_VERSION, JSONValue, provider_document, timestamp
from wheretowatch.cli.views.layout import Lines
from wheretowatch.cli.views.lookup import episode_document
from wheretowatch.cli.views.offers import CATEGORY_LABELS, MINE_MARK
from wheretowatch.cli.views.text import describe_age, safe, visible
from wheretowatch.models import (
    Category,
    MediaType,
    MyServices,
    RegionOffers,
)

if TYPE_CHECKING:
    from rich.console import RenderableType

    from wheretowatch.lists.availability import Listing, TitleAvailability
    from wheretowatch.lists.changes import Change, Event, NewSeason, ReleaseChange
    from wheretowatch.lists.watchlist import WatchedTitle


def availability_view(listing: Listing, now: datetime) -> RenderableType:
    """`watchlist list`: each title, then per region where it streams now (your services
    first and marked), rent and buy in a count, and the age of the data."""
    if not listing.titles:
        return Text('The watchlist is empty. Add a title: wheretowatch watchlist add "Title"')
    # One Text built from plain strings and spans: for thousands of titles, Text.append
    # or many renderables cost seconds. Every untrusted string goes through visible().
    view = Lines()
    for entry in listing.titles:
        _availability_entry(view, entry, listing.services, now)
    return view


def nothing_on_services(checked: int) -> Text:
    """`watchlist list --mine` when nothing streams on the user's services."""
    if not checked:
        return Text('The watchlist is empty. Add a title: wheretowatch watchlist add "Title"')
    noun = "title streams" if checked == 1 else "titles streams"
    return Text(f"None of the {checked} watched {noun} on your services.")


def _availability_entry(
    view: Lines, entry: TitleAvailability, services: MyServices, now: datetime
) -> None:
    from wheretowatch.lists.availability import PAYING, mine_first
    from wheretowatch.models import STREAMING

    title = entry.title
    # A wrapped line continues under its own text: a title's under the title, a region's
    # under its offers, so that nothing wrapped reads as the next title.
    view.line(indent=2)
    view.add(visible(title.label), "bold")
    view.may_break()
    kind = "series" if title.media_type is MediaType.TV else "film"
    result = entry.result
    if entry.gone:
        remove = f"wheretowatch watchlist remove --tmdb-id {title.tmdb_id}"
        if title.media_type is MediaType.TV:
            remove += " --type series"
        view.add(f"  {kind}", "dim")
        view.line(indent=4)
        view.add("  gone: TMDB no longer has it; remove it with ", "dim")
        view.may_break()
        view.add(f"`{remove}`", "dim")  # a command to copy: never broken
        return
    if result is None:
        why = entry.error.message if entry.error else "not fetched"
        view.add(f"  {kind}", "dim")
        view.line(indent=4)
        view.add("  unknown: ", "dim")
        for word in visible(why).split(" "):
            view.may_break()
            view.add(word + " ", "dim")
        return
    stale = " (stale)" if result.stale else ""
    view.add(f"  {kind} · {describe_age(result.fetched_at, now)}{stale}", "dim")
    for region, offers in result.availability.items():
        view.line(indent=len(f"  {region}  "))
        view.add(f"  {region}  ")
        separator = ""
        for category in STREAMING:
            providers = mine_first(offers, category, services)
            if not providers:
                continue
            view.add(separator)
            view.may_break()
            view.add(f"{CATEGORY_LABELS[category]}: ")
            for index, provider in enumerate(providers):
                name = visible(provider.provider_name)
                if index:
                    view.add(", ")
                    view.may_break()
                if services.includes(provider):
                    view.add(name + MINE_MARK, "bold green")
                else:
                    view.add(name)
            separator = "; "
        paying = {p.provider_id for c in PAYING for p in offers.providers(c)}
        if paying:
            noun = "service" if len(paying) == 1 else "services"
            view.add(separator)
            view.may_break()
            view.add(f"rent or buy on {len(paying)} {noun}", "dim")
        elif not separator:
            view.add("nowhere", "dim")


def by_service_view(listing: Listing) -> RenderableType:
    """`watchlist list --by-service`: titles under each of your services (per region),
    then elsewhere, rent or buy only, nowhere and unknown."""
    groups: dict[str, list[str]] = {}
    for service in listing.services.services:
        ids = service.provider_ids
        for entry in listing.titles:
            for region, _, provider in entry.streaming():
                if provider.provider_id in ids:
                    names = groups.setdefault(f"{service.name} ({region})", [])
                    if entry.title.label not in names:
                        names.append(entry.title.label)
    rest: dict[str, list[str]] = {"elsewhere": [], "rent or buy only": [], "nowhere": []}
    rest["unknown"] = []
    rest["gone from TMDB"] = []
    for entry in listing.titles:
        if entry.gone:
            rest["gone from TMDB"].append(entry.title.label)
        elif entry.result is None:
            rest["unknown"].append(entry.title.label)
        elif entry.on_mine(listing.services):
            continue
        elif entry.streams:
            rest["elsewhere"].append(entry.title.label)
        elif entry.rent_or_buy:
            rest["rent or buy only"].append(entry.title.label)
        else:
            rest["nowhere"].append(entry.title.label)
    view = Text()
    for heading, labels in [*sorted(groups.items()), *rest.items()]:
        if not labels:
            continue
        if view:
            view.append("\n\n")
        view.append_text(safe(heading, "bold"))
        for label in labels:
            view.append("\n  ")
            view.append_text(safe(label))
    return view or Text("The watchlist is empty.")


def changes_document(changes: Sequence[Event]) -> list[JSONValue]:
    """`refresh --json`: the events, a list (empty when nothing changed). Each has a
    `change`: "appeared" or "left" (a provider, in a region), "new_season", or about a
    film's digital release in a region: "digital_date", "digital_date_moved",
    "digital_released"."""
    from wheretowatch.lists.changes import Change, NewSeason  # only a refresh needs them

    return [
        _change(c)
        if isinstance(c, Change)
        else _new_season(c)
        if isinstance(c, NewSeason)
        else _release_change(c)
        for c in changes
    ]


def _release_change(event: ReleaseChange) -> dict[str, JSONValue]:
    previous = event.previous
    return {
        "title": _watched(event.title),
        "region": event.region,
        "change": event.kind.value,
        "date": event.day.isoformat(),
        "previous_date": None if previous is None else previous.isoformat(),
        "note": event.note or None,
        "elsewhere": event.elsewhere or None,
        "mine": event.mine,
        "message": event.sentence(),
    }


def _change(c: Change) -> dict[str, JSONValue]:
    return {
        "title": _watched(c.title),
        "region": c.region,
        "category": c.category.value,
        "provider_id": c.provider.provider_id,
        "provider_name": c.provider.provider_name,
        "change": "appeared" if c.appeared else "left",
        "mine": c.mine,
        "message": c.sentence(),
    }


def _new_season(event: NewSeason) -> dict[str, JSONValue]:
    return {
        "title": _watched(event.title),
        "change": "new_season",
        "next_episode": episode_document(event.episode),
        "message": event.sentence(),
    }


def _watched(title: WatchedTitle) -> dict[str, JSONValue]:
    return {
        "tmdb_id": title.tmdb_id,
        "media_type": title.media_type.value,
        "title": title.title,
        "year": title.year,
        "season": title.season,
    }


def availability_document(listing: Listing) -> dict[str, JSONValue]:
    """`watchlist list --json`: each title's watchlist fields and where it can be watched
    (shaped like the lookup's, each provider marked `mine` or not)."""
    return {
        "schema": SCHEMA_VERSION,
        "titles": [_title_availability(entry, listing.services) for entry in listing.titles],
    }


def _title_availability(entry: TitleAvailability, services: MyServices) -> dict[str, JSONValue]:
    title = entry.title
    result = entry.result
    document: dict[str, JSONValue] = {
        "tmdb_id": title.tmdb_id,
        "media_type": title.media_type.value,
        "title": title.title,
        "year": title.year,
        "regions": list(title.regions),
        "added_at": title.added_at,
        "season": title.season,
        "availability": None,
        "fetched_at": None,
        "stale": None,
        "on_my_services": entry.on_mine(services),
        "gone": entry.gone,
    }
    if result is not None:
        document["availability"] = {
            code: _offers_marked(offers, services) for code, offers in result.availability.items()
        }
        document["fetched_at"] = timestamp(result.fetched_at)
        document["stale"] = result.stale
    elif entry.error is not None:
        document["error"] = {"code": entry.error.code, "message": entry.error.message}
    return document


def _offers_marked(offers: RegionOffers, services: MyServices) -> dict[str, JSONValue]:
    document: dict[str, JSONValue] = {"link": offers.link}
    for category in Category:
        document[category.value] = [
            {**provider_document(p), "mine": services.includes(p)}
            for p in offers.providers(category)
        ]
    return document
