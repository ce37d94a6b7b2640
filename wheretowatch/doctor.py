"""`doctor`: every check of a working setup, each problem with what to do about it.

    checks = diagnose(os.environ)
    status = exit_status(checks)     # 0 all well, 6 misconfigured, 7 TMDB unreachable,
                                     # 9 changes owed to a destination

A broken config file or environment variable does not stop the other checks: they run
with the settings that remain usable, so one run names every problem. At most one
request goes to TMDB (`GET /3/authentication`), plus the provider lists if they are not
cached, to resolve the services.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from wheretowatch.errors import (
    AuthError,
    ConfigError,
    ExitCode,
    UpstreamError,
    WheretowatchError,
    most_serious,
)
from wheretowatch.settings.client import open_cache, open_client
from wheretowatch.settings.file import problems, read_text, read_values
from wheretowatch.settings.loading import (
    ENV_VARS,
    MASKED_KEYS,
    Settings,
    load_settings,
    parse_value,
    permission_warnings,
)
from wheretowatch.settings.paths import config_file
from wheretowatch.tmdb import (
    TOKEN_URL,
    CacheMode,
    check_credential,
    looks_like_v3_key,
)
from wheretowatch.where.services import my_services

# Below this, the cache and the data files may fail to write.
MIN_FREE_BYTES = 20 * 1024 * 1024
_WATCHLIST_FIX = (
    "Any change to the watchlist (`watchlist add` or `remove`) writes it without that value."
)
_SETUP = "Run `wheretowatch setup`, or `wheretowatch config set`."


@dataclass(frozen=True, slots=True)
class Check:
    """One thing checked: `ok`, or a problem whose `status` says how serious it is."""

    name: str
    ok: bool
    message: str
    hint: str | None = None
    status: ExitCode = ExitCode.OK
    # Not made: what it needs is named by a check of its own (not a second problem).
    skipped: bool = False

    @classmethod
    def passed(cls, name: str, message: str) -> Check:
        return cls(name, True, message)

    @classmethod
    def failed(cls, name: str, error: WheretowatchError, hint: str | None = None) -> Check:
        return cls(name, False, error.message, error.hint or hint, error.exit_code)


def exit_status(checks: list[Check]) -> ExitCode:
    """0 when every check passed, else the most serious problem's status (9 > 7 > 6)."""
    return most_serious(check.status for check in checks if not check.ok)


def diagnose(env: Mapping[str, str], *, clock: Callable[[], float] = time.monotonic) -> list[Check]:
    """Run every check, in the order a user fixes things."""
    checks = [*_config_file_checks(config_file(env)), *_environment_checks(env)]
    settings = _usable_settings(env)
    if _file_unreadable(config_file(env)):
        checks.append(_unread_credential(settings))
    else:
        checks += _credential_checks(settings)
    tmdb = _tmdb_checks(settings, clock) if _url_as_set(settings, env) else []
    checks += tmdb
    online = bool(tmdb) and all(check.ok for check in tmdb)
    unread = _file_unreadable(config_file(env))
    made: tuple[tuple[str, Callable[[], Check]], ...] = (
        ("region", lambda: _region_check(settings)),
        ("services", lambda: _services_check(settings, online)),
        ("notify", lambda: _notify_check(settings)),
    )
    for name, check in made:
        # Set in a file that cannot be read, a setting is unknown: not "none set".
        from_file = unread and settings.source(name) in ("not set", "default")
        checks.append(_unread_setting(name) if from_file else check())
    checks += _directory_checks(settings, env)
    checks.append(_cache_check(settings))
    checks += _data_file_checks(settings)
    return checks


# --- the settings themselves -------------------------------------------------------


def _config_file_checks(path: Path) -> Iterator[Check]:
    found = problems(path)
    for error in found:
        yield Check.failed("config file", error, "Run `wheretowatch config edit` to fix it.")
    if not path.exists():
        yield Check.passed("config file", f"{path} does not exist (it is optional)")
        return
    # The warnings every other command prints, each a problem here: none may say "All is
    # well" of a file or directory others can change.
    for warning in permission_warnings(path, secrets=_secrets_in(path)):
        message, _, fix = warning.partition(" Run: ")
        hint = f"Run: {fix}" if fix else None
        yield Check("config file permissions", False, message, hint, ExitCode.CONFIG)
    if not found:
        yield Check.passed("config file", f"{path} is readable and valid")


def _environment_checks(env: Mapping[str, str]) -> Iterator[Check]:
    for key, variable in ENV_VARS.items():
        if not env.get(variable):
            continue
        try:
            parse_value(key, env[variable], variable)
        except WheretowatchError as error:
            yield Check.failed("environment", error, f"Fix or unset {variable}.")


def _usable_settings(env: Mapping[str, str]) -> Settings:
    """The settings, leaving out each value that cannot be read (its own check names it):
    a bad region in the config file does not hide the services set beside it."""
    return load_settings({}, env, skip_invalid=True)


