"""The lookup's answer: where a title streams per region, its trailers and seasons."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from wheretowatch.cli.views.document import (
    ATTRIBUTION,
    SCHEMA_VERSION,
    JSONValue,
    offers_document,
    timestamp,
    title_document,
    video_document,
)
from wheretowatch.cli.views.layout import Flow, Flows, Whole, names, words
from wheretowatch.cli.views.offers import (
    CATEGORY_LABELS,
    MINE_MARK,
    all_providers,
    provider_name,
    provider_names,
)
from wheretowatch.cli.views.releases import (
    outlooks_document,
    release_dates_document,
    releases_view,
)
from wheretowatch.cli.views.text import BLANK, attribution_view, freshness_line, kind, safe
from wheretowatch.models import (
    Category,
    Episode,
    LookupResult,
    MediaType,
    MyServices,
    Provider,
    RegionOffers,
    RegionSelection,
    SeasonDetails,
    SeasonsResult,
    SeriesInfo,
    TitleDetails,
    TitleMatch,
    Video,
)
from wheretowatch.settings.regions import known_regions
from wheretowatch.where import releases
from wheretowatch.where.releases import RegionRelease, region_releases

if TYPE_CHECKING:
    from rich.console import RenderableType


SHOWN_TRAILERS = 3


NO_DEEP_LINKS = "Watch pages on TMDB (TMDB gives no direct links to each service):"


def lookup_view(
    result: LookupResult, now: datetime, *, attribution: bool = True
) -> list[RenderableType]:
    """The whole answer to `wheretowatch TITLE`, as parts to print one after another."""
    services = result.services
    parts: list[RenderableType] = [title_heading(result.title)]
    if result.season is not None:
        parts.append(season_heading(result.season))
    parts += [_region_line(result.regions, len(result.availability)), BLANK]
    if result.regions.all_regions:
        parts.append(all_regions_table(result.availability, services))
        parts.append(Text("For rent and buy options, ask for one region.", style="dim"))
    else:
        parts.append(offers_table(result.availability, services))
        parts.append(watch_pages_view(result.availability))
    if any(services.includes(p) for p in all_providers(result.availability.values())):
        parts.append(Text(f"{MINE_MARK.strip()} one of your services", style="dim"))
    dates = [] if result.regions.all_regions else releases_view(_releases(result))
    if dates:
        parts += [BLANK, *dates]
    parts += [BLANK, trailers_view(result.trailers)]
    if result.other_matches:
        parts += [BLANK, other_matches_view(result.other_matches)]
    parts += [BLANK, _freshness(result, now)]
    if attribution:
        parts.append(attribution_view())
    return parts


def title_heading(title: TitleDetails) -> Text:
    heading = Text()
    heading.append_text(safe(title.title, "bold"))
    if title.year:
        heading.append(f" ({title.year})", "bold")
    if title.original_title and title.original_title != title.title:
        heading.append("  ")
        heading.append_text(safe(title.original_title))
    kind = "Series" if title.media_type is MediaType.TV else "Film"
    heading.append(f"\n{kind} · TMDB id {title.tmdb_id}", "dim")
    if title.series is not None:
        for fact in series_facts(title.series):
            heading.append(" · ", "dim")
            heading.append_text(safe(fact, "dim"))
    return heading


def series_facts(series: SeriesInfo) -> list[str]:
    """ "5 seasons", "ended", "next: S03E01 on 2026-12-03": whichever TMDB gives."""
    facts = []
    if series.number_of_seasons is not None:
        count = series.number_of_seasons
        facts.append(f"{count} season{'' if count == 1 else 's'}")
    if series.state:
        facts.append(series.state)
    if series.next_episode is not None:
        when = f" on {series.next_episode.air_date}" if series.next_episode.air_date else ""
        facts.append(f"next: {series.next_episode.code}{when}")
    return facts


def season_heading(season: SeasonDetails) -> Text:
    """ "Season 2 · aired from 2025-01-16 · 10 episodes", with its name if it has its own."""
    heading = Text(f"Season {season.season_number}", "bold")
    if season.name and season.name != f"Season {season.season_number}":
        heading.append(": ", "bold")
        heading.append_text(safe(season.name, "bold"))
    facts = []
    if season.air_date:
        facts.append(f"air date {season.air_date}")
    if season.episode_count is not None:
        facts.append(f"{season.episode_count} episode{'' if season.episode_count == 1 else 's'}")
    for fact in facts:
        heading.append(" · ", "dim")
        heading.append_text(safe(fact, "dim"))
    return heading


def seasons_view(
    result: SeasonsResult, now: datetime, *, attribution: bool = True
) -> list[RenderableType]:
    """`wheretowatch TITLE --seasons`: a row a season, a column a region."""
    parts: list[RenderableType] = [
        title_heading(result.title),
        _region_line(result.regions, len(result.regions.codes)),
        BLANK,
        seasons_table(result),
    ]
    if result.seasons and any(
        result.services.includes(p)
        for season in result.seasons
        for p in all_providers(season.availability.values())
    ):
        parts.append(Text(f"{MINE_MARK.strip()} one of your services", style="dim"))
    parts += [BLANK, freshness_line(result.fetched_at, result.from_cache, result.stale, now)]
    if attribution:
        parts.append(attribution_view())
    return parts


def seasons_table(result: SeasonsResult) -> RenderableType:
    if not result.seasons:
        return Text("TMDB lists no seasons for this series.", style="dim")
    table = Table()
    table.add_column("Season", justify="right", no_wrap=True)
    table.add_column("Year", no_wrap=True)
    table.add_column("Episodes", justify="right", no_wrap=True)
    codes = list(result.regions.codes)
    for code in codes:
        # Never cut to "Netf…", never broken inside a name: the service is the answer.
        table.add_column(f"Streams in {code}", overflow="fold")
    for row in result.seasons:
        season = row.season
        cells: list[RenderableType] = [
            str(season.season_number),
            str(season.year or "—"),
            "—" if season.episode_count is None else str(season.episode_count),
        ]
        empty = RegionOffers(region="", link=None)
        cells += [Flow(_streams(row.availability.get(c, empty), result.services)) for c in codes]
        table.add_row(*cells)
    return table


def _streams(offers: RegionOffers, services: MyServices) -> list[Text]:
    """Where a season streams in one region: subscriptions, then free (with ads or not),
    as pieces that break only between names."""
    shown = [provider_name(p, services, offers.link) for p in offers.flatrate]
    for category, note in ((Category.FREE, "free"), (Category.ADS, "with ads")):
        for provider in offers.providers(category):
            name = provider_name(provider, services, offers.link)
            name.append(f" ({note})", "dim")
            shown.append(name)
    if shown:
        return names(shown)
    if offers.rent or offers.buy:
        return words(Text("rent or buy only", "dim"))
    return [Text("—", "dim")]


def offers_table(availability: Mapping[str, RegionOffers], services: MyServices) -> Table:
    """One section per region: a row per way to watch, then the TMDB watch page."""
    table = Table()
    table.add_column("Region", no_wrap=True)
    table.add_column("How", no_wrap=True)
    table.add_column("Where")
    for code, offers in availability.items():
        rows: list[tuple[str, RenderableType]] = [
            (
                CATEGORY_LABELS[c],
                Flow(names(provider_names(offers.providers(c), services, offers.link))),
            )
            for c in Category
            if offers.providers(c)
        ]
        if not rows:
            rows.append(("—", Text("Not available to stream, rent or buy here.", "dim")))
        label = Text(code, "bold")
        if code in known_regions():
            label.append(f"\n{known_regions()[code]}", "dim")
        for index, (how, where) in enumerate(rows):
            table.add_row(label if index == 0 else "", how, where)
        table.add_section()
    return table


def watch_pages_view(availability: Mapping[str, RegionOffers]) -> RenderableType:
    """TMDB's watch page per region, outside the table so no link is ever folded or cut."""
    links = [(code, offers.link) for code, offers in availability.items() if offers.link]
    if not links:
        return Text("TMDB has no watch page for this title in these regions.", style="dim")
    lines: list[Flow | Text] = [Text(NO_DEEP_LINKS, style="dim")]
    for code, link in links:
        lines.append(Flow([Text(f"  {code}  "), _link(link)], indent=4))
    return Flows(lines)


