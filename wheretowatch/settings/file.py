"""The config file as the user keeps it: read for checking, changed one key at a time.

    path = config_file(os.environ)
    set_values(path, {"region": ["GB", "US"], "timeout": 20})   # keeps comments and order
    set_values(path, {"services": None})                        # None removes the key
    problems(path)                                              # every problem, not the first

Writes go through tomlkit, which keeps the user's comments, other keys and their order,
and land atomically (a temporary file renamed over the old one) with mode 0600: the file
may hold the TMDB credential. Only `setup`, `config` and `doctor` import this module, so
a lookup never loads tomlkit.
"""

from __future__ import annotations

import contextlib
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path

import tomlkit
from tomlkit.exceptions import ParseError

from wheretowatch.errors import ConfigError, UsageError, WheretowatchError
from wheretowatch.files import make_private_directory, read_regular_file, reason, replace_file
from wheretowatch.settings.loading import (
    MASKED_KEYS,
    MAX_CONFIG_FILE,
    known_keys,
    line_of,
    parse_value,
    toml_error,
)
from wheretowatch.settings.values import prices_from_words

# A config file is a few hundred bytes; anything far larger is not one.
_NUMBER_KEYS = frozenset({"timeout", "connect_timeout", "cache_size_mb", "rate_limit"})
_LIST_KEYS = frozenset({"services"})
_TTL_KEYS = frozenset({"ttl_search", "ttl_title", "ttl_lists"})


def read_text(path: Path) -> str | None:
    """The file's text, None if it does not exist."""
    data = read_regular_file(path, limit=MAX_CONFIG_FILE, error=ConfigError, what="the config file")
    if data is None:
        return None
    try:
        return data.decode("utf-8-sig")  # as the settings read it: Notepad starts with a BOM
    except UnicodeDecodeError:
        raise ConfigError(
            f"The config file {path} is not UTF-8 text.", hint="Save it as UTF-8, or move it away."
        ) from None


def read_values(path: Path) -> dict[str, object]:
    """The file's settings as TOML gives them ({} if there is no file)."""
    text = read_text(path)
    return {} if text is None else _parse(text, path)


def value_from_words(key: str, words: Sequence[str]) -> object:
    """The TOML value `config set KEY WORDS...` means, checked as the file is when read.

    Raises UsageError (exit 2): the words were typed on the command line.
    """
    if key not in known_keys():
        raise _unknown_key(key, "`config set`", UsageError)
    if not words:
        raise UsageError(
            f"`config set {key}` needs a value.",
            hint=f"Give it after the key: wheretowatch config set {key} VALUE "
            f"(or `wheretowatch config unset {key}`).",
        )
    value: object
    if key == "notify":
        value = list(words)  # URLs, kept as typed
    elif key == "prices":
        try:
            value = prices_from_words(words)
        except ValueError as exc:
            raise UsageError(
                f"Invalid prices for `config set`: {exc}.",
                hint="Give each as SERVICE=PRICE: wheretowatch config set prices Netflix=10.99 "
                '"Disney Plus=7.99"',
            ) from None
    elif key in _LIST_KEYS:
        value = [int(word) if word.isascii() and word.isdigit() else word for word in words]
    elif key == "region" and len(words) > 1:
        value = list(words)
    elif len(words) > 1:
        raise UsageError(
            f"`config set {key}` takes one value, not {len(words)}.",
            hint="Quote a value that contains spaces.",
        )
    else:
        value = _scalar(key, words[0])
    parse_value(key, value, "`config set`", error=UsageError)
    return value


def set_values(path: Path, changes: Mapping[str, object | None]) -> None:
    """Set (or, for None, remove) keys in the file, keeping everything else as it is;
    create the file (mode 0600) if there is none. Under a lock: two `config set` (or a
    `setup`) at once must not each write the file as it was before the other."""
    from wheretowatch.datafile import locked

    try:
        make_private_directory(path.parent)
    except OSError as exc:
        raise ConfigError(f"Cannot create the directory of {path}: {reason(exc)}.") from None
    with locked(path.parent / ".config.lock", timeout=10.0, what="changing the config file"):
        write_private(path, edited(read_text(path) or "", changes, path))


