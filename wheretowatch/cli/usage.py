"""Usage lines that read as words, written one way in every command's help."""

from typing import Any

from typer.core import TyperCommand


class WordsCommand(TyperCommand):
    """A command whose usage line reads as words: Typer writes a required argument as
    {TITLE...} or {KEY}; people (and the other commands' help) write TITLE..., KEY."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces: list[str] = super().collect_usage_pieces(ctx)
        return [p[1:-1] if p.startswith("{") and p.endswith("}") else p for p in pieces]
