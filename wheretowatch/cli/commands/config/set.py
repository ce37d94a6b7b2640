"""`wheretowatch config set`: one key written to the config file, checked first."""

import os
import sys
from typing import Annotated

import typer

from wheretowatch.cli.commands.config.keys import KeyArgument, tell
from wheretowatch.cli.output import Output, reporting, settings_for
from wheretowatch.errors import ConfigError, ExitCode, UsageError, WheretowatchError
from wheretowatch.settings.loading import SECRET_KEYS
from wheretowatch.settings.paths import config_file
from wheretowatch.where.services import all_providers


def config_set_command(
    ctx: typer.Context,
    key: KeyArgument,
    values: Annotated[
        list[str] | None,
        typer.Argument(
            help="The value; several for region and services. Never for api_token or "
            "api_key: those are read from a hidden prompt or stdin.",
            metavar="VALUE...",
            show_default=False,
        ),
    ] = None,
    stdin: Annotated[
        bool,
        typer.Option(
            "--stdin",
            help="Read the value from stdin: a credential, or notification URLs one a line "
            "(so that their secret stays out of your shell history).",
        ),
    ] = False,
) -> None:
    """Write one setting to the config file, checked as the file is when read.

    The file keeps its comments, other keys and order; it is written atomically and
    created readable by you alone (mode 0600).

    \b
    Examples:
      wheretowatch config set region GB US
      wheretowatch config set services Netflix "BBC iPlayer"
      wheretowatch config set timeout 20
      wheretowatch config set api_token            (asks, hiding what you type)
      wheretowatch config set api_token < token.txt
      wheretowatch config set notify --stdin < notify-urls.txt
    """
    from wheretowatch.settings import file as configfile

    output = Output.of(ctx)
    with reporting(output):
        words = values or []
        path = config_file(os.environ)
        if key in SECRET_KEYS:
            value: object = _read_secret(output, key, words, stdin)
        else:
            if stdin and key == "notify":
                words = _read_urls(words)
            elif stdin:
                raise UsageError(
                    "--stdin is only for api_token, api_key and notify.",
                    hint=f"Give the value on the command line: wheretowatch config set {key} VALUE",
                )
            value = configfile.value_from_words(key, words)
            if key == "services":
                value = _check_services(output, [str(word) for word in words]) or value
            if key == "notify":
                _check_notify(output, [str(word) for word in words])
        configfile.set_values(path, {key: value})
        shown = _shown_value(key, value)
        tell(output, f"Set {key} = {shown} in {path}")


def _shown_value(key: str, value: object) -> str:
    """A value as `config set` repeats it: never a credential, notification URLs masked."""
    from wheretowatch.settings import file as configfile

    if key in SECRET_KEYS:
        return "(hidden)"
    if key == "notify" and isinstance(value, list | tuple):
        from wheretowatch.notify.targets import masked

        return configfile.as_toml([masked(str(url)) for url in value])
    return configfile.as_toml(value)


def _read_urls(words: list[str]) -> list[str]:
    """Notification URLs from stdin, one a line (blank lines left out): they carry their
    service's secret, which the command line would leave in the shell history."""
    if words:
        raise UsageError(
            "Give the notification URLs on stdin or on the command line, not both.",
            hint="For example: wheretowatch config set notify --stdin < notify-urls.txt",
        )
    # Bounded: `< /dev/zero` must not fill the memory, nor a huge file the config.
    text = sys.stdin.read(MAX_NOTIFY_LENGTH + 1)
    if len(text) > MAX_NOTIFY_LENGTH:
        raise UsageError(
            f"What stdin holds is longer than any list of notification URLs (over "
            f"{MAX_NOTIFY_LENGTH:,} characters); nothing was written.",
            hint="Give the Apprise URLs alone, one a line.",
        )
    urls = [line.strip() for line in text.splitlines() if line.strip()]
    if not urls:
        raise UsageError(
            "stdin held no notification URL; nothing was written.",
            hint="Give Apprise URLs, one a line; `wheretowatch config unset notify` "
            "removes the setting.",
        )
    return urls


