"""Files shipped in the top-level `config/` directory: packaged defaults and examples.

Read as plain files beside the package: a wheel installs them at `wheretowatch/config/`,
a checkout has them in the repository's `config/`. (Not importlib.resources: it costs a
cached lookup several milliseconds of imports, and wheretowatch is never run from a zip.)
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def packaged(name: str) -> Path:
    """A file from `config/`, wherever the package is installed."""
    installed = _PACKAGE / "config" / name
    if installed.is_file():
        return installed
    # An editable install or a bare checkout has no copy inside the package (the wheel
    # build puts one there); the files are beside the package, in the repository.
    return _PACKAGE.parent / "config" / name


def read_packaged(name: str) -> str:
    return packaged(name).read_text(encoding="utf-8")