def _link(url: str) -> Text:
    """A web address: a link on a terminal, and never broken by us (the terminal folds
    one wider than itself, so that a click or a copy takes it whole)."""
    text = safe(url, "cyan", link=url)
    alone = Whole(text.plain, style="cyan")
    alone.spans = text.spans
    return alone


def all_regions_table(availability: Mapping[str, RegionOffers], services: MyServices) -> Table:
    """Compact view for `--region all`: each provider with the regions it streams in."""
    streams: dict[int, list[str]] = {}
    free: dict[int, list[str]] = {}
    names: dict[int, Provider] = {}
    for code, offers in availability.items():
        for category, bucket in (
            (Category.FLATRATE, streams),
            (Category.FREE, free),
            (Category.ADS, free),
        ):
            for provider in offers.providers(category):
                names.setdefault(provider.provider_id, provider)
                regions = bucket.setdefault(provider.provider_id, [])
                if code not in regions:
                    regions.append(code)
    table = Table()
    table.add_column("Provider")
    table.add_column("Streams in")
    table.add_column("Free or with ads in")
    ranked = sorted(
        names.values(),
        key=lambda p: (-len(streams.get(p.provider_id, ())), p.provider_name.casefold()),
    )
    for provider in ranked:
        table.add_row(
            Flow([provider_name(provider, services)]),  # a name is never broken
            " ".join(streams.get(provider.provider_id, [])) or "—",
            " ".join(free.get(provider.provider_id, [])) or "—",
        )
    if not ranked:
        table.add_row(Text("Not streaming in any region TMDB covers.", "dim"), "", "")
    return table


