"""Models to Rich renderables. No I/O: the CLI prints what these return.

Every string that came from TMDB or the user goes through `safe()`: it becomes a Rich
`Text` (never markup), and control and bidi-override characters are shown as escapes, so
a hostile title can neither style the output nor drive the terminal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from wheretowatch.attribution import JUSTWATCH_NOTICE, TMDB_NOTICE
from wheretowatch.models import (
    Category,
    LookupResult,
    MediaType,
    MyServices,
    Provider,
    Region,
    RegionOffers,
    TitleDetails,
    TitleMatch,
    Video,
)
from wheretowatch.region import known_regions
from wheretowatch.settings import Settings

if TYPE_CHECKING:
    from wheretowatch.doctor import Check
    from wheretowatch.tmdb import CacheInfo
    from wheretowatch.watch.watchlist import WatchedTitle

CATEGORY_LABELS = {
    Category.FLATRATE: "Stream",
    Category.FREE: "Free",
    Category.ADS: "With ads",
    Category.RENT: "Rent",
    Category.BUY: "Buy",
}
MINE_MARK = " ★"
SHOWN_TRAILERS = 3
NO_DEEP_LINKS = "Watch pages on TMDB (TMDB gives no direct links to each service):"

BLANK = Text()

# A link target goes inside an OSC 8 escape sequence: any control character or space in it
# could end the sequence and inject others, so only plain printable-ASCII web URLs link.
_LINKABLE = re.compile(r"https?://[\x21-\x7e]+")
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def safe(text: str, style: str = "", link: str | None = None) -> Text:
    """Untrusted text, shown literally; a terminal link to `link` if that URL is safe."""
    shown = Text(_UNSAFE.sub(_escape, text), style=style)
    if link is not None and _LINKABLE.fullmatch(link):
        shown.stylize(f"link {link}")
    return shown


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in "\t\n\r":
        return " "
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def lookup_view(
    result: LookupResult, now: datetime, *, attribution: bool = True
) -> list[RenderableType]:
    """The whole answer to `wheretowatch TITLE`, as parts to print one after another."""
    services = result.services
    parts: list[RenderableType] = [title_heading(result.title), _region_line(result), BLANK]
    if result.regions.all_regions:
        parts.append(all_regions_table(result.availability, services))
        parts.append(Text("For rent and buy options, ask for one region.", style="dim"))
    else:
        parts.append(offers_table(result.availability, services))
        parts.append(watch_pages_view(result.availability))
    if any(services.includes(p) for p in _all_providers(result.availability.values())):
        parts.append(Text(f"{MINE_MARK.strip()} one of your services", style="dim"))
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
    return heading


def offers_table(availability: Mapping[str, RegionOffers], services: MyServices) -> Table:
    """One section per region: a row per way to watch, then the TMDB watch page."""
    table = Table()
    table.add_column("Region", no_wrap=True)
    table.add_column("How", no_wrap=True)
    table.add_column("Where")
    for code, offers in availability.items():
        rows = [
            (CATEGORY_LABELS[c], _provider_list(offers.providers(c), services, offers.link))
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


def watch_pages_view(availability: Mapping[str, RegionOffers]) -> Text:
    """TMDB's watch page per region, outside the table so no link is ever folded or cut."""
    links = [(code, offers.link) for code, offers in availability.items() if offers.link]
    if not links:
        return Text("TMDB has no watch page for this title in these regions.", style="dim")
    text = Text(NO_DEEP_LINKS, style="dim")
    for code, link in links:
        text.append(f"\n  {code}  ")
        text.append_text(safe(link, "cyan", link=link))
    return text


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
            _provider_name(provider, services),
            " ".join(streams.get(provider.provider_id, [])) or "—",
            " ".join(free.get(provider.provider_id, [])) or "—",
        )
    if not ranked:
        table.add_row(Text("Not streaming in any region TMDB covers.", "dim"), "", "")
    return table


def trailers_view(trailers: Sequence[Video]) -> RenderableType:
    if not trailers:
        return Text("No trailer found on TMDB.", style="dim")
    lines = Text("Trailers", style="bold")
    for video in trailers[:SHOWN_TRAILERS]:
        details = [video.type.lower(), video.language or "no language"]
        if video.official:
            details.append("official")
        lines.append("\n  ")
        lines.append_text(safe(video.name or video.type))
        lines.append(f" ({', '.join(details)})", "dim")
        lines.append("\n    ")
        lines.append_text(safe(video.url or "", "cyan", link=video.url))
    return lines


