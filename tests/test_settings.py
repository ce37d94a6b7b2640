"""Settings: precedence, sources, the locale, and config-file errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from wheretowatch.errors import ConfigError, UsageError
from wheretowatch.models import RegionSelection
from wheretowatch.settings.defaults import DEFAULTS
from wheretowatch.settings.loading import load_settings
from wheretowatch.settings.paths import config_file
from wheretowatch.settings.regions import select_regions, suggest_regions


def env_with(tmp_path: Path, **values: str) -> dict[str, str]:
    return {"WHERETOWATCH_CONFIG_DIR": str(tmp_path), **values}


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    path.chmod(0o600)
    return path


def test_config_file_location(tmp_path: Path) -> None:
    assert config_file({"WHERETOWATCH_CONFIG_DIR": "/a"}) == Path("/a/config.toml")
    assert config_file({"XDG_CONFIG_HOME": "/x"}) == Path("/x/wheretowatch/config.toml")
    assert config_file({"HOME": "/h"}) == Path("/h/.config/wheretowatch/config.toml")


def test_packaged_defaults_apply_with_nothing_else(tmp_path: Path) -> None:
    settings = load_settings({}, env_with(tmp_path))
    assert settings.language == "en-US"
    assert settings.tmdb_url == "https://api.themoviedb.org"
    assert (settings.timeout, settings.connect_timeout) == (10.0, 5.0)
    assert (settings.services, settings.cache_size_mb) == ((), 100)
    assert (settings.rate_limit, settings.concurrency) == (35, 8)
    assert settings.region is None
    assert settings.source("language") == "default"
    assert all(settings.source(key) == "default" for key in DEFAULTS)


def test_precedence_flag_env_file_locale_default(tmp_path: Path) -> None:
    write_config(tmp_path, 'region = "FR"\nlanguage = "fr"\n')
    env = env_with(tmp_path, LANG="de_DE.UTF-8", WHERETOWATCH_REGION="GB")
    settings = load_settings({"region": "JP", "language": None}, env)
    assert settings.region == RegionSelection(("JP",), "--region")
    assert settings.language == "fr"
    assert settings.source("language").startswith("config file")
    settings = load_settings({}, env)
    assert settings.region == RegionSelection(("GB",), "WHERETOWATCH_REGION")


@pytest.mark.parametrize(
    ("env", "region", "language"),
    [
        ({"LANG": "en_GB.UTF-8"}, "GB", "en-GB"),
        ({"LC_ALL": "ja_JP.eucJP@mod", "LANG": "en_US.UTF-8"}, "JP", "ja-JP"),
        ({"LC_MESSAGES": "pt_BR", "LANG": "en_US"}, "BR", "pt-BR"),
        ({"LC_ALL": "C.UTF-8", "LANG": "en_GB.UTF-8"}, None, "en-US"),  # LC_ALL decides
        ({"LANG": "POSIX"}, None, "en-US"),
        ({"LANG": "fr"}, None, "fr"),
    ],
)
def test_region_and_language_from_the_locale(
    tmp_path: Path, env: dict[str, str], region: str | None, language: str
) -> None:
    settings = load_settings({}, env_with(tmp_path, **env))
    assert (settings.region.codes if settings.region else None) == ((region,) if region else None)
    assert settings.language == language


def test_config_file_values_are_checked(tmp_path: Path) -> None:
    write_config(tmp_path, 'region = ["GB", "US"]\nservices = ["Netflix", 337]\ntimeout = 3\n')
    settings = load_settings({}, env_with(tmp_path))
    assert settings.region is not None
    assert settings.region.codes == ("GB", "US")
    assert settings.services == ("Netflix", "337")
    assert settings.timeout == 3.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('region = "GB"\nlanguage = \n', "line 2"),
        ('regoin = "GB"\n', "Did you mean 'region'"),
        ("timeout = -1\n", "Invalid timeout"),
        ('timeout = "soon"\n', "Invalid timeout"),
        ("services = [true]\n", "Invalid services"),
        ('tmdb_url = "file:///etc/passwd"\n', "Invalid tmdb_url"),
    ],
)
def test_bad_config_files_are_config_errors(tmp_path: Path, text: str, message: str) -> None:
    path = write_config(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings({}, env_with(tmp_path))
    assert message in f"{caught.value.message} {caught.value.hint}"
    if "line" in message or "Did you mean" in message:
        assert str(path) in caught.value.message


def test_unreadable_config_file_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "config.toml").mkdir()
    with pytest.raises(ConfigError, match="is not a regular file"):
        load_settings({}, env_with(tmp_path))


def test_bad_flag_values_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="Invalid language"):
        load_settings({"language": "not a language"}, env_with(tmp_path))


def test_a_rejected_secret_is_never_echoed(tmp_path: Path) -> None:
    write_config(tmp_path, 'api_token = ["secret-in-a-list"]\n')
    with pytest.raises(ConfigError) as caught:
        load_settings({}, env_with(tmp_path))
    assert "secret-in-a-list" not in caught.value.message


def test_display_values_mask_secrets(tmp_path: Path) -> None:
    settings = load_settings({}, env_with(tmp_path, TMDB_API_TOKEN="abcdefgh"))
    shown = settings.display_values()
    assert shown["api_token"] == "set, hidden (8 characters)"
    assert "abcdefgh" not in repr(shown)


def test_region_selection_parses_lists_and_all() -> None:
    assert select_regions("gb, US,gb", "x").codes == ("GB", "US")
    assert select_regions("ALL", "x").all_regions
    assert select_regions(["gb", "us,jp"], "x").codes == ("GB", "US", "JP")
    with pytest.raises(ConfigError, match="'ZZ'"):
        select_regions("ZZ", "the config file", error=ConfigError)
    with pytest.raises(UsageError, match="empty"):
        select_regions(" , ", "x")
    with pytest.raises(UsageError, match="'ZZ'"):
        select_regions("GB,ZZ", "x")


def test_region_suggestions() -> None:
    assert "GB (United Kingdom)" in suggest_regions("UK")
    assert "DE (Germany)" in suggest_regions("Germany")
    assert suggest_regions("JA").startswith("Closest valid codes: JM (Jamaica), JP (Japan)")
    assert "JP (Japan)" in suggest_regions("JQ")
    assert "GB" in suggest_regions("1!")  # nothing close: an example instead
