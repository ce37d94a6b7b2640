"""The `wheretowatch` command: its group, its commands in the order a new user needs them."""

import errno
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from wheretowatch.attribution import attribution_lines
from wheretowatch.cli.commands import COMMANDS, CommandInfo
from wheretowatch.cli.output import ColorMode, Output, RootOptions, detach_stdout
from wheretowatch.cli.typer_private import (
    BashComplete,
    ClickUsageError,
    CompletionItem,
    add_completion_class,
    make_default_short_help,
)
from wheretowatch.cli.usage import WordsCommand
from wheretowatch.errors import ExitCode, UsageError
from wheretowatch.version import __version__

LOOKUP = "lookup"


class _DefaultToLookup(TyperGroup):
    """`wheretowatch TITLE...` runs `lookup` when the first word is not a command; the root
    command's options (--debug, --color) may come anywhere on the line; with --json, even
    the argument parser's errors are JSON."""

    # Any: Typer types these with the Context of the Click it vendors, which it does not export.
    def make_context(self, info_name: Any, args: Any, parent: Any = None, **extra: Any) -> Any:
        # --help prints while the line is parsed: its output can fail too.
        with _usage_errors_as_json(args):
            try:
                return super().make_context(info_name, args, parent, **extra)
            except OSError as error:
                raise typer.Exit(_failed_output_status(error)) from None

    def main(self, *args: Any, **kwargs: Any) -> Any:
        # --help and the like print while the line is parsed, before any command runs.
        try:
            return super().main(*args, **kwargs)
        except OSError as error:
            raise SystemExit(_failed_output_status(error)) from None

    def invoke(self, ctx: Any) -> Any:
        with _usage_errors_as_json(_raw(ctx)):
            try:
                return super().invoke(ctx)
            except OSError as error:
                raise typer.Exit(_failed_output_status(error)) from None

    def _main_shell_completion(self, *args: Any, **kwargs: Any) -> None:
        add_completion_class(_BashComplete, "bash")  # after Typer registered its own
        super()._main_shell_completion(*args, **kwargs)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        ctx.meta[_RAW_ARGS] = list(args)
        own, rest = self._own_options_first(ctx, args)
        command = rest[0] if rest else None
        known = [*COMMANDS, *ctx.help_option_names]
        if command is not None and command not in known:
            rest = [LOOKUP, *rest]
        return super().parse_args(ctx, [*own, *rest])

    def _own_options_first(self, ctx: Any, args: list[str]) -> tuple[list[str], list[str]]:
        """The root command's options, wherever they are (up to `--`), and the other words:
        `wheretowatch dune --debug` is `wheretowatch --debug dune`."""
        flags, valued = self._own_options(ctx)
        own: list[str] = []
        rest: list[str] = []
        index = 0
        while index < len(args):
            word = args[index]
            if word == "--":
                rest += args[index:]
                break
            if word in flags or (word.split("=")[0] in valued and "=" in word):
                own.append(word)
            elif word in valued and index + 1 < len(args):
                own += args[index : index + 2]
                index += 1
            else:
                rest.append(word)
            index += 1
        return own, rest

    def _own_options(self, ctx: Any) -> tuple[set[str], set[str]]:
        """The root command's options, from its declared parameters: (flags, with a value).
        Not --help: `wheretowatch watchlist --help` is the help of watchlist."""
        flags: set[str] = set()
        valued: set[str] = set()
        for param in self.get_params(ctx):
            names = [*param.opts, *param.secondary_opts]
            if param.param_type_name != "option" or set(names) & set(ctx.help_option_names):
                continue
            (flags if getattr(param, "is_flag", False) else valued).update(names)
        return flags, valued

    def list_commands(self, ctx: Any) -> list[str]:
        # In the order a new user needs them, not alphabetical (nor Typer's commands-first).
        return list(COMMANDS)

    def get_command(self, ctx: Any, name: str) -> Any:
        # Built on first use: a lookup runs without importing or building the other
        # commands (a tenth of a cached lookup's time went on building all of them).
        if name not in self.commands and name in COMMANDS:
            self.commands[name] = _build(name, COMMANDS[name])
        return self.commands.get(name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        # From the registry's summaries: listing the commands builds none of them.
        width = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [(name, make_default_short_help(c.summary, width)) for name, c in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        # As Typer completes a group's command names, but from the registry.
        names = [
            CompletionItem(name, help=make_default_short_help(command.summary))
            for name, command in COMMANDS.items()
            if name.startswith(incomplete)
        ]
        return [*names, *super(TyperGroup, self).shell_complete(ctx, incomplete)]


class _BashComplete(BashComplete):
    """bash inserts a completion as it is given: "Amazon Prime Video" would become three
    words. Escaped (Amazon\\ Prime\\ Video), it is one; zsh and fish quote for themselves."""

    def format_completion(self, item: Any) -> str:
        return re.sub(_BASH_SPECIAL, r"\\\1", super().format_completion(item))


_BASH_SPECIAL = r"([^\w@%+=:,./-])"
_RAW_ARGS = "wheretowatch.args"


def _raw(ctx: Any) -> list[str]:
    raw = ctx.meta.get(_RAW_ARGS)
    return list(raw) if isinstance(raw, list) else []


@contextmanager
def _usage_errors_as_json(args: Any) -> Iterator[None]:
    """The argument parser's errors as every other error: `error:` and `hint:` on stderr,
    or with --json on the line the JSON error document on stdout; exit 2 either way."""
    try:
        yield
    except ClickUsageError as error:
        if type(error).__name__ == "NoArgsIsHelpError":
            raise  # `wheretowatch watchlist` alone: its help, as asked
        words = list(args or [])
        given = words[: words.index("--")] if "--" in words else words
        command = error.ctx.command_path if error.ctx is not None else "wheretowatch"
        usage = UsageError(error.format_message(), hint=f"See {command} --help.")
        Output(json="--json" in given).report(usage)
        raise typer.Exit(ExitCode.USAGE) from None


# What writing to stdout can fail with that is no bug of ours: a full disk or quota, a
# file grown past its limit, a device gone.
_OUTPUT_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


def _failed_output_status(error: OSError, *, flushing: bool = False) -> ExitCode:
    """The one place output that cannot be written becomes a status: 141, quietly, for a
    reader that went away (`wheretowatch dune | head -1`); else one line on stderr and
    74. Any other OSError is no output failure, and is raised again (a bug), except
    while flushing at exit, when all that is left is the output."""
    if error.errno == errno.EPIPE:
        detach_stdout()
        return ExitCode.PIPE_CLOSED
    if error.errno not in _OUTPUT_ERRORS and not flushing:
        raise error
    _output_failed(error)
    return ExitCode.OUTPUT_FAILED


def _output_failed(error: OSError) -> None:
    """Say once, on stderr, that the output could not be written; write no more of it."""
    try:
        if sys.stderr is not None:
            sys.stderr.write(f"error: cannot write the output: {error.strerror or error}.\n")
            sys.stderr.flush()
    except OSError:
        pass  # stderr is gone too: the exit status says it
    detach_stdout()


app = typer.Typer(
    cls=_DefaultToLookup,
    name="wheretowatch",
    help="Where can I watch this? Streaming, rental and purchase options from TMDB and "
    "JustWatch, with trailers.\n\nwheretowatch drawing closer --region GB is short for "
    'wheretowatch lookup "drawing closer" --region GB. Many titles: --from FILE.',
    epilog="A title that is also a command name: wheretowatch lookup help "
    "(or: wheretowatch -- help)",
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish
    rich_markup_mode=None,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        try:
            if sys.stdout is not None:
                _print_version()
        except OSError as error:
            raise typer.Exit(_failed_output_status(error)) from None
        raise typer.Exit()


def _print_version() -> None:
    """The version and the attribution, wrapped between words on a terminal (an address
    never broken), one line each when piped."""
    from rich.text import Text

    from wheretowatch.cli.views.layout import Flow, Flows, words

    lines: list[Flow | Text] = [Text(f"wheretowatch {__version__}")]
    lines += [Flow(words(Text(line))) for line in attribution_lines()]
    Output().print(Output().out, Flows(lines))
    sys.stdout.flush()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    color: Annotated[
        ColorMode,
        typer.Option(
            "--color",
            help="Colour and terminal links: auto (on a terminal; NO_COLOR turns colour "
            "off), always, or never.",
            metavar="WHEN",
        ),
    ] = "auto",
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            envvar="WHERETOWATCH_DEBUG",
            help="Log every request to TMDB on stderr (credentials masked).",
        ),
    ] = False,
) -> None:
    """Where can I watch this?"""
    ctx.obj = RootOptions(color=color)
    if debug:
        ctx.call_on_close(_log_requests())


