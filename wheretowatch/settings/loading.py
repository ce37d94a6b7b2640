"""Effective settings, and where each one came from.

Precedence, highest first: command-line flag > environment variable > the user's config
file > the system locale (region and language only) > the packaged defaults in
`wheretowatch.settings.defaults`. `load_settings` is pure apart from reading the two files: the
environment is passed in, so tests need no monkeypatching, and nothing runs at import.
"""

import os
import stat
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, cast

from wheretowatch.errors import ConfigError, UsageError, WheretowatchError
from wheretowatch.files import read_regular_file
from wheretowatch.models import RegionSelection
from wheretowatch.settings.defaults import DEFAULTS
from wheretowatch.settings.regions import select_regions
from wheretowatch.tmdb import DEFAULT_TTL, MAX_AGE, Kind, check_credential

if TYPE_CHECKING:
    from wheretowatch.notify.targets import NotifyTarget

APP_NAME = "wheretowatch"
CONFIG_NAME = "config.toml"

# Config-file key -> environment variable.
ENV_VARS = {
    "api_token": "TMDB_API_TOKEN",
    "api_key": "TMDB_API_KEY",
    "tmdb_url": "WHERETOWATCH_TMDB_URL",
    "region": "WHERETOWATCH_REGION",
    "language": "WHERETOWATCH_LANGUAGE",
    "services": "WHERETOWATCH_SERVICES",
    "timeout": "WHERETOWATCH_TIMEOUT",
    "connect_timeout": "WHERETOWATCH_CONNECT_TIMEOUT",
    "cache_size_mb": "WHERETOWATCH_CACHE_SIZE_MB",
    "rate_limit": "WHERETOWATCH_RATE_LIMIT",
    "concurrency": "WHERETOWATCH_CONCURRENCY",
    "ttl_search": "WHERETOWATCH_TTL_SEARCH",
    "ttl_title": "WHERETOWATCH_TTL_TITLE",
    "ttl_lists": "WHERETOWATCH_TTL_LISTS",
    "notify": "WHERETOWATCH_NOTIFY",
}
TTL_KEYS = {"ttl_search": Kind.SEARCH, "ttl_title": Kind.TITLE, "ttl_lists": Kind.LISTS}
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
SECRET_KEYS = frozenset({"api_token", "api_key"})
# A config file is a few hundred bytes; a link to /dev/zero must not be read for ever.
MAX_CONFIG_FILE = 1024 * 1024
# Never shown as given: notification URLs carry their service's secret.
MASKED_KEYS = SECRET_KEYS | {"notify"}


class Settings(NamedTuple):
    api_token: str | None
    api_key: str | None
    tmdb_url: str
    region: RegionSelection | None
    language: str
    services: tuple[str, ...]
    timeout: float
    connect_timeout: float
    config_file: Path
    cache_dir: Path
    data_dir: Path
    cache_size_mb: float
    ttl: Mapping[Kind, float]
    rate_limit: float
    concurrency: int
    sources: Mapping[str, str]
    warnings: tuple[str, ...] = ()
    notify: "tuple[NotifyTarget, ...]" = ()
    # Only with load_settings(skip_invalid=True): the keys left unset as unreadable.
    unreadable: frozenset[str] = frozenset()

    @property
    def cache_size_bytes(self) -> int:
        return int(self.cache_size_mb * 1024 * 1024)

    def require_region(self) -> RegionSelection:
        """The region selection, or the error that says how to set one."""
        if self.region is None:
            raise ConfigError(
                "No region set, and none could be read from the system locale.",
                hint="Pass --region GB (or GB,US, or all), or set WHERETOWATCH_REGION.",
            )
        return self.region

    def source(self, key: str) -> str:
        return self.sources.get(key, "default" if key in TTL_KEYS else "not set")

    def display_values(self) -> dict[str, str | None]:
        """Every setting as text, for `wheretowatch config`; secrets masked here, at the source."""
        values: dict[str, str | None] = {
            "region": self.region.describe() if self.region else None,
            "language": self.language,
            "services": ", ".join(self.services) or None,
            "timeout": f"{self.timeout:g}",
            "connect_timeout": f"{self.connect_timeout:g}",
            "tmdb_url": self.tmdb_url,
            "cache_dir": str(self.cache_dir),
            "data_dir": str(self.data_dir),
            "cache_size_mb": f"{self.cache_size_mb:g}",
            "rate_limit": f"{self.rate_limit:g}",
            "concurrency": str(self.concurrency),
            "notify": ", ".join(target.label for target in self.notify) or None,
        }
        for key, kind in TTL_KEYS.items():
            ttl = self.ttl.get(kind)
            fallback = f"TMDB's max-age, else {format_duration(DEFAULT_TTL[kind])}"
            values[key] = fallback if ttl is None else format_duration(ttl)
        for key, secret in (("api_token", self.api_token), ("api_key", self.api_key)):
            if secret is not None:
                plural = "s" if len(secret) != 1 else ""
                values[key] = f"set, hidden ({len(secret)} character{plural})"
            else:
                values[key] = None
        return values