def other_matches_view(matches: Sequence[TitleMatch]) -> Text:
    lines = Text("Other matches (pick one with --tmdb-id and --type):", style="bold")
    for match in matches:
        lines.append("\n  ")
        lines.append_text(safe(match.title))
        if match.year:
            lines.append(f" ({match.year})")
        lines.append(f"  {match.media_type.value} · --tmdb-id {match.tmdb_id}", "dim")
    return lines


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
            match.media_type.value,
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
        table.add_row(str(provider.provider_id), _provider_name(provider, services))
    return table


def settings_table(settings: Settings) -> Table:
    """Every effective setting with where it came from (secrets arrive masked)."""
    table = Table(title=safe(f"Config file: {settings.config_file}"), title_justify="left")
    table.add_column("Setting", no_wrap=True)
    table.add_column("Value", overflow="fold")  # paths are folded, never cut short
    table.add_column("From", overflow="fold")
    for key, value in settings.display_values().items():
        table.add_row(key, safe("—" if value is None else value), safe(settings.source(key)))
    return table


def watchlist_table(titles: Sequence[WatchedTitle]) -> RenderableType:
    if not titles:
        return Text('The watchlist is empty. Add a title: wheretowatch watchlist add "Title"')
    table = Table()
    table.add_column("Title")
    table.add_column("Type", no_wrap=True)
    table.add_column("TMDB id", justify="right", no_wrap=True)
    table.add_column("Regions")
    table.add_column("Added", no_wrap=True)
    for title in titles:
        table.add_row(
            safe(title.label),
            title.media_type.value,
            str(title.tmdb_id),
            safe(", ".join(title.regions) or "your region setting"),
            safe(title.added_at[:10]),
        )
    return table


def cache_info_view(info: CacheInfo, size_limit: int, now: datetime) -> Text:
    """Plain lines, not a table: a long path is never cut short."""
    rows = [
        ("Location", str(info.directory)),
        ("Size", f"{describe_size(info.size_bytes)} of {describe_size(size_limit)}"),
        ("Entries", str(info.entries)),
    ]
    for label, stamp in (("Oldest entry", info.oldest), ("Newest entry", info.newest)):
        rows.append((label, "—" if stamp is None else _describe_moment(stamp, now)))
    view = Text()
    for index, (label, value) in enumerate(rows):
        view.append(("\n" if index else "") + f"{label:<14}", "bold")
        view.append_text(safe(value))
    return view


def describe_size(size: int) -> str:
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("kB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"


def _describe_moment(stamp: float, now: datetime) -> str:
    moment = datetime.fromtimestamp(stamp, UTC)
    return f"fetched {describe_age(moment, now)} ({moment:%Y-%m-%d %H:%M} UTC)"


def attribution_view() -> Text:
    return Text(f"{TMDB_NOTICE}\n{JUSTWATCH_NOTICE}", style="dim")


def describe_age(fetched_at: datetime, now: datetime) -> str:
    seconds = max(0, int((now - fetched_at).total_seconds()))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return "just now"


def _region_line(result: LookupResult) -> Text:
    selection = result.regions
    if selection.all_regions:
        shown = f"all regions ({len(result.availability)} with offers)"
    else:
        shown = ", ".join(selection.codes)
    return Text.assemble(("Region: ", "bold"), shown, (f"  (from {selection.source})", "dim"))


def _freshness(result: LookupResult, now: datetime) -> Text:
    when = result.fetched_at.strftime("%Y-%m-%d %H:%M UTC")
    text = f"Data fetched {describe_age(result.fetched_at, now)} ({when})"
    if result.from_cache:
        text += ", from the cache"
    if result.stale:
        text += "; TMDB could not be reached, so it may be out of date"
    return Text(text + ".", style="dim")


def _provider_list(
    providers: Iterable[Provider], services: MyServices, link: str | None = None
) -> Text:
    return Text(", ").join(_provider_name(p, services, link) for p in providers)


def _provider_name(provider: Provider, services: MyServices, link: str | None = None) -> Text:
    """The name, marked if it is one of the user's services; linked to TMDB's watch page."""
    if services.includes(provider):
        name = safe(provider.provider_name, "bold green", link=link)
        name.append(MINE_MARK, "bold green")
        return name
    return safe(provider.provider_name, link=link)


def _all_providers(offers: Iterable[RegionOffers]) -> Iterable[Provider]:
    for region in offers:
        for category in Category:
            yield from region.providers(category)


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


def doctor_table(checks: Sequence[Check]) -> Table:
    """One row per check: a tick, or a cross with the problem and what to do."""
    table = Table(show_header=False, box=None, padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    for check in checks:
        mark = Text("ok", style="green") if check.ok else Text("FAIL", style="bold red")
        said = safe(check.message)
        if check.hint:
            said.append("\n")
            said.append_text(safe(f"-> {check.hint}", "dim" if check.ok else ""))
        table.add_row(mark, safe(check.name), said)
    return table