def _log_requests() -> Callable[[], None]:
    """Show wheretowatch's request log on stderr; returns what undoes it."""
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("debug: %(message)s"))
    logger = logging.getLogger("wheretowatch")
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)

    def stop() -> None:
        logger.removeHandler(handler)
        logger.setLevel(previous)

    return stop


def _build(name: str, command: CommandInfo) -> Any:
    """A command of the registry, built as Typer builds it."""
    import importlib

    module = importlib.import_module(f"wheretowatch.cli.commands.{command.module}")
    made = getattr(module, command.attribute)
    if command.group:
        # As add_typer would have built it (a group of one command stays a group).
        holder = typer.Typer(rich_markup_mode=None)
        holder.add_typer(made)
        (group,) = typer.main.get_group(holder).commands.values()
        return group
    # Completion is installed from the root (--install-completion), not from each command.
    single = typer.Typer(rich_markup_mode=None, add_completion=False)
    single.command(name, cls=WordsCommand if command.words_usage else None)(made)
    return typer.main.get_command(single)


def run() -> None:
    """Run the command line once, as the console script does."""
    try:
        app(prog_name="wheretowatch")
    except SystemExit as exit:
        # What is still buffered is written at exit: if that fails (a full disk), say so
        # once and keep the command's own status unless it claimed success.
        code = exit.code
        try:
            if sys.stdout is not None:
                sys.stdout.flush()
        except OSError as error:
            failed = _failed_output_status(error, flushing=True)
            code = failed if code in (0, None) else code
        raise SystemExit(code) from None
