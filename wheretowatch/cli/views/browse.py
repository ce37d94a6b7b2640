"""`wheretowatch browse`: what streams on your services, as a table and as JSON."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from wheretowatch.cli.views.document import ATTRIBUTION, SCHEMA_VERSION, JSONValue
from wheretowatch.cli.views.layout import Flow, Flows, names, words
from wheretowatch.cli.views.text import BLANK, attribution_view, freshness_line, kind, safe
from wheretowatch.discover.browsing import BrowsedTitle, BrowseResult, service_name
from wheretowatch.discover.people import describe
from wheretowatch.models import Category, MediaType, Person

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType

_NOUNS = {MediaType.MOVIE: "films", MediaType.TV: "series"}
_ORDERS = {
    "popular": "most popular first",
    "rating": "best rated first",
    "newest": "newest first",
    "title": "by title",
}


def browse_view(result: BrowseResult, now: datetime) -> list[RenderableType]:
    """The heading (what was asked), the titles, and what the run did besides."""
    parts: list[RenderableType] = [heading(result), BLANK, BrowseTable(result.titles)]
    notes = _notes(result)
    if notes:
        parts += [BLANK, *notes]
    parts += [BLANK, freshness_line(result.fetched_at, result.from_cache, result.stale, now)]
    parts.append(attribution_view())
    return parts


def heading(result: BrowseResult) -> Text:
    """ "Films and series streaming in GB on Netflix, Prime Video: rated 7+ (100+ votes),
    most popular first"."""
    query = result.query
    kinds = " and ".join(_NOUNS[kind] for kind in result.media_types).capitalize()
    paid = [c.value for c in query.categories if c in (Category.RENT, Category.BUY)]
    ways = f"streaming or to {' or '.join(paid)}" if paid else "streaming"
    where = "on any service" if query.any_service else "on " + _services(result)
    line = Text()
    line.append_text(safe(f"{kinds} {ways} in {query.region} {where}", "bold"))
    filters = describe_filters(result)
    line.append_text(safe(f": {', '.join(filters)}" if filters else ""))
    return line


def describe_filters(result: BrowseResult) -> list[str]:
    query = result.query
    said = []
    genres = {g.name for genres in result.genres.values() for g in genres}
    if genres:
        said.append(" + ".join(sorted(genres)))
    if query.min_rating is not None:
        said.append(f"rated {query.min_rating:g}+")
    if query.vote_floor:
        said.append(f"{query.vote_floor}+ votes")
    if query.since is not None or query.until is not None:
        said.append(f"{query.since or '…'}–{query.until or '…'}")
    if query.max_runtime is not None:
        said.append(f"up to {query.max_runtime} min")
    if query.languages:
        said.append(f"in {', '.join(query.languages)}")
    if result.person is not None:
        said.append(f"with {result.person.name}")
    if query.exclude_watchlist:
        said.append("not on the watchlist")
    said.append(f"{query.limit} drawn at random" if query.random else _ORDERS[query.sort.value])
    return said


def _services(result: BrowseResult) -> str:
    return ", ".join(service_name(service) for service in result.services)


class BrowseTable:
    """The titles, a row each, laid out for the width it is printed in: the title column
    takes what the others leave, and never less than its longest word (the services
    column gives way first), so that no title is cut inside a word."""

    def __init__(self, titles: Sequence[BrowsedTitle]) -> None:
        self.titles = tuple(titles)

    def __rich_console__(
        self, console: Console, options: ConsoleOptions
    ) -> Iterator[RenderableType]:
        yield browse_table(self.titles, options.max_width)


# The columns beside the title and the services, which never wrap: header, value.
_FIXED: list[tuple[str, Callable[[BrowsedTitle], str]]] = [
    ("Year", lambda t: str(t.year or "—")),
    ("Type", lambda t: kind(t.media_type)),
    ("Rating", lambda t: _rating(t)),
    ("Min", lambda t: str(t.runtime) if t.runtime else "—"),
    ("TMDB id", lambda t: str(t.tmdb_id)),
]
_LONGEST_WORD = 40  # a "word" longer than this (a URL?) may be cut
_NARROWEST = 24  # the title and the services columns together, at the least


