"""Hostile data that must not stick: values TMDB, an import or an old watchlist file
hands over that no title has, which once stored would break every later run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TOKEN, RunCli
from tests.fake_tmdb import FakeTMDB

pytestmark = pytest.mark.usefixtures("online")

DRAWING_CLOSER = 1291559
HUGE = "x" * 70_000


@pytest.fixture(autouse=True)
def region(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHERETOWATCH_REGION", "GB")


@pytest.fixture
def data_dir(isolated: Path) -> Path:
    return isolated / "xdg-data" / "wheretowatch"


def _cli(*args: str, fake: FakeTMDB) -> subprocess.CompletedProcess[str]:
    """The console script in its own process: a traceback would show on its stderr."""
    env = {
        **os.environ,
        "TMDB_API_TOKEN": TOKEN,
        "WHERETOWATCH_TMDB_URL": fake.url,
        "PYTHONIOENCODING": "utf-8",
    }
    code = "from wheretowatch.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=60
    )


def test_a_huge_language_from_tmdb_is_not_stored_and_breaks_no_later_run(
    run: RunCli, fake: FakeTMDB, data_dir: Path
) -> None:
    fake.movies[DRAWING_CLOSER] = {**fake.movies[DRAWING_CLOSER], "original_language": HUGE}
    assert run("watchlist", "add", "--tmdb-id", str(DRAWING_CLOSER)).exit_code == 0
    stored = json.loads((data_dir / "watchlist.json").read_text())["titles"][0]
    assert stored["original_language"] is None
    assert run("refresh").exit_code == 0
    assert run("watchlist", "list").exit_code == 0


def test_a_huge_language_already_stored_is_ignored_with_a_warning(
    run: RunCli, fake: FakeTMDB, data_dir: Path
) -> None:
    assert run("watchlist", "add", "--tmdb-id", str(DRAWING_CLOSER)).exit_code == 0
    path = data_dir / "watchlist.json"
    data = json.loads(path.read_text())
    data["titles"][0]["original_language"] = HUGE
    data["titles"][0]["year"] = 99999
    path.write_text(json.dumps(data))
    for args in (["refresh"], ["watchlist", "list"]):
        result = _cli(*args, fake=fake)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        assert "held a value no title has" in result.stderr
        assert HUGE not in result.stderr


def test_a_request_that_cannot_be_built_fails_its_title_not_the_run(
    run: RunCli, fake: FakeTMDB
) -> None:
    from tests.conftest import http_settings
    from wheretowatch.errors import UpstreamError
    from wheretowatch.tmdb.http import Transport

    http = Transport(http_settings(fake.url))
    with pytest.raises(UpstreamError, match="could not send a request"):
        http.get("/3/movie/550", {"include_video_language": HUGE})
    http.close()


def test_an_imported_huge_language_is_a_row_problem(run: RunCli, tmp_path: Path) -> None:
    export = tmp_path / "list.csv"
    export.write_text(
        f"Name,Year,tmdbID,Language,Regions\nDrawing Closer,2024,{DRAWING_CLOSER},{HUGE},GB\n"
    )
    result = run("watchlist", "import", str(export))
    assert "is not a language code" in result.stdout + result.stderr
    assert HUGE not in result.stdout + result.stderr
    assert run("refresh").exit_code == 0


def test_a_lone_surrogate_from_tmdb_is_replaced_and_every_write_works(
    run: RunCli, fake: FakeTMDB, data_dir: Path
) -> None:
    movie = fake.movies[DRAWING_CLOSER]
    fake.movies[DRAWING_CLOSER] = {**movie, "title": "Drawing \ud800Closer"}
    lookup = run("--tmdb-id", str(DRAWING_CLOSER), "--json")
    assert lookup.exit_code == 0, lookup.stderr
    assert run("watchlist", "add", "--tmdb-id", str(DRAWING_CLOSER)).exit_code == 0
    assert run("refresh").exit_code == 0
    assert run("refresh").exit_code == 0  # the cached answer too
    assert "Drawing \ufffdCloser" in (data_dir / "watchlist.json").read_text(encoding="utf-8")


def test_a_lone_surrogate_in_a_provider_name_does_not_stop_the_snapshot_write(
    run: RunCli, fake: FakeTMDB, data_dir: Path
) -> None:
    assert run("watchlist", "add", "--tmdb-id", str(DRAWING_CLOSER)).exit_code == 0
    assert run("refresh").exit_code == 0
    providers = {
        "GB": {
            "link": "https://www.themoviedb.org/movie/1291559/watch?locale=GB",
            "flatrate": [{"provider_id": 4242, "provider_name": "Bad\udc80Flix"}],
        }
    }
    fake.movies[DRAWING_CLOSER] = {**fake.movies[DRAWING_CLOSER], "_providers": providers}
    result = run("refresh")
    assert result.exit_code == 5, result.stderr  # 5: changes found
    assert "Bad\ufffdFlix" in result.stdout


def test_an_out_of_range_season_from_tmdb_is_dropped() -> None:
    from wheretowatch.models import MediaType
    from wheretowatch.tmdb.payload import parse_details

    details = parse_details(
        {"id": 1, "name": "S", "seasons": [{"season_number": 1500000}, {"season_number": 2}]},
        MediaType.TV,
    )
    assert details.series is not None
    assert [s.season_number for s in details.series.seasons] == [2]


INVISIBLE = "\u200b\u200e\u200f\u061c\u2028\u2029\ufeff\u202e"


def test_invisible_and_bidi_characters_are_written_out_on_the_terminal(
    run: RunCli, fake: FakeTMDB
) -> None:
    movie = fake.movies[DRAWING_CLOSER]
    fake.movies[DRAWING_CLOSER] = {**movie, "title": f"Drawing{INVISIBLE}Closer"}
    result = run("--tmdb-id", str(DRAWING_CLOSER))
    assert result.exit_code == 0, result.stderr
    assert not any(ch in result.stdout for ch in INVISIBLE)
    assert "Drawing\\u200b\\u200e\\u200f\\u061c\\u2028\\u2029\\ufeff\\u202eCloser" in result.stdout


def test_a_notification_body_writes_out_bidi_characters() -> None:
    from wheretowatch.lists.changes import Change
    from wheretowatch.lists.notifications import message_body
    from wheretowatch.lists.watchlist import WatchedTitle
    from wheretowatch.models import Category, MediaType, Provider

    title = WatchedTitle(1, MediaType.MOVIE, f"Right{INVISIBLE}left", 2001)
    change = Change(title, "GB", Category.FLATRATE, Provider(8, "Net\u202eflix", 0), True)
    body = message_body([change])
    assert not any(ch in body for ch in INVISIBLE)
    assert "Right\\u200b" in body
    assert "Net\\u202eflix" in body


def test_config_set_reads_a_bounded_credential_from_stdin(isolated: Path) -> None:
    env = {**os.environ, "WHERETOWATCH_CONFIG_DIR": str(isolated / "config")}
    code = "from wheretowatch.cli import main; main()"
    with open("/dev/zero", "rb") as zero:
        result = subprocess.run(
            [sys.executable, "-c", code, "config", "set", "api_token"],
            stdin=zero,
            capture_output=True,
            text=True,
            env=env,
            timeout=30,
        )
    assert result.returncode == 2, result.stderr
    assert "longer than any TMDB credential" in result.stderr
    assert not (isolated / "config" / "config.toml").exists()


def test_doctor_counts_the_warning_of_a_watchlist_value_no_title_has(
    run: RunCli, fake: FakeTMDB, data_dir: Path
) -> None:
    assert run("watchlist", "add", "--tmdb-id", str(DRAWING_CLOSER)).exit_code == 0
    path = data_dir / "watchlist.json"
    data = json.loads(path.read_text())
    data["titles"][0]["year"] = 99999
    path.write_text(json.dumps(data))

    result = run("doctor", "--json")

    assert result.exit_code == 6, result.stdout
    failed = [c for c in json.loads(result.stdout)["checks"] if not c["ok"]]
    assert [c["name"] for c in failed] == ["watchlist"]
    assert "held a value no title has" in failed[0]["message"]


@pytest.mark.parametrize(
    ("flag", "variable", "start"),
    [
        ("--region", "WHERETOWATCH_REGION", "Unknown region code 'xxxx"),
        ("--language", "WHERETOWATCH_LANGUAGE", "Invalid language 'xxxx"),
    ],
)
def test_a_huge_region_or_language_is_echoed_in_60_characters_at_most(
    run: RunCli,
    fake: FakeTMDB,
    monkeypatch: pytest.MonkeyPatch,
    flag: str,
    variable: str,
    start: str,
) -> None:
    given = run("Fight Club", flag, HUGE)
    monkeypatch.setenv(variable, HUGE)
    configured = run("Fight Club")

    assert (given.exit_code, configured.exit_code) == (2, 6)
    for result in (given, configured):
        assert result.stdout == ""
        error = result.stderr.splitlines()[0]
        assert error.startswith(f"error: {start}")
        quoted = error.split("'", 1)[1].split(" (from")[0]
        assert len(quoted) <= 60, quoted
        assert quoted.endswith("…")
        assert len(result.stderr) < 400
    assert fake.requests == []


def test_an_unknown_region_stored_in_the_watchlist_fails_no_later_run(
    run: RunCli, data_dir: Path
) -> None:
    # A region no region has (an edit by hand, an old version): dropped with a warning,
    # the title refreshed in the region setting; the other titles are not held up.
    assert run("watchlist", "add", "--tmdb-id", str(DRAWING_CLOSER)).exit_code == 0
    path = data_dir / "watchlist.json"
    document = json.loads(path.read_text())
    document["titles"][0]["regions"] = ["Q1"]
    path.write_text(json.dumps(document))
    refreshed = run("refresh")
    assert refreshed.exit_code == 0, refreshed.stderr
    assert "warning:" in refreshed.stderr
    listed = run("watchlist", "list")
    assert listed.exit_code == 0, listed.stderr


def test_a_huge_price_name_is_refused_and_echoed_in_60_characters_at_most(
    run: RunCli, isolated: Path
) -> None:
    name = "N" * 5_000
    result = run("config", "set", "prices", f"{name}=9.99")
    assert result.exit_code in (2, 6), result.stderr
    assert name not in result.stderr
    assert max(len(line) for line in result.stderr.splitlines()) < 400
