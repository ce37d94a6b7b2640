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

from rich.table import Table
from rich.text import Span, Text

from wheretowatch.attribution import JUSTWATCH_NOTICE, TMDB_NOTICE
from wheretowatch.models import (
    Category,
    LookupResult,
    MediaType,
    MyServices,
    Provider,
    Region,
    RegionOffers,
    RegionSelection,
    SeasonDetails,
    SeasonsResult,
    SeriesInfo,
    TitleDetails,
    TitleMatch,
    Video,
)
from wheretowatch.settings.loading import Settings
from wheretowatch.settings.regions import known_regions

if TYPE_CHECKING:
    from rich.console import RenderableType

    from wheretowatch.doctor import Check
    from wheretowatch.lists.availability import Listing, TitleAvailability
    from wheretowatch.lists.formats import ImportRow, RowProblem
    from wheretowatch.lists.importing import ImportReport, RowResult
    from wheretowatch.lists.watchlist import WatchedTitle
    from wheretowatch.tmdb import CacheInfo

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
    shown = Text(visible(text), style=style)
    if link is not None and _LINKABLE.fullmatch(link):
        shown.stylize(f"link {link}")
    return shown


def visible(text: str) -> str:
    """Untrusted text with its control characters written out (\\x1b), never obeyed by a
    terminal; tabs and line breaks become spaces."""
    return _UNSAFE.sub(_escape, text)


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
    if any(services.includes(p) for p in _all_providers(result.availability.values())):
        parts.append(Text(f"{MINE_MARK.strip()} one of your services", style="dim"))
    parts += [BLANK, trailers_view(result.trailers)]
    if result.other_matches:
        parts += [BLANK, other_matches_view(result.other_matches)]
    parts += [BLANK, _freshness(result, now)]
    if attribution:
        parts.append(attribution_view())
    return parts


def kind(media_type: MediaType) -> str:
    """What people call a media type: film or series (JSON keeps TMDB's movie / tv)."""
    return "series" if media_type is MediaType.TV else "film"


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
        for p in _all_providers(season.availability.values())
    ):
        parts.append(Text(f"{MINE_MARK.strip()} one of your services", style="dim"))
    parts += [BLANK, _freshness_line(result.fetched_at, result.from_cache, result.stale, now)]
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
        # Folded, never cut to "Netf…": on a narrow terminal the service is the answer.
        table.add_column(f"Streams in {code}", overflow="fold")
    for row in result.seasons:
        season = row.season
        cells: list[RenderableType] = [
            str(season.season_number),
            str(season.year or "—"),
            "—" if season.episode_count is None else str(season.episode_count),
        ]
        empty = RegionOffers(region="", link=None)
        cells += [_streams(row.availability.get(c, empty), result.services) for c in codes]
        table.add_row(*cells)
    return table


def _streams(offers: RegionOffers, services: MyServices) -> Text:
    """Where a season streams in one region: subscriptions, then free (with ads or not)."""
    names = [_provider_name(p, services, offers.link) for p in offers.flatrate]
    for category, note in ((Category.FREE, "free"), (Category.ADS, "with ads")):
        for provider in offers.providers(category):
            name = _provider_name(provider, services, offers.link)
            name.append(f" ({note})", "dim")
            names.append(name)
    if names:
        return Text(", ").join(names)
    if offers.rent or offers.buy:
        return Text("rent or buy only", "dim")
    return Text("—", "dim")


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
    # The heading alone is bold: a style given to Text() would cover the lines appended.
    lines = Text().append("Trailers", "bold")
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
    lines = Text().append("Several titles could be meant:", "bold")
    for number, match in enumerate(matches, start=1):
        lines.append(f"\n  {number:>2}. ")
        lines.append_text(safe(match.title))
        lines.append(f" ({match.year or 'year unknown'})  {kind(match.media_type)}")
        if match.original_title and match.original_title != match.title:
            lines.append_text(safe(f"  · {match.original_title}", "dim"))
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
        table.add_row(str(provider.provider_id), _provider_name(provider, services))
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
            kind(title.media_type),
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


def _region_line(selection: RegionSelection, with_offers: int) -> Text:
    if selection.all_regions:
        shown = f"all regions ({with_offers} with offers)"
    else:
        shown = ", ".join(selection.codes)
    return Text.assemble(("Region: ", "bold"), shown, (f"  (from {selection.source})", "dim"))


def _freshness(result: LookupResult, now: datetime) -> Text:
    return _freshness_line(result.fetched_at, result.from_cache, result.stale, now)


def _freshness_line(fetched_at: datetime, from_cache: bool, stale: bool, now: datetime) -> Text:
    when = fetched_at.strftime("%Y-%m-%d %H:%M UTC")
    text = f"Data fetched {describe_age(fetched_at, now)} ({when})"
    if from_cache:
        text += ", from the cache"
    if stale:
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


