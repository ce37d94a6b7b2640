"""The `wheretowatch` command: its group, its commands in the order a new user needs them."""

import errno
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer

# Typer vendors Click and exports only BadParameter of its errors; their base class is needed.
# So are its completion classes, to escape bash's completions.
from typer._click.exceptions import UsageError as ClickUsageError
from typer._click.shell_completion import add_completion_class
from typer._completion_classes import BashComplete
from typer.core import TyperCommand, TyperGroup

from wheretowatch import collector
from wheretowatch.attribution import attribution_lines
from wheretowatch.cli import lookup
from wheretowatch.cli.options import COMPLETE_VAR
from wheretowatch.cli.output import ColorMode, Output, RootOptions, detach_stdout, reporting
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
                if error.errno != errno.EPIPE and error.errno not in _OUTPUT_ERRORS:
                    raise
                raise typer.Exit(_failed_output_status(error)) from None

    def main(self, *args: Any, **kwargs: Any) -> Any:
        # --help and the like print while the line is parsed, before any command runs.
        try:
            return super().main(*args, **kwargs)
        except OSError as error:
            if error.errno == errno.EPIPE:
                _quiet_closed_stdout()
                raise SystemExit(ExitCode.PIPE_CLOSED) from None
            if error.errno not in _OUTPUT_ERRORS:
                raise
            _output_failed(error)
            raise SystemExit(ExitCode.OUTPUT_FAILED) from None

    def invoke(self, ctx: Any) -> Any:
        with _usage_errors_as_json(_raw(ctx)):
            try:
                return super().invoke(ctx)
            except OSError as error:
                if error.errno == errno.EPIPE:
                    _quiet_closed_stdout()
                    raise typer.Exit(ExitCode.PIPE_CLOSED) from None
                if error.errno not in _OUTPUT_ERRORS:
                    raise
                _output_failed(error)
                raise typer.Exit(ExitCode.OUTPUT_FAILED) from None

    def _main_shell_completion(self, *args: Any, **kwargs: Any) -> None:
        add_completion_class(_BashComplete, "bash")  # after Typer registered its own
        super()._main_shell_completion(*args, **kwargs)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        ctx.meta[_RAW_ARGS] = list(args)
        own, rest = self._own_options_first(ctx, args)
        command = rest[0] if rest else None
        known = [*self.commands, *_LAZY, *ctx.help_option_names]
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
        names = set(self.commands) | set(_LAZY)
        return sorted(names, key=lambda name: _ORDER.index(name) if name in _ORDER else 99)

    def get_command(self, ctx: Any, name: str) -> Any:
        # Built on first use: a lookup runs without importing or building the other
        # commands (a tenth of a cached lookup's time went on building all of them).
        if name not in self.commands and name in _LAZY:
            self.commands[name] = _LAZY[name]()
        return self.commands.get(name)


class _BashComplete(BashComplete):
    """bash inserts a completion as it is given: "Amazon Prime Video" would become three
    words. Escaped (Amazon\\ Prime\\ Video), it is one; zsh and fish quote for themselves."""

    def format_completion(self, item: Any) -> str:
        return re.sub(_BASH_SPECIAL, r"\\\1", super().format_completion(item))


