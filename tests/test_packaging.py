"""The package as users get it: the built wheel, installed into a fresh environment."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

import wheretowatch

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (built,) = out.glob("wheretowatch-*.whl")
    return built


def test_the_wheel_ships_config_and_type_information(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for packaged in (
        "wheretowatch/config/regions.tsv",
        "wheretowatch/config/config.example.toml",
        "wheretowatch/config/crontab.example",
        "wheretowatch/config/wheretowatch-refresh.service",
        "wheretowatch/config/wheretowatch-refresh.timer",
        "wheretowatch/py.typed",
    ):
        assert packaged in names
    assert not any(name.startswith("tests/") for name in names)
    assert f"wheretowatch-{wheretowatch.__version__}.dist-info/licenses/LICENSE" in names


@pytest.mark.slow
def test_the_wheel_installs_and_runs_in_a_fresh_environment(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)]
    subprocess.run(pip, check=True, capture_output=True, timeout=600)
    result = subprocess.run(
        [str(venv / "bin" / "wheretowatch"), "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"wheretowatch {wheretowatch.__version__}\n")
    assert "not endorsed or certified by TMDB" in result.stdout
    config = subprocess.run(
        [str(venv / "bin" / "wheretowatch"), "config", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert '"language"' in config.stdout  # read from the packaged defaults in the wheel


def test_one_source_for_the_version() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "version" in project["dynamic"]
    changelog = (ROOT / "CHANGELOG.md").read_text()
    # The newest entry's version, not merely one somewhere in the file.
    newest = next(line for line in changelog.splitlines() if line.startswith("## ["))
    assert newest.startswith(f"## [{wheretowatch.__version__}]")
