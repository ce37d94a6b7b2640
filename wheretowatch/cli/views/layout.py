"""Lines that wrap the way people read them at 80 columns, or 60.

Rich wraps a text at any space: a provider list breaks inside "Amazon Prime Video", and a
wrapped line of `watchlist list` restarts at column 0, reading as a new title. Here a line
is a run of pieces (a name with the ", " after it, a label, a title) that are never broken
inside, and the lines a wrap adds start under the first line's text (a hanging indent).
A piece wider than a whole line is folded: nothing is ever cut.

Piped, nothing wraps: a line stays one line, for grep (`Output.print` writes `as_text()`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.measure import Measurement
from rich.text import Span, Text

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions


class Flow:
    """One line of unbreakable pieces; lines added by wrapping start at `indent`."""

    def __init__(self, pieces: Sequence[Text], indent: int = 0) -> None:
        self.pieces = [piece for piece in pieces if piece.plain]
        self.indent = indent

    def as_text(self) -> Text:
        return Text().join(self.pieces)

    def lines(self, width: int) -> Text:
        """The pieces laid out in lines of at most `width` cells, as one Text."""
        width = max(width, self.indent + 1)
        laid = Text(overflow="fold")
        column = 0
        for piece in self.pieces:
            needed = cell_len(piece.plain.rstrip())
            if column > self.indent and column + needed > width:
                laid.rstrip()
                laid.append("\n" + " " * self.indent)
                column = self.indent
                piece = _without_leading_spaces(piece)
            laid.append_text(piece)
            column += cell_len(piece.plain)
        laid.rstrip()
        return laid

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        yield self.lines(options.max_width)

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
        width = options.max_width
        yield Text("\n").join(
            flow.lines(width) if isinstance(flow, Flow) else flow for flow in self.flows
        )


def names(texts: Sequence[Text], separator: str = ", ") -> list[Text]:
    """Names as pieces of a Flow, each with the separator after it: a list breaks only
    after a separator, never inside a name."""
    last = len(texts) - 1
    return [text + separator if index < last else text for index, text in enumerate(texts)]


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
        yield from Flows(self.flows()).__rich_console__(console, options)
