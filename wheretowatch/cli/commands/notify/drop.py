"""`wheretowatch notify drop`: give up the changes owed to a target that will never take them."""

import re
from typing import TYPE_CHECKING, Annotated

import typer

from wheretowatch.cli.output import Output, reporting, settings_for
from wheretowatch.cli.views.text import safe
from wheretowatch.errors import UsageError

if TYPE_CHECKING:
    from wheretowatch.lists.outbox import Backlog
    from wheretowatch.notify.targets import NotifyTarget

# What the outbox records for a target (see notify/targets.py), as doctor names it.
_TARGET_ID = re.compile(r"notify:[0-9a-f]{16}")


def notify_drop_command(
    ctx: typer.Context,
    target: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[TARGET]...",
            help="A target's Apprise URL, or its id as doctor and refresh name it "
            "(notify:…, which shows no secret).",
            show_default=False,
        ),
    ] = None,
    all_unconfigured: Annotated[
        bool,
        typer.Option(
            "--all-unconfigured",
            help="Drop what is owed to every target not in the notify setting.",
        ),
    ] = False,
    wait: Annotated[
        float,
        typer.Option(
            "--wait",
            help="Seconds to wait for a refresh to finish.",
            min=0,
            max=3600,
            metavar="SECONDS",
        ),
    ] = 60.0,
) -> None:
    """Give up the changes owed to a notification target that keeps refusing them.

    Refresh keeps every change a target did not take and tries it again each run;
    `wheretowatch doctor` names each target owed changes, since when, and its id. This
    drops them (only from the outbox: the target stays set), under the refresh lock, in
    one atomic write. A target that is no longer in the notify setting (or given only by
    a cron job's --notify) is named by its id. Exit status: 0 dropped (or nothing was
    owed), 2 no target given, 8 a refresh is running.

    \b
    Examples:
      wheretowatch notify drop notify:3f2a9c0d1e4b5a6c
      wheretowatch notify drop --all-unconfigured
    """
    from wheretowatch.lists import outbox
    from wheretowatch.lists.snapshots import Snapshots

    output = Output.of(ctx)
    with reporting(output):
        if not target and not all_unconfigured:
            raise UsageError(
                "Name a target to drop, or give --all-unconfigured.",
                hint="`wheretowatch doctor` names each target owed changes, with its id.",
            )
        settings = settings_for(output)
        configured = {t.id: t for t in settings.notify}
        wanted = {_target_id(given, number) for number, given in enumerate(target or [], 1)}
        store = Snapshots(settings.data_dir)
        if all_unconfigured:
            wanted |= {
                b.id
                for b in outbox.read_backlogs(store)
                if b.id != outbox.STDOUT and b.id not in configured
            }
        dropped = outbox.drop(store, wanted, wait=wait)
    for backlog in dropped:
        output.show(safe(_dropped(backlog, configured)), None)
    if not dropped:
        output.show(safe("Nothing was owed to that target: nothing to drop."), None)


def _target_id(given: str, number: int) -> str:
    """The outbox's id of a target given as a URL or as that id (never echoing a URL)."""
    from wheretowatch.notify.targets import parse_target

    if _TARGET_ID.fullmatch(given.strip()):
        return given.strip()
    try:
        return parse_target(given).id
    except ValueError as exc:
        raise UsageError(
            f"Target {number} (from the command line) is neither an Apprise URL nor a "
            f"target id: {exc}.",
            hint="Give the id doctor names (notify:…) or the target's URL.",
        ) from None


def _dropped(backlog: "Backlog", configured: "dict[str, NotifyTarget]") -> str:
    from wheretowatch.lists.outbox import describe_since

    known = configured.get(backlog.id)
    who = known.label if known else f"{backlog.id} (not in the notify setting)"
    changes = f"{backlog.count} change{'s' if backlog.count != 1 else ''}"
    return f"Dropped {changes} owed to {who} {describe_since(backlog.since)}."
