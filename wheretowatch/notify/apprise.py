"""Apprise, the optional extra that speaks to about 170 notification services.

Imported only when a message is sent or a URL checked, never on a lookup's path. Every
error it gives is described in our words, since its own may quote the URL (a secret).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Sequence
from types import ModuleType

from wheretowatch.errors import ConfigError, DeliveryError
from wheretowatch.notify.install import install_apprise
from wheretowatch.notify.targets import NotifyTarget

APPRISE_URLS = "https://github.com/caronc/apprise/wiki"


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


def send(target: NotifyTarget, title: str, body: str, timeout: float) -> None:
    """Send one message; DeliveryError, in words that never quote the URL, if not taken."""
    apprise = require_apprise()
    plugin = apprise.Apprise.instantiate(target.url)
    if plugin is None:
        raise DeliveryError("Apprise does not understand its URL")
    plugin.socket_connect_timeout = timeout
    plugin.socket_read_timeout = timeout
    try:
        accepted = plugin.notify(body=body, title=title)
    except Exception as exc:  # a plugin's own bug must not lose the other targets' news
        raise DeliveryError(f"sending failed ({type(exc).__name__})") from None
    if not accepted:
        raise DeliveryError("the service failed or refused it")
