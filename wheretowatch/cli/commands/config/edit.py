"""`wheretowatch config edit`: the config file in $EDITOR, checked when it closes."""

import os
import shlex
import subprocess
from pathlib import Path

import typer

from wheretowatch.cli.commands.config.keys import tell
from wheretowatch.cli.output import Output, reporting
from wheretowatch.cli.views.text import safe
from wheretowatch.errors import ExitCode, UsageError, WheretowatchError
from wheretowatch.settings.loading import load_settings
from wheretowatch.settings.paths import config_file


def config_edit_command(ctx: typer.Context) -> None:
    """Open the config file in $VISUAL or $EDITOR, then check what you saved.

    A new file starts from a commented template. A problem is reported with the file,
    the key and the line; on a terminal you choose to edit again, keep the file anyway
    or restore the previous one (as visudo and crontab -e do). Without a terminal the
    previous file is restored (exit 6): a broken config is never left behind. Either
    way, a rejected edit is kept beside the file as config.toml.rejected.

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
        previous = configfile.read_text(path) if path.exists() else None
        if previous is None:
            configfile.write_private(path, _NEW_FILE)
        while True:
            _run_editor(editor, path)
            if not path.exists():
                tell(
                    output,
                    f"{path} was removed: the settings are the environment's and defaults.",
                )
                return
            problems = configfile.problems(path)
            if not problems:
                break
            for problem in problems:
                output.report(problem)
            if _next_step(output, path, previous) != "edit":
                raise typer.Exit(ExitCode.CONFIG)
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


def _run_editor(editor: str, path: Path) -> None:
    try:
        status = subprocess.call([*_editor_words(editor), str(path)])
    except OSError as exc:
        raise _cannot_run(editor, exc.strerror or str(exc)) from None
    if status != 0:
        raise UsageError(
            f"The editor exited with status {status}; the file was not checked.",
            hint="Run `wheretowatch doctor` to check the file.",
        )


def _next_step(output: Output, path: Path, previous: str | None) -> str:
    """After an invalid save: "edit" again, "keep" it, or "restore" the previous file.
    Only a person at a terminal is asked; anything else gets the previous file back."""
    if output.streams.interactive:
        question = "What now? [e]dit again, [k]eep it anyway, [r]estore the previous file: "
        while True:
            try:
                answer = output.err.input(safe(question)).strip().casefold()[:1]
            except (EOFError, KeyboardInterrupt):
                output.err.print()
                answer = "r"
            if answer == "e":
                return "edit"
            if answer == "k":
                output.warn(f"{path} is kept as saved: every command will report it.")
                return "keep"
            if answer == "r":
                break
    _restore(output, path, previous)
    return "restore"


def _restore(output: Output, path: Path, previous: str | None) -> None:
    """The file as it was before the edit (none, if there was none); the edit beside it."""
    from wheretowatch.settings import file as configfile

    rejected = path.with_name(path.name + ".rejected")
    configfile.write_private(rejected, path.read_bytes().decode("utf-8", "replace"))
    if previous is None:
        path.unlink(missing_ok=True)
    else:
        configfile.write_private(path, previous)
    output.warn(f"Restored the previous {path}; your edit is in {rejected}.")


_NEW_FILE = """\
# wheretowatch settings: `wheretowatch config` shows them all, and where each comes from.
# region = "GB"                 # or ["GB", "US"], or "all"
# services = ["Netflix"]        # your services, by name or provider id
"""