def trailers_view(trailers: Sequence[Video]) -> RenderableType:
    if not trailers:
        return Text("No trailer found on TMDB.", style="dim")
    # The heading alone is bold: a style given to Text() would cover the lines appended.
    lines: list[Flow | Text] = [Text().append("Trailers", "bold")]
    for video in trailers[:SHOWN_TRAILERS]:
        details = [video.type.lower(), video.language or "no language"]
        if video.official:
            details.append("official")
        name = [
            Text("  "),
            *words(safe(video.name or video.type)),
            Text(f" ({', '.join(details)})", "dim"),
        ]
        lines.append(Flow(name, indent=4))
        lines.append(Flow([Text("    "), _link(video.url or "")], indent=4))
    return Flows(lines)


def other_matches_view(matches: Sequence[TitleMatch]) -> Text:
    lines = Text().append("Other matches (pick one with --tmdb-id and --type):", "bold")
    for match in matches:
        lines.append("\n  ")
        lines.append_text(safe(match.title))
        if match.year:
            lines.append(f" ({match.year})")
        lines.append(f"  {kind(match.media_type)} · --tmdb-id {match.tmdb_id}", "dim")
    return lines


def candidates_view(matches: Sequence[TitleMatch]) -> Text:
    """Numbered candidates to choose from: title, year, type and original title."""
    heading = "Several titles could be meant:" if len(matches) > 1 else "Not an exact match:"
    lines = Text().append(heading, "bold")
    for number, match in enumerate(matches, start=1):
        lines.append(f"\n  {number:>2}. ")
        lines.append_text(safe(match.title))
        lines.append(f" ({match.year or 'year unknown'})  {kind(match.media_type)}")
        if match.original_title and match.original_title != match.title:
            lines.append_text(safe(f"  · {match.original_title}", "dim"))
    return lines