def _url_as_set(settings: Settings, env: Mapping[str, str]) -> bool:
    """Whether the TMDB URL in use is the one the user set: if theirs could not be read,
    asking the default URL instead would check something they did not ask for."""
    try:
        in_file = "tmdb_url" in read_values(config_file(env))
    except ConfigError:
        in_file = False
    wanted = bool(env.get("WHERETOWATCH_TMDB_URL")) or in_file  # empty is unset, as everywhere
    return not wanted or settings.source("tmdb_url") != "default"


def _file_unreadable(path: Path) -> bool:
    """Whether the config file as a whole cannot be read (not TOML, not UTF-8, too big):
    what it holds is then unknown, not absent."""
    try:
        read_values(path)
    except ConfigError:
        return True
    return False


def _unread_credential(settings: Settings) -> Check:
    """The credential, when the config file (which may hold it) cannot be read: one set
    in the environment is still checked as a value, but "none" would be a guess."""
    if settings.api_token or settings.api_key:
        return next(iter(_credential_checks(settings)))
    return Check(
        "credential",
        False,
        "Not checked: the config file cannot be read (see above), and it may hold one.",
        "Fix the config file as said above, then run doctor again.",
        skipped=True,
    )


def _credential_checks(settings: Settings) -> Iterator[Check]:
    name = "credential"
    secret = settings.api_token or settings.api_key
    if secret is None:
        yield Check(
            name,
            False,
            f"No TMDB credential: neither TMDB_API_TOKEN nor api_token in {settings.config_file}.",
            f"Get a free Read Access Token at {TOKEN_URL}. {_SETUP}",
            ExitCode.CONFIG,
        )
        return
    key = "api_token" if settings.api_token else "api_key"
    source = settings.source(key)
    try:
        check_credential(secret, source)
    except ConfigError as error:
        yield Check.failed(name, error)
        return
    if key == "api_token" and looks_like_v3_key(secret):
        # Not called a Read Access Token: it is not one, whatever its setting says.
        yield Check(
            "credential kind",
            False,
            f"The value in {source} looks like a v3 API key (32 hexadecimal characters), "
            "not a Read Access Token.",
            "Set it as TMDB_API_KEY instead (or `wheretowatch config set api_key`).",
            ExitCode.CONFIG,
        )
        return
    kind = "Read Access Token" if key == "api_token" else "v3 API key"
    yield Check.passed(name, f"a {kind} is set (from {source})")


def _tmdb_checks(settings: Settings, clock: Callable[[], float]) -> list[Check]:
    if not (settings.api_token or settings.api_key):
        return []  # the credential check says what to do
    started = clock()
    try:
        with open_client(settings, mode=CacheMode.OFF) as tmdb:
            tmdb.check_credential()
    except AuthError as error:
        return [Check.failed("credential accepted", error)]
    except UpstreamError as error:
        return [Check.failed("TMDB reachable", error)]
    except ConfigError as error:  # a credential that cannot be sent, reported above
        return [Check("TMDB", False, f"Not checked: {error.message}", error.hint, error.exit_code)]
    elapsed = (clock() - started) * 1000
    return [
        Check.passed("TMDB reachable", f"{settings.tmdb_url} answered in {elapsed:.0f} ms"),
        Check.passed("credential accepted", "TMDB accepted the credential"),
    ]


def _unread_setting(key: str) -> Check:
    name = "notifications" if key == "notify" else key
    return Check(
        name,
        False,
        "Not checked: the config file cannot be read (see above).",
        "Fix the file as said above, then run doctor again.",
        skipped=True,
    )


def _unreadable(name: str, key: str) -> Check:
    """A setting whose value cannot be read: named, and counted, by the check of its file
    or variable; this one only says it was not made."""
    return Check(
        name,
        False,
        f"Not checked: the {key} setting cannot be read (see above).",
        "Fix it as said above, then run doctor again.",
        skipped=True,
    )


def _region_check(settings: Settings) -> Check:
    if "region" in settings.unreadable:
        return _unreadable("region", "region")
    try:
        region = settings.require_region()
    except ConfigError as error:
        return Check(
            "region",
            False,
            error.message,
            "Run `wheretowatch config set region GB` (your country's code), or `setup`.",
            ExitCode.CONFIG,
        )
    return Check.passed("region", f"{region.describe()} (from {region.source})")


def _services_check(settings: Settings, online: bool) -> Check:
    if not settings.services:
        if "services" in settings.unreadable:
            return _unreadable("services", "services")
        return Check.passed("services", "none set (every provider is shown alike)")
    try:
        # Cached provider lists serve even when TMDB cannot be asked.
        mode = CacheMode.NORMAL if online else CacheMode.OFFLINE
        with open_client(settings, mode=mode) as tmdb:
            mine = my_services(tmdb, settings, verify=True)
    except UpstreamError as error:
        why = "the provider lists are not cached" if not online else error.message
        return Check(
            "services",
            False,
            f"Not checked: {why}.",
            "Fix the problems above first.",
            error.exit_code,
        )
    except WheretowatchError as error:
        return Check.failed("services", error)
    described = "; ".join(
        f"{service.name} -> {', '.join(sorted({p.provider_name for p in service.providers}))}"
        for service in mine.services
    )
    return Check.passed("services", described)


