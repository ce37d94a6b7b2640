"""Files shipped in the top-level `config/` directory: packaged defaults and examples."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path


def packaged(name: str) -> Traversable:
    """A file from `config/`, wherever the package is installed."""
    installed = resources.files("wheretowatch").joinpath("config", name)
    if installed.is_file():
        return installed
    # An editable install or a bare checkout has no copy inside the package (the wheel
    # build puts one there); the files are beside the package, in the repository.
    return Path(__file__).resolve().parent.parent / "config" / name


def read_packaged(name: str) -> str:
    return packaged(name).read_text(encoding="utf-8")
