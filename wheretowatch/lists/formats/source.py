"""An export file's bytes as text, checked before any format looks at it.

Exports arrive as UTF-8 with or without a byte-order mark, as UTF-16 from spreadsheet
programs, or as Windows-1252 from older IMDb; a binary file or an empty one must be
refused in words, not read as a list of odd titles. Every format reads the same text
split into the same lines, so the row numbers in problems agree with an editor's.
"""

from wheretowatch.errors import UsageError

MAX_BYTES = 64 * 1024 * 1024
FORMATS_HINT = (
    "wheretowatch reads Letterboxd and IMDb CSV exports, Trakt and TMDB JSON, and text files "
    "with one title a line; --format names the format if it is not recognised."
)


def decode(data: bytes, name: str) -> str:
    if len(data) > MAX_BYTES:
        raise UsageError(
            f"{shown(name)} is {len(data) / 1024 / 1024:.0f} MB; files over "
            f"{MAX_BYTES // 1024 // 1024} MB are not read.",
            hint="Is it a watchlist export? They are far smaller.",
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UsageError(f"{shown(name)} is not valid UTF-16.", hint=FORMATS_HINT) from None
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Older IMDb exports are Windows-1252; its five unassigned bytes become U+FFFD.
        return data.decode("cp1252", errors="replace")


def check_text(text: str, name: str) -> None:
    if "\x00" in text or _looks_binary(text):
        raise UsageError(f"{shown(name)} is not a text file.", hint=FORMATS_HINT)
    if not text.strip():
        raise UsageError(f"{shown(name)} is empty.", hint=FORMATS_HINT)


# What no text holds but binary data is full of: C0 controls other than tab and line ends,
# DEL, and U+FFFD (bytes Windows-1252 leaves unassigned, or UTF-16 that is not).
_BINARY = frozenset(chr(c) for c in (*range(0x20), 0x7F) if chr(c) not in "\t\n\r") | {"\ufffd"}
# Random bytes hold about 12% of them; a text file with a stray form feed, far below 1%.
_BINARY_SHARE = 0.01


def _looks_binary(text: str) -> bool:
    """Whether `text` is binary data that happens to hold no NUL byte (an image, an
    archive): decoded as Windows-1252 any bytes are "text", and every line a title to
    search. A few stray controls are a text file's own (each a row problem)."""
    sample = text[: 1024 * 1024]
    odd = sum(1 for character in sample if character in _BINARY)
    return odd >= 2 and odd > len(sample) * _BINARY_SHARE


def split_lines(text: str) -> list[str]:
    """Physical lines with their ends. Only "\\n" ends one: never U+2028 or a lone "\\r"."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines or [""]


def strip_end(line: str) -> str:
    # Stray carriage returns at the end go too, so a row written back reads the same.
    return line.rstrip("\r\n")


def shown(name: str) -> str:
    return "standard input" if name == "-" else name
