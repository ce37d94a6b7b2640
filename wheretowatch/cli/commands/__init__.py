"""Every command by name: where it lives and its one-line summary.

The root's --help, `wheretowatch help` and shell completion read the summaries here and
import no command module; a command's module is imported and built only when it runs
(or its own help is asked for). tests/test_commands.py checks that each summary is the
one its command's help starts with, so the two cannot drift apart.
"""

from typing import NamedTuple


class CommandInfo(NamedTuple):
    module: str  # under wheretowatch.cli.commands
    attribute: str  # the command's function, or the group's Typer app
    summary: str
    group: bool = False
    # Usage reads TITLE... rather than Typer's {TITLE...} (see root._Command).
    words_usage: bool = False


# In the order a new user needs them: the order --help lists them in.
COMMANDS: dict[str, CommandInfo] = {
    "setup": CommandInfo(
        "setup",
        "setup_command",
        "Set up in a minute: your TMDB credential, region and services.",
    ),
    "lookup": CommandInfo(
        "lookup",
        "lookup_command",
        "Show where a title can be watched (the default command).",
    ),
    "search": CommandInfo(
        "search",
        "search_command",
        "List a search's candidates, best match first, with their ids.",
        words_usage=True,
    ),
    "browse": CommandInfo(
        "browse",
        "browse_command",
        "Show what streams on your services in your region: popular, well rated or new.",
    ),
    "watchlist": CommandInfo(
        "watchlist",
        "watchlist_app",
        "Titles to watch; refresh reports when they reach a service.",
        group=True,
    ),
    "refresh": CommandInfo(
        "refresh",
        "refresh_command",
        "Fetch watched titles anew and report what changed.",
    ),
    "plan": CommandInfo(
        "plan",
        "plan_command",
        "Rank the services by how many watched titles each streams, and pick the best few.",
    ),
    "upcoming": CommandInfo(
        "upcoming",
        "upcoming_command",
        "List films going digital (to stream, rent or buy) in a region soon, by date.",
    ),
    "notify": CommandInfo(
        "notify",
        "notify_app",
        "Notifications from refresh, through Apprise (an optional extra).",
        group=True,
    ),
    "regions": CommandInfo(
        "regions",
        "regions_command",
        "List the region codes TMDB has availability data for.",
    ),
    "providers": CommandInfo(
        "providers",
        "providers_command",
        "List streaming providers and their ids (for `services`), and which of them each "
        "of your services covers.",
    ),
    "config": CommandInfo(
        "config",
        "config_app",
        "Show the settings and where each came from; change them.",
        group=True,
    ),
    "doctor": CommandInfo(
        "doctor",
        "doctor_command",
        "Check the setup and name every problem at once, each with what to do.",
    ),
    "cache": CommandInfo(
        "cache",
        "cache_app",
        "Inspect or clear the disk cache of TMDB answers.",
        group=True,
    ),
    "completion": CommandInfo(
        "completion",
        "completion_command",
        "Print the shell completion script for SHELL, to source from your shell's "
        "startup file (--install-completion does that for the shell it detects).",
        words_usage=True,
    ),
    "help": CommandInfo(
        "help",
        "help_command",
        "Show the help of wheretowatch, or of a command.",
    ),
}
