"""Lines that wrap the way people read them at 80 columns, or 60.

Rich wraps a text at any space: a provider list breaks inside "Amazon Prime Video", and a
wrapped line of `watchlist list` restarts at column 0, reading as a new title. Here a line
is a run of pieces (a name with the ", " after it, a label, a title) that are never broken
inside, and the lines a wrap adds start under the first line's text (a hanging indent).
A piece wider than a whole line is folded: nothing is ever cut.

Piped, nothing wraps: a line stays one line, for grep (`Output.print` writes `as_text()`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.measure import Measurement
from rich.text import Span, Text

from wheretowatch.cli.views.text import safe, visible

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions


class Alone(Text):
    """A piece printed on a line of its own and never wrapped by us: a command to copy,
    or a path. Wider than the terminal, the terminal folds it, so a copy still pastes it
    whole."""


class Whole(Alone):
    """A piece never broken (an address, a path): on the line it is on when it fits,
    else alone on the next one, like an `Alone` piece."""


class Flow:
    """One line of unbreakable pieces; lines added by wrapping start at `indent`."""

    def __init__(self, pieces: Sequence[Text], indent: int = 0) -> None:
        self.pieces = [piece for piece in pieces if piece.plain]
        self.indent = indent

    def as_text(self) -> Text:
        return Text().join(self.pieces)

    def lines(self, width: int) -> list[Text]:
        """The pieces laid out in lines of at most `width` cells (but for `Alone` pieces,
        which keep a line whole): Texts to print one after another."""
        width = max(width, self.indent + 1)
        done: list[Text] = []
        laid = Text(overflow="fold")
        column = 0
        fresh = False  # at the start of a line after an Alone one
        for piece in self.pieces:
            needed = cell_len(piece.plain.rstrip())
            if isinstance(piece, Whole) and column + needed <= width:
                laid.append_text(piece)  # it fits where it is: no line of its own
                column += cell_len(piece.plain)
                continue
            if isinstance(piece, Alone):
                if laid.plain.strip():
                    laid.rstrip()
                    done.append(laid)
                # Indented when it fits so; else from column 0, folded by the terminal.
                fits = self.indent + needed <= width
                margin = " " * self.indent if (done or column) and fits else ""
                done.append(Text(margin, no_wrap=True, overflow="ignore") + piece)
                laid, column = Text(" " * self.indent, overflow="fold"), self.indent
                fresh = True
                continue
            if fresh:
                piece, fresh = _without_leading_spaces(piece), False
            needed = cell_len(piece.plain.rstrip())
            if column > self.indent and column + needed > width:
                laid.rstrip()
                laid.append("\n" + " " * self.indent)
                column = self.indent
                piece = _without_leading_spaces(piece)
            room = width - column
            while cell_len(piece.plain.rstrip()) > room > 0:
                # Wider than a whole line: folded here, each part under the first.
                cut = _fitting(piece.plain, room)
                laid.append_text(piece[:cut])
                laid.append("\n" + " " * self.indent)
                piece, column, room = piece[cut:], self.indent, width - self.indent
            laid.append_text(piece)
            column += cell_len(piece.plain)
        if laid.plain.strip() or not done:
            laid.rstrip()
            done.append(laid)
        return done

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        yield from self.lines(options.max_width)

    def texts(self, width: int) -> Iterator[Text]:
        return iter(self.lines(width))

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        # A table gives a Flow no less than its widest piece, so names stay whole, and
        # takes width from it before a column whose words would break.
        widths = [cell_len(piece.plain.strip()) for piece in self.pieces] or [0]
        whole = cell_len(self.as_text().plain.rstrip())
        return Measurement(min(max(widths) + self.indent, whole), whole).clamp(
            max_width=options.max_width
        )


class Flows:
    """Many Flows printed as one renderable: a watchlist of thousands prints at once."""

    def __init__(self, flows: Iterable[Flow | Text]) -> None:
        self.flows = list(flows)

    def as_text(self) -> Text:
        return Text("\n").join(
            flow.as_text() if isinstance(flow, Flow) else flow for flow in self.flows
        )

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        yield from self.texts(options.max_width)

    def texts(self, width: int) -> Iterator[Text]:
        """Joined into as few Texts as the Alone pieces allow: one print, not thousands.
        A Text that must not be wrapped (an Alone line) has `no_wrap` set."""
        run: list[Text] = []
        for flow in self.flows:
            for text in flow.lines(width) if isinstance(flow, Flow) else [flow]:
                if text.no_wrap:
                    if run:
                        yield Text("\n").join(run)
                        run = []
                    yield text
                else:
                    run.append(text)
        if run:
            yield Text("\n").join(run)


def words(text: Text) -> list[Text]:
    """A text as pieces that break between words, as prose does; a long path is alone on
    its line, never broken."""
    pieces, start = [], 0
    plain = text.plain
    for index, char in enumerate(plain):
        if char == " " and index + 1 < len(plain) and plain[index + 1] != " ":
            pieces.append(text[start : index + 1])
            start = index + 1
    pieces.append(text[start:])
    return [part for piece in pieces for part in _alone_if_path(piece)]


def _alone_if_path(piece: Text) -> list[Text]:
    found = _PATH.fullmatch(piece.plain)
    if found is None or len(found["path"]) <= LONG_PATH:
        return [piece]
    # Brackets and a full stop around it are no part of it: they stay beside it.
    before, after = found["before"], found["after"]
    return [
        *([Text(before, style=piece.style)] if before else []),
        Whole(found["path"], style=piece.style),
        *([Text(after, style=piece.style)] if after else []),
    ]


_PATH = re.compile(r"(?P<before>\s*\(?)(?P<path>(?:/|~/|https?://)\S*?)(?P<after>[).,;:]*\s*)")


# A path or address longer than this is never broken: on its line when it fits, else on
# a line of its own (a short one may fold like any word).
LONG_PATH = 12


def names(texts: Sequence[Text], separator: str = ", ") -> list[Text]:
    """Names as pieces of a Flow, each with the separator after it: a list breaks only
    after a separator, never inside a name."""
    last = len(texts) - 1
    return [text + separator if index < last else text for index, text in enumerate(texts)]


def _fitting(plain: str, cells: int) -> int:
    """How many characters of `plain` fill at most `cells` columns (a CJK character takes
    two), and at least one, so that folding always moves on."""
    used = 0
    for index, char in enumerate(plain):
        used += cell_len(char)
        if used > cells:
            return max(index, 1)
    return len(plain)


def _without_leading_spaces(piece: Text) -> Text:
    stripped = len(piece.plain) - len(piece.plain.lstrip(" "))
    return piece[stripped:] if stripped else piece


class Lines:
    """Lines built from plain strings and spans (thousands of lines in one Text, fast), each
    with the places it may break and the indent its wrapped part takes. Piped it is its
    text; on a terminal each line is laid out as a Flow of the pieces between breaks."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._spans: list[Span] = []
        self._length = 0
        # Per line: where it starts, its hanging indent, and where it may break.
        self._lines: list[tuple[int, int, list[int]]] = []

    def line(self, indent: int = 0) -> None:
        """Start a line (after the first, a line break); wrapped, it continues at `indent`."""
        if self._lines:
            self.add("\n")
        self._lines.append((self._length, indent, []))

    def add(self, text: str, style: str = "") -> None:
        if style and text:
            self._spans.append(Span(self._length, self._length + len(text), style))
        self._parts.append(text)
        self._length += len(text)

    def may_break(self) -> None:
        """The line may wrap here (before what is added next)."""
        self._lines[-1][2].append(self._length)

    def as_text(self) -> Text:
        return Text("".join(self._parts), spans=self._spans)

    def flows(self) -> list[Flow]:
        text = self.as_text()
        ends = [start - 1 for start, _, _ in self._lines[1:]] + [self._length]
        laid = []
        for (start, indent, breaks), end in zip(self._lines, ends, strict=True):
            cuts = [start, *breaks, end]
            laid.append(Flow([text[a:b] for a, b in pairwise(cuts)], indent))
        return laid

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        yield from self.texts(options.max_width)

    def texts(self, width: int) -> Iterator[Text]:
        return Flows(self.flows()).texts(width)


_COMMAND = re.compile(r"Run: (?P<run>.+?)(?=$|\. )|(?P<code>`[^`]*`)")


def prose(text: str, style: str = "") -> list[Text]:
    """Untrusted words as pieces that break between words, but never inside a `quoted`
    command, and with a command after "Run: " alone on its line, to copy whole."""
    pieces: list[Text] = []
    start = 0
    for match in _COMMAND.finditer(text):
        before = text[start : match.start()] + ("Run: " if match["run"] else "")
        pieces += words(safe(before, style)) if before else []
        if match["run"]:
            pieces.append(Alone(visible(match["run"]), style=style))
        else:
            pieces.append(safe(match["code"], style))
        start = match.end()
    rest = text[start:]
    return pieces + (words(safe(rest, style)) if rest else [])
