"""`wheretowatch notify test`: a test message to every target."""

from typing import Annotated

import typer

from wheretowatch.cli.output import Output, reporting, settings_for
from wheretowatch.cli.views.text import safe
from wheretowatch.errors import ConfigError, ExitCode, UsageError


def notify_test_command(
    ctx: typer.Context,
    url: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[URL]...",
            help="Apprise URLs to try instead of the notify setting.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Send a short test message to each notification target and say which took it.

    Exit status: 0 every target took it, 9 one did not, 6 no target or no Apprise.

    \b
    Examples:
      wheretowatch notify test
      wheretowatch notify test ntfys://my-secret-topic
    """
    from wheretowatch.lists import notifications as notify

    output = Output.of(ctx)
    with reporting(output):
        _check_urls(url or [])
        settings = settings_for(output, notify=url or None)
        targets = notify.targets(settings)
        if not targets:
            raise ConfigError(
                "No notification target to test.",
                hint="Give an Apprise URL (wheretowatch notify test ntfys://my-topic), "
                'or set notify in the config file: notify = ["ntfys://my-topic"]',
            )
        results = notify.send_test(targets)
    for label, error in results:
        if error is None:
            output.show(safe(f"{label}: accepted the test message"), None)
        else:
            output.warn(f"{label} did not take the test message: {error.message}")
    failed = any(error is not None for _, error in results)
    raise typer.Exit(ExitCode.UNDELIVERED if failed else ExitCode.OK)


def _check_urls(urls: list[str]) -> None:
    """The URLs given to `notify test`, each an Apprise URL: checked here, so that the
    error says they came from the command line (never showing them: they hold secrets)."""
    from wheretowatch.notify.targets import parse_target

    for number, given in enumerate(urls, start=1):
        try:
            parse_target(given)
        except ValueError as exc:
            raise UsageError(
                f"Invalid notify URL {number} (from the command line): {exc}.",
                hint="Give an Apprise URL: wheretowatch notify test ntfys://my-topic "
                "(https://github.com/caronc/apprise/wiki lists them all).",
            ) from None
