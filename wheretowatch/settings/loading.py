"""Effective settings, and where each one came from.

Precedence, highest first: command-line flag > environment variable > the user's config
file > the system locale (region and language only) > the packaged defaults in
`wheretowatch.settings.defaults`. `load_settings` is pure apart from reading the two files: the
environment is passed in, so tests need no monkeypatching, and nothing runs at import.
What each value may be is `values`; where the files are, `paths`.
"""

import os
import stat
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple, cast

from wheretowatch.errors import ConfigError, UsageError, WheretowatchError
from wheretowatch.files import read_regular_file
from wheretowatch.models import RegionSelection
from wheretowatch.settings.defaults import DEFAULTS
from wheretowatch.settings.paths import cache_dir, config_file, data_dir, directory_source
from wheretowatch.settings.regions import select_regions
from wheretowatch.settings.values import (
    COERCERS,
    Secretive,
    echoed,
    format_duration,
    notify_targets,
    optional_text,
    strings,
)
from wheretowatch.tmdb import DEFAULT_TTL, Kind, check_credential

if TYPE_CHECKING:
    from wheretowatch.notify.targets import NotifyTarget

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
    # [prices]: the user's monthly price of each service, by the name they gave it.
    prices: Mapping[str, float] = MappingProxyType({})

    @property
    def cache_size_bytes(self) -> int:
        return int(self.cache_size_mb * 1024 * 1024)

    def require_region(self) -> RegionSelection:
        """The region selection, or the error that says how to set one."""
        if self.region is None:
            if not (self.api_token or self.api_key):
                # A first run: both are missing, and the credential is what setup asks first.
                raise ConfigError(
                    "No TMDB credential and no region are set (none could be read from the "
                    "system locale).",
                    hint="Run `wheretowatch setup` (a minute: credential, region, services), or "
                    "`wheretowatch config set api_token` and `wheretowatch config set region GB`.",
                )
            raise ConfigError(
                "No region set, and none could be read from the system locale.",
                hint="Run `wheretowatch setup`, or `wheretowatch config set region GB` (or pass "
                "--region GB, or GB,US, or all; or set WHERETOWATCH_REGION).",
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
            "prices": ", ".join(f"{name} {price:g}" for name, price in self.prices.items()) or None,
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
        "cache_dir": directory_source(env, "WHERETOWATCH_CACHE_DIR", "XDG_CACHE_HOME"),
        "data_dir": directory_source(env, "WHERETOWATCH_DATA_DIR", "XDG_DATA_HOME"),
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
                    if key not in values:
                        # The value a run would use is this one, and it is unreadable: a
                        # lower layer's good value must not pass for it (doctor's "ok").
                        skipped.add(key)
                    continue
                if mapping is not user:
                    raise
                # Found only now, so that a good file is read once, not twice.
                parse_value(key, raw, f"{source}{line_of(path, key)}", error=error)
                raise
            # A default still fills in, so the rest can be checked with something.
            if key not in values and (key not in skipped or layer == "default"):
                values[key] = value
                sources[key] = source
    return Settings(
        api_token=optional_text(values, "api_token"),
        api_key=optional_text(values, "api_key"),
        tmdb_url=str(values["tmdb_url"]),
        region=cast(RegionSelection | None, values.get("region")),
        language=str(values["language"]),
        services=tuple(strings(values.get("services", ()))),
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
        notify=notify_targets(cast("tuple[str, ...]", values.get("notify", ()))),
        unreadable=frozenset(skipped),
        prices=MappingProxyType(cast("dict[str, float]", values.get("prices", {}))),
    )


def parse_value(
    key: str, raw: object, source: str, *, error: type[WheretowatchError] = ConfigError
) -> object:
    """One setting's raw value (a string from a flag or the environment, any TOML value)
    as its type, or `error` naming the key and the source; a secret is never shown."""
    if key in SECRET_KEYS:
        return check_credential(raw, source)
    try:
        value = COERCERS[key](raw)
        if key == "region":
            value = select_regions(cast("str | tuple[str, ...]", value), source, error=error)
    except ValueError as exc:
        secret = key in MASKED_KEYS or isinstance(exc, Secretive)
        shown = "value" if secret else echoed(raw)
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
    return tuple(COERCERS)


def line_of(path: Path, key: str) -> str:
    """ ", line N" where `key` is set in the file, for an error message; else ""."""
    import re  # only needed to explain a mistake

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
    # `key = …`, or a table's header: `[prices]`.
    name = re.escape(key)
    pattern = re.compile(rf"\s*([\"']?{name}[\"']?\s*=|\[\s*{name}\s*\])")
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
    unknown = sorted(set(data) - set(COERCERS))
    if skip_unknown:
        data = {key: value for key, value in data.items() if key in COERCERS}
    elif unknown:
        import difflib  # only needed to explain a mistake

        close = difflib.get_close_matches(unknown[0], list(COERCERS), n=1)
        hint = f"Did you mean {close[0]!r}?" if close else f"Known keys: {', '.join(COERCERS)}."
        where = f"the config file {path}{line_of(path, unknown[0])}"
        raise ConfigError(f"Unknown key {unknown[0]!r} in {where}.", hint=hint)
    return data, permission_warnings(path, secrets=MASKED_KEYS & set(data))


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


def permission_warnings(path: Path, *, secrets: frozenset[str]) -> list[str]:
    """Whoever can write the config file (or replace it) can point tmdb_url at a server of
    theirs and collect the token; whoever can read it has the token. `secrets`: the keys
    of MASKED_KEYS the file sets. Every command warns of these; `doctor` counts them."""
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