def import_report_view(report: ImportReport) -> list[RenderableType]:
    """`watchlist import`: the counts, then each row that needs attention."""
    from wheretowatch.lists.importing import Outcome  # only this command needs it

    counts = report.counts()
    verb = "Would add" if report.dry_run else "Added"
    summary = (
        f"{verb} {counts[Outcome.ADDED]}, already watched {counts[Outcome.ALREADY]}, "
        f"ambiguous {counts[Outcome.AMBIGUOUS]}, unmatched {counts[Outcome.UNMATCHED]}, "
        f"skipped {counts[Outcome.SKIPPED]}, failed {counts[Outcome.FAILED]} "
        f"({len(report.results)} rows, {report.file.format.value})."
    )
    parts: list[RenderableType] = [Text(summary)]
    if report.dry_run:
        parts.append(Text("Dry run: the watchlist was not changed.", style="dim"))
    for result in report.results:
        if result.needs_attention:
            parts.append(_import_row_line(result))
    return parts


def _import_row_line(result: RowResult) -> Text:
    from wheretowatch.lists.importing import Outcome

    outcome = result.outcome.value
    if result.outcome is Outcome.ADDED:
        outcome = "added, but"
    line = Text()
    line.append(f"row {result.row}: ", "bold")
    line.append(f"{outcome} ", style="" if result.outcome is Outcome.SKIPPED else "yellow")
    line.append_text(safe(describe_source(result.source)))
    if result.reason:
        line.append_text(safe(f": {result.reason}"))
    for candidate in result.candidates:
        kind = "series" if candidate.media_type is MediaType.TV else "film"
        year = f" ({candidate.year})" if candidate.year else ""
        line.append("\n    ")
        line.append_text(safe(f"{candidate.title}{year}, {kind}, TMDB id {candidate.tmdb_id}"))
    return line


def describe_source(source: ImportRow | RowProblem) -> str:
    from wheretowatch.lists.formats import ImportRow

    """What a row of an export said, in a few words: its title and year, else its ids."""
    if not isinstance(source, ImportRow):
        return source.raw[:80]
    words = source.title or source.imdb_id or f"TMDB id {source.tmdb_id}"
    if source.year:
        words += f" ({source.year})"
    if source.season is not None:
        words += f", season {source.season}"
    return words


def availability_view(listing: Listing, now: datetime) -> RenderableType:
    """`watchlist list`: each title, then per region where it streams now (your services
    first and marked), rent and buy in a count, and the age of the data."""
    if not listing.titles:
        return Text('The watchlist is empty. Add a title: wheretowatch watchlist add "Title"')
    # One Text built from plain strings and spans: for thousands of titles, Text.append
    # or many renderables cost seconds. Every untrusted string goes through _literal.
    view = _Styled()
    for index, entry in enumerate(listing.titles):
        if index:
            view.add("\n")
        _availability_entry(view, entry, listing.services, now)
    return view.text()


def nothing_on_services(checked: int) -> Text:
    """`watchlist list --mine` when nothing streams on the user's services."""
    if not checked:
        return Text('The watchlist is empty. Add a title: wheretowatch watchlist add "Title"')
    noun = "title streams" if checked == 1 else "titles streams"
    return Text(f"None of the {checked} watched {noun} on your services.")


class _Styled:
    """Text under construction: plain strings, and the styles of their spans."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._spans: list[Span] = []
        self._length = 0

    def add(self, text: str, style: str = "") -> None:
        if style:
            self._spans.append(Span(self._length, self._length + len(text), style))
        self._parts.append(text)
        self._length += len(text)

    def text(self) -> Text:
        return Text("".join(self._parts), spans=self._spans)


def _availability_entry(
    view: _Styled, entry: TitleAvailability, services: MyServices, now: datetime
) -> None:
    from wheretowatch.lists.availability import PAYING, STREAMING, mine_first

    title = entry.title
    view.add(_literal(title.label), "bold")
    kind = "series" if title.media_type is MediaType.TV else "film"
    result = entry.result
    if result is None:
        why = entry.error.message if entry.error else "not fetched"
        view.add(f"  {kind}\n  unknown: {_literal(why)}", "dim")
        return
    stale = " (stale)" if result.stale else ""
    view.add(f"  {kind} · {describe_age(result.fetched_at, now)}{stale}", "dim")
    for region, offers in result.availability.items():
        view.add(f"\n  {region}  ")
        separator = ""
        for category in STREAMING:
            providers = mine_first(offers, category, services)
            if not providers:
                continue
            view.add(f"{separator}{CATEGORY_LABELS[category]}: ")
            for index, provider in enumerate(providers):
                name = _literal(provider.provider_name)
                if index:
                    view.add(", ")
                if services.includes(provider):
                    view.add(name + MINE_MARK, "bold green")
                else:
                    view.add(name)
            separator = "; "
        paying = {p.provider_id for c in PAYING for p in offers.providers(c)}
        if paying:
            noun = "service" if len(paying) == 1 else "services"
            view.add(f"{separator}rent or buy on {len(paying)} {noun}", "dim")
        elif not separator:
            view.add("nowhere", "dim")


def _literal(text: str) -> str:
    """`safe`'s escaping, as a plain string to append to a Text (never markup)."""
    return _UNSAFE.sub(_escape, text)


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
    for entry in listing.titles:
        if entry.result is None:
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
        if check.skipped:
            mark = Text("skip", style="yellow")
        else:
            mark = Text("ok", style="green") if check.ok else Text("FAIL", style="bold red")
        said = safe(check.message)
        if check.hint:
            said.append("\n")
            said.append_text(safe(f"-> {check.hint}", "dim" if check.ok else ""))
        table.add_row(mark, safe(check.name), said)
    return table
