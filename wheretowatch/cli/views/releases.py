"""Release dates: a film's per region in the lookup, and `upcoming`'s films going digital."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from wheretowatch.cli.views.document import (
    ATTRIBUTION,
    SCHEMA_VERSION,
    JSONValue,
    timestamp,
    title_document,
)
from wheretowatch.cli.views.text import safe
from wheretowatch.models import ReleaseDate, ReleaseType
from wheretowatch.where.releases import Outlook, RegionRelease, is_festival

if TYPE_CHECKING:
    from rich.console import RenderableType

    from wheretowatch.models import ReleaseDates
    from wheretowatch.where.arrivals import Arrival, Arrivals

_WORDS = {
    ReleaseType.PREMIERE: "premiere",
    ReleaseType.LIMITED: "limited theatrical",
    ReleaseType.THEATRICAL: "theatrical",
    ReleaseType.DIGITAL: "digital",
    ReleaseType.PHYSICAL: "physical",
    ReleaseType.TV: "TV",
}


def release_word(release: ReleaseDate) -> str:
    """ "digital", "theatrical"…; "festival showing (no release)" for a date whose note
    names a festival or a premiere, whatever its type."""
    if release.note and is_festival(release):
        return "festival showing (no release)"
    return _WORDS[release.type]


def dated(release: ReleaseDate) -> Text:
    """ "digital 2027-03-12 (Netflix)": the note, if any, shown literally."""
    text = Text(f"{release_word(release)} {release.date.isoformat()}")
    if release.note:
        text.append(" (")
        text.append_text(safe(release.note))
        text.append(")")
    return text


def releases_view(releases: Sequence[RegionRelease]) -> list[RenderableType]:
    """Each asked region's dates, a line each, then what they say about streaming there;
    a grid, so that a line folded on a narrow terminal stays beside its region."""
    if not releases:
        return []
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for release in releases:
        lines = [dated(d) for d in release.dates]
        if not lines and release.outlook is Outlook.UNKNOWN:
            lines.append(Text("not known: cached before wheretowatch asked; --refresh asks", "dim"))
        elif not lines:
            lines.append(Text("none on TMDB", "dim"))
        line = release_line(release)
        if line is not None:
            line.stylize("bold")  # the answer to "when?"
            lines.append(line)
        grid.add_row(Text(f"  {release.region}"), Text("\n").join(lines))
    return [Text("Release dates", "bold"), grid]


def release_line(release: RegionRelease) -> Text | None:
    """When a film that does not stream in a region will, or why it does not: None if it
    streams there now."""
    code = release.region
    digital = release.digital
    if release.outlook is Outlook.COMING and digital is not None:
        line = Text(f"Not streaming in {code} yet. Digital release {digital.date.isoformat()}")
        return _with_note(line, digital)
    if release.outlook is Outlook.RELEASED and digital is not None:
        line = Text(f"Released digitally in {code} on {digital.date.isoformat()}")
        line = _with_note(line, digital)
        return line.append(f"; no service in {code} streams it now.")
    if release.outlook is Outlook.UNDATED:
        line = Text(f"Not streaming in {code}. TMDB has no digital release date for {code}.")
        if release.borrowed is not None:
            other, date = release.borrowed
            line.append(f" In {other} (not {code}): digital release {date.date.isoformat()}")
            _with_note(line, date).append(".")
        return line
    return None


def _with_note(line: Text, release: ReleaseDate) -> Text:
    if release.note:
        line.append(" (")
        line.append_text(safe(release.note))
        line.append(")")
    return line


def release_document(release: ReleaseDate) -> dict[str, JSONValue]:
    return {
        "type": release.type.word,
        "date": release.date.isoformat(),
        "note": release.note or None,
        "festival": is_festival(release),
    }


def release_dates_document(release_dates: ReleaseDates | None, regions: Sequence[str]) -> JSONValue:
    """`release_dates`: each region's dates (an empty list: TMDB has none there); null
    when they are not known (an answer cached before wheretowatch asked for them)."""
    if release_dates is None:
        return None
    return {code: [release_document(d) for d in release_dates.get(code, ())] for code in regions}


def outlooks_document(releases: Sequence[RegionRelease]) -> dict[str, JSONValue]:
    """`release`: per region, what its dates say (`outlook`), the digital date it is
    about, and another region's date where this one has none (labelled with its region)."""
    document: dict[str, JSONValue] = {}
    for release in releases:
        borrowed: JSONValue = None
        if release.borrowed is not None:
            borrowed = {"region": release.borrowed[0], **release_document(release.borrowed[1])}
        document[release.region] = {
            "outlook": release.outlook.value,
            "digital": None if release.digital is None else release_document(release.digital),
            "other_region": borrowed,
        }
    return document


def upcoming_view(arrivals: Arrivals) -> list[RenderableType]:
    """`upcoming`: a line a film, by the day it goes digital in the region; a film whose
    details could not be read says so instead of its date and note."""
    heading = Text().append(f"Going digital in {arrivals.region}", "bold")
    heading.append(f"  {arrivals.since.isoformat()} to {arrivals.until.isoformat()}", "dim")
    table = Table()
    table.add_column("Date", no_wrap=True)
    table.add_column("Film")
    table.add_column("TMDB id", justify="right", no_wrap=True)
    table.add_column("Note (often the service)")
    for arrival in arrivals.films:
        film = arrival.film
        name = safe(film.title)
        if film.year:
            name.append(f" ({film.year})")
        table.add_row(_arrival_date(arrival), name, str(film.tmdb_id), _arrival_note(arrival))
    return [heading, table]


def _arrival_date(arrival: Arrival) -> Text:
    if arrival.release is not None:
        return Text(arrival.release.date.isoformat())
    if arrival.error is not None:
        return Text("not known", "yellow")
    return Text("in the window", "dim")  # discover vouches for it, the details name no day


def _arrival_note(arrival: Arrival) -> Text:
    if arrival.error is not None:
        return safe(f"its details could not be read: {arrival.error}", "yellow")
    if arrival.release is not None and arrival.release.note:
        return safe(arrival.release.note)
    return Text("—", "dim")


def upcoming_document(arrivals: Arrivals) -> dict[str, JSONValue]:
    return {
        "schema": SCHEMA_VERSION,
        "region": arrivals.region,
        "since": arrivals.since.isoformat(),
        "until": arrivals.until.isoformat(),
        "films": [
            {
                **title_document(a.film),
                "release": None if a.release is None else release_document(a.release),
                "error": a.error,
            }
            for a in arrivals.films
        ],
        "fetched_at": timestamp(arrivals.fetched_at),
        "attribution": dict(ATTRIBUTION),
    }