def _notify_check(settings: Settings) -> Check:
    """The check every refresh makes before it runs: Apprise there, every URL known to it."""
    if not settings.notify:
        if "notify" in settings.unreadable:
            return _unreadable("notifications", "notify")
        return Check.passed("notifications", "none set (refresh reports changes on stdout)")
    from wheretowatch.lists.notifications import targets  # Apprise: only when notify is set

    try:
        found = targets(settings)
    except WheretowatchError as error:
        return Check.failed("notifications", error)
    return Check.passed("notifications", ", ".join(t.target.label for t in found))


# --- the places it keeps things ----------------------------------------------------


def _directory_checks(settings: Settings, env: Mapping[str, str]) -> Iterator[Check]:
    places = {
        "config directory": (settings.config_file.parent, "WHERETOWATCH_CONFIG_DIR"),
        "cache directory": (settings.cache_dir, "WHERETOWATCH_CACHE_DIR"),
        "data directory": (settings.data_dir, "WHERETOWATCH_DATA_DIR"),
    }
    for name, (directory, variable) in places.items():
        problem = _directory_problem(directory)
        if problem is None:
            yield Check.passed(name, str(directory))
        else:
            hint = f"Fix its permissions, or set {variable} to a writable directory."
            yield Check(name, False, problem, hint, ExitCode.CONFIG)


def _directory_problem(directory: Path) -> str | None:
    existing = directory
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        return f"{directory} cannot be created: {existing} is not a directory."
    if not os.access(existing, os.W_OK | os.X_OK):
        verb = "written to" if existing == directory else "created"
        return f"{directory} cannot be {verb}: {existing} is not writable."
    free = shutil.disk_usage(existing).free
    if free < MIN_FREE_BYTES:
        return f"Only {free // (1024 * 1024)} MB free on the disk that holds {directory}."
    return None


def _cache_check(settings: Settings) -> Check:
    warnings: list[str] = []
    cache = open_cache(settings, warn=warnings.append)
    try:
        info = cache.info()
    finally:
        cache.close()
    if warnings:
        return Check(
            "cache",
            False,
            warnings[0],
            "Run `wheretowatch cache clear`, or delete the directory.",
            ExitCode.CONFIG,
        )
    return Check.passed("cache", f"{info.entries} answers, {info.size_bytes // 1024} KB")


def _data_file_checks(settings: Settings) -> Iterator[Check]:
    from wheretowatch.lists.snapshots import Snapshots
    from wheretowatch.lists.watchlist import Watchlist

    warnings: list[str] = []
    try:
        count = len(Watchlist(settings.data_dir, warn=warnings.append).titles())
        yield Check.passed("watchlist", f"{count} title{'s' if count != 1 else ''}")
    except WheretowatchError as error:
        yield Check.failed("watchlist", error)
    for warning in warnings:  # what every command reading the watchlist warns of
        yield Check("watchlist", False, warning, _WATCHLIST_FIX, ExitCode.CONFIG)
    try:
        Snapshots(settings.data_dir).load()
        yield Check.passed("snapshots", "readable")
    except WheretowatchError as error:
        yield Check.failed("snapshots", error)
        return
    yield from _backlog_checks(settings)


def _backlog_checks(settings: Settings) -> Iterator[Check]:
    """Each destination owed changes that refresh found: how many, since when, and how to
    give them up when it will never take them (a target refusing, or set no more)."""
    from wheretowatch.lists import outbox
    from wheretowatch.lists.snapshots import Snapshots

    configured = {target.id: target.label for target in settings.notify}
    for backlog in outbox.read_backlogs(Snapshots(settings.data_dir)):
        changes = f"{backlog.count} change{'s' if backlog.count != 1 else ''}"
        since = outbox.describe_since(backlog.since)
        drop = f"wheretowatch notify drop {backlog.id}"
        if backlog.id == outbox.STDOUT:
            message = f"{changes} found by refresh not yet printed, {since}."
            hint = "The next `wheretowatch refresh` prints them (to a writable output)."
        elif backlog.id in configured:
            message = f"{changes} owed to {configured[backlog.id]}, {since}: it has not taken them."
            hint = (
                "Each refresh tries them again. Try it with `wheretowatch notify test`; "
                f"if it will never take them, give them up: {drop}"
            )
        elif "notify" in settings.unreadable:
            message = f"{changes} owed to the notification target {backlog.id}, {since}."
            hint = "Fix the notify setting (see above), then run doctor again."
        else:
            message = (
                f"{changes} owed to a target no longer in the notify setting "
                f"({backlog.id}), {since}."
            )
            hint = (
                f"Drop them: {drop} (or `wheretowatch notify drop --all-unconfigured`); "
                "keep them if a cron job gives that target with --notify."
            )
        yield Check("undelivered", False, message, hint, ExitCode.UNDELIVERED)


def _secrets_in(path: Path) -> frozenset[str]:
    try:
        text = read_text(path) or ""
    except ConfigError:
        return frozenset()  # unreadable, and reported so
    # By its text, so that a file TOML cannot parse is judged too. Notification URLs hold
    # their service's key: as secret as the credential.
    return frozenset(key for key in MASKED_KEYS if key in text)
