"""What a person or a script typed as a title, parsed once, at the edge.

    parse_title("Fight Club (1999)")       query "Fight Club", year 1999
    parse_title("dune 1984")               query "dune 1984", trailing_year ("dune", 1984)
    parse_title("tt0137523")               imdb_id "tt0137523"
    parse_title("imdb.com/title/tt0137523/reference")                     the same
    parse_title("https://www.themoviedb.org/tv/1399-game-of-thrones/season/3")
                                           tmdb_id 1399, media_type TV, season 3

Anything else is search text, searched as typed. What cannot be a title (empty text,
control characters, an address of some other page or site) raises `UsageError` with a
hint. Messages are plain text and may quote what was typed: callers escape them.

This module runs on the cached-lookup hot path: it imports nothing heavy, and so not
`wheretowatch.where.lookup` (which imports the HTTP client) either.
"""

import re
import unicodedata
from collections.abc import Sequence
from typing import NamedTuple
from urllib.parse import urlsplit

from wheretowatch.errors import UsageError
from wheretowatch.models import MAX_ID, MAX_TITLE_LENGTH, MAX_YEAR, MIN_YEAR, MediaType

# The patterns are compiled on first use (re keeps them), behind cheap tests that skip
# them for a plain title: a cached lookup would otherwise spend more compiling them than
# it spends on the whole parse.
# Any scheme, not only http(s): "ftp://…" is a mistyped address, not a title.
_SCHEME = r"(?i)[a-z][a-z0-9+.-]*://"
# Without a scheme, only the two known sites make an address: "Face/Off" is a title.
_BARE_ADDRESS = r"(?i)(?:www\.|m\.)?(?:imdb\.com|themoviedb\.org)(?::[0-9]*)?(?:[/?#]|$)"
_USER_INFO = r"(?<=://)[^/@]*@"
_IMDB_HOSTS = frozenset({"imdb.com", "m.imdb.com"})
_TMDB_HOSTS = frozenset({"themoviedb.org"})
_IMDB_ID = r"(?i)tt([0-9]+)"
_TMDB_SEGMENT = r"([0-9]+)(?:-.*)?"  # "550-fight-club": the slug is decoration
# TMDB puts the language in ?language=fr-FR; IMDb's localised pages start /fr/ or /es-es/.
_LANGUAGE_SEGMENT = r"(?i)[a-z]{2,3}(?:-[a-z]{2,4})?"
_PAREN_YEAR = r"(.*?\S)\s*\(([0-9]{4})\)"
_TRAILING_YEAR = r"(.*?\S)\s+([0-9]{4})"
# Line and paragraph separators would break the line a title is shown on, like \n would.
_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})

_TITLE_EXAMPLE = 'For example: "Fight Club", "Fight Club (1999)" or tt0137523.'
_ADDRESS_HINT = (
    "Give a film or series address from themoviedb.org (/movie/550, /tv/1399) "
    "or imdb.com (/title/tt0137523/), or type the title."
)


class TitleInput(NamedTuple):
    """One title as given. Either `query` is set, or an id (`tmdb_id` or `imdb_id`) is.

    `text` is what was given, stripped, for messages; for an address, without its user
    info, query and fragment, which can carry a key or a token.

    `trailing_year` is a fallback for "dune 1984": the caller searches the whole `query`
    first, and only if nothing matches it exactly, searches "dune" with year 1984. So
    "Blade Runner 2049" and "1917" still find themselves.
    """

    text: str
    query: str | None = None
    year: int | None = None
    tmdb_id: int | None = None
    imdb_id: str | None = None
    media_type: MediaType | None = None
    season: int | None = None
    trailing_year: tuple[str, int] | None = None


def parse_title(text: str) -> TitleInput:
    """Parse a title, an IMDb id, or a TMDB or IMDb address; raise `UsageError` if none."""
    given = text.strip()
    _check_text(given)
    if _is_address(given):
        return _parse_address(given)
    if _is_imdb_id(given):
        return TitleInput(text=given, imdb_id=_imdb_id(given))
    return _parse_words(given)


def join_words(words: Sequence[str]) -> str:
    """The positional words as one title: ["blade", "runner"] -> "blade runner"."""
    return " ".join(word.strip() for word in words if word.strip())


def split_lines(text: str) -> list[tuple[int, str]]:
    """The titles of a `--from` file: (line number from 1, stripped line), in order.

    Blank lines and lines starting with `#` are skipped. Only "\\n" (or "\\r\\n") ends a
    line: unlike `str.splitlines`, a form feed, U+2028 or a lone CR inside a line keeps
    the line numbers those of an editor, and `parse_title` then names the bad line.
    """
    lines = []
    # Some editors start UTF-8 files with a byte order mark; it is not part of a title.
    physical = text.removeprefix("\ufeff").split("\n")
    for number, raw in enumerate(physical, start=1):
        line = raw.removesuffix("\r").strip()
        if line and not line.startswith("#"):
            lines.append((number, line))
    return lines