def _browse_lines(titles: Sequence[BrowsedTitle]) -> Flows:
    lines: list[Flow | Text] = []
    for title in titles:
        facts = [str(title.year or "—"), kind(title.media_type), _rating(title)]
        if title.runtime:
            facts.append(f"{title.runtime} min")
        facts.append(f"TMDB id {title.tmdb_id}")
        pieces = [*words(safe(title.title, "bold")), Text("  "), *names_of(facts)]
        services = [safe(name) for name in title.services] or [Text("—")]
        pieces += [Text(" · on "), *names(services)]
        lines.append(Flow(pieces, indent=2))
    return Flows(lines)


def names_of(facts: Sequence[str]) -> list[Text]:
    return names([Text(fact, "dim") for fact in facts], separator=" · ")


def browse_table(titles: Sequence[BrowsedTitle], width: int | None = None) -> RenderableType:
    """The table itself; `width` (the line's) decides how wide the title column is. On a
    terminal too narrow for the table's columns, a title a line, wrapped under itself:
    a year or an id is never cut to "20…"."""
    fixed = [(h, f) for h, f in _FIXED if h != "Min" or any(t.runtime for t in titles)]
    cells = [[f(t) for t in titles] for _, f in fixed]
    fixed_width = sum(
        max(len(h), *(len(c) for c in col)) for (h, _), col in zip(fixed, cells, strict=True)
    )
    if width is not None and width < fixed_width + 3 * (len(fixed) + 2) + 1 + _NARROWEST:
        return _browse_lines(titles)
    names = [", ".join(t.services) or "—" for t in titles]
    title_width, services_width = _widths(
        [t.title for t in titles], names, width, fixed_width, len(fixed) + 2
    )
    table = Table()
    table.add_column("Title", width=title_width)
    table.add_column(fixed[0][0], no_wrap=True)
    table.add_column(fixed[1][0], no_wrap=True)
    for header, _ in fixed[2:-1]:
        table.add_column(header, justify="right", no_wrap=True)
    table.add_column("Services", width=services_width)
    table.add_column(fixed[-1][0], justify="right", no_wrap=True)
    for row, title in enumerate(titles):
        values = [col[row] for col in cells]
        table.add_row(safe(title.title), *values[:-1], safe(names[row]), values[-1])
    return table


