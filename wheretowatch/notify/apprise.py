"""Apprise, the optional extra that speaks to about 170 notification services.

Imported only when a message is sent or a URL checked, never on a lookup's path. Every
error it gives is described in our words, since its own may quote the URL (a secret).
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import ModuleType

from wheretowatch.errors import ConfigError, DeliveryError
from wheretowatch.notify.install import install_apprise
from wheretowatch.notify.targets import NotifyTarget

APPRISE_URLS = "https://github.com/caronc/apprise/wiki"
log = logging.getLogger("wheretowatch.notify")


def unknown_to_apprise(targets: Sequence[NotifyTarget]) -> list[str]:
    """The labels of the targets Apprise cannot send to; ConfigError without Apprise."""
    apprise = require_apprise()
    return [t.label for t in targets if apprise.Apprise.instantiate(t.url) is None]


def require_apprise() -> ModuleType:
    """The apprise module, or the ConfigError that says how to install it."""
    try:
        return _load_apprise()
    except ImportError:
        raise ConfigError(
            "Notifications need Apprise, which is not installed.",
            hint=f"Install it with: {install_apprise()}",
        ) from None


@functools.cache
def _load_apprise() -> ModuleType:
    # Apprise's own deprecation notices (imghdr on Python 3.11 and 3.12) are for its
    # developers, not for the person reading cron mail. It loads its plugins on first
    # use, so they are loaded here, once, before any thread sends.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import apprise

        apprise.Apprise.instantiate("json://localhost")
    return apprise


def body_limit(target: NotifyTarget) -> int | None:
    """The longest body the target's service takes, as Apprise knows it (Discord 2,000
    characters, Pushover 1,024, Telegram 4,096); None if Apprise does not know the URL."""
    plugin = require_apprise().Apprise.instantiate(target.url)
    limit = getattr(plugin, "body_maxlen", None)
    return limit if isinstance(limit, int) and limit > 0 else None


def send(target: NotifyTarget, title: str, body: str, timeout: float) -> None:
    """Send one message; DeliveryError, in words that never quote the URL, if not taken."""
    apprise = require_apprise()
    plugin = apprise.Apprise.instantiate(target.url)
    if plugin is None:
        raise DeliveryError("Apprise does not understand its URL")
    plugin.socket_connect_timeout = timeout
    plugin.socket_read_timeout = timeout
    with _listening() as heard:
        try:
            accepted = plugin.notify(body=body, title=title)
        except Exception as exc:  # a plugin's own bug must not lose the other targets' news
            raise DeliveryError(f"sending failed ({type(exc).__name__})") from None
    lines = [_scrubbed(line, target) for line in heard]
    for line in lines:
        log.debug(f"apprise: {line}")  # --debug: Apprise's own words, secrets masked
    if not accepted:
        raise DeliveryError(why_not_sent(lines))


def why_not_sent(lines: Sequence[str]) -> str:
    """Why Apprise did not deliver, in our words, from what it logged."""
    text = "\n".join(lines).casefold()
    status = re.search(r"error=(\d{3})\b", text)
    if status:
        return f"the service answered HTTP {status[1]}"
    for clues, reason in _REASONS:
        if any(clue in text for clue in clues):
            return reason
    return "the service failed or refused it"


_REASONS = (
    (
        ("name or service not known", "nameresolution", "failed to resolve", "nodename"),
        "its host name did not resolve",
    ),
    (("connection refused",), "the connection was refused"),
    (("timed out", "timeout"), "the service did not answer in time"),
    (("ssl", "certificate"), "TLS failed"),
    (("connection error",), "the service could not be reached"),
)


@contextmanager
def _listening() -> Iterator[list[str]]:
    """What Apprise logs in this thread while it sends (its reasons are only there)."""
    heard: list[str] = []
    me = threading.get_ident()

    class Heard(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.thread == me:
                heard.append(record.getMessage())

    logger = logging.getLogger("apprise")
    handler = Heard(logging.DEBUG)
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield heard
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _scrubbed(line: str, target: NotifyTarget) -> str:
    """A line of Apprise's with every part of the URL that its label hides masked."""
    line = line.replace(target.url, target.label)
    rest = target.url.partition("://")[2]
    shown = target.label.partition("://")[2]
    secrets = {p for p in re.split(r"[/:@?&=#]+", rest) if len(p) >= 3 and p not in shown}
    for secret in sorted(secrets, key=len, reverse=True):
        line = line.replace(secret, "***")
    return line
