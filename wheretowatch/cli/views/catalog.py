"""What TMDB knows: search candidates, regions, providers and your services among them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.table import Table
from rich.text import Text

from wheretowatch.attribution import TMDB_NOTICE
from wheretowatch.cli.views.document import (
    ATTRIBUTION,
    SCHEMA_VERSION,
    JSONValue,
    provider_document,
    title_document,
)
from wheretowatch.cli.views.offers import provider_name
from wheretowatch.cli.views.text import kind, safe
from wheretowatch.models import (
    MyServices,
    Provider,
    Region,
    TitleMatch,
)


def search_table(matches: Sequence[TitleMatch]) -> Table:
    table = Table()
    table.add_column("TMDB id", justify="right", no_wrap=True)
    table.add_column("Type", no_wrap=True)
    table.add_column("Year", no_wrap=True)
    table.add_column("Title")
    table.add_column("Original title")
    for match in matches:
        original = match.original_title if match.original_title != match.title else ""
        table.add_row(
            str(match.tmdb_id),
            kind(match.media_type),
            str(match.year or "—"),
            safe(match.title),
            safe(original),
        )
    return table


def regions_table(regions: Iterable[Region]) -> Table:
    table = Table()
    table.add_column("Code", no_wrap=True)
    table.add_column("Name")
    table.add_column("Native name")
    for region in regions:
        table.add_row(safe(region.code), safe(region.english_name), safe(region.native_name))
    return table


def providers_table(providers: Iterable[Provider], services: MyServices) -> Table:
    table = Table()
    table.add_column("Id", justify="right", no_wrap=True)
    table.add_column("Provider")
    for provider in providers:
        table.add_row(str(provider.provider_id), provider_name(provider, services))
    return table


def services_view(services: MyServices, source: str) -> Text:
    """Which providers each of the user's services covers (ads tiers included)."""
    lines = Text(f"Your services ({source}), marked ★:", style="bold")
    for service in services.services:
        lines.append("\n  ")
        lines.append_text(safe(service.name))
        lines.append(": ")
        lines.append_text(safe(", ".join(p.provider_name for p in service.providers)))
    return lines


def services_table(services: MyServices) -> Table:
    """Each of the user's services and the TMDB providers it resolved to."""
    table = Table(title="Services", title_justify="left")
    table.add_column("Service", no_wrap=True)
    table.add_column("Resolved to", overflow="fold")
    for service in services.services:
        names = sorted({p.provider_name for p in service.providers})
        ids = ", ".join(str(i) for i in sorted(service.provider_ids))
        table.add_row(safe(service.name), safe(f"{', '.join(names)} (id {ids})"))
    return table


def search_document(query: str, matches: list[TitleMatch]) -> dict[str, JSONValue]:
    return {
        "schema": SCHEMA_VERSION,
        "query": query,
        "results": [title_document(match) for match in matches],
        "attribution": {"tmdb": TMDB_NOTICE},
    }


def regions_document(regions: list[Region]) -> dict[str, JSONValue]:
    return {
        "schema": SCHEMA_VERSION,
        "regions": [
            {"code": r.code, "english_name": r.english_name, "native_name": r.native_name}
            for r in regions
        ],
        "attribution": dict(ATTRIBUTION),
    }


def providers_document(
    region: str | None, providers: list[Provider], services: MyServices | None = None
) -> dict[str, JSONValue]:
    """The providers, and what each of the user's services resolved to."""
    return {
        "schema": SCHEMA_VERSION,
        "region": region,
        "providers": [provider_document(p) for p in providers],
        "services": [
            {"name": service.name, "providers": [provider_document(p) for p in service.providers]}
            for service in (services.services if services else ())
        ],
        "attribution": dict(ATTRIBUTION),
    }