def _widths(
    titles: Sequence[str], services: Sequence[str], width: int | None, fixed: int, columns: int
) -> tuple[int | None, int | None]:
    """The widths of the title and services columns within `width` (None: as wide as
    they like). Borders and padding take 3 a column and 1."""
    if width is None:
        return None, None
    room = width - fixed - 3 * columns - 1
    natural_title = max([5, *(len(t) for t in titles)])
    natural_services = max([8, *(len(s) for s in services)])
    if natural_title + natural_services <= room:
        return None, None
    title_word = min(_LONGEST_WORD, max([5, *(len(w) for t in titles for w in t.split())]))
    services_word = max([8, *(len(w) for s in services for w in s.split())])
    # Each service on a line of its own if there is room, else as narrow as its words.
    longest_service = max([8, *(len(n) for s in services for n in s.split(", "))])
    services_width = min(natural_services, longest_service, max(services_word, room // 3))
    title_width = max(title_word, min(natural_title, room - services_width))
    services_width = max(services_word, room - title_width)
    return title_width, min(services_width, natural_services)


def _rating(title: BrowsedTitle) -> str:
    if not title.vote_count:
        return "—"
    return f"{title.vote_average:.1f} ({_count(title.vote_count)})"


def _count(votes: int) -> str:
    """Votes, short: 87, 1.2k, 27k."""
    if votes < 1000:
        return str(votes)
    if votes < 10_000:
        return f"{votes / 1000:.1f}k"
    return f"{votes // 1000}k"


def _notes(result: BrowseResult) -> list[Text]:
    notes = []
    if result.excluded:
        noun = "title" if result.excluded == 1 else "titles"
        notes.append(Text(f"Left out {result.excluded} {noun} on your watchlist.", style="dim"))
    if result.seed is not None:
        notes.append(
            Text(f"Drawn with --seed {result.seed}: the same seed draws the same again.", "dim")
        )
    if result.added is not None:
        noun = "title" if result.added == 1 else "titles"
        notes.append(Text(f"Added {result.added} new {noun} to the watchlist."))
    return notes


def nothing_found(result: BrowseResult) -> str:
    """The sentence for an empty answer (exit 3)."""
    kinds = " or ".join(_NOUNS[kind] for kind in result.media_types) or "titles"
    where = "any service" if result.query.any_service else _services(result)
    found = f"No {kinds} found streaming in {result.query.region} on {where}"
    filters = describe_filters(result)[:-1]
    said = f"{found} ({', '.join(filters)})." if filters else f"{found}."
    wider = "loosen a filter" if filters else "try another region"
    if not result.query.any_service:
        wider += ", or try --any-service"
    return f"{said} To find more, {wider}."


def people_view(people: Sequence[Person]) -> Text:
    """Numbered people to choose from: name, department, what they are known for, id."""
    lines = Text().append("Several people could be meant:", "bold")
    for number, person in enumerate(people, start=1):
        lines.append(f"\n  {number:>2}. ")
        lines.append_text(safe(describe(person)))
    return lines


def browse_document(result: BrowseResult) -> dict[str, JSONValue]:
    """The query as understood (region, provider ids, TMDB's parameters) and the titles."""
    query = result.query
    return {
        "schema": SCHEMA_VERSION,
        "query": {
            "region": query.region,
            "types": [kind.value for kind in result.media_types],
            "monetization_types": [c.value for c in query.categories],
            "any_service": query.any_service,
            "services": [
                {"name": service_name(s), "given": s.name, "provider_ids": _ids(s.provider_ids)}
                for s in result.services
            ],
            "filters": {
                "genres": {
                    kind.value: [{"id": g.genre_id, "name": g.name} for g in genres]
                    for kind, genres in result.genres.items()
                },
                "min_rating": query.min_rating,
                "min_votes": query.vote_floor,
                "since": query.since,
                "until": query.until,
                "max_runtime": query.max_runtime,
                "original_languages": list(query.languages),
                "person": _person(result.person),
            },
            "sort": query.sort.value,
            "limit": query.limit,
            "exclude_watchlist": query.exclude_watchlist,
            "random": query.random,
            "seed": result.seed,
            "tmdb": [
                {
                    "path": f"/3/discover/{request.media_type.value}",
                    "service": request.service,
                    "params": dict(request.params),
                }
                for request in result.requests
            ],
        },
        "results": [_title(title) for title in result.titles],
        "excluded": result.excluded,
        "added": result.added,
        "requests": {
            "answers": result.cost.read,
            "sent": result.cost.sent,
            "from_cache": result.cost.cached,
            "by_kind": {
                what: {"answers": count.read, "sent": count.sent}
                for what, count in result.counts.items()
            },
        },
        "fetched_at": result.fetched_at.isoformat(),
        "from_cache": result.from_cache,
        "stale": result.stale,
        "attribution": dict(ATTRIBUTION),
    }


def _person(person: Person | None) -> JSONValue:
    if person is None:
        return None
    return {"id": person.person_id, "name": person.name}


def _title(title: BrowsedTitle) -> dict[str, JSONValue]:
    return {
        "tmdb_id": title.tmdb_id,
        "media_type": title.media_type.value,
        "title": title.title,
        "original_title": title.original_title,
        "year": title.year,
        "release_date": title.release_date,
        "original_language": title.original_language,
        "rating": title.vote_average,
        "votes": title.vote_count,
        "popularity": title.popularity,
        "runtime": title.runtime,
        "genre_ids": list(title.genre_ids),
        "services": list(title.services),
    }


def _ids(ids: frozenset[int]) -> list[JSONValue]:
    return [*sorted(ids)]
