"""One field of a row read into a value: a title, a year, a TMDB or IMDb id.

Every format has these fields under its own names and in its own encoding (CSV text,
JSON strings or numbers), but what makes a value usable is the same everywhere: a title
a lookup would accept, a plausible year, an id of the right shape. Each reader raises
RowError for a value it cannot use, so the row becomes a problem with its reason.
"""

import re
import unicodedata

from wheretowatch.lists.formats.document import dump
from wheretowatch.lists.formats.rows import RowError
from wheretowatch.models import (
    MAX_ID,
    MAX_TITLE_LENGTH,
    MAX_YEAR,
    MIN_YEAR,
    encodable,
    language_code,
)

_IMDB_ID = re.compile(r"tt\d{5,10}", re.ASCII | re.IGNORECASE)
_TMDB_ID = re.compile(r"[1-9]\d{0,9}", re.ASCII)
_YEAR = re.compile(r"\d{4}", re.ASCII)
_DATE_YEAR = re.compile(r"(\d{4})(?:-\d\d-\d\d)?", re.ASCII)
# A field wrapped over lines (or holding tabs) is still one title: the breaks become a space.
_BREAKS = re.compile(r"[ \t\r\n]*[\t\r\n][ \t\r\n]*")


def read_title(text: str, *, fold: bool) -> str | None:
    if fold:
        text = _BREAKS.sub(" ", text)
    text = text.strip()
    if not text:
        return None
    if len(text) > MAX_TITLE_LENGTH:
        raise RowError(f"the title is {len(text)} characters long; at most {MAX_TITLE_LENGTH}")
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in text):
        raise RowError("the title contains control characters")
    return text


def read_year(text: str) -> int | None:
    if not text:
        return None  # announced titles have no year yet
    if not _YEAR.fullmatch(text) or not MIN_YEAR <= int(text) <= MAX_YEAR:
        raise RowError(f"Year {text!r} is not a year")
    return int(text)


def read_tmdb_id(text: str, column: str = "tmdbID") -> int | None:
    if not text:
        return None
    if not _TMDB_ID.fullmatch(text) or int(text) > MAX_ID:
        raise RowError(f"{column} {text[:40]!r} is not a TMDB id")
    return int(text)


def read_language(text: str) -> str | None:
    """A language code (wheretowatch's own exports keep the original language)."""
    text = text.strip()
    if not text:
        return None
    code = language_code(text)
    if code is None:
        raise RowError(f"Language {text[:40]!r} is not a language code")
    return code


def read_imdb_id(text: str, column: str = "imdbID") -> str | None:
    if not text:
        return None
    if not _IMDB_ID.fullmatch(text):
        raise RowError(f"{column} {text!r} is not an IMDb id")
    return text.lower()


def json_text(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RowError(f"{dump(value)[:40]} is not a text")
    return encodable(value)


def json_year(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return read_year(str(value))
    return read_year(json_text(value).strip())


def date_year(value: object) -> int | None:
    text = json_text(value).strip()
    match = _DATE_YEAR.fullmatch(text)
    if text and match is None:
        raise RowError(f"date {text!r} is not a date")
    return read_year(match.group(1)) if match else None


def json_tmdb_id(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return read_tmdb_id(str(value), column="id")
    return read_tmdb_id(json_text(value).strip(), column="id")


def json_imdb_id(value: object) -> str | None:
    return read_imdb_id(json_text(value).strip(), column="imdb id")
