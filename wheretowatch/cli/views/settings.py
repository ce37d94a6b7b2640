"""The settings in effect and where each came from."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from wheretowatch.cli.views.document import SCHEMA_VERSION, JSONValue
from wheretowatch.cli.views.layout import Flow, Whole
from wheretowatch.cli.views.text import safe, visible
from wheretowatch.models import (
    MyServices,
)
from wheretowatch.settings.loading import Settings

if TYPE_CHECKING:
    from rich.console import RenderableType


def settings_table(settings: Settings) -> list[RenderableType]:
    """The config file, named once, then every effective setting with where it came from
    (secrets arrive masked)."""
    path = str(settings.config_file)
    table = Table()
    # Nothing is ever cut short; the values (paths, mostly) give up their width first.
    table.add_column("Setting", overflow="fold")
    table.add_column("Value", overflow="fold", min_width=16, ratio=2)
    table.add_column("From", overflow="fold", ratio=1)
    for key, value in settings.display_values().items():
        source = settings.source(key)
        shown = "config file" if source.startswith("config file") else source
        table.add_row(key, safe("—" if value is None else value), Flow([safe(shown)]))
    return [Flow([Text("Config file: ", "bold"), Whole(visible(path))], indent=2), table]


def settings_document(settings: Settings) -> dict[str, JSONValue]:
    return {
        "schema": SCHEMA_VERSION,
        "config_file": str(settings.config_file),
        "settings": {
            key: {"value": value, "source": settings.source(key)}
            for key, value in settings.display_values().items()
        },
    }


def config_document(
    settings: Settings, *, file_exists: bool, services: MyServices | None
) -> dict[str, JSONValue]:
    """`config --json`: the settings, whether the file exists, what services resolved to."""
    document = settings_document(settings)
    document["config_file_exists"] = file_exists
    document["services_resolved"] = (
        None
        if services is None
        else [
            {
                "name": service.name,
                "providers": [
                    {"provider_id": p.provider_id, "provider_name": p.provider_name}
                    for p in service.providers
                ],
            }
            for service in services.services
        ]
    )
    return document
