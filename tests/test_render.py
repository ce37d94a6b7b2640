"""Renderers without the CLI: untrusted text shown literally, ages, and the views."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

from rich.console import Console, RenderableType

from wheretowatch.cli.views.lookup import lookup_view, seasons_view
from wheretowatch.cli.views.text import describe_age, safe
from wheretowatch.models import (
    Episode,
    LookupResult,
    MediaType,
    MyServices,
    Provider,
    RegionOffers,
    RegionSelection,
    ResolvedService,
    SeasonDetails,
    SeasonOffers,
    SeasonsResult,
    SeasonSummary,
    SeriesInfo,
    TitleDetails,
)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
HOSTILE = "[bold]x[/bold] \x1b[2J\x1b]8;;https://evil.example\x07y\x1b]8;;\x07\n\u202ez :smile:"
ESCAPE_BYTES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printed(*parts: RenderableType, color: bool = False) -> str:
    out = io.StringIO()
    console = Console(
        file=out,
        width=100,
        force_terminal=color,
        color_system="truecolor" if color else None,
        highlight=False,
        markup=False,
        emoji=False,
    )
    for part in parts:
        console.print(part)
    return out.getvalue()


def result(title: str, provider: str, services: MyServices | None = None) -> LookupResult:
    offers = RegionOffers(
        "GB", "https://www.themoviedb.org/x", flatrate=(Provider(1, provider, 0),)
    )
    return LookupResult(
        query=title,
        title=TitleDetails(1, MediaType.MOVIE, title, title, 2020, "en"),
        other_matches=(),
        regions=RegionSelection(("GB",), "test"),
        availability={"GB": offers},
        trailers=(),
        language="en",
        fetched_at=NOW - timedelta(hours=3),
        services=services or MyServices(),
    )


def test_safe_shows_markup_and_escapes_literally() -> None:
    text = printed(safe(HOSTILE))
    assert "[bold]x[/bold]" in text
    assert "\\x1b[2J" in text
    assert "\\u202e" in text
    assert ":smile:" in text
    assert not ESCAPE_BYTES.search(text)


def test_hostile_title_and_provider_cannot_reach_the_terminal_even_in_colour() -> None:
    view = lookup_view(result(HOSTILE, HOSTILE), NOW)
    text = printed(*view, color=True)
    ours = re.sub(r"\x1b\[[0-9;]*m", "", text)  # Rich's own colours
    # and our own links, to the one legitimate URL in the result (the watch page)
    ours = re.sub(r"\x1b\]8;[^;]*;(https://www\.themoviedb\.org/x)?\x1b\\", "", ours)
    assert not ESCAPE_BYTES.search(ours)
    assert "evil.example\x1b" not in text
    assert "[bold]x[/bold]" in ours


def test_lookup_view_shows_age_and_highlights_own_services() -> None:
    netflix = ResolvedService("Netflix", (Provider(1, "Netflix", 0),))
    text = printed(*lookup_view(result("Film", "Netflix", MyServices((netflix,))), NOW))
    assert "Data fetched 3 hours ago (2026-11-25 09:00 UTC)." in text
    assert "Netflix ★" in text


def test_hostile_season_and_series_text_cannot_reach_the_terminal() -> None:
    series = SeriesInfo(2, HOSTILE, Episode(3, 1, HOSTILE), None, ())
    hostile = result(HOSTILE, HOSTILE)
    title = TitleDetails(1, MediaType.TV, "S", "S", 2020, "en", series=series)
    season = SeasonDetails(2, HOSTILE, HOSTILE, 8)
    view = lookup_view(hostile._replace(title=title, season=season), NOW)
    rows = (SeasonOffers(SeasonSummary(1, HOSTILE, HOSTILE, 3), hostile.availability),)
    table = SeasonsResult("S", title, hostile.regions, rows, "en", NOW)
    text = printed(*view, *seasons_view(table, NOW), color=True)
    ours = re.sub(r"\x1b\[[0-9;]*m", "", text)
    ours = re.sub(r"\x1b\]8;[^;]*;(https://www\.themoviedb\.org/x)?\x1b\\", "", ours)
    assert not ESCAPE_BYTES.search(ours)
    assert "Season 2: [bold]x[/bold]" in ours


def test_describe_age() -> None:
    assert describe_age(NOW, NOW) == "just now"
    assert describe_age(NOW - timedelta(minutes=1), NOW) == "1 minute ago"
    assert describe_age(NOW - timedelta(days=2, hours=5), NOW) == "2 days ago"
    assert describe_age(NOW + timedelta(hours=1), NOW) == "just now"  # clock skew