def config_file(env: Mapping[str, str]) -> Path:
    """`$WHERETOWATCH_CONFIG_DIR/config.toml`, else the platform's config directory."""
    return _directory(env, "WHERETOWATCH_CONFIG_DIR", "XDG_CONFIG_HOME", ".config") / CONFIG_NAME


def cache_dir(env: Mapping[str, str]) -> Path:
    """`$WHERETOWATCH_CACHE_DIR`, else `$XDG_CACHE_HOME/wheretowatch`, else `~/.cache/…`
    (on Windows and macOS where no XDG variable is set, the platform's own place)."""
    return _directory(env, "WHERETOWATCH_CACHE_DIR", "XDG_CACHE_HOME", ".cache")


def data_dir(env: Mapping[str, str]) -> Path:
    """`$WHERETOWATCH_DATA_DIR`, else `$XDG_DATA_HOME/wheretowatch`, else `~/.local/share/…`."""
    return _directory(env, "WHERETOWATCH_DATA_DIR", "XDG_DATA_HOME", ".local/share")


def _directory(env: Mapping[str, str], own: str, xdg: str, under_home: str) -> Path:
    if env.get(own):
        return Path(env[own])
    if env.get(xdg):
        return Path(env[xdg]) / APP_NAME
    if sys.platform in ("win32", "darwin"):
        # Imported only here: on Linux, or wherever XDG applies, a lookup never pays for it.
        import platformdirs

        place = {
            ".config": platformdirs.user_config_dir,
            ".cache": platformdirs.user_cache_dir,
            ".local/share": platformdirs.user_data_dir,
        }[under_home]
        return Path(place(APP_NAME, appauthor=False))
    return _home(env) / under_home / APP_NAME


def _home(env: Mapping[str, str]) -> Path:
    return Path(env["HOME"]) if env.get("HOME") else Path.home()


def load_settings(
    flags: Mapping[str, object | None] | None = None,
    env: Mapping[str, str] | None = None,
    *,
    skip_invalid: bool = False,
) -> Settings:
    """Merge every layer into Settings; raise ConfigError or UsageError on a bad value.

    With `skip_invalid` (for `doctor`, which reports each problem by itself), a value that
    cannot be read is left out as if unset, and the rest of its layer still counts."""
    env = os.environ if env is None else env
    path = config_file(env)
    try:
        user, warnings = _read_user_file(path, skip_unknown=skip_invalid)
    except WheretowatchError:
        if not skip_invalid:
            raise
        user, warnings = {}, []
    layers: list[tuple[str, Mapping[str, object], type[WheretowatchError]]] = [
        ("flag", {k: v for k, v in (flags or {}).items() if v is not None}, UsageError),
        ("env", {k: env[var] for k, var in ENV_VARS.items() if env.get(var)}, ConfigError),
        (f"config file {path}", user, ConfigError),
        ("locale", _locale_settings(env), ConfigError),
        ("default", DEFAULTS, ConfigError),
    ]
    values: dict[str, object] = {}
    skipped: set[str] = set()
    sources: dict[str, str] = {
        "cache_dir": _dir_source(env, "WHERETOWATCH_CACHE_DIR", "XDG_CACHE_HOME"),
        "data_dir": _dir_source(env, "WHERETOWATCH_DATA_DIR", "XDG_DATA_HOME"),
    }
    for layer, mapping, error in layers:
        for key, raw in mapping.items():
            # Every value is checked, not only the one that wins: a bad line in the config
            # file is reported now, not the day the flag that hides it is dropped.
            source = _describe(layer, key, env)
            try:
                value = parse_value(key, raw, source, error=error)
            except WheretowatchError:
                if skip_invalid:
                    skipped.add(key)
                    continue
                if mapping is not user:
                    raise
                # Found only now, so that a good file is read once, not twice.
                parse_value(key, raw, f"{source}{line_of(path, key)}", error=error)
                raise
            if key not in values:
                values[key] = value
                sources[key] = source
    return Settings(
        api_token=_opt(values, "api_token"),
        api_key=_opt(values, "api_key"),
        tmdb_url=str(values["tmdb_url"]),
        region=cast(RegionSelection | None, values.get("region")),
        language=str(values["language"]),
        services=tuple(_strs(values.get("services", ()))),
        timeout=cast(float, values["timeout"]),
        connect_timeout=cast(float, values["connect_timeout"]),
        config_file=path,
        cache_dir=cache_dir(env),
        data_dir=data_dir(env),
        cache_size_mb=cast(float, values["cache_size_mb"]),
        ttl={kind: cast(float, values[key]) for key, kind in TTL_KEYS.items() if key in values},
        rate_limit=cast(float, values["rate_limit"]),
        concurrency=cast(int, values["concurrency"]),
        sources=sources,
        warnings=tuple(warnings),
        notify=_targets(cast("tuple[str, ...]", values.get("notify", ()))),
        unreadable=frozenset(skipped - values.keys()),
    )


