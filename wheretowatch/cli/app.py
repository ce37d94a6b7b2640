"""The `wheretowatch` command: its group, its commands in the order a new user needs them."""

import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from wheretowatch.attribution import attribution_lines
from wheretowatch.cli import cache, catalog, config, lookup, refresh, setup, watch
from wheretowatch.cli.output import ColorMode, RootOptions
from wheretowatch.version import __version__

LOOKUP = "lookup"


class _DefaultToLookup(TyperGroup):
    """`wheretowatch TITLE` runs `lookup` when the first word is not a command."""

    # Any: Typer types these with the Context of the Click it vendors, which it does not export.
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        flags, valued = self._own_options(ctx)
        first = 0
        while first < len(args):  # `wheretowatch --debug --color never TITLE`
            word = args[first]
            if word in flags or ("=" in word and word.split("=")[0] in valued):
                first += 1
            elif word in valued:
                first += 2
            else:
                break
        command = args[first] if first < len(args) else None
        if command is not None and command not in self.commands:
            args = [*args[:first], LOOKUP, *args[first:]]
        return super().parse_args(ctx, args)

    def _own_options(self, ctx: Any) -> tuple[set[str], set[str]]:
        """The root command's options, from its declared parameters: (flags, with a value)."""
        flags: set[str] = set()
        valued: set[str] = set()
        for param in self.get_params(ctx):
            names = [*param.opts, *param.secondary_opts]
            if param.param_type_name != "option":
                continue
            (flags if getattr(param, "is_flag", False) else valued).update(names)
        return flags, valued

    def list_commands(self, ctx: Any) -> list[str]:
        # In the order a new user needs them, not alphabetical (nor Typer's commands-first).
        return sorted(self.commands, key=lambda name: _ORDER.index(name) if name in _ORDER else 99)


_ORDER = [
    "setup",
    "lookup",
    "search",
    "watchlist",
    "refresh",
    "regions",
    "providers",
    "config",
    "doctor",
    "cache",
]

app = typer.Typer(
    cls=_DefaultToLookup,
    name="wheretowatch",
    help="Where can I watch this? Streaming, rental and purchase options from TMDB and "
    'JustWatch, with trailers.\n\nwheretowatch "Drawing Closer" --region GB is short for '
    'wheretowatch lookup "Drawing Closer" --region GB.',
    epilog="A title that is also a command name: wheretowatch lookup search "
    "(or: wheretowatch -- search)",
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish
    rich_markup_mode=None,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"wheretowatch {__version__}")
        typer.echo("\n".join(attribution_lines()))
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
            help="Colour and terminal links: auto (on a terminal, unless NO_COLOR is set), "
            "always, or never.",
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


app.command(LOOKUP)(lookup.lookup_command)
app.command("search")(catalog.search_command)
app.add_typer(watch.watchlist_app)
app.command("refresh")(refresh.refresh_command)
app.command("regions")(catalog.regions_command)
app.command("providers")(catalog.providers_command)
app.command("setup")(setup.setup_command)
app.add_typer(config.config_app)
app.command("doctor")(setup.doctor_command)
app.add_typer(cache.cache_app)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="wheretowatch")
