"""Plain text: one title a line, the simplest list to make by hand or from another tool.

What a line means ("Title (1999)", a tt id, a TMDB address) is worked out when it is
matched, as for a typed lookup; here a line is only a title to check. Blank lines and
"# comments" are skipped, but "#Alive" (2020) is a film.
"""

import re

from wheretowatch.lists.formats.fields import read_title
from wheretowatch.lists.formats.rows import (
    ImportFile,
    ImportFormat,
    ImportRow,
    RowError,
    RowProblem,
)
from wheretowatch.lists.formats.source import split_lines, strip_end

# A comment is "#" followed by a space, another "#" or nothing.
_COMMENT = re.compile(r"#(?:\s|#|$)")


def read_text(text: str) -> ImportFile:
    rows: list[ImportRow] = []
    problems: list[RowProblem] = []
    for number, line in enumerate(split_lines(text.removeprefix("\ufeff")), 1):
        raw = strip_end(line)
        stripped = raw.strip()
        if not stripped or _COMMENT.match(stripped):
            continue
        try:
            rows.append(ImportRow(row=number, title=read_title(raw, fold=False), raw=raw))
        except RowError as exc:
            problems.append(RowProblem(number, str(exc), raw))
    return ImportFile(ImportFormat.TEXT, tuple(rows), tuple(problems), header="")
