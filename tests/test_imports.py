"""Reading watchlist exports: every format and quirk in shared/formats/IMPORTS.md."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wheretowatch.errors import UsageError
from wheretowatch.lists.formats import (
    MAX_BYTES,
    ImportFile,
    ImportFormat,
    ImportRow,
    RowProblem,
    detect_format,
    read_export,
    write_rows,
)
from wheretowatch.models import MediaType

DATA = Path(__file__).parent / "data" / "imports"
MOVIE, TV = MediaType.MOVIE, MediaType.TV
LB, IMDB, TRAKT, TMDB, TEXT = ImportFormat

FILES = {
    "letterboxd-watchlist.csv": LB,
    "letterboxd-watchlist-crlf.csv": LB,
    "letterboxd-list.csv": LB,
    "imdb-watchlist-2024.csv": IMDB,
    "imdb-watchlist-2017.csv": IMDB,
    "imdb-list-old.csv": IMDB,
    "trakt-watchlist.json": TRAKT,
    "tmdb-list-v3.json": TMDB,
    "tmdb-list-v4.json": TMDB,
    "titles.txt": TEXT,
}

Seen = tuple[object, ...]


def read(name: str, format: ImportFormat | None = None) -> ImportFile:
    return read_export((DATA / name).read_bytes(), format, name=name)


def seen(row: ImportRow) -> Seen:
    """What a row says, in a short form: (row, title, year, tmdb, imdb, type, season, skip)."""
    return (
        row.row,
        row.title,
        row.year,
        row.tmdb_id,
        row.imdb_id,
        row.media_type,
        row.season,
        row.skip_reason,
    )


def titles(file: ImportFile) -> list[tuple[int, str | None, int | None]]:
    return [(row.row, row.title, row.year) for row in file.rows]


def problems(file: ImportFile) -> list[tuple[int, str]]:
    return [(problem.row, problem.reason) for problem in file.problems]


def from_text(text: str, format: ImportFormat | None = None) -> ImportFile:
    return read_export(text.encode(), format, name="test.csv")


@pytest.mark.parametrize(("name", "format"), FILES.items())
def test_each_file_s_format_is_detected_from_its_content(name: str, format: ImportFormat) -> None:
    assert read(name).format is format
    assert read_export((DATA / name).read_bytes(), name="renamed.bin").format is format


# Letterboxd


def test_letterboxd_watchlist() -> None:
    file = read("letterboxd-watchlist.csv")
    assert titles(file) == [
        (2, "Solaris", 1972),
        (3, "Solaris", 2002),
        (4, "2046", 2004),
        (5, "1917", 2019),
        (6, "Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb", 1964),
        (7, "Crouching Tiger, Hidden Dragon", 2000),
        (8, 'The "Mad" Fox, Part 2', 1962),
        (9, "Untitled Kogonada Project", None),
        (10, "Chernobyl", 2019),  # a miniseries: Letterboxd cannot say so
        (11, "Nomadland", 2020),
        (12, "Amélie", 2001),
    ]
    assert {(r.tmdb_id, r.imdb_id, r.media_type, r.season, r.skip_reason) for r in file.rows} == {
        (None, None, None, None, None)
    }
    assert file.problems == ()
    assert file.header == "Date,Name,Year,Letterboxd URI\n"
    assert file.rows[6].raw == '2023-05-02,"The ""Mad"" Fox, Part 2",1962,https://boxd.it/3kQz'


def test_letterboxd_watchlist_with_bom_and_crlf() -> None:
    file = read("letterboxd-watchlist-crlf.csv")
    assert titles(file) == [
        (2, "Perfect Days", 2023),
        (3, "Little Women", 1994),
        (4, "Little Women", 2019),
        (5, "Dune: Part Two", 2024),
        (6, "Ran", 1985),
    ]
    assert file.header == "Date,Name,Year,Letterboxd URI\r\n"
    assert file.rows[0].raw == "2024-02-01,Perfect Days,2023,https://boxd.it/Gk1a"


def test_letterboxd_list_export_skips_its_preamble_and_counts_its_lines() -> None:
    file = read("letterboxd-list.csv")
    # Line 3's description and line 8's run over two lines each; line 6 is the blank line.
    assert titles(file) == [
        (7, "Paterson", 2016),
        (8, "Columbus", 2017),
        (10, "Tampopo", 1985),
        (11, "Okja, Again", None),
        (12, "Fallen Angels", 1995),
    ]
    assert file.header.startswith("Letterboxd list export v7\r\n")
    assert file.header.endswith("\r\n\r\nPosition,Name,Year,URL,Description\r\n")
    assert file.rows[1].raw == (
        '2,Columbus,2017,https://boxd.it/dK1w,"Architecture, and\r\ntwo people talking."'
    )


def test_a_list_export_without_the_blank_line_still_finds_its_header() -> None:
    text = "Letterboxd list export v7\nDate,Name,Tags,URL,Description\n2026-01-01,L,,u,\n"
    file = from_text(text + "Position,Name,Year,URL,Description\n1,Heat,1995,u,\n")
    assert titles(file) == [(5, "Heat", 1995)]


def test_letterboxd_diary_and_ratings_exports_are_read_by_their_name_and_year() -> None:
    diary = "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n"
    file = from_text(diary + "2024-01-02,Heat,1995,https://boxd.it/x,4.5,Yes,,2024-01-01\n")
    assert file.format is LB
    assert titles(file) == [(2, "Heat", 1995)]


def test_letterboxd_importer_csv_keeps_its_ids() -> None:
    text = (
        "imdbID,Title,tmdbID,Year,Rating\n"
        "TT0113277,Heat,949,1995,5\n"
        ",Heat,,1986,\n"
        "tt0120737,,,,\n"
        ",,120,,\n"
    )
    file = from_text(text)
    assert file.format is LB
    assert [seen(row) for row in file.rows] == [
        (2, "Heat", 1995, 949, "tt0113277", None, None, None),
        (3, "Heat", 1986, None, None, None, None, None),
        (4, None, None, None, "tt0120737", None, None, None),
        (5, None, None, 120, None, None, None, None),
    ]


def test_reordered_extra_and_missing_columns() -> None:
    text = (
        "Year,Extra,NAME,Letterboxd URI\n"  # reordered, case differs, an unknown column
        "1995,x,Heat,https://boxd.it/a\n"
        "1986,y,Heat\n"  # the last column missing
        "2001,z,Amélie,https://boxd.it/b,,\n"  # empty fields beyond the header
    )
    assert titles(from_text(text)) == [(2, "Heat", 1995), (3, "Heat", 1986), (4, "Amélie", 2001)]
    imdb = from_text("Const,Title\ntt0113277,Heat\ntt0090180,\n")  # no Title Type, no Year
    assert [seen(row) for row in imdb.rows] == [
        (2, "Heat", None, None, "tt0113277", None, None, None),
        (3, None, None, None, "tt0090180", None, None, None),
    ]


def test_mixed_line_ends_keep_row_numbers_right() -> None:
    text = 'Date,Name,Year,Letterboxd URI\r\n1,A,2001,u\n2,"B\r\nb",2002,u\r\n\n3,C,2003,u'
    file = from_text(text)
    assert titles(file) == [(2, "A", 2001), (3, "B b", 2002), (6, "C", 2003)]
    assert file.rows[1].raw == '2,"B\r\nb",2002,u'
    assert file.rows[2].raw == "3,C,2003,u"


# IMDb


def test_imdb_2024_keeps_the_localised_and_the_original_title() -> None:
    file = read("imdb-watchlist-2024.csv")
    skip = "{}: not a film or series".format
    assert [seen(row) for row in file.rows] == [
        (2, "Лоуренс Аравийский", 1962, None, "tt0056172", MOVIE, None, None),
        (3, "Во все тяжкие", 2008, None, "tt0903747", TV, None, None),
        (4, "Чернобыль", 2019, None, "tt7366338", TV, None, None),
        (5, "Пилот", 2008, None, "tt0959621", None, None, skip("TV Episode")),
        (6, "The Last of Us", 2013, None, "tt2140553", None, None, skip("Video Game")),
        (7, "Любовное настроение", 2000, None, "tt0118694", MOVIE, None, None),
        (8, "Untitled Project", None, None, "tt9999999", MOVIE, None, None),
        (9, "Список Шиндлера", 1993, None, "tt0108052", MOVIE, None, None),
        (10, "Мстители: Финал", 2019, None, "tt4154796", None, None, skip("Podcast Episode")),
        (11, "День сурка", 1993, None, "tt0107048", MOVIE, None, None),
    ]
    assert [row.original_title for row in file.rows][:3] == [
        "Lawrence of Arabia",
        "Breaking Bad",
        "Chernobyl",
    ]
    assert file.problems == ()


def test_imdb_2017_with_a_multi_line_description_and_a_bad_const() -> None:
    file = read("imdb-watchlist-2017.csv")
    skip = "{}: not a film or series".format
    assert [seen(row) for row in file.rows] == [
        (2, "Braveheart", 1995, None, "tt0112573", MOVIE, None, None),
        (3, "The Office", 2005, None, "tt0386676", TV, None, None),
        (4, "Band of Brothers", 2001, None, "tt0185906", TV, None, None),
        (5, "Rome", 2005, None, "tt0384766", None, None, skip("tvEpisode")),
        (6, "Ip Man", 2008, None, "tt1220719", MOVIE, None, None),
        (8, "Shaun of the Dead", 2004, None, "tt0365748", None, None, skip("videoGame")),
        (9, "The Princess Bride", 1987, None, "tt0093779", MOVIE, None, None),
        (10, "12 Angry Men", 1957, None, "tt0050083", MOVIE, None, None),
        (11, "My Neighbor Totoro", 1988, None, "tt0096283", None, None, skip("musicVideo")),
        (13, "Fargo", 1996, None, "tt0116282", MOVIE, None, None),
        (14, "Fargo", 2014, None, "tt2802850", TV, None, None),
    ]
    assert problems(file) == [(12, "Const 'xx123' is not an IMDb id")]
    assert file.rows[4].raw.count("\n") == 1


def test_imdb_old_export_in_windows_1252() -> None:
    data = (DATA / "imdb-list-old.csv").read_bytes()
    assert "Amélie".encode("cp1252") in data  # the file really is cp1252
    file = read("imdb-list-old.csv")
    assert [seen(row) for row in file.rows] == [
        (2, "Amélie", 2001, None, "tt0211915", MOVIE, None, None),
        (3, "Æon Flux", 2005, None, "tt0402022", MOVIE, None, None),
        (4, "Æon Flux", 1995, None, "tt0111790", TV, None, None),
        (5, "Léon", 1994, None, "tt0110413", MOVIE, None, None),
        (6, "Das Boot", 1985, None, "tt0082096", TV, None, None),
        (7, "Señorita Extraviada", 2001, None, "tt0387412", MOVIE, None, None),
        (8, "Die Hard", 1988, None, "tt0095016", MOVIE, None, None),
    ]
    assert file.header.startswith('"position","const",')


@pytest.mark.parametrize(
    ("title_type", "media_type", "skipped"),
    [
        ("Movie", MOVIE, False),
        ("movie", MOVIE, False),
        ("Feature Film", MOVIE, False),
        ("TV Movie", MOVIE, False),
        ("tvMovie", MOVIE, False),
        ("Short", MOVIE, False),
        ("Video", MOVIE, False),
        ("TV Special", MOVIE, False),
        ("TV Series", TV, False),
        ("TV Mini Series", TV, False),
        ("tvMiniSeries", TV, False),
        ("Mini-Series", TV, False),
        ("TV Episode", None, True),
        ("tvEpisode", None, True),
        ("Video Game", None, True),
        ("Podcast Series", None, True),
        ("podcastEpisode", None, True),
        ("Music Video", None, True),
        ("Something New", None, False),
        ("", None, False),
    ],
)
def test_imdb_title_types(title_type: str, media_type: MediaType | None, skipped: bool) -> None:
    (row,) = from_text(f"Const,Title,Title Type\ntt0113277,Heat,{title_type}\n").rows
    assert row.media_type is media_type
    assert (row.skip_reason is not None) is skipped


def test_an_imdb_list_of_people_is_read_but_skipped() -> None:
    file = from_text("Position,Const,Name\n1,nm0000134,Robert De Niro\n")
    assert [r.skip_reason for r in file.rows] == ["a person, not a title"]


# Trakt and TMDB


def test_trakt_watchlist() -> None:
    file = read("trakt-watchlist.json")
    assert [seen(row) for row in file.rows] == [
        (1, "Past Lives", 2023, 666277, "tt13238346", MOVIE, None, None),
        (2, "Slow Horses", 2022, 95480, "tt5875444", TV, None, None),
        (3, "The Wire", 2002, 1438, "tt0306414", TV, 3, None),  # the show's id, not the season's
        (4, "Pachinko", 2022, 86831, "tt8888540", TV, 2, None),  # the episode's show
        (5, "Solaris", 1972, None, "tt0069293", MOVIE, None, None),
        (6, "Solaris", 2002, None, None, MOVIE, None, None),
        (7, "Megalopolis", None, 592831, "tt10128846", MOVIE, None, None),
    ]
    assert problems(file) == [
        (8, "Trakt item type 'list' is not movie, show, season or episode"),
        (9, "Year 'soon' is not a year"),
    ]
    assert json.loads(file.rows[2].raw)["season"]["number"] == 3


def test_tmdb_list_v3() -> None:
    file = read("tmdb-list-v3.json")
    assert [seen(row) for row in file.rows] == [
        (1, "Fight Club", 1999, 550, None, MOVIE, None, None),
        (2, "Breaking Bad", 2008, 1396, None, TV, None, None),
        (3, "Spirited Away", 2001, 129, None, MOVIE, None, None),
        (4, "1917", 2019, 530915, None, MOVIE, None, None),
        (5, "Superman", None, 1061474, None, MOVIE, None, None),
        (6, "Superman", 1978, 1924, None, MOVIE, None, None),
    ]
    assert file.rows[2].original_title == "千と千尋の神隠し"
    assert problems(file) == [(7, "no TMDB id")]


def test_tmdb_list_v4() -> None:
    file = read("tmdb-list-v4.json")
    assert [seen(row) for row in file.rows] == [
        (1, "Game of Thrones", 2011, 1399, None, TV, None, None),
        (2, "Parasite", 2019, 496243, None, MOVIE, None, None),
        (3, "Chernobyl", 2019, 87108, None, TV, None, None),
        (4, "The Last of Us", None, 100088, None, TV, None, None),
        (5, "Tom Hanks", None, None, None, None, None, "a person, not a title"),
    ]


def test_tmdb_account_watchlist_and_bare_lists_tell_films_from_series_by_their_fields() -> None:
    account = {
        "page": 1,
        "results": [
            {"id": 550, "title": "Fight Club", "release_date": "1999-10-15"},
            {"id": 1396, "name": "Breaking Bad", "first_air_date": "2008-01-20"},
        ],
        "total_pages": 1,
        "total_results": 2,
    }
    expected = [
        (1, "Fight Club", 1999, 550, None, MOVIE, None, None),
        (2, "Breaking Bad", 2008, 1396, None, TV, None, None),
    ]
    assert [seen(row) for row in from_text(json.dumps(account)).rows] == expected
    bare = from_text(json.dumps(account["results"]))
    assert bare.format is TMDB
    assert [seen(row) for row in bare.rows] == expected


def test_an_empty_json_list_is_an_empty_trakt_watchlist_unless_told_otherwise() -> None:
    assert from_text("[]").format is TRAKT
    assert from_text("[]", TMDB).format is TMDB
    assert from_text(" [ ]\n").rows == ()


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        (42, "not a JSON object"),
        ({"type": "movie"}, "a movie item without its movie"),
        ({"type": "show", "show": {"title": 5}}, "5 is not a text"),
        ({"type": "movie", "movie": {"title": "A", "ids": []}}, "ids is not a JSON object"),
        ({"type": "movie", "movie": {"title": "A", "ids": {"tmdb": -3}}}, "id '-3' is not"),
        ({"type": "movie", "movie": {"title": "A", "ids": {"imdb": "nm1"}}}, "imdb id 'nm1'"),
        ({"type": "movie", "movie": {"title": "A", "year": 3000}}, "Year '3000' is not a year"),
        ({"type": "movie", "movie": {"title": "A\x1b[31m"}}, "control characters"),
    ],
)
def test_trakt_items_that_make_no_sense_are_problems(item: object, reason: str) -> None:
    good = {"type": "show", "show": {"title": "Ok", "ids": {"tmdb": 1}}}
    file = from_text(json.dumps([good, item]))
    assert titles(file) == [(1, "Ok", None)]
    ((row, message),) = problems(file)
    assert row == 2
    assert reason in message


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        ({"id": 1, "media_type": "collection"}, "media_type 'collection' is not movie or tv"),
        ({"id": "x1", "media_type": "movie"}, "id 'x1' is not a TMDB id"),
        (
            {"id": 1, "media_type": "movie", "release_date": "someday"},
            "date 'someday' is not a date",
        ),
        ("Heat", "not a JSON object"),
    ],
)
def test_tmdb_items_that_make_no_sense_are_problems(item: object, reason: str) -> None:
    file = from_text(json.dumps({"items": [{"id": 2, "media_type": "tv", "name": "Ok"}, item]}))
    assert titles(file) == [(1, "Ok", None)]
    assert problems(file) == [(2, reason)]


# Plain text


def test_titles_file_keeps_lines_as_written_without_parsing_them() -> None:
    file = read("titles.txt")
    assert titles(file) == [
        (2, "Paterson", None),
        (3, "Solaris (1972)", None),
        (4, "Solaris (2002)", None),
        (6, "tt0118694", None),
        (7, "https://www.themoviedb.org/movie/129-spirited-away", None),
        (8, "https://www.imdb.com/title/tt0056172/", None),
        (9, "Columbus", None),  # trimmed
        (10, "#Alive", None),  # a film (2020), not a comment
        (12, "2046", None),
        (13, "Crouching Tiger, Hidden Dragon", None),
        (15, "Line Separator\u2028Inside", None),  # U+2028 does not end a line
        (16, "CRLF Title", None),
    ]
    assert file.rows[6].raw == "  Columbus   "
    assert file.rows[-1].raw == "CRLF Title"
    assert {(r.tmdb_id, r.imdb_id, r.media_type) for r in file.rows} == {(None, None, None)}


def test_text_lines_that_cannot_be_titles_are_problems() -> None:
    file = read_export(b"Heat\nlone\rreturn\nTab\there\n" + b"x" * 600 + b"\nRan\n")
    assert titles(file) == [(1, "Heat", None), (5, "Ran", None)]
    assert problems(file) == [
        (2, "the title contains control characters"),
        (3, "the title contains control characters"),
        (4, "the title is 600 characters long; at most 500"),
    ]


# Problems in CSV files


def test_csv_rows_that_make_no_sense_are_problems_with_their_line_numbers() -> None:
    text = (
        "Date,Name,Year,Letterboxd URI\r\n"
        "2024-01-01,Heat,1995,u\r\n"
        "2024-01-01,Heat,1995,u,extra\r\n"  # 3: one field too many
        "2024-01-01,,1995,u\r\n"  # 4: no name
        "2024-01-01,Heat,95,u\r\n"  # 5: not a year
        '2024-01-01,"Two\r\nlines",abc,u\r\n'  # 6-7: not a year either
        "2024-01-01,Heat,1995,u\r\n"
        "2024-01-01,Lone\rReturn,1995,u\r\n"  # 9: not CSV
        "2024-01-01,Ran,1985,u\r\n"
        '2024-01-01,"Never closed,1985,u\r\n'  # 11: swallows the rest
        "2024-01-01,Lost,1985,u\r\n"
    )
    file = from_text(text)
    assert titles(file) == [(2, "Heat", 1995), (8, "Heat", 1995), (10, "Ran", 1985)]
    assert [row for row, _ in problems(file)] == [3, 4, 5, 6, 9, 11]
    reasons = dict(problems(file))
    assert reasons[3] == "has 5 fields but the header has 4 (a comma in an unquoted field?)"
    assert reasons[4] == "no name and no id"
    assert reasons[5] == "Year '95' is not a year"
    assert reasons[6] == "Year 'abc' is not a year"
    assert reasons[9].startswith("not valid CSV: new-line character seen in unquoted field")
    assert "never closed" in reasons[11]
    assert file.problems[3].raw == '2024-01-01,"Two\r\nlines",abc,u'
    assert file.problems[-1].raw.endswith("Lost,1985,u")


def test_a_cp1252_file_that_is_not_utf8_is_read_as_windows_1252() -> None:
    data = "Const,Title\ntt0211915,Amélie\ntt0000001,“Quoted” – Ça\n".encode("cp1252")
    assert [r.title for r in read_export(data).rows] == ["Amélie", "“Quoted” – Ça"]
    assert read_export(b"\xef\xbb\xbf" + data).rows[0].title == "Amélie"


def test_utf16_with_a_bom_is_read() -> None:
    data = "Const,Title\ntt0211915,Amélie\n".encode("utf-16")
    assert [r.title for r in read_export(data).rows] == ["Amélie"]


# Forcing a format, and files that are none


def test_format_can_be_forced() -> None:
    forced = read("letterboxd-watchlist.csv", TEXT)
    assert forced.format is TEXT
    assert forced.rows[0].title == "Date,Name,Year,Letterboxd URI"
    assert read("letterboxd-list.csv", LB).rows == read("letterboxd-list.csv").rows
    assert read("tmdb-list-v4.json", TMDB).rows == read("tmdb-list-v4.json").rows
    # A list of titles whose first line looks like a CSV header, read as titles.
    text = "Sex, Lies, and Videotape\nHeat, Again, Again\nRan, Kagemusha, Dreams\n"
    with pytest.raises(UsageError, match="looks like a CSV file"):
        from_text(text)
    assert len(from_text(text, TEXT).rows) == 3


@pytest.mark.parametrize(
    ("name", "format", "expected"),
    [
        ("letterboxd-watchlist.csv", IMDB, "a CSV header with a Const column"),
        ("imdb-list-old.csv", TRAKT, "a JSON list of movie, show, season or episode items"),
        ("trakt-watchlist.json", TMDB, 'JSON with "items" or "results"'),
        ("tmdb-list-v3.json", TRAKT, "a JSON list of movie"),
        ("tmdb-list-v4.json", LB, "a CSV header with a Name or Title column"),
        ("titles.txt", IMDB, "a CSV header with a Const column"),
        ("titles.txt", TMDB, "not valid JSON"),
    ],
)
def test_a_forced_format_that_does_not_fit_is_a_usage_error(
    name: str, format: ImportFormat, expected: str
) -> None:
    with pytest.raises(UsageError, match=name) as caught:
        read(name, format)
    assert expected in caught.value.message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "x.csv is empty"),
        (b"\n \r\n\t\n", "x.csv is empty"),
        (b"Heat\x00\n", "x.csv is not a text file"),
        # Binary without a NUL byte (random bytes, a compressed image): Windows-1252 would
        # read it as "text", a title a line.
        (bytes((i * 131 + 7) % 255 + 1 for i in range(4096)), "x.csv is not a text file"),
        (b"GIF89a\x01\x02\x03\x04\xff\x81\n" * 40, "x.csv is not a text file"),
        (b'{"name": "a list"}', "x.csv is JSON, but not a Trakt watchlist or a TMDB list"),
        (b"[[1], [2]]", "is JSON, but not"),
        (b'[{"rank": 1, "type": "movie", ', "x.csv is not valid JSON (Expecting"),
        (b"{" * 100_000, "is not valid JSON"),
        (b"a,b,c\n1,2,3\n4,5,6\n", "columns (a, b, c) are not those of a Letterboxd or IMDb"),
        (b"Letterboxd list export v7\nDate,Name\n", "not a Letterboxd export"),
        (b"\xff\xfeH\x00\x00\xd8", "not valid UTF-16"),
    ],
)
def test_files_that_are_none_of_the_formats(data: bytes, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        read_export(data, name="x.csv")
    assert message in caught.value.message
    assert caught.value.hint


def test_a_text_file_with_a_stray_control_character_is_still_text() -> None:
    file = read_export(b"Heat\x0c\nAlien\nThe Thing\n", name="x.txt")
    assert file.format is TEXT
    assert len(file.rows) == 3


def test_a_title_that_starts_like_json_is_still_a_title() -> None:
    file = read_export(b"[REC] (2007)\n{Untitled}\n")
    assert file.format is TEXT
    assert [r.title for r in file.rows] == ["[REC] (2007)", "{Untitled}"]


def test_a_file_over_64_mb_is_refused_before_decoding() -> None:
    with pytest.raises(UsageError, match="files over 64 MB are not read"):
        read_export(b"\xff" * (MAX_BYTES + 1), name="huge.csv")


def test_detect_format_names_standard_input() -> None:
    assert detect_format("\ufeffConst,Title\n") is IMDB
    with pytest.raises(UsageError, match="standard input is empty"):
        detect_format("")


# Writing rows back


def everything(file: ImportFile) -> list[ImportRow | RowProblem]:
    return sorted([*file.rows, *file.problems], key=lambda row: row.row)


@pytest.mark.parametrize("name", FILES)
def test_write_rows_round_trip(name: str) -> None:
    file = read(name)
    again = read_export(write_rows(file, everything(file)).encode(), name=name)
    assert again.format is file.format
    if file.format is TEXT:  # comments and blank lines are not written back
        renumbered = [dataclasses.replace(row, row=0) for row in file.rows]
        assert [dataclasses.replace(row, row=0) for row in again.rows] == renumbered
    else:
        assert again == file
    some = file.rows[1::2]
    subset = read_export(write_rows(file, some).encode(), file.format)
    assert [r.raw for r in subset.rows] == [r.raw for r in some]
    assert [seen(r)[1:] for r in subset.rows] == [seen(r)[1:] for r in some]


def test_write_rows_keeps_the_preamble_and_line_ends() -> None:
    file = read("letterboxd-list.csv")
    written = write_rows(file, file.rows[1:2])
    assert written == file.header + file.rows[1].raw + "\r\n"
    tmdb = read("tmdb-list-v3.json")
    assert json.loads(write_rows(tmdb, tmdb.problems)) == {
        "items": [json.loads(tmdb.problems[0].raw)]
    }


# Whatever the bytes, a file or a UsageError


FORMATS = st.sampled_from([None, *ImportFormat])
FUZZ = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def check(file: ImportFile) -> None:
    numbers = [row.row for row in file.rows] + [problem.row for problem in file.problems]
    assert all(number >= 1 for number in numbers)
    assert len(set(numbers)) == len(numbers)
    for row in file.rows:
        assert row.title is None or (row.title == row.title.strip() and row.title)
        assert row.imdb_id is None or row.imdb_id.startswith("tt")
    if not file.rows:
        return
    again = read_export(write_rows(file, everything(file)).encode(), file.format)
    assert [dataclasses.replace(row, row=0) for row in again.rows] == [
        dataclasses.replace(row, row=0) for row in file.rows
    ]


def read_or_refuse(data: bytes, format: ImportFormat | None) -> None:
    try:
        file = read_export(data, format)
    except UsageError:
        return
    check(file)


@FUZZ
@given(st.binary(max_size=400), FORMATS)
def test_arbitrary_bytes_never_raise_anything_but_usage_error(
    data: bytes, format: ImportFormat | None
) -> None:
    read_or_refuse(data, format)


CSV_HEADERS = [
    "Date,Name,Year,Letterboxd URI",
    "Letterboxd list export v7\nDate,Name,Tags,URL,Description\n1,L,,u,\n\nPosition,Name,Year,URL",
    "Position,Const,Title,Original Title,Title Type,Year",
    "Title,Year,tmdbID,imdbID",
]
CSV_CELL = st.text(alphabet=st.sampled_from('a1 ,"\r\n\t\x1bé\u2028tT0#'), max_size=12)
CSV_LINE = st.lists(CSV_CELL, max_size=7).map(",".join)


@FUZZ
@given(st.sampled_from(CSV_HEADERS), st.lists(CSV_LINE, max_size=8), FORMATS)
def test_csv_with_arbitrary_rows(
    header: str, lines: list[str], format: ImportFormat | None
) -> None:
    text = "\n".join([header, *lines])
    read_or_refuse(text.encode(), format)
    read_or_refuse(text.encode("utf-16"), format)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)
KEYS = st.sampled_from(["type", "movie", "show", "season", "episode", "ids", "tmdb", "imdb"])
ITEM = st.dictionaries(
    KEYS | st.sampled_from(["id", "media_type", "title", "name", "year", "release_date"]),
    JSON | st.sampled_from(["movie", "show", "season", "tv", "person", "tt0113277", "1999"]),
    max_size=5,
)


@FUZZ
@given(st.lists(ITEM | JSON, max_size=5), st.sampled_from(["list", "items", "results"]), FORMATS)
def test_json_with_arbitrary_items(
    items: list[object], shape: str, format: ImportFormat | None
) -> None:
    data = items if shape == "list" else {shape: items}
    read_or_refuse(json.dumps(data).encode(), format)
