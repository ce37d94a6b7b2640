"""The settings in effect and where each came from."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table

from wheretowatch.cli.views.document import SCHEMA_VERSION, JSONValue
from wheretowatch.cli.views.text import safe
from wheretowatch.models import (
    MyServices,
)
from wheretowatch.settings.loading import Settings

if TYPE_CHECKING:
    pass


def settings_table(settings: Settings) -> Table:
    """Every effective setting with where it came from (secrets arrive masked)."""
    table = Table(title=safe(f"Config file: {settings.config_file}"), title_justify="left")
    table.add_column("Setting", no_wrap=True)
    table.add_column("Value", overflow="fold")  # paths are folded, never cut short
    table.add_column("From", overflow="fold")
    for key, value in settings.display_values().items():
        table.add_row(key, safe("—" if value is None else value), safe(settings.source(key)))
    return table


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