def _read_secret(output: Output, key: str, words: list[str], stdin: bool) -> str:
    from wheretowatch.tmdb import check_credential

    if words:
        # Refused even though it is already typed: it should not become a habit that
        # leaves credentials in shell histories and process lists. Never echoed back.
        raise UsageError(
            f"`config set {key}` does not take the credential on the command line "
            "(it would stay in your shell history).",
            hint=f"Run `wheretowatch config set {key}` and paste it at the prompt, or "
            f"`wheretowatch config set {key} < file`.",
        )
    if stdin or not output.streams.stdin_is_terminal:
        # Bounded: `< /dev/zero` must not fill the memory, nor a huge file the config.
        text = sys.stdin.read(MAX_CREDENTIAL_LENGTH + 3)
        if len(text.rstrip("\r\n")) > MAX_CREDENTIAL_LENGTH:
            raise UsageError(
                f"What stdin holds is longer than any TMDB credential (over "
                f"{MAX_CREDENTIAL_LENGTH} characters); nothing was written.",
                hint="Give the API Read Access Token or the v3 API key from "
                "https://www.themoviedb.org/settings/api, alone.",
            )
        text = text[:-1] if text.endswith("\n") else text
        text = text[:-1] if text.endswith("\r") else text
        origin = "stdin"
    else:
        try:
            text = typer.prompt(f"TMDB {_LABELS[key]}", hide_input=True, prompt_suffix=": ")
        except typer.Abort:
            typer.echo("Interrupted: nothing was written.", err=True)
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        origin = "what you typed"
    if text != text.strip():
        raise UsageError(
            f"The credential from {origin} starts or ends with whitespace, so it cannot be one.",
            hint="Give it as one line, with nothing around it.",
        )
    return check_credential(text, origin, error=UsageError)


# TMDB's read access token is a JWT of about 250 characters; its v3 key is 32.
MAX_CREDENTIAL_LENGTH = 4096
# A few Apprise URLs of a few hundred characters each, with room to spare.
MAX_NOTIFY_LENGTH = 64 * 1024
_LABELS = {"api_token": "API Read Access Token", "api_key": "v3 API key"}


def _check_services(output: Output, names: list[str]) -> list[str] | None:
    """Resolve the names against TMDB's provider lists now, as a lookup would; the
    entries to store, each with its provider ids (None if TMDB could not be asked)."""
    from wheretowatch.cli.options import client_for
    from wheretowatch.where.services import ServiceError, resolve_services, service_entry

    try:
        settings = settings_for(output)
        with client_for(settings, output) as tmdb:
            providers = all_providers(tmdb, language=settings.language)
    except WheretowatchError as error:
        output.warn(f"The services were not checked against TMDB: {error.message}")
        return None
    try:
        resolved = resolve_services(names, providers, origin="`config set services`")
    except ServiceError as error:
        raise UsageError(error.message, hint=error.hint) from None
    # Stored with their ids: matched by id from now on, whatever TMDB renames them to.
    return [service_entry(service) for service in resolved]


def _check_notify(output: Output, urls: list[str]) -> None:
    """Each URL as every refresh will check it: refused now if Apprise cannot send to it;
    without Apprise, kept, with what to install."""
    from wheretowatch.notify.apprise import APPRISE_URLS, unknown_to_apprise
    from wheretowatch.notify.targets import parse_targets

    try:
        unknown = unknown_to_apprise(parse_targets(urls))
    except ConfigError as error:  # Apprise is not installed
        output.warn(f"{error.message} {error.hint or ''}".strip())
        return
    if unknown:
        plural = "s" if len(unknown) > 1 else ""
        raise UsageError(
            f"Apprise does not understand the notification URL{plural} {', '.join(unknown)}.",
            hint=f"Check it against Apprise's list of services: {APPRISE_URLS}",
        )