def _region_line(selection: RegionSelection, with_offers: int) -> Text:
    if selection.all_regions:
        shown = f"all regions ({with_offers} with offers)"
    else:
        shown = ", ".join(selection.codes)
    return Text.assemble(("Region: ", "bold"), shown, (f"  (from {selection.source})", "dim"))


def _release_regions(result: LookupResult) -> list[str]:
    """The asked regions; with --region all, every region TMDB dates the film in."""
    if result.regions.all_regions:
        return sorted(result.title.release_dates or ())
    return list(result.regions.codes)


def _releases(result: LookupResult) -> list[RegionRelease]:
    if result.season is not None:
        return []
    regions = _release_regions(result)
    return region_releases(result.title, regions, result.availability, releases.today())


def _freshness(result: LookupResult, now: datetime) -> Text:
    return freshness_line(result.fetched_at, result.from_cache, result.stale, now)


def _heading(query: str | None, title: TitleDetails) -> dict[str, JSONValue]:
    """What every answer about a title starts with: the query, the title, its series."""
    document: dict[str, JSONValue] = {
        "schema": SCHEMA_VERSION,
        "query": query,
        "title": title_document(title),
    }
    if title.series is not None:
        document |= series_document(title.series)
    return document


def lookup_document(result: LookupResult) -> dict[str, JSONValue]:
    document = _heading(result.query, result.title)
    if result.season is not None:
        document["season"] = season_document(result.season)
    return document | {
        "region_source": result.regions.source,
        "availability": {code: offers_document(o) for code, o in result.availability.items()},
        "available": result.available,
        "release_dates": release_dates_document(
            result.title.release_dates, _release_regions(result)
        ),
        "release": outlooks_document(_releases(result)),
        "trailers": [video_document(video) for video in result.trailers],
        "other_matches": [title_document(match) for match in result.other_matches],
        "match": _match(result),
        "missed_year": result.missed_year,
        "language": result.language,
        "fetched_at": timestamp(result.fetched_at),
        "from_cache": result.from_cache,
        "stale": result.stale,
        "attribution": dict(ATTRIBUTION),
    }


def _match(result: LookupResult) -> str:
    """ "exact", "inexact" (not the title or not the year asked: a guess), or "ambiguous"
    (one of several exact titles no year decided between)."""
    if not result.exact or result.missed_year is not None:
        return "inexact"
    return "ambiguous" if result.ambiguous else "exact"


def seasons_document(result: SeasonsResult) -> dict[str, JSONValue]:
    """`--seasons`: the series, then where each season can be watched."""
    return _heading(result.query, result.title) | {
        "region_source": result.regions.source,
        "seasons": [
            {
                "season_number": row.season.season_number,
                "name": row.season.name,
                "air_date": row.season.air_date,
                "episode_count": row.season.episode_count,
                "availability": {code: offers_document(o) for code, o in row.availability.items()},
                "available": row.available,
            }
            for row in result.seasons
        ],
        "seasons_left_out": result.seasons_left_out,
        "available": result.available,
        "language": result.language,
        "fetched_at": timestamp(result.fetched_at),
        "from_cache": result.from_cache,
        "stale": result.stale,
        "attribution": dict(ATTRIBUTION),
    }


def series_document(series: SeriesInfo) -> dict[str, JSONValue]:
    """What a series lookup adds: its seasons, status and next episode (or null)."""
    episode = series.next_episode
    return {
        "number_of_seasons": series.number_of_seasons,
        "status": series.state,
        "next_episode": None if episode is None else episode_document(episode),
    }


def episode_document(episode: Episode) -> dict[str, JSONValue]:
    return {
        "season_number": episode.season_number,
        "episode_number": episode.episode_number,
        "air_date": episode.air_date,
    }


def season_document(season: SeasonDetails) -> dict[str, JSONValue]:
    return {
        "season_number": season.season_number,
        "name": season.name,
        "air_date": season.air_date,
        "episode_count": season.episode_count,
    }
