"""The watchlist's changes as notifications: one message a run, to each target.

    from wheretowatch.lists import notifications

    targets = notifications.targets(settings)   # ConfigError now if Apprise is missing
    refresh.run(settings, destinations=targets)

Every message is plain text built from TMDB's strings with their control characters
removed; sending it is `wheretowatch.notify.apprise`'s, bounded in time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from wheretowatch.attribution import attribution_lines
from wheretowatch.errors import ConfigError, DeliveryError, UsageError
from wheretowatch.lists.changes import Event
from wheretowatch.lists.outbox import PartlyDelivered, deliver
from wheretowatch.models import UNSAFE_CHARACTERS
from wheretowatch.notify.apprise import APPRISE_URLS, body_limit, send, unknown_to_apprise
from wheretowatch.notify.targets import NotifyTarget
from wheretowatch.settings.loading import Settings

TEST_TITLE = "wheretowatch: test"
TEST_BODY = "A test message from wheretowatch: notifications reach you here."
# C0 and C1 controls (escape sequences, bells, line breaks inside a title).
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# What one message carries at most, whatever the service would take: a backlog goes out
# as several messages, never one that grows with every refresh until no service takes it.
MAX_MESSAGE_LENGTH = 1_000  # characters: Pushover's 1,024 is the smallest common limit
MAX_CHANGES = 20
# A title is cut to this in a message, so that one change always fits in one.
MAX_LABEL_LENGTH = 200


@dataclass(frozen=True, slots=True)
class AppriseTarget:
    """A notification target, as a destination of the outbox (see `outbox.Destination`)."""

    target: NotifyTarget
    timeout: float

    @property
    def id(self) -> str:
        return self.target.id

    @property
    def label(self) -> str:
        return self.target.label

    def deliver(self, changes: Sequence[Event]) -> None:
        """Deliver in messages of at most MAX_MESSAGE_LENGTH characters (less if the
        service takes less) and MAX_CHANGES changes; a message refused is sent again a
        change at a time, so that a target taking short messages gets every change."""
        limit = min(body_limit(self.target) or MAX_MESSAGE_LENGTH, MAX_MESSAGE_LENGTH)
        taken: list[Event] = []
        failure: DeliveryError | None = None
        for part in split_changes(changes, limit):
            try:
                self._send(part, limit)
            except DeliveryError as error:
                if len(part) == 1:
                    failure = error
                    continue
                for change in part:  # one change a message: only a refused one stays owed
                    try:
                        self._send([change], limit)
                    except DeliveryError as single:
                        failure = single
                    else:
                        taken.append(change)
            else:
                taken.extend(part)
        if failure is not None:
            raise PartlyDelivered(failure.message, taken) if taken else failure

    def _send(self, changes: Sequence[Event], limit: int) -> None:
        body = message_body(changes)[:limit]
        send(self.target, message_title(changes), body, self.timeout)


@dataclass(frozen=True, slots=True)
class _TestTarget(AppriseTarget):
    def deliver(self, changes: Sequence[Event]) -> None:
        send(self.target, TEST_TITLE, TEST_BODY, self.timeout)


def targets(settings: Settings) -> list[AppriseTarget]:
    """The configured targets, each checked now: ConfigError (UsageError for --notify)
    if Apprise is not installed or does not understand a URL, naming every one."""
    if not settings.notify:
        return []
    unknown = unknown_to_apprise(settings.notify)
    if unknown:
        error = UsageError if settings.source("notify") == "--notify" else ConfigError
        raise error(
            f"Apprise does not understand the notification URL{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(unknown)} (from {settings.source('notify')}).",
            hint=f"Check it against Apprise's list of services: {APPRISE_URLS}",
        )
    return [AppriseTarget(target, settings.timeout) for target in settings.notify]


def send_test(targets: Sequence[AppriseTarget]) -> list[tuple[str, DeliveryError | None]]:
    """Send a short test message to every target at once: (label, error or None) each."""
    tests = [_TestTarget(t.target, t.timeout) for t in targets]
    failed = {label: error for label, error, _ in deliver([], tests).failed}
    return [(t.label, failed.get(t.label)) for t in tests]


def split_changes(changes: Sequence[Event], limit: int) -> list[list[Event]]:
    """`changes` in order, in parts whose message body fits in `limit` characters (a
    change too long alone is a part of its own, its message cut) and that hold at most
    MAX_CHANGES changes."""
    parts: list[list[Event]] = []
    current: list[Event] = []
    for change in changes:
        candidate = [*current, change]
        if current and (len(candidate) > MAX_CHANGES or len(message_body(candidate)) > limit):
            parts.append(current)
            candidate = [change]
        current = candidate
    if current:
        parts.append(current)
    return parts


def message_title(changes: Sequence[Event]) -> str:
    return f"wheretowatch: {len(changes)} change{'s' if len(changes) != 1 else ''}"


def message_body(changes: Sequence[Event]) -> str:
    """The changes grouped by title, each with its watch pages, then the attribution."""
    groups: dict[str, list[Event]] = {}
    for change in changes:
        groups.setdefault(change.title.key, []).append(change)
    blocks = []
    for group in groups.values():
        lines = [_clean(group[0].title.label)[:MAX_LABEL_LENGTH]]
        lines += [f"- {_clean(change.phrase())}" for change in group]
        lines += dict.fromkeys(change.watch_page for change in group)
        blocks.append("\n".join(lines))
    blocks.append("\n".join(attribution_lines()))
    return "\n\n".join(blocks)


def _clean(text: str) -> str:
    """Controls become spaces; invisible and bidi characters are written out (\u202e), so
    a title can neither break a message's lines nor reverse it on a phone."""
    return UNSAFE_CHARACTERS.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return " " if _CONTROLS.fullmatch(char) else f"\\u{ord(char):04x}"
