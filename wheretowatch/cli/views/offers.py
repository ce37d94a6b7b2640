"""Offers as every view shows them: kinds of offer in words, your services marked."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text

from wheretowatch.cli.views.text import safe
from wheretowatch.models import (
    Category,
    MyServices,
    Provider,
    RegionOffers,
)

CATEGORY_LABELS = {
    Category.FLATRATE: "Stream",
    Category.FREE: "Free",
    Category.ADS: "With ads",
    Category.RENT: "Rent",
    Category.BUY: "Buy",
}


MINE_MARK = " ★"


def provider_names(
    providers: Iterable[Provider], services: MyServices, link: str | None = None
) -> list[Text]:
    return [provider_name(p, services, link) for p in providers]


def provider_name(provider: Provider, services: MyServices, link: str | None = None) -> Text:
    """The name, marked if it is one of the user's services; linked to TMDB's watch page."""
    if services.includes(provider):
        name = safe(provider.provider_name, "bold green", link=link)
        name.append(MINE_MARK, "bold green")
        return name
    return safe(provider.provider_name, link=link)


def all_providers(offers: Iterable[RegionOffers]) -> Iterable[Provider]:
    for region in offers:
        for category in Category:
            yield from region.providers(category)