def parse_value(
    key: str, raw: object, source: str, *, error: type[WheretowatchError] = ConfigError
) -> object:
    """One setting's raw value (a string from a flag or the environment, any TOML value)
    as its type, or `error` naming the key and the source; a secret is never shown."""
    if key in SECRET_KEYS:
        return check_credential(raw, source)
    try:
        value = _COERCE[key](raw)
        if key == "region":
            value = select_regions(cast("str | tuple[str, ...]", value), source, error=error)
    except ValueError as exc:
        secret = key in MASKED_KEYS or isinstance(exc, _Secretive)
        shown = "value" if secret else repr(raw)
        raise error(
            f"Invalid {key} {shown} (from {source}): {exc}", hint=_fix_hint(key, source)
        ) from None
    return value


def _fix_hint(key: str, source: str) -> str:
    """What to do about a bad value, where it was given."""
    if source.startswith("-"):
        return f"Correct {source} on the command line."
    if source in ENV_VARS.values():
        return f"Correct or unset {source}."
    if source.startswith("config file"):
        return f"Correct that line, or run: wheretowatch config set {key} VALUE"
    if source.startswith("locale") and key in ENV_VARS:
        return f"Set {ENV_VARS[key]}, which comes before the locale."
    return "Give a value of the form the message names."


def known_keys() -> tuple[str, ...]:
    """Every key the config file may hold, in the order `config` shows them."""
    return tuple(_COERCE)


def line_of(path: Path, key: str) -> str:
    """ ", line N" where `key` is set in the file, for an error message; else ""."""
    import re  # only needed to explain a mistake

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
    pattern = re.compile(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number, line in enumerate(text.splitlines(), 1):
        if pattern.match(line):
            return f", line {number}"
    return ""


def _read_user_file(
    path: Path, *, skip_unknown: bool = False
) -> tuple[dict[str, object], list[str]]:
    raw = read_regular_file(path, limit=MAX_CONFIG_FILE, error=ConfigError, what="the config file")
    if raw is None:
        return {}, []
    try:
        # utf-8-sig: Notepad and some editors start the file with a byte-order mark.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(
            f"Cannot read the config file {path}: it is not UTF-8 text.",
            hint="Save it as UTF-8, or move it away.",
        ) from None
    # Imported here: scripts and cron jobs configured by the environment have no file.
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise toml_error(path, str(exc)) from None
    except RecursionError:
        raise ConfigError(
            f"The config file {path} nests values too deeply to be a wheretowatch config.",
            hint="`config/config.example.toml` shows the format.",
        ) from None
    unknown = sorted(set(data) - set(_COERCE))
    if skip_unknown:
        data = {key: value for key, value in data.items() if key in _COERCE}
    elif unknown:
        import difflib  # only needed to explain a mistake

        close = difflib.get_close_matches(unknown[0], list(_COERCE), n=1)
        hint = f"Did you mean {close[0]!r}?" if close else f"Known keys: {', '.join(_COERCE)}."
        where = f"the config file {path}{line_of(path, unknown[0])}"
        raise ConfigError(f"Unknown key {unknown[0]!r} in {where}.", hint=hint)
    return data, _permission_warnings(path, secrets=MASKED_KEYS & set(data))


