"""What every view shares: untrusted text shown literally, ages and sizes in words.

Every string that came from TMDB or the user goes through `safe()`: it becomes a Rich
`Text` (never markup), and control and bidi-override characters are shown as escapes, so
a hostile title can neither style the output nor drive the terminal.
"""

from __future__ import annotations

import re
from datetime import datetime

from rich.text import Text

from wheretowatch.attribution import JUSTWATCH_NOTICE, TMDB_NOTICE
from wheretowatch.models import (
    UNSAFE_CHARACTERS,
    MediaType,
)

BLANK = Text()


# A link target goes inside an OSC 8 escape sequence: any control character or space in it
# could end the sequence and inject others, so only plain printable-ASCII web URLs link.
_LINKABLE = re.compile(r"https?://[\x21-\x7e]+")


def safe(text: str, style: str = "", link: str | None = None) -> Text:
    """Untrusted text, shown literally; a terminal link to `link` if that URL is safe."""
    shown = Text(visible(text), style=style)
    if link is not None and _LINKABLE.fullmatch(link):
        shown.stylize(f"link {link}")
    return shown


def visible(text: str) -> str:
    """Untrusted text with its control characters written out (\\x1b), never obeyed by a
    terminal; tabs and line breaks become spaces."""
    return UNSAFE_CHARACTERS.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in "\t\n\r":
        return " "
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def kind(media_type: MediaType) -> str:
    """What people call a media type: film or series (JSON keeps TMDB's movie / tv)."""
    return "series" if media_type is MediaType.TV else "film"


def describe_size(size: int) -> str:
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("kB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"


def describe_age(fetched_at: datetime, now: datetime) -> str:
    seconds = max(0, int((now - fetched_at).total_seconds()))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return "just now"


def attribution_view() -> Text:
    return Text(f"{TMDB_NOTICE}\n{JUSTWATCH_NOTICE}", style="dim")


def freshness_line(fetched_at: datetime, from_cache: bool, stale: bool, now: datetime) -> Text:
    when = fetched_at.strftime("%Y-%m-%d %H:%M UTC")
    text = f"Data fetched {describe_age(fetched_at, now)} ({when})"
    if from_cache:
        text += ", from the cache"
    if stale:
        text += "; TMDB could not be reached, so it may be out of date"
    return Text(text + ".", style="dim")
