"""`watchlist import` and `watchlist export` end to end, against the fake TMDB.

The export files are tests/data/imports' (see its README); the titles they name are at
the end of fake_catalogue.py.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import RunCli
from tests.fake_tmdb import FakeTMDB
from wheretowatch.lists import importing as importer
from wheretowatch.lists.formats import read_export
from wheretowatch.lists.watchlist import WatchedTitle, Watchlist
from wheretowatch.models import MediaType
from wheretowatch.settings.loading import load_settings

DATA = Path(__file__).parent / "data" / "imports"


def _import(run: RunCli, *args: str) -> tuple[int, dict[str, Any], str]:
    result = run("watchlist", "import", *args, "--json")
    return result.exit_code, json.loads(result.stdout), result.stderr


def _by_row(document: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {row["row"]: row for row in document["rows"]}


def _watched(run: RunCli) -> list[dict[str, Any]]:
    titles: list[dict[str, Any]] = json.loads(run("watchlist", "list", "--json").stdout)["titles"]
    return titles


def test_letterboxd_watchlist_matches_by_exact_title_and_year(
    online: FakeTMDB, run: RunCli
) -> None:
    code, document, stderr = _import(run, str(DATA / "letterboxd-watchlist.csv"))
    rows = _by_row(document)
    assert code == 4  # two rows are unmatched
    assert stderr == ""
    assert document["counts"] == {
        "added": 9,
        "already": 0,
        "ambiguous": 0,
        "unmatched": 2,
        "skipped": 0,
        "failed": 0,
    }
    # Duplicate names with different years are different films.
    assert (rows[2]["tmdb_id"], rows[3]["tmdb_id"]) == (593, 2103)
    # Nomadland: 2020 at festivals, 2021 on TMDB; one year off is taken when nothing fits exactly.
    assert (rows[11]["outcome"], rows[11]["tmdb_id"]) == ("added", 581734)
    # A miniseries on Letterboxd: no film has the name, so the series is taken.
    assert (rows[10]["media_type"], rows[10]["tmdb_id"]) == ("tv", 87108)
    # The original title matches too (Amélie's accents are folded away).
    assert rows[12]["tmdb_id"] == 194
    # No year and no match: unmatched, with a reason, never a guess.
    assert rows[9]["outcome"] == "unmatched"
    assert "exactly" in rows[9]["reason"]
    assert len(_watched(run)) == 9


def test_a_row_without_year_matching_two_titles_is_ambiguous_and_written_back(
    online: FakeTMDB, run: RunCli, tmp_path: Path
) -> None:
    export = tmp_path / "watchlist.csv"
    export.write_bytes(
        b"\xef\xbb\xbfDate,Name,Year,Letterboxd URI\r\n"
        b"2024-01-01,Solaris,,https://boxd.it/a\r\n"
        b"2024-01-01,1917,,https://boxd.it/b\r\n"
    )
    unmatched = tmp_path / "to-fix.csv"
    code, document, _ = _import(run, str(export), "--unmatched", str(unmatched))
    rows = _by_row(document)
    assert code == 4
    assert rows[2]["outcome"] == "ambiguous"
    assert {c["tmdb_id"] for c in rows[2]["candidates"]} == {593, 2103}
    assert (rows[3]["outcome"], rows[3]["tmdb_id"]) == ("added", 530915)
    # Written in the input's own format, CRLF kept, so it can be fixed and imported again.
    assert unmatched.read_bytes() == (
        b"Date,Name,Year,Letterboxd URI\r\n2024-01-01,Solaris,,https://boxd.it/a\r\n"
    )
    assert [t["tmdb_id"] for t in _watched(run)] == [530915]


def test_ambiguous_rows_are_listed_with_their_candidates(
    online: FakeTMDB, run: RunCli, tmp_path: Path
) -> None:
    export = tmp_path / "watchlist.csv"
    export.write_text("Date,Name,Year,Letterboxd URI\n2024-01-01,Solaris,,x\n")
    result = run("watchlist", "import", str(export))
    assert result.exit_code == 4
    assert "ambiguous 1" in result.stdout
    assert "row 2: ambiguous Solaris" in result.stdout
    assert "Solaris (1972), film, TMDB id 593" in result.stdout
    assert "Solaris (2002), film, TMDB id 2103" in result.stdout
    assert result.stderr == ""


def test_tmdb_ids_are_added_without_any_request(online: FakeTMDB, run: RunCli) -> None:
    code, document, _ = _import(run, str(DATA / "tmdb-list-v4.json"))
    assert code == 0
    assert document["counts"]["added"] == 4
    assert document["counts"]["skipped"] == 1  # a person
    assert online.requests == []


def test_trakt_season_and_episode_items_add_their_show(online: FakeTMDB, run: RunCli) -> None:
    _, document, _ = _import(run, str(DATA / "trakt-watchlist.json"))
    rows = _by_row(document)
    assert (rows[3]["outcome"], rows[3]["media_type"], rows[3]["tmdb_id"]) == ("added", "tv", 1438)
    assert (rows[4]["media_type"], rows[4]["tmdb_id"]) == ("tv", 86831)
    assert rows[3]["source"]["season"] == 3
    # Solaris 1972 has only an IMDb id: one /find, no search.
    assert (rows[5]["outcome"], rows[5]["tmdb_id"]) == ("added", 593)
    assert "/3/find/tt0069293" in online.paths()


def test_imdb_types_pick_film_or_series_and_skip_the_rest(online: FakeTMDB, run: RunCli) -> None:
    code, document, _ = _import(run, str(DATA / "imdb-watchlist-2017.csv"))
    rows = _by_row(document)
    assert code == 4
    # The same name, a film and a series: the Title Type and the id tell them apart.
    assert (rows[13]["media_type"], rows[13]["tmdb_id"]) == ("movie", 275)
    assert (rows[14]["media_type"], rows[14]["tmdb_id"]) == ("tv", 60622)
    assert rows[5]["outcome"] == "skipped"
    assert "tvEpisode" in rows[5]["reason"]
    assert rows[8]["outcome"] == "skipped"
    assert "videoGame" in rows[8]["reason"]
    # A row the reader cannot read is reported with its row number, never dropped.
    assert rows[12]["outcome"] == "unmatched"
    assert "xx123" in rows[12]["reason"]
    assert all(path.startswith("/3/find/") for path in online.paths())


def test_a_cp1252_imdb_export_keeps_its_accents(online: FakeTMDB, run: RunCli) -> None:
    _, document, _ = _import(run, str(DATA / "imdb-list-old.csv"))
    first = _by_row(document)[2]
    assert first["source"]["title"] == "Amélie"
    assert (first["outcome"], first["tmdb_id"]) == ("added", 194)


def test_importing_twice_adds_nothing_and_asks_tmdb_nothing(online: FakeTMDB, run: RunCli) -> None:
    path = str(DATA / "letterboxd-watchlist.csv")
    _import(run, path)
    online.requests.clear()
    code, document, _ = _import(run, path)
    assert code == 4  # the same two rows are still unmatched
    assert document["counts"]["added"] == 0
    assert document["counts"]["already"] == 9
    assert online.requests == []  # every search is in the cache
    assert len(_watched(run)) == 9


def test_dry_run_reports_the_same_and_writes_nothing(online: FakeTMDB, run: RunCli) -> None:
    path = str(DATA / "letterboxd-watchlist.csv")
    dry = run("watchlist", "import", path, "--dry-run")
    assert dry.exit_code == 4
    assert "Would add 9" in dry.stdout
    assert "not changed" in dry.stdout
    assert _watched(run) == []
    real = run("watchlist", "import", path)
    assert real.exit_code == dry.exit_code
    assert "Added 9" in real.stdout


def test_an_interrupted_import_keeps_what_it_matched(online: FakeTMDB, tmp_path: Path) -> None:
    settings = load_settings({}, _env(online))
    export = read_export((DATA / "letterboxd-watchlist.csv").read_bytes())
    done = 0

    def interrupt_after_four() -> None:
        nonlocal done
        done += 1
        if done == 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        importer.run(settings, export, on_progress=interrupt_after_four)
    kept = Watchlist(settings.data_dir).titles()
    assert [t.tmdb_id for t in kept] == [593, 2103, 844, 530915]
    report = importer.run(settings, export)
    assert report.counts()[importer.Outcome.ALREADY] == 4
    assert report.counts()[importer.Outcome.ADDED] == 5
    assert len(Watchlist(settings.data_dir).titles()) == 9


def test_rows_failing_on_tmdb_errors_exit_7(
    online: FakeTMDB, run: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    online.fail(503, {"status_code": 9, "status_message": "Service offline."}, times=100)
    code, document, _ = _import(run, str(DATA / "imdb-list-old.csv"))
    assert code == 7
    assert document["counts"]["failed"] == 7
    assert "503" in document["rows"][0]["reason"]
    assert _watched(run) == []


def test_text_lines_never_add_a_guess_and_region_sets_the_regions(
    online: FakeTMDB, run: RunCli, tmp_path: Path
) -> None:
    unmatched = tmp_path / "unmatched.txt"
    result = run(
        "watchlist",
        "import",
        "-",
        "--region",
        "GB,US",
        "--unmatched",
        str(unmatched),
        input="Fight\n1917 (2019)\nFight Club (2005)\nFight Club (2000)\n",
    )
    assert result.exit_code == 4
    assert (
        "row 1: unmatched Fight: no film or series has exactly this title; the closest is "
        "Fight Club (1999), film 550"
    ) in result.stdout
    assert "row 3: unmatched Fight Club (2005): nothing has exactly this title from 2005" in (
        result.stdout
    )
    # One year either side still fits, said so.
    assert "row 4: added, but Fight Club (2000): not from 2000" in result.stdout
    assert unmatched.read_text() == "Fight\nFight Club (2005)\n"
    assert [(t["tmdb_id"], t["regions"]) for t in _watched(run)] == [
        (530915, ["GB", "US"]),
        (550, ["GB", "US"]),
    ]


@pytest.mark.parametrize("format", ["csv", "json", "letterboxd"])
def test_every_export_imports_back_into_the_same_entries_without_search_requests(
    online: FakeTMDB, run: RunCli, tmp_path: Path, format: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("watchlist", "import", str(DATA / "letterboxd-watchlist.csv"), "--region", "GB")
    run("watchlist", "add", "--tmdb-id", "1396", "--type", "tv")
    run("watchlist", "add", "--tmdb-id", "1396", "--type", "tv", "--season", "2")
    before = Watchlist(load_settings({}, _env(online)).data_dir).titles()
    exported = run("watchlist", "export", "--format", format)
    assert exported.exit_code == 0
    path = tmp_path / f"export.{format}"
    path.write_text(exported.stdout)
    data_dir = load_settings({}, _env(online)).data_dir
    (data_dir / "watchlist.json").unlink()
    online.requests.clear()
    code, _document, _ = _import(run, str(path))
    assert code == 0
    # Only the watched season's series, to check that it has that season.
    assert online.paths() == ([] if format == "letterboxd" else ["/3/tv/1396"])
    after = Watchlist(data_dir).titles()
    expected = [t for t in before if format != "letterboxd" or t.media_type.value == "movie"]
    if format == "letterboxd":  # Letterboxd's CSV keeps no regions, language or date
        assert [(t.tmdb_id, t.title, t.year) for t in after] == [
            (t.tmdb_id, t.title, t.year) for t in expected
        ]
        assert "left out 3 series" in exported.stderr
    else:
        assert after == expected


def _env(fake: FakeTMDB) -> dict[str, str]:
    return dict(os.environ)  # `online` has pointed it at the fake


def test_ctrl_c_keeps_what_was_matched_and_exits_130(online: FakeTMDB, tmp_path: Path) -> None:
    ids = online.generate(80)
    online.delays = {"/3/search": 0.5}  # about 5 s in all; the first batch is written at 2 s
    export = tmp_path / "list.txt"
    export.write_text("".join(f"Generated Film {i} (2020)\n" for i in ids))
    env = {**os.environ, "WHERETOWATCH_REGION": "GB", "WHERETOWATCH_CONCURRENCY": "8"}
    command = [sys.executable, "-m", "wheretowatch", "watchlist", "import", str(export)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    watchlist = Watchlist(load_settings({}, env).data_dir)
    deadline = time.monotonic() + 30
    while not watchlist.path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)  # polling for the first batch, not waiting out a retry
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert b"interrupted" in stderr
    kept = len(watchlist.titles())
    assert 0 < kept < 80
    online.delays = {}
    result = subprocess.run(command, env=env, capture_output=True, timeout=60, check=False)
    assert result.returncode == 0
    assert f"Added {80 - kept}, already on your watchlist {kept}".encode() in result.stdout


def test_a_text_line_matching_several_titles_exactly_says_so(online: FakeTMDB, run: RunCli) -> None:
    result = run("watchlist", "import", "-", input="Dune\nDune (1984)\n")
    assert result.exit_code == 0
    assert "row 1: added, but Dune: one of several exact matches" in result.stdout
    assert "Dune (1984), film 841" in result.stdout
    assert "row 2" not in result.stdout
    assert result.stderr == ""
    assert sorted(t["tmdb_id"] for t in _watched(run)) == [841, 438631]


HOSTILE_TITLES = [
    '=HYPERLINK("http://evil.example","click")',
    "+1 and more",
    "-2 Below",
    "@SUM(A1)",
    "Right\u202eto left",
    "Zero\u200bwidth\ufeff",
]


@pytest.mark.parametrize("format", ["csv", "json", "letterboxd"])
def test_an_export_of_hostile_titles_opens_as_text_and_imports_back_exactly(
    online: FakeTMDB, run: RunCli, tmp_path: Path, format: str
) -> None:
    data_dir = load_settings({}, _env(online)).data_dir
    data_dir.mkdir(parents=True)
    titles = [
        WatchedTitle(1000 + n, MediaType.MOVIE, title, 2001, "en", ("GB",), "2024-01-01")
        for n, title in enumerate(HOSTILE_TITLES)
    ]
    Watchlist(data_dir).add_many(titles)
    exported = run("watchlist", "export", "--format", format)
    assert exported.exit_code == 0
    if format != "json":  # every title cell starts with a quote or a letter: text
        cells = [line.split(",")[0].lstrip('"') for line in exported.stdout.splitlines()[1:]]
        assert all(cell[0] == "'" or cell[0].isalpha() for cell in cells), cells
    if format == "json":  # escaped as \uXXXX, as a lookup's JSON does
        assert not any(ch in exported.stdout for ch in "\u202e\u200b\ufeff")
    path = tmp_path / f"export.{format}"
    path.write_text(exported.stdout)
    (data_dir / "watchlist.json").unlink()
    code, _document, _ = _import(run, str(path))
    assert code == 0
    assert [t.title for t in Watchlist(data_dir).titles()] == HOSTILE_TITLES


@pytest.mark.parametrize("format", ["csv", "json"])
def test_an_export_writes_no_raw_control_character(
    online: FakeTMDB, run: RunCli, format: str
) -> None:
    data_dir = load_settings({}, _env(online)).data_dir
    data_dir.mkdir(parents=True)
    title = "Bell\x07 \x1b[31mRed\x9b line\rbreak"
    Watchlist(data_dir).add_many([WatchedTitle(1, MediaType.MOVIE, title, regions=("GB",))])
    exported = run("watchlist", "export", "--format", format)
    assert exported.exit_code == 0
    body = exported.stdout.replace("\n", "")
    assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in body), repr(body)
    if format == "json":
        assert json.loads(exported.stdout)["items"][0]["title"] == title


def test_an_import_rewrites_the_watchlist_a_linear_amount(
    online: FakeTMDB, run: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = 5_000
    export = tmp_path / "films.csv"
    export.write_text(
        "Name,Year,tmdbID\n" + "".join(f"Film {i},2020,{i}\n" for i in range(1, rows + 1))
    )
    written: list[int] = []
    original = Watchlist._write

    def counting(self: Watchlist, titles: Any) -> None:
        written.append(len(titles))
        original(self, titles)

    monkeypatch.setattr(Watchlist, "_write", counting)
    result = run("watchlist", "import", str(export), "--region", "GB")
    assert result.exit_code == 0, result.stderr
    assert written[-1] == rows
    # Each checkpoint rewrites the whole list: their sizes must add up to a few times the
    # list, not grow with its square (one every 50 rows wrote 50 times the list).
    assert sum(written) < 10 * rows, (len(written), sum(written))


def test_a_binary_file_without_nul_bytes_is_refused_not_searched(
    online: FakeTMDB, run: RunCli, tmp_path: Path
) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(bytes((i * 131 + 7) % 255 + 1 for i in range(20_000)))

    result = run("watchlist", "import", str(path))

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {path} is not a text file.")
    assert online.requests == []


def test_an_imported_season_the_series_lacks_is_a_row_problem_naming_its_seasons(
    online: FakeTMDB, run: RunCli, tmp_path: Path
) -> None:
    assert (
        run("watchlist", "add", "--tmdb-id", "1396", "--type", "tv", "--season", "2").exit_code == 0
    )
    exported = json.loads(run("watchlist", "export", "--format", "json").stdout)
    good = exported["items"][0]
    exported["items"] = [good, {**good, "season": 9}, {**good, "season": 1500}]
    path = tmp_path / "watchlist.json"
    path.write_text(json.dumps(exported))
    data_dir = load_settings({}, _env(online)).data_dir
    (data_dir / "watchlist.json").unlink()

    code, document, _ = _import(run, str(path))

    assert code == 4
    rows = _by_row(document)
    assert [rows[n]["outcome"] for n in sorted(rows)] == ["added", "unmatched", "unmatched"]
    reasons = [rows[n]["reason"] for n in sorted(rows)[1:]]
    assert reasons == [
        "Breaking Bad has 5 seasons; there is no season 9.",
        "Breaking Bad has 5 seasons; there is no season 1500.",
    ]
    assert [t["season"] for t in _watched(run)] == [2]


def _lists_page(count: int) -> dict[str, Any]:
    # TMDB v4 /account/{id}/lists: the user's lists, not titles.
    results = [
        {
            "id": 8_000_000 + n,
            "name": f"My list {n}",
            "number_of_items": 12,
            "iso_639_1": "en",
            "iso_3166_1": "US",
            "public": 1,
            "description": "",
        }
        for n in range(count)
    ]
    return {"page": 1, "results": results, "total_pages": 1, "total_results": count}


def test_a_file_that_lists_lists_is_refused_before_anything_is_added(
    online: FakeTMDB, run: RunCli, tmp_path: Path
) -> None:
    path = tmp_path / "lists.json"
    path.write_text(json.dumps(_lists_page(20)))
    online.requests.clear()
    result = run("watchlist", "import", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"error: {path} lists your 20 TMDB lists, not titles: export one list." in (
        result.stderr
    )
    assert online.requests == []
    assert _watched(run) == []


def test_a_file_of_people_is_refused_too(online: FakeTMDB, run: RunCli) -> None:
    people = [{"id": 287, "name": "Brad Pitt", "known_for_department": "Acting"}]
    result = run("watchlist", "import", "-", input=json.dumps({"results": people}))
    assert result.exit_code == 2
    assert "standard input lists 1 person, not titles." in result.stderr


def test_the_report_ends_with_the_counts_and_lists_only_rows_to_fix(
    online: FakeTMDB, run: RunCli
) -> None:
    text = "Drawing Closer\nNo Such Film At All\n"
    result = run("watchlist", "import", "-", input=text)
    assert result.exit_code == 4
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Added 1, already on your watchlist 0,")
    assert lines[-1] == lines[0]  # the counts last too, where they stay on screen
    assert "row 1" not in result.stdout
    assert "row 2: unmatched No Such Film At All" in result.stdout
    again = run("watchlist", "import", "-", "--verbose", input=text)
    assert "row 1: already on your watchlist Drawing Closer" in again.stdout
    assert "already watched" not in again.stdout


def test_dry_run_rows_say_would_add(online: FakeTMDB, run: RunCli) -> None:
    result = run("watchlist", "import", "-", "--dry-run", "--verbose", input="Drawing Closer\n")
    assert "row 1: would add Drawing Closer" in result.stdout
    assert result.stdout.startswith("Would add 1,")


@pytest.mark.parametrize(("format", "label"), [("csv", "CSV"), ("json", "JSON")])
def test_the_projects_own_export_is_named_as_such(
    online: FakeTMDB, run: RunCli, format: str, label: str
) -> None:
    run("watchlist", "add", "--tmdb-id", "550", "-r", "GB")
    exported = run("watchlist", "export", "--format", format).stdout
    result = run("watchlist", "import", "-", "--dry-run", input=exported)
    assert f"(1 row, a wheretowatch {label} export)." in result.stdout