def toml_error(path: Path, reason: str) -> ConfigError:
    """tomllib's "Invalid value (at line 3, column 9)" in plain words, naming the place; at
    the end of the document, the file was cut off (a list or a string left open)."""
    what, _, where = reason.partition(" (at ")
    where = where.removesuffix(")")
    if where == "end of document":
        return ConfigError(
            f"The config file {path} is not valid TOML: {what.lower()} at the end of the file.",
            hint="Finish the last setting (a list or string left open?); "
            "`config/config.example.toml` shows the format.",
        )
    place = f", {where}" if where else ""
    return ConfigError(
        f"The config file {path} is not valid TOML{place}: {what.lower()}.",
        hint="Fix that line; `config/config.example.toml` shows the format.",
    )


def _permission_warnings(path: Path, *, secrets: frozenset[str]) -> list[str]:
    """Whoever can write the config file (or replace it) can point tmdb_url at a server of
    theirs and collect the token; whoever can read it has the token."""
    warnings = []
    for place in (path, path.parent):
        if _mode_has(place, stat.S_IWGRP | stat.S_IWOTH):
            what = "config file" if place == path else "directory of the config file"
            warnings.append(
                f"The {what} {place} can be changed by other users, who could then collect "
                f"your TMDB credential. Run: chmod go-w {place}"
            )
    if secrets and _mode_has(path, stat.S_IRGRP | stat.S_IROTH):
        what = "a TMDB credential" if secrets & SECRET_KEYS else "notification URLs"
        warnings.append(
            f"The config file {path} holds {what} and other users can read it. "
            f"Run: chmod 600 {path}"
        )
    return warnings


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


def _dir_source(env: Mapping[str, str], *names: str) -> str:
    for name in names:
        if env.get(name):
            return name
    return "default"


def _mode_has(path: Path, bits: int) -> bool:
    if os.name != "posix":
        return False  # modes mean nothing there; ACLs guard the user's profile
    try:
        info = path.stat()
    except OSError:
        return False
    # A shared directory with the sticky bit (/tmp) lets no one replace another's file.
    if stat.S_ISDIR(info.st_mode) and info.st_mode & stat.S_ISVTX:
        return False
    return bool(info.st_mode & bits)


def _locale_settings(env: Mapping[str, str]) -> dict[str, object]:
    """Region and language from the locale in effect (`en_GB.UTF-8` -> GB, en-GB)."""
    _, value = _locale(env)
    if not value:
        return {}
    language, _, territory = value.partition(".")[0].partition("@")[0].partition("_")
    if not (language.isascii() and language.isalpha() and 2 <= len(language) <= 3):
        return {}  # C, POSIX and the like name no language or territory
    if len(territory) == 2 and territory.isascii() and territory.isalpha():
        return {"region": territory.upper(), "language": f"{language.lower()}-{territory.upper()}"}
    return {"language": language.lower()}


def _locale(env: Mapping[str, str]) -> tuple[str, str]:
    # POSIX: the first of these that is set decides; a later one never fills in.
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if env.get(name):
            return name, env[name]
    return "", ""


def _describe(layer: str, key: str, env: Mapping[str, str]) -> str:
    if layer == "flag":
        return "--service" if key == "services" else f"--{key.replace('_', '-')}"
    if layer == "env":
        return ENV_VARS[key]
    if layer == "locale":
        name, value = _locale(env)
        return f"locale {name}={value}"
    return layer


# --- coercion: each turns a raw value (str from env/flags, any TOML value) into one type ---


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
        return tuple(part.strip() for part in value.split(",") if part.strip())
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
        raise _Secretive("expected a URL without a user name, password, query or fragment")
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


class _Secretive(ValueError):
    """A bad value that may hold a secret: its message must not quote it."""


def _targets(urls: tuple[str, ...]) -> "tuple[NotifyTarget, ...]":
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


def _opt(values: Mapping[str, object], key: str) -> str | None:
    value = values.get(key)
    return value if isinstance(value, str) else None


def _strs(value: object) -> list[str]:
    return [str(item) for item in value] if isinstance(value, tuple | list) else []


_COERCE: dict[str, Callable[[object], object]] = {
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
}
