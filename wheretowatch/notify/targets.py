"""Notification targets: Apprise URLs, parsed once into values that never show their secret.

Most Apprise URLs carry a secret (a webhook token, an ntfy topic, a mail password), so a
target is only ever shown by its `label` (`discord://***`, or scheme and host for a plain
webhook such as `json://127.0.0.1:8080/***`, its path masked) and kept in data files by
its `id`, a hash.
The URL itself lives in the config file or on the command line, and nowhere else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

# Schemes whose host is an address the user chose, not a secret (Apprise's custom webhooks).
_HOST_SHOWN = frozenset({"json", "jsons", "xml", "xmls", "form", "forms"})
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE)


class NotifyTarget(NamedTuple):
    """One Apprise URL; `repr` and `label` never include its secret parts."""

    url: str
    label: str
    id: str  # stable and secret-free: what the outbox records

    def __repr__(self) -> str:
        return f"NotifyTarget(label={self.label!r}, id={self.id!r})"

    @property
    def scheme(self) -> str:
        return self.url.partition("://")[0].lower()


def parse_target(url: str) -> NotifyTarget:
    """A target from an Apprise URL; ValueError (without the URL in it) if it is not one."""
    import hashlib  # only when a target is set: settings load on every lookup

    text = url.strip()
    if not _SCHEME.fullmatch(text):
        raise ValueError("expected an Apprise URL such as ntfys://topic or json://host/path")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return NotifyTarget(url=text, label=masked(text), id=f"notify:{digest}")


def parse_targets(urls: Iterable[str]) -> tuple[NotifyTarget, ...]:
    """Targets from URLs, each once; two targets that mask alike are told apart by number."""
    targets: list[NotifyTarget] = []
    for url in urls:
        target = parse_target(url)
        if all(t.id != target.id for t in targets):
            targets.append(target)
    seen: dict[str, int] = {}
    numbered = []
    for target in targets:
        seen[target.label] = seen.get(target.label, 0) + 1
        if seen[target.label] > 1:
            target = NotifyTarget(target.url, f"{target.label} (#{seen[target.label]})", target.id)
        numbered.append(target)
    return tuple(numbered)


def masked(url: str) -> str:
    """`scheme://***`, or `scheme://host[:port]` for a webhook URL without credentials,
    with `/***` for a path (or query) it has: shown masked, never as if there were none."""
    scheme, _, rest = url.partition("://")
    scheme = scheme.lower()
    if scheme in _HOST_SHOWN and "@" not in rest.split("/", 1)[0]:
        from urllib.parse import urlsplit

        try:
            host = urlsplit(f"http://{rest}").netloc
        except ValueError:
            host = ""
        if host:
            hidden = rest[len(host) :].strip("/")
            return f"{scheme}://{host}/***" if hidden else f"{scheme}://{host}"
    return f"{scheme}://***"