def edited(text: str, changes: Mapping[str, object | None], path: Path) -> str:
    """The file's text with the changes made and everything else kept."""
    try:
        document = tomlkit.parse(text)
    except ParseError as exc:
        raise _not_toml(path, exc) from None
    for key, value in changes.items():
        if value is None:
            document.pop(key, None)
        else:
            document[key] = value
    written = tomlkit.dumps(document)
    # What tomllib (the reader) makes of the new text must be what was asked for.
    check = tomllib.loads(written)
    assert all(check.get(k) == v for k, v in changes.items()), "tomlkit round trip"
    return written


def problems(path: Path) -> list[WheretowatchError]:
    """Every problem in the file (an unknown key, a bad value), each naming the file, the
    key and its line; [] for a good file or none at all."""
    try:
        values = read_values(path)
    except ConfigError as error:
        return [error]
    found: list[WheretowatchError] = []
    for key, raw in values.items():
        if key not in known_keys():
            found.append(_unknown_key(key, f"the config file {path}{line_of(path, key)}"))
            continue
        try:
            parse_value(key, raw, f"config file {path}{line_of(path, key)}")
        except WheretowatchError as error:
            found.append(error)
    return found


def write_private(path: Path, text: str) -> None:
    """Replace `path` with `text` atomically, readable and writable by the user alone."""
    try:
        make_private_directory(path.parent)
    except OSError as exc:
        raise ConfigError(f"Cannot create the directory of {path}: {reason(exc)}.") from None
    replace_file(path, text, error=ConfigError, what=f"the config file {path}")


def as_toml(value: object) -> str:
    """A value as the file spells it: ["GB", "US"], 20, "6h"."""
    return tomlkit.item(value).as_string()


def masked(text: str) -> str:
    """The file's text with every secret's value replaced (credentials, and notification
    URLs, which carry their service's key), for showing it. Read as TOML, not line by line:
    a value may span lines (a multi-line string, a list), and a "]" inside a URL is no end.
    Text that is not TOML is not shown at all: its secrets cannot be found for certain."""
    try:
        document = tomlkit.parse(text)
    except ParseError:
        return "(not shown: the file is not valid TOML)\n"
    for key in MASKED_KEYS & set(document):
        hidden = tomlkit.string("(hidden)")
        document[key] = hidden
        # Its comment too: "# the old token: ey…" is a comment people write.
        hidden.trivia.comment = hidden.trivia.comment_ws = ""
    shown = document.as_string()
    # "(hidden)" is no TOML string a user would write: shown bare, it reads as a placeholder.
    return shown.replace('"(hidden)"', "(hidden)")


def _parse(text: str, path: Path) -> dict[str, object]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise toml_error(path, str(exc)) from None


def _not_toml(path: Path, exc: ParseError) -> ConfigError:
    return ConfigError(
        f"The config file {path} is not valid TOML (line {exc.line}, column {exc.col}); "
        "it has been left as it is.",
        hint="Fix that line, or run `wheretowatch config edit`.",
    )


def _unknown_key(
    key: str, where: str, error: type[WheretowatchError] = ConfigError
) -> WheretowatchError:
    import difflib  # only needed to explain a mistake

    close = difflib.get_close_matches(key, known_keys(), n=1)
    hint = f"Did you mean {close[0]!r}?" if close else f"Known keys: {', '.join(known_keys())}."
    return error(f"Unknown key {key!r} in {where}.", hint=hint)


def _scalar(key: str, word: str) -> object:
    if key == "concurrency" or key in _NUMBER_KEYS or key in _TTL_KEYS:
        for kind in (int, float):
            with contextlib.suppress(ValueError):
                return kind(word)
    return word
