"""Where wheretowatch keeps its files: the config file, the cache and the data directory.

Each has a variable of its own, then the XDG one, then the platform's place; tests and
scripts point all three elsewhere through the environment. Working that out is apart from
reading settings, so that what needs only a directory (the cache commands, `doctor`) says
so, and the one place that may import platformdirs is easy to find.
"""

import sys
from collections.abc import Mapping
from pathlib import Path

APP_NAME = "wheretowatch"
CONFIG_NAME = "config.toml"


def config_file(env: Mapping[str, str]) -> Path:
    """`$WHERETOWATCH_CONFIG_DIR/config.toml`, else the platform's config directory."""
    return _directory(env, "WHERETOWATCH_CONFIG_DIR", "XDG_CONFIG_HOME", ".config") / CONFIG_NAME


def cache_dir(env: Mapping[str, str]) -> Path:
    """`$WHERETOWATCH_CACHE_DIR`, else `$XDG_CACHE_HOME/wheretowatch`, else `~/.cache/…`
    (on Windows and macOS where no XDG variable is set, the platform's own place)."""
    return _directory(env, "WHERETOWATCH_CACHE_DIR", "XDG_CACHE_HOME", ".cache")


def data_dir(env: Mapping[str, str]) -> Path:
    """`$WHERETOWATCH_DATA_DIR`, else `$XDG_DATA_HOME/wheretowatch`, else `~/.local/share/…`."""
    return _directory(env, "WHERETOWATCH_DATA_DIR", "XDG_DATA_HOME", ".local/share")


def _directory(env: Mapping[str, str], own: str, xdg: str, under_home: str) -> Path:
    if env.get(own):
        return Path(env[own])
    if env.get(xdg):
        return Path(env[xdg]) / APP_NAME
    if sys.platform in ("win32", "darwin"):
        # Imported only here: on Linux, or wherever XDG applies, a lookup never pays for it.
        import platformdirs

        place = {
            ".config": platformdirs.user_config_dir,
            ".cache": platformdirs.user_cache_dir,
            ".local/share": platformdirs.user_data_dir,
        }[under_home]
        return Path(place(APP_NAME, appauthor=False))
    return _home(env) / under_home / APP_NAME


def _home(env: Mapping[str, str]) -> Path:
    return Path(env["HOME"]) if env.get("HOME") else Path.home()


def directory_source(env: Mapping[str, str], *names: str) -> str:
    """The first of the variables `names` that is set, else "default": where a directory
    setting came from, for `config`."""
    for name in names:
        if env.get(name):
            return name
    return "default"
