"""What a setting's raw value means: text from a flag or the environment, any TOML value.

Every layer (flag, environment, config file, locale, defaults) gives values in its own
shape; each key's coercer here turns any of them into the one type Settings holds, or
raises ValueError saying what was expected. Kept apart from the layering so that a new
setting is one coercer and one line in `COERCERS`, and `config set` checks a value with
the very rules `load_settings` applies.
"""

import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from wheretowatch.tmdb import MAX_AGE

if TYPE_CHECKING:
    from wheretowatch.notify.targets import NotifyTarget

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_duration(text: str) -> float:
    """Seconds in "90", "30m", "6h", "7d" or "2w"."""
    value = text.strip().lower()
    scale = _UNITS.get(value[-1:])
    number = value[:-1] if scale else value
    try:
        seconds = float(number) * (scale or 1)
    except ValueError:
        raise ValueError("expected a duration such as 30m, 6h or 7d") from None
    if not 0 <= seconds < float("inf"):
        raise ValueError("expected a duration such as 30m, 6h or 7d")
    return seconds


def format_duration(seconds: float) -> str:
    for unit, size in (("w", 7 * 86400), ("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:g}{unit}"
    return f"{seconds:g}s"


# How much of a bad value an error echoes: enough to recognise it, never a screenful.
ECHOED = 60


def echoed(value: object) -> str:
    """A bad value as an error quotes it (its repr), cut to ECHOED characters: a
    language or region of 10,000 characters is recognised by its start."""
    text = repr(value)
    return text if len(text) <= ECHOED else f"{text[: ECHOED - 1]}…"


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("expected a non-empty string")
    return value.strip()


def _region(value: object) -> str | tuple[str, ...]:
    if isinstance(value, list):
        return tuple(_text(item) for item in value)
    return _text(value)


def _language(value: object) -> str:
    text = _text(value)
    lang, _, territory = text.replace("_", "-").partition("-")
    if not (lang.isascii() and lang.isalpha() and 2 <= len(lang) <= 3):
        raise ValueError("expected an ISO 639-1 code such as en, ja or en-GB")
    if territory and not (territory.isascii() and territory.isalpha() and len(territory) == 2):
        raise ValueError("expected an ISO 639-1 code such as en, ja or en-GB")
    return f"{lang.lower()}-{territory.upper()}" if territory else lang.lower()


def _services(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        # "Netflix (8, 1796), BBC iPlayer": the commas inside a service's ids stay with it.
        parts = re.split(r",(?![^()]*\))", value)
        return tuple(part.strip() for part in parts if part.strip())
    if isinstance(value, list | tuple):
        items = []
        for item in value:
            if isinstance(item, bool) or not isinstance(item, str | int):
                raise ValueError("expected provider names or ids")
            items.append(str(item).strip())
        return tuple(item for item in items if item)
    raise ValueError("expected a list of provider names or ids")


def _seconds(value: object) -> float:
    try:
        seconds = float(value) if isinstance(value, str | int | float) else float("nan")
    except ValueError:
        raise ValueError("expected a number of seconds") from None
    if isinstance(value, bool) or not 0 < seconds <= 300:
        raise ValueError("expected a number of seconds between 0 and 300")
    return seconds


def _ttl(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError("expected a duration such as 30m, 6h or 7d")
    seconds = parse_duration(str(value))
    if seconds > MAX_AGE:
        raise ValueError("TMDB's terms allow caching for six months (182d) at most")
    return seconds


def _megabytes(value: object) -> float:
    try:
        size = float(value) if isinstance(value, str | int | float) else float("nan")
    except ValueError:
        raise ValueError("expected a number of megabytes") from None
    if isinstance(value, bool) or not 1 <= size <= 100_000:
        raise ValueError("expected a number of megabytes between 1 and 100000")
    return size


def _rate(value: object) -> float:
    return _number(value, 0.1, 1000, "requests a second")


def _workers(value: object) -> int:
    return int(_number(value, 1, 64, "parallel lookups", whole=True))


def _number(value: object, low: float, high: float, what: str, whole: bool = False) -> float:
    message = f"expected a {'whole ' if whole else ''}number of {what} from {low:g} to {high:g}"
    try:
        number = float(value) if isinstance(value, str | int | float) else float("nan")
    except ValueError:
        raise ValueError(message) from None
    if isinstance(value, bool) or not low <= number <= high or (whole and number % 1):
        raise ValueError(message)
    return number


def _url(value: object) -> str:
    # TMDB's docs give the base URL with its version (…/3); the client adds /3 itself.
    text = _text(value).rstrip("/").removesuffix("/3").rstrip("/")
    if any(mark in text for mark in "@?#"):
        # A password or key in it would show in messages and cache keys, and httpx would
        # send user info as a Basic header in place of the token: refused, never quoted.
        raise Secretive("expected a URL without a user name, password, query or fragment")
    if not text.startswith(("https://", "http://")):
        raise ValueError("expected an http:// or https:// URL")
    if not text.isascii() or any(not char.isprintable() or char.isspace() for char in text):
        raise ValueError("it contains spaces, control or non-ASCII characters")
    from urllib.parse import urlsplit  # only here: a lookup parses no URL otherwise

    try:
        parts = urlsplit(text)
        _ = parts.port  # a port that is not a number raises ValueError here
    except ValueError:
        raise ValueError("expected a URL such as https://api.themoviedb.org") from None
    if not parts.hostname:
        raise ValueError("expected a URL with a host name, such as https://api.themoviedb.org")
    return text


class Secretive(ValueError):
    """A bad value that may hold a secret: its message must not quote it."""


def notify_targets(urls: tuple[str, ...]) -> "tuple[NotifyTarget, ...]":
    """The notify setting's URLs as targets, loading the notify code only if there are any."""
    if not urls:
        return ()  # most users: the module and its hashing stay unloaded
    from wheretowatch.notify.targets import parse_targets

    return parse_targets(urls)


def _notify(value: object) -> tuple[str, ...]:
    from wheretowatch.notify.targets import parse_target

    # In the environment, URLs are separated by spaces: a comma is part of many Apprise URLs.
    items = value.split() if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise ValueError("expected a list of Apprise URLs")
    urls = []
    for number, item in enumerate(items, 1):
        if not isinstance(item, str):
            raise ValueError(f"URL {number} is not text")
        try:
            urls.append(parse_target(item).url)
        except ValueError as exc:
            raise ValueError(f"URL {number}: {exc}") from None
    return tuple(urls)


def optional_text(values: Mapping[str, object], key: str) -> str | None:
    """The text value of `key`, if one was set."""
    value = values.get(key)
    return value if isinstance(value, str) else None


def strings(value: object) -> list[str]:
    """A list value's items as text; anything else, no items."""
    return [str(item) for item in value] if isinstance(value, tuple | list) else []


# TMDB's longest provider names are about 50 characters; a price's name is stored.
MAX_SERVICE_NAME = 200


def _prices(value: object) -> dict[str, float]:
    """[prices]: each service's monthly price, for `plan` (TMDB knows no prices)."""
    example = "such as Netflix = 10.99"
    if not isinstance(value, dict):
        raise ValueError(f"expected a table of service = monthly price, {example}")
    prices: dict[str, float] = {}
    for name, price in value.items():
        shown = str(name).strip()
        if not shown:
            raise ValueError("a price has no service name")
        if len(shown) > MAX_SERVICE_NAME:
            raise ValueError(f"the service name {echoed(shown)} is no service's name")
        if isinstance(price, bool) or not isinstance(price, int | float):
            raise ValueError(f"the price of {echoed(shown)} is not a number ({example})")
        if not 0 < price < float("inf"):
            raise ValueError(f"the price of {echoed(shown)} is {price!r}: expected more than 0")
        prices[shown] = float(price)
    return prices


def prices_from_words(words: Sequence[str]) -> dict[str, float]:
    """`config set prices Netflix=10.99 "Disney Plus=7.99"` as the table it means."""
    prices: dict[str, float] = {}
    for word in words:
        name, equals, amount = word.rpartition("=")
        if not equals or not name.strip():
            raise ValueError(f"{echoed(word)} is not SERVICE=PRICE, such as Netflix=10.99")
        try:
            prices[name.strip()] = float(amount)
        except ValueError:
            raise ValueError(f"the price in {word!r} is not a number") from None
    return prices


# Each key's coercer, in the order `config` shows the keys.
COERCERS: dict[str, Callable[[object], object]] = {
    "api_token": _text,
    "api_key": _text,
    "tmdb_url": _url,
    "region": _region,
    "language": _language,
    "services": _services,
    "timeout": _seconds,
    "connect_timeout": _seconds,
    "cache_size_mb": _megabytes,
    "rate_limit": _rate,
    "concurrency": _workers,
    "ttl_search": _ttl,
    "ttl_title": _ttl,
    "ttl_lists": _ttl,
    "notify": _notify,
    "prices": _prices,
}
