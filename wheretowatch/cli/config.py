"""`wheretowatch config`: show the settings, and change the config file one key at a time."""

import os
import shlex
import subprocess
import sys
from typing import Annotated

import typer
from rich.console import RenderableType

from wheretowatch.cli.options import JsonOption
from wheretowatch.cli.output import Output, reporting, settings_for
from wheretowatch.cli.views import render, schema
from wheretowatch.errors import ConfigError, ExitCode, UsageError, WheretowatchError
from wheretowatch.models import MyServices
from wheretowatch.settings.loading import (
    SECRET_KEYS,
    Settings,
    known_keys,
    load_settings,
)
from wheretowatch.settings.paths import config_file

config_app = typer.Typer(
    name="config",
    help="Show the settings and where each came from; change them.\n\nWithout a command: "
    "every setting in effect with its source (secrets masked), whether the config file "
    "exists, and what each of your services resolved to.",
    epilog="\b\nExamples:\n  wheretowatch config\n  wheretowatch config set region GB US\n"
    '  wheretowatch config set services Netflix "BBC iPlayer"\n'
    "  wheretowatch config set api_token < token.txt\n  wheretowatch config --json | jq "
    "'.settings.region'",
    invoke_without_command=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

KeyArgument = Annotated[
    str,
    typer.Argument(
        help="The setting: region, services, language, timeout, api_token… "
        "(`wheretowatch config` lists them).",
        show_default=False,
        autocompletion=lambda incomplete: [k for k in known_keys() if k.startswith(incomplete)],
    ),
]


@config_app.callback()
def config_command(ctx: typer.Context, json_output: JsonOption = False) -> None:
    """Show the settings and where each came from (the group's help says more)."""
    if ctx.invoked_subcommand is not None:
        return
    output = Output.of(ctx, json=json_output)
    with reporting(output):
        settings = settings_for(output)
        exists = settings.config_file.is_file()
        services = _resolved_services(settings, output)
        views: list[RenderableType] = [render.settings_table(settings)]
        if not exists:
            views.insert(
                0,
                render.safe(
                    "The config file does not exist yet: `wheretowatch setup`"
                    " or `wheretowatch config set` creates it."
                ),
            )
        if services:
            views.append(render.services_table(services))
        output.show(
            views,
            lambda: schema.config_document(settings, file_exists=exists, services=services),
        )


@config_app.command("set")
def config_set_command(
    ctx: typer.Context,
    key: KeyArgument,
    values: Annotated[
        list[str] | None,
        typer.Argument(
            help="The value; several for region and services. Never for api_token or "
            "api_key: those are read from a hidden prompt or stdin.",
            show_default=False,
        ),
    ] = None,
    stdin: Annotated[
        bool, typer.Option("--stdin", help="Read the value (a credential) from stdin.")
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
    """
    from wheretowatch.settings import file as configfile

    output = Output.of(ctx)
    with reporting(output):
        words = values or []
        path = config_file(os.environ)
        if key in SECRET_KEYS:
            value: object = _read_secret(key, words, stdin)
        else:
            if stdin:
                raise UsageError(
                    "--stdin is only for api_token and api_key.",
                    hint=f"Give the value on the command line: wheretowatch config set {key} VALUE",
                )
            value = configfile.value_from_words(key, words)
            if key == "services":
                _check_services(output, [str(word) for word in words])
            if key == "notify":
                _check_notify(output, [str(word) for word in words])
        configfile.set_values(path, {key: value})
        shown = _shown_value(key, value)
        _tell(output, f"Set {key} = {shown} in {path}")


def _shown_value(key: str, value: object) -> str:
    """A value as `config set` repeats it: never a credential, notification URLs masked."""
    from wheretowatch.settings import file as configfile

    if key in SECRET_KEYS:
        return "(hidden)"
    if key == "notify" and isinstance(value, list | tuple):
        from wheretowatch.notify.targets import masked

        return configfile.as_toml([masked(str(url)) for url in value])
    return configfile.as_toml(value)


@config_app.command("unset")
def config_unset_command(ctx: typer.Context, key: KeyArgument) -> None:
    """Remove one setting from the config file (its default applies again).

    \b
    Examples:
      wheretowatch config unset services
      wheretowatch config unset api_token
    """
    from wheretowatch.settings import file as configfile

    output = Output.of(ctx)
    with reporting(output):
        if key not in known_keys():
            raise UsageError(
                f"Unknown key {key!r}.", hint=f"Known keys: {', '.join(known_keys())}."
            )
        path = config_file(os.environ)
        if key not in configfile.read_values(path):
            _tell(output, f"{key} is not set in {path}; nothing to do.")
            return
        configfile.set_values(path, {key: None})
        _tell(output, f"Removed {key} from {path}")


@config_app.command("path")
def config_path_command() -> None:
    """Print the config file's path, whether or not it exists.

    \b
    Examples:
      wheretowatch config path
      cat "$(wheretowatch config path)"
    """
    typer.echo(str(config_file(os.environ)))


@config_app.command("edit")
def config_edit_command(ctx: typer.Context) -> None:
    """Open the config file in $VISUAL or $EDITOR, then check what you saved.

    A new file starts from a commented template. A problem is reported with the file,
    the key and the line (exit 6); the file is kept as you saved it.

    \b
    Examples:
      wheretowatch config edit
      EDITOR=nano wheretowatch config edit
    """
    from wheretowatch.settings import file as configfile

    output = Output.of(ctx)
    with reporting(output):
        path = config_file(os.environ)
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if not editor:
            raise UsageError(
                "Neither VISUAL nor EDITOR is set.",
                hint=f"Run, for example: EDITOR=nano wheretowatch config edit (the file: {path})",
            )
        if not path.exists():
            configfile.write_private(path, _NEW_FILE)
        try:
            status = subprocess.call([*shlex.split(editor), str(path)])
        except OSError as exc:
            raise UsageError(
                f"Cannot run the editor {editor!r}: {exc.strerror}.",
                hint="Set VISUAL or EDITOR to an installed editor (nano, vim, code --wait).",
            ) from None
        if status != 0:
            raise UsageError(
                f"The editor exited with status {status}; the file was not checked.",
                hint="Run `wheretowatch doctor` to check the file.",
            )
        if not path.exists():
            _tell(output, f"{path} was removed: the settings are the environment's and defaults.")
            return
        problems = configfile.problems(path)
        for problem in problems[:-1]:
            output.report(problem)
        if problems:
            raise problems[-1]
        try:  # as the next command will read it: its permissions too (an editor may reset them)
            warnings = load_settings({}, os.environ).warnings
        except WheretowatchError:
            warnings = ()  # the environment's own problems: not the file's, said elsewhere
        for warning in warnings:
            output.warn(warning)
        _tell(output, f"{path} is valid.")


_NEW_FILE = """\
# wheretowatch settings: `wheretowatch config` shows them all, and where each comes from.
# region = "GB"                 # or ["GB", "US"], or "all"
# services = ["Netflix"]        # your services, by name or provider id
"""


def _read_secret(key: str, words: list[str], stdin: bool) -> str:
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
    if stdin or not sys.stdin.isatty():
        text = sys.stdin.read()
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


_LABELS = {"api_token": "API Read Access Token", "api_key": "v3 API key"}


def _check_services(output: Output, names: list[str]) -> None:
    """Resolve the names against TMDB's provider lists now, as a lookup would."""
    from wheretowatch.cli.options import client_for
    from wheretowatch.models import MediaType
    from wheretowatch.where.services import ServiceError, resolve_services

    try:
        settings = settings_for(output)
        with client_for(settings, output) as tmdb:
            providers = [
                provider
                for media_type in MediaType
                for provider in tmdb.providers(
                    media_type, region=None, language=settings.language
                ).value
            ]
    except WheretowatchError as error:
        output.warn(f"The services were not checked against TMDB: {error.message}")
        return
    try:
        resolve_services(names, providers, origin="`config set services`")
    except ServiceError as error:
        raise UsageError(error.message, hint=error.hint) from None


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


def _resolved_services(settings: Settings, output: Output) -> MyServices | None:
    if not settings.services:
        return None
    from wheretowatch.cli.options import client_for
    from wheretowatch.where.services import my_services

    try:
        with client_for(settings, output) as tmdb:
            return my_services(tmdb, settings)
    except ConfigError as error:
        output.warn(error.message)
    except WheretowatchError as error:
        output.warn(f"Your services could not be resolved: {error.message}")
    return None


def _tell(output: Output, text: str) -> None:
    # soft_wrap: a path is printed whole, for the terminal to wrap, never cut in two.
    output.err.print(render.safe(text), soft_wrap=True)