def split_byte_lines(data: bytes) -> list[tuple[int, str | bytes]]:
    """`split_lines` for undecoded input: each line is decoded as UTF-8 on its own, so a
    line in another encoding spoils only itself. Such a line is returned as its bytes
    (stripped), for the caller to report in its place; the rest are text as usual.
    """
    lines: list[tuple[int, str | bytes]] = []
    for number, raw in enumerate(data.removeprefix(b"\xef\xbb\xbf").split(b"\n"), start=1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            line = raw.removesuffix(b"\r").strip()
            if not line.startswith(b"#"):  # a comment in another encoding is still one
                lines.append((number, line))
            continue
        # One physical line: split_lines gives it back stripped, or nothing if blank.
        lines += [(number, kept) for _, kept in split_lines(text)]
    return lines


def _check_text(text: str) -> None:
    if not text:
        raise UsageError("The title is empty.", hint=_TITLE_EXAMPLE)
    if len(text) > MAX_TITLE_LENGTH:
        raise UsageError(
            f"The title is {len(text)} characters long; at most {MAX_TITLE_LENGTH} are allowed.",
            hint="Give the title alone, without the text around it.",
        )
    if any(unicodedata.category(ch) in _FORBIDDEN_CATEGORIES for ch in text):
        raise UsageError(
            "The title contains control characters.", hint="Type the title as plain text."
        )


def _is_address(text: str) -> bool:
    if "://" in text and re.match(_SCHEME, text):
        return True
    # Both sites' names hold a dot; a title seldom does.
    return "." in text and bool(re.match(_BARE_ADDRESS, text))


def _is_imdb_id(text: str) -> bool:
    return text[:2].lower() == "tt" and bool(re.fullmatch(_IMDB_ID, text))


def _parse_words(text: str) -> TitleInput:
    year = re.fullmatch(_PAREN_YEAR, text) if text.endswith(")") else None
    if year and _plausible(int(year[2])):
        return TitleInput(text=text, query=year[1], year=int(year[2]))
    return TitleInput(text=text, query=text, trailing_year=_trailing_year(text))


def _trailing_year(text: str) -> tuple[str, int] | None:
    last = text[-4:]
    found = re.fullmatch(_TRAILING_YEAR, text) if last.isascii() and last.isdigit() else None
    if found and _plausible(int(found[2])):
        return (found[1], int(found[2]))
    return None


def _plausible(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


def _parse_address(text: str) -> TitleInput:
    address = text if re.match(_SCHEME, text) else f"https://{text}"
    try:
        parts = urlsplit(address)
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:  # "http://[::1": not an address anyone could open
        host = ""
    scheme = address.partition(":")[0].lower()
    if scheme not in ("http", "https") or not (host in _IMDB_HOSTS or host in _TMDB_HOSTS):
        # Only the host is named: the rest of an address can carry a key or a token.
        where = host if scheme in ("http", "https") and host else "That address"
        raise UsageError(
            f"{where} is neither a TMDB nor an IMDb title address.", hint=_ADDRESS_HINT
        )
    segments = [segment for segment in parts.path.split("/") if segment]
    shown = re.sub(_USER_INFO, "", text.partition("#")[0].partition("?")[0])
    if host in _IMDB_HOSTS:
        return _parse_imdb_path(shown, segments)
    return _parse_tmdb_path(shown, segments)


def _parse_imdb_path(text: str, segments: list[str]) -> TitleInput:
    segments = _without_language(segments, "title")
    if len(segments) >= 2 and segments[0].lower() == "title" and _is_imdb_id(segments[1]):
        return TitleInput(text=text, imdb_id=_imdb_id(segments[1]))
    raise UsageError("That imdb.com address is not a title page.", hint=_ADDRESS_HINT)


def _parse_tmdb_path(text: str, segments: list[str]) -> TitleInput:
    segments = _without_language(segments, "movie", "tv")
    kind = segments[0].lower() if segments else ""
    found = re.fullmatch(_TMDB_SEGMENT, segments[1]) if len(segments) >= 2 else None
    if kind not in ("movie", "tv") or found is None:
        raise UsageError(
            "That themoviedb.org address is not a film or series page.", hint=_ADDRESS_HINT
        )
    media_type = MediaType(kind)
    season = None
    if media_type is MediaType.TV and len(segments) >= 4 and segments[2].lower() == "season":
        season = _season(segments[3])
    return TitleInput(text=text, tmdb_id=_tmdb_id(found[1]), media_type=media_type, season=season)


def _without_language(segments: list[str], *kinds: str) -> list[str]:
    if (
        len(segments) >= 2
        and segments[0].lower() not in kinds
        and segments[1].lower() in kinds
        and re.fullmatch(_LANGUAGE_SEGMENT, segments[0])
    ):
        return segments[1:]
    return segments


def _imdb_id(text: str) -> str:
    digits = text[2:]
    if not 7 <= len(digits) <= 10 or not 0 < int(digits) <= MAX_ID:
        raise UsageError(
            f"{text!r} is not an IMDb id.",
            hint="IMDb ids are tt and 7 to 10 digits, like tt0137523 (from the title's "
            "imdb.com address).",
        )
    return text.lower()


def _tmdb_id(digits: str) -> int:
    if len(digits) > len(str(MAX_ID)) or not 0 < int(digits) <= MAX_ID:
        raise UsageError(
            f"{_shorten(digits)} is not a TMDB id.",
            hint=f"TMDB ids are whole numbers from 1 to {MAX_ID}, like 550.",
        )
    return int(digits)


def _season(text: str) -> int | None:
    if not text.isascii() or not text.isdigit():
        return None  # "/season/x" is a broken link to the series: the series it is
    if len(text) > len(str(MAX_ID)) or int(text) > MAX_ID:
        raise UsageError(
            f"{_shorten(text)} is not a season number.",
            hint="Use the address of the series or of one of its seasons.",
        )
    return int(text)


def _shorten(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else f"{text[:limit]}…"
