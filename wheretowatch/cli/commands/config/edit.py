"""`wheretowatch config edit`: the config file in $EDITOR, checked when it closes."""

import os
import shlex
import subprocess

import typer

from wheretowatch.cli.commands.config.keys import tell
from wheretowatch.cli.output import Output, reporting
from wheretowatch.errors import UsageError, WheretowatchError
from wheretowatch.settings.loading import load_settings
from wheretowatch.settings.paths import config_file


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
            status = subprocess.call([*_editor_words(editor), str(path)])
        except OSError as exc:
            raise _cannot_run(editor, exc.strerror or str(exc)) from None
        if status != 0:
            raise UsageError(
                f"The editor exited with status {status}; the file was not checked.",
                hint="Run `wheretowatch doctor` to check the file.",
            )
        if not path.exists():
            tell(output, f"{path} was removed: the settings are the environment's and defaults.")
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
        tell(output, f"{path} is valid.")


def _editor_words(editor: str) -> list[str]:
    """The editor's command line as the shell would split it: a quote left open
    (`vim "`) or nothing but blanks is a setting to fix, not a crash."""
    try:
        words = shlex.split(editor)
    except ValueError as exc:  # "No closing quotation", "No escaped character"
        raise _cannot_run(editor, str(exc).lower()) from None
    if not words:
        raise _cannot_run(editor, "it names no program")
    return words


def _cannot_run(editor: str, why: str) -> UsageError:
    return UsageError(
        f"Cannot run the editor {editor!r}: {why}.",
        hint="Set VISUAL or EDITOR to an installed editor (nano, vim, code --wait).",
    )


_NEW_FILE = """\
# wheretowatch settings: `wheretowatch config` shows them all, and where each comes from.
# region = "GB"                 # or ["GB", "US"], or "all"
# services = ["Netflix"]        # your services, by name or provider id
"""
