"""How to add Apprise to this installation: the command differs with the installer.

"pip install 'wheretowatch[notify]'" is wrong for a pipx or uv tool install: it would go
to another Python. The installer is told by the marker files it leaves in the
environment wheretowatch runs from (`sys.prefix`).
"""

import sys
from pathlib import Path

PIPX = "pipx inject wheretowatch apprise"
UV = "uv tool install --force --with apprise wheretowatch"
PIP = "pip install 'wheretowatch[notify]'"


def install_apprise(prefix: str | None = None, base_prefix: str | None = None) -> str:
    """The command that adds Apprise to the environment at `prefix` (this one's)."""
    here = Path(prefix if prefix is not None else sys.prefix)
    base = base_prefix if base_prefix is not None else sys.base_prefix
    if (here / "pipx_metadata.json").is_file():
        return PIPX
    if (here / "uv-receipt.toml").is_file():
        return UV
    if str(here) != base:
        # A virtual environment: its own pip, whichever one is first on PATH.
        return f"{here / 'bin' / 'python'} -m {PIP}"
    return PIP
