"""Parsing what was typed as a title: search text, years, ids, addresses, `--from` lines."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wheretowatch.errors import ExitCode, UsageError
from wheretowatch.models import MediaType
from wheretowatch.where import typed as titles
from wheretowatch.where.typed import (
    TitleInput,
    join_words,
    parse_title,
    split_byte_lines,
    split_lines,
)

MOVIE, TV = MediaType.MOVIE, MediaType.TV

SEARCHES = [
    # (typed, query, year, trailing_year)
    ("Fight Club", "Fight Club", None, None),
    ("  Fight Club  ", "Fight Club", None, None),
    ("Fight Club (1999)", "Fight Club", 1999, None),
    ("Fight Club(1999)", "Fight Club", 1999, None),
    ("Fight Club   (1999)", "Fight Club", 1999, None),
    ("Blade Runner 2049 (2017)", "Blade Runner 2049", 2017, None),
    ("Title (1870)", "Title", 1870, None),
    ("Title (2200)", "Title", 2200, None),
    ("Title (1869)", "Title (1869)", None, None),
    ("Title (2201)", "Title (2201)", None, None),
    ("Title (Director's Cut)", "Title (Director's Cut)", None, None),
    ("Title (1984) Redux", "Title (1984) Redux", None, None),
    ("(1984)", "(1984)", None, None),
    ("dune 1984", "dune 1984", None, ("dune", 1984)),
    ("fight club 1999", "fight club 1999", None, ("fight club", 1999)),
    ("Blade Runner 2049", "Blade Runner 2049", None, ("Blade Runner", 2049)),
    ("1917", "1917", None, None),
    ("2001: A Space Odyssey", "2001: A Space Odyssey", None, None),
    ("Fahrenheit 451", "Fahrenheit 451", None, None),
    ("Space 1999x", "Space 1999x", None, None),
    ("Logan's Run 2274", "Logan's Run 2274", None, None),
    ("Face/Off", "Face/Off", None, None),
    ("Mission: Impossible", "Mission: Impossible", None, None),
    ("tt12 monkeys", "tt12 monkeys", None, None),
    ("千と千尋の神隠し", "千と千尋の神隠し", None, None),
    ("Title ١٩٨٤", "Title ١٩٨٤", None, None),  # only ASCII digits make a year
    ("[bold]Title[/bold]", "[bold]Title[/bold]", None, None),
]


@pytest.mark.parametrize(("typed", "query", "year", "trailing"), SEARCHES)
def test_search_text_gives_query_year_and_trailing_year(
    typed: str, query: str, year: int | None, trailing: tuple[str, int] | None
) -> None:
    assert parse_title(typed) == TitleInput(
        text=typed.strip(), query=query, year=year, trailing_year=trailing
    )


IMDB = [
    "tt0137523",
    "TT0137523",
    "Tt0137523",
    "tt1234567890",
    " tt0137523 ",
    "https://www.imdb.com/title/tt0137523/",
    "https://www.imdb.com/title/tt0137523",
    "http://www.imdb.com/title/tt0137523/",
    "https://imdb.com/title/tt0137523/",
    "www.imdb.com/title/tt0137523/",
    "imdb.com/title/tt0137523",
    "IMDB.COM/title/TT0137523/",
    "https://WWW.IMDb.com/title/tt0137523/",
    "https://m.imdb.com/title/tt0137523/",
    "m.imdb.com/title/tt0137523/",
    "https://www.imdb.com/title/tt0137523/?ref_=fn_al_tt_1",
    "https://www.imdb.com/title/tt0137523/#cast",
    "https://www.imdb.com/title/tt0137523/reference",
    "https://www.imdb.com/title/tt0137523/reviews/?ref_=tt_ov_rt",
    "https://www.imdb.com/fr/title/tt0137523/",
    "https://www.imdb.com/es-es/title/tt0137523/",
    "https://www.imdb.com:443/title/tt0137523/",
    # No scheme, and "://" further on: still an address.
    "www.imdb.com/title/tt0137523/?ref=https://example.com",
]


@pytest.mark.parametrize("typed", IMDB)
def test_imdb_ids_and_addresses_give_the_lower_cased_id(typed: str) -> None:
    parsed = parse_title(typed)
    assert parsed.imdb_id == ("tt1234567890" if "1234567890" in typed else "tt0137523")
    assert (parsed.query, parsed.tmdb_id, parsed.year, parsed.media_type) == (None,) * 4
    assert parsed.text == typed.strip().partition("#")[0].partition("?")[0]


TMDB = [
    # (typed, tmdb_id, media_type, season)
    ("https://www.themoviedb.org/movie/550-fight-club", 550, MOVIE, None),
    ("https://www.themoviedb.org/movie/550", 550, MOVIE, None),
    ("http://themoviedb.org/movie/550-fight-club/", 550, MOVIE, None),
    ("www.themoviedb.org/movie/550", 550, MOVIE, None),
    ("themoviedb.org/movie/550-fight-club", 550, MOVIE, None),
    ("https://WWW.TheMovieDB.org/movie/550", 550, MOVIE, None),
    ("https://www.themoviedb.org/movie/550-fight-club?language=fr-FR", 550, MOVIE, None),
    ("https://www.themoviedb.org/movie/550-fight-club/watch?locale=GB", 550, MOVIE, None),
    ("https://www.themoviedb.org/movie/550-fight-club#reviews", 550, MOVIE, None),
    ("https://www.themoviedb.org/fr/movie/550", 550, MOVIE, None),
    ("https://www.themoviedb.org/en-GB/movie/550-fight-club", 550, MOVIE, None),
    ("https://www.themoviedb.org/movie/129-千と千尋の神隠し", 129, MOVIE, None),
    ("https://www.themoviedb.org/tv/1399-game-of-thrones", 1399, TV, None),
    ("https://www.themoviedb.org/tv/1399", 1399, TV, None),
    ("https://www.themoviedb.org/tv/1399-game-of-thrones/seasons", 1399, TV, None),
    ("https://www.themoviedb.org/tv/1399-game-of-thrones/season/3", 1399, TV, 3),
    ("https://www.themoviedb.org/tv/1399/season/0", 1399, TV, 0),
    ("https://www.themoviedb.org/tv/1399-game-of-thrones/season/2/episode/5", 1399, TV, 2),
    ("https://www.themoviedb.org/tv/1399/season/2?language=de-DE", 1399, TV, 2),
    ("https://www.themoviedb.org/tv/1399/watch?locale=US", 1399, TV, None),
    ("https://www.themoviedb.org/de/tv/1399/season/1", 1399, TV, 1),
    ("https://www.themoviedb.org/movie/550/season/3", 550, MOVIE, None),
    ("https://www.themoviedb.org/movie/2147483647", 2**31 - 1, MOVIE, None),
    ("themoviedb.org/movie/550#https://x", 550, MOVIE, None),
]


@pytest.mark.parametrize(("typed", "tmdb_id", "media_type", "season"), TMDB)
def test_tmdb_addresses_give_id_type_and_season(
    typed: str, tmdb_id: int, media_type: MediaType, season: int | None
) -> None:
    shown = typed.partition("#")[0].partition("?")[0]
    assert parse_title(typed) == TitleInput(
        text=shown, tmdb_id=tmdb_id, media_type=media_type, season=season
    )


REJECTED = [
    # (typed, words in the message)
    ("", "The title is empty"),
    ("   \t  ", "The title is empty"),
    ("x" * 501, "501 characters long; at most 500"),
    ("Drawing\x1b[31mCloser", "control characters"),
    ("Drawing\x00Closer", "control characters"),
    ("Drawing\tCloser", "control characters"),
    ("Drawing\rCloser", "control characters"),
    ("Drawing\x85Closer", "control characters"),
    ("Drawing\u2028Closer", "control characters"),
    ("https://example.com/x", "example.com is neither a TMDB nor an IMDb title address"),
    ("http://www.netflix.com/title/80012345", "netflix.com is neither"),
    ("https://imdb.com.example.org/title/tt0137523/", "imdb.com.example.org is neither"),
    ("https://pro.imdb.com/title/tt0137523/", "pro.imdb.com is neither"),
    ("ftp://imdb.com/title/tt0137523/", "That address is neither"),
    ("https://", "That address is neither"),
    ("http://[::1/movie/550", "That address is neither"),
    ("https://www.imdb.com/name/nm0000093/", "imdb.com address is not a title page"),
    ("https://www.imdb.com/", "imdb.com address is not a title page"),
    ("imdb.com", "imdb.com address is not a title page"),
    ("https://www.imdb.com/title/", "imdb.com address is not a title page"),
    ("https://www.imdb.com/title/nm0000093/", "imdb.com address is not a title page"),
    ("https://www.themoviedb.org/person/287-brad-pitt", "not a film or series page"),
    ("https://www.themoviedb.org/collection/10", "not a film or series page"),
    ("https://www.themoviedb.org/", "not a film or series page"),
    ("https://www.themoviedb.org/movie/", "not a film or series page"),
    ("https://www.themoviedb.org/movie/fight-club", "not a film or series page"),
    ("https://www.themoviedb.org/search?query=fight+club", "not a film or series page"),
    ("https://www.themoviedb.org/movie/0", "0 is not a TMDB id"),
    ("https://www.themoviedb.org/movie/0-nothing", "0 is not a TMDB id"),
    ("https://www.themoviedb.org/tv/2147483648", "2147483648 is not a TMDB id"),
    ("https://www.themoviedb.org/movie/" + "9" * 40, "is not a TMDB id"),
    ("https://www.themoviedb.org/tv/1399/season/2147483648", "is not a season number"),
    ("tt12", "'tt12' is not an IMDb id"),
    ("tt123456", "'tt123456' is not an IMDb id"),
    ("tt12345678901", "is not an IMDb id"),
    ("tt0000000", "'tt0000000' is not an IMDb id"),
    ("tt2147483648", "'tt2147483648' is not an IMDb id"),
    ("https://www.imdb.com/title/tt12/", "'tt12' is not an IMDb id"),
]


@pytest.mark.parametrize(("typed", "message"), REJECTED)
def test_what_cannot_be_a_title_is_a_usage_error_with_a_hint(typed: str, message: str) -> None:
    with pytest.raises(UsageError) as raised:
        parse_title(typed)
    assert message in raised.value.message
    assert raised.value.exit_code == ExitCode.USAGE
    if "characters long" not in message:
        assert raised.value.hint


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        (
            "https://me:hunter2@www.imdb.com/title/tt0137523/?token=s3cret",
            "https://www.imdb.com/title/tt0137523/",
        ),
        (
            "https://www.themoviedb.org/movie/550?api_key=s3cret#x",
            "https://www.themoviedb.org/movie/550",
        ),
        ("themoviedb.org/tv/1399#api_key=s3cret", "themoviedb.org/tv/1399"),
    ],
)
def test_an_address_is_shown_without_user_info_query_or_fragment(typed: str, shown: str) -> None:
    assert parse_title(typed).text == shown


def test_500_characters_are_allowed() -> None:
    assert parse_title("x" * 500).query == "x" * 500


@pytest.mark.parametrize(
    "typed",
    [
        "https://user:hunter2@example.com/?api_key=s3cret#token=abc",
        "https://user:hunter2@www.imdb.com/name/nm1/?api_key=s3cret",
        "https://www.themoviedb.org/person/1?api_key=s3cret&access_token=abc",
    ],
)
def test_messages_name_no_credential_from_the_address(typed: str) -> None:
    with pytest.raises(UsageError) as raised:
        parse_title(typed)
    shown = f"{raised.value.message} {raised.value.hint}"
    assert not any(secret in shown for secret in ("hunter2", "s3cret", "abc", "user"))


@pytest.mark.parametrize(
    ("words", "joined"),
    [
        (["fight", "club"], "fight club"),
        (["Fight Club"], "Fight Club"),
        (["  blade", "runner ", "", "  ", "2049"], "blade runner 2049"),
        (["Le  Samouraï"], "Le  Samouraï"),
        ([], ""),
    ],
)
def test_join_words_joins_positional_words_by_single_spaces(words: list[str], joined: str) -> None:
    assert join_words(words) == joined


LINES = [
    # (file text, expected)
    ("Fight Club\nDune (1984)\n", [(1, "Fight Club"), (2, "Dune (1984)")]),
    ("Fight Club\r\nDune\r\n", [(1, "Fight Club"), (2, "Dune")]),
    ("\n\n  \nDune\n", [(4, "Dune")]),
    ("# my list\nDune\n  # indented comment\n", [(2, "Dune")]),
    ("a\u2028b\nc", [(1, "a\u2028b"), (2, "c")]),
    ("a\x85b\nc", [(1, "a\x85b"), (2, "c")]),
    ("a\x0cb\nc", [(1, "a\x0cb"), (2, "c")]),
    ("a\x0bb\nc", [(1, "a\x0bb"), (2, "c")]),
    ("a\rb\nc", [(1, "a\rb"), (2, "c")]),
    ("a\u2029b\x1cc\x1dd\x1ee", [(1, "a\u2029b\x1cc\x1dd\x1ee")]),
    ("\ufeffDune\nAlien", [(1, "Dune"), (2, "Alien")]),
    ("  Dune  \n", [(1, "Dune")]),
    ("", []),
    ("\n", []),
    ("Dune", [(1, "Dune")]),
]


@pytest.mark.parametrize(("text", "expected"), LINES)
def test_split_lines_breaks_only_at_newlines_and_keeps_physical_numbers(
    text: str, expected: list[tuple[int, str]]
) -> None:
    assert split_lines(text) == expected


def test_a_line_with_a_hidden_break_is_then_rejected_by_parse_title() -> None:
    [(number, line)] = split_lines("# titles\n\nDune\u2028Alien\n")
    assert number == 3
    with pytest.raises(UsageError, match="control characters"):
        parse_title(line)


ADDRESS_LIKE = st.tuples(
    st.sampled_from(
        [
            "https://www.themoviedb.org/",
            "themoviedb.org/",
            "https://www.imdb.com/",
            "m.imdb.com/",
            "http://",
            "tt",
            "",
        ]
    ),
    st.sampled_from(["", "movie/", "tv/", "title/", "fr/", "tt", "person/"]),
    st.text(alphabet="0123456789-/?#:.@[]%tvseason ", max_size=30),
).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(), ADDRESS_LIKE))
def test_parse_title_raises_nothing_but_usage_error(text: str) -> None:
    try:
        parsed = parse_title(text)
    except UsageError:
        return  # any other exception fails the test
    if parsed.query is not None:
        assert parsed.text == text.strip()
    assert (parsed.query is None) == (parsed.tmdb_id is not None or parsed.imdb_id is not None)
    assert parsed.tmdb_id is None or parsed.imdb_id is None
    assert (parsed.tmdb_id is None) == (parsed.media_type is None)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab #\n\r\x0c\u2028\x85 ")))
def test_split_lines_numbers_are_physical_lines(text: str) -> None:
    physical = text.split("\n")
    for number, line in split_lines(text):
        assert line == physical[number - 1].strip()
        assert line
        assert not line.startswith("#")


def test_split_byte_lines_keeps_a_line_that_is_not_utf8_as_bytes_in_its_place() -> None:
    data = b"\xef\xbb\xbfDune\r\n\xff\xfe bad \r\n# caf\xe9\n\n Alien \n"
    assert split_byte_lines(data) == [(1, "Dune"), (2, b"\xff\xfe bad"), (5, "Alien")]


@settings(max_examples=1000, deadline=None)
@given(st.one_of(st.text(), ADDRESS_LIKE, st.text(alphabet="tT0123456789()., :/İıſK", max_size=20)))
def test_the_cheap_tests_before_each_pattern_change_no_answer(text: str) -> None:
    # titles.py tries a pattern only when a cheap test says it could match: the answers
    # must be the patterns' own, for any text.
    assert titles._is_address(text) == bool(
        re.match(titles._SCHEME, text) or re.match(titles._BARE_ADDRESS, text)
    )
    assert titles._is_imdb_id(text) == bool(re.fullmatch(titles._IMDB_ID, text))
    paren = re.fullmatch(titles._PAREN_YEAR, text)
    parsed = titles._parse_words(text) if text else None
    if parsed is not None and paren and titles._plausible(int(paren[2])):
        assert (parsed.query, parsed.year) == (paren[1], int(paren[2]))
    trailing = re.fullmatch(titles._TRAILING_YEAR, text)
    expected = (trailing[1], int(trailing[2])) if trailing else None
    if expected is not None and not titles._plausible(expected[1]):
        expected = None
    assert titles._trailing_year(text) == expected