class _Command(TyperCommand):
    """A command whose usage line reads as words: Typer writes a required argument as
    {TITLE...}; people write TITLE..."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces: list[str] = super().collect_usage_pieces(ctx)
        return [p[1:-1] if p.startswith("{") and p.endswith("}") else p for p in pieces]


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


def _failed_output_status(error: OSError) -> ExitCode:
    """141, quietly, for a reader that went away; else one line on stderr and 74."""
    if error.errno == errno.EPIPE:
        detach_stdout()
        return ExitCode.PIPE_CLOSED
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


def _quiet_closed_stdout() -> None:
    """The reader went away (`wheretowatch dune | head -1`): stop writing, quietly."""
    detach_stdout()


_ORDER = [
    "setup",
    "lookup",
    "search",
    "watchlist",
    "refresh",
    "notify",
    "regions",
    "providers",
    "config",
    "doctor",
    "cache",
    "completion",
    "help",
]

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
                typer.echo(f"wheretowatch {__version__}")
                typer.echo("\n".join(attribution_lines()))
                sys.stdout.flush()
        except OSError as error:
            raise typer.Exit(_failed_output_status(error)) from None
        raise typer.Exit()


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


def help_command(
    ctx: typer.Context,
    words: Annotated[
        list[str] | None,
        typer.Argument(help="A command, as typed after wheretowatch.", metavar="COMMAND..."),
    ] = None,
) -> None:
    """Show the help of wheretowatch, or of a command.

    A title called Help is wheretowatch lookup help.

    \b
    Examples:
      wheretowatch help
      wheretowatch help watchlist add
    """
    output = Output.of(ctx)
    with reporting(output):
        target = ctx.find_root()
        for word in words or []:
            group = target.command
            found = group.get_command(target, word) if hasattr(group, "get_command") else None
            if found is None:
                raise UsageError(
                    f"{' '.join(['wheretowatch', *(words or [])])} is not a command.",
                    hint="wheretowatch help lists the commands.",
                )
            target = typer.Context(found, info_name=word, parent=target)
        typer.echo(target.get_help())


SHELLS = ("bash", "zsh", "fish")


def completion_command(
    ctx: typer.Context,
    shell: Annotated[
        str,
        typer.Argument(
            help="bash, zsh or fish.",
            metavar="SHELL",
            show_default=False,
            autocompletion=lambda incomplete: [s for s in SHELLS if s.startswith(incomplete)],
        ),
    ],
) -> None:
    """Print the shell completion script for SHELL, to source from your shell's startup
    file (--install-completion does that for the shell it detects).

    \b
    Examples:
      wheretowatch completion bash > ~/.local/share/bash-completion/completions/wheretowatch
      wheretowatch completion zsh > "${fpath[1]}/_wheretowatch"
      wheretowatch completion fish > ~/.config/fish/completions/wheretowatch.fish
    """
    # Typer writes the scripts that --install-completion installs; this prints the same.
    from typer._completion_shared import get_completion_script

    with reporting(Output.of(ctx)):
        if shell not in SHELLS:
            raise UsageError(f"No completion script for {shell!r}.", hint="Give bash, zsh or fish.")
        script = get_completion_script(
            prog_name="wheretowatch", complete_var=COMPLETE_VAR, shell=shell
        )
    typer.echo(script.strip())


def _single(name: str, load: Callable[[], Callable[..., Any]], **options: Any) -> Any:
    """A command of one function, built as Typer builds it, when it is first needed."""
    # Completion is installed from the root (--install-completion), not from each command.
    typer_app = typer.Typer(rich_markup_mode=None, add_completion=False)
    typer_app.command(name, **options)(load())
    return typer.main.get_command(typer_app)


def _watchlist_app() -> typer.Typer:
    from wheretowatch.cli import lists, watch

    # Once per process: the app may run many times in one (the tests, the Python API).
    known = {command.name for command in watch.watchlist_app.registered_commands}
    if "import" not in known:
        watch.watchlist_app.command("import")(lists.import_command)
        watch.watchlist_app.command("export")(lists.export_command)
    return watch.watchlist_app


def _group(load: Callable[[], typer.Typer]) -> Callable[[], Any]:
    """A group of commands, built when first needed, as `add_typer` would have built it
    (a group of one command stays a group: `notify test`)."""

    def build() -> Any:
        holder = typer.Typer(rich_markup_mode=None)
        holder.add_typer(load())
        (group,) = typer.main.get_group(holder).commands.values()
        return group

    return build


def _catalog(attribute: str) -> Callable[[], Callable[..., Any]]:
    def load() -> Callable[..., Any]:
        from wheretowatch.cli import catalog

        command: Callable[..., Any] = getattr(catalog, attribute)
        return command

    return load


def _refresh() -> Callable[..., Any]:
    from wheretowatch.cli.refresh import refresh_command

    return refresh_command


def _setup(attribute: str) -> Callable[[], Callable[..., Any]]:
    def load() -> Callable[..., Any]:
        from wheretowatch.cli import setup

        command: Callable[..., Any] = getattr(setup, attribute)
        return command

    return load


def _notify_app() -> typer.Typer:
    from wheretowatch.cli.notify import notify_app

    return notify_app


def _config_app() -> typer.Typer:
    from wheretowatch.cli.config import config_app

    return config_app


def _cache_app() -> typer.Typer:
    from wheretowatch.cli.cache import cache_app

    return cache_app


# Every command but the lookup, by name: imported and built only when it is asked for
# (or listed, by help and completion).
_LAZY: dict[str, Callable[[], Any]] = {
    "search": lambda: _single("search", _catalog("search_command"), cls=_Command),
    "watchlist": _group(_watchlist_app),
    "refresh": lambda: _single("refresh", _refresh),
    "notify": _group(_notify_app),
    "regions": lambda: _single("regions", _catalog("regions_command")),
    "providers": lambda: _single("providers", _catalog("providers_command")),
    "setup": lambda: _single("setup", _setup("setup_command")),
    "config": _group(_config_app),
    "doctor": lambda: _single("doctor", _setup("doctor_command")),
    "cache": _group(_cache_app),
    "completion": lambda: _single("completion", lambda: completion_command, cls=_Command),
    "help": lambda: _single("help", lambda: help_command),
}

app.command(LOOKUP)(lookup.lookup_command)


def main() -> None:
    """Console-script entry point."""
    collector.mark_one_command()
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
            if error.errno == errno.EPIPE:
                _quiet_closed_stdout()
                code = ExitCode.PIPE_CLOSED if code in (0, None) else code
            else:
                _output_failed(error)
                code = ExitCode.OUTPUT_FAILED if code in (0, None) else code
        raise SystemExit(code) from None
