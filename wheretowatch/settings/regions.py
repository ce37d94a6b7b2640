"""Region codes: parse `--region GB,US` / `all`, check codes offline, suggest fixes.

Codes are checked against ISO 3166-1 (shipped in `config/regions.tsv`) rather than
TMDB's live list, so a lookup needs no extra request; a code TMDB has no data for is
not an error, just a region with nothing to show.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from wheretowatch.errors import UsageError, WheretowatchError
from wheretowatch.models import ALL_REGIONS, RegionSelection
from wheretowatch.resources import read_packaged
from wheretowatch.settings.values import ECHOED, echoed

ALL = ALL_REGIONS

# Codes people type that ISO 3166-1 spells otherwise.
_ALIASES = {"UK": "GB", "EL": "GR"}


@cache
def known_regions() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code to English name."""
    regions = {}
    for line in read_packaged("regions.tsv").splitlines():
        if line and not line.startswith("#"):
            code, _, name = line.partition("\t")
            regions[code] = name
    return regions


def select_regions(
    spec: str | Sequence[str], source: str, *, error: type[WheretowatchError] = UsageError
) -> RegionSelection:
    """Parse "GB,US", ["GB", "US"] or "all" into a selection, or explain what is wrong.

    `error` is the class to raise: a bad flag is a usage error, a bad file a config error.
    """
    items = [spec] if isinstance(spec, str) else list(spec)
    parts = [part.strip() for item in items for part in item.split(",") if part.strip()]
    if not parts:
        raise error(f"The region setting from {source} is empty.", hint=_EXAMPLE_HINT)
    if [p.lower() for p in parts] == [ALL]:
        return RegionSelection(codes=(), source=source, all_regions=True)
    codes = []
    for part in parts:
        code = part.upper()
        # "UK" is what people in Great Britain type; ISO (and TMDB) call it GB.
        code = _ALIASES.get(code, code) if code not in known_regions() else code
        if code not in known_regions():
            raise error(
                f"Unknown region code {echoed(part)} (from {source}).",
                hint=suggest_regions(part),
            )
        if code not in codes:
            codes.append(code)
    return RegionSelection(codes=tuple(codes), source=source)


def suggest_regions(text: str) -> str:
    """A hint naming the valid codes closest to what was typed."""
    import difflib  # only needed to explain a mistake

    regions = known_regions()
    upper = text.strip().upper()
    if len(upper) > ECHOED:
        return _EXAMPLE_HINT  # no name is that long: nothing to compare
    if upper in _ALIASES:
        code = _ALIASES[upper]
        return f"Did you mean {code} ({regions[code]})?"
    by_name = {name.upper(): code for code, name in regions.items()}
    codes = [code for name, code in by_name.items() if len(upper) >= 2 and name.startswith(upper)]
    codes += [by_name[n] for n in difflib.get_close_matches(upper, list(by_name), n=3, cutoff=0.6)]
    if len(upper) == 2:
        # One letter off is the usual typo in a two-letter code; the first letter is
        # more often right than the second.
        near = [c for c in regions if sum(a != b for a, b in zip(c, upper, strict=True)) == 1]
        codes += sorted(near, key=lambda code: code[0] != upper[0])
    picks = list(dict.fromkeys(codes))[:5]
    if not picks:
        return _EXAMPLE_HINT
    listed = ", ".join(f"{code} ({regions[code]})" for code in picks)
    return f"Closest valid codes: {listed}. `wheretowatch regions` lists them all."


_EXAMPLE_HINT = "Use two-letter codes such as GB, US or JP, several with commas, or all."


def complete_regions(incomplete: str, names: dict[str, str]) -> list[tuple[str, str]]:
    """Shell completions for a region setting, the last of a comma list: (value, help),
    in the case typed ("g" -> "gb", "G" -> "GB")."""
    head, comma, last = incomplete.rpartition(",")
    prefix = head + comma
    # In the case typed: zsh and fish offer only what starts with the word as typed.
    typed_lower = last.islower()
    choices = [
        (prefix + (code.lower() if typed_lower else code), name)
        for code, name in sorted(names.items())
        if code.startswith(last.upper())
    ]
    if not head and ALL.startswith(last.lower()):
        choices.insert(0, (ALL, "every region TMDB has data for"))
    return choices
