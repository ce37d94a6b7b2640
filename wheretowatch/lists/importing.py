"""`watchlist import`: match an export's rows to TMDB titles and add them, never guessing.

    from wheretowatch.settings.loading import load_settings
    from wheretowatch.lists.formats import read_export
    from wheretowatch.lists import importing as importer

    report = importer.run(load_settings(), read_export(data))
    print(report.counts())

Matching, most certain first (`match_row`):

    TMDB id      taken as it is: no request (one, for the name, if the file has none; one
                 for a watched season, to refuse one the series does not have)
    IMDb id      `/3/find`: one request; the file's type picks film or series
    name + year  (Letterboxd) films with exactly that name, from that year, else one year
                 off; else series the same way. Two that fit equally are ambiguous.
    text line    as `watchlist add` takes it; a candidate that is not the title exactly,
                 or not from the year (or one either side), is unmatched, named

Rows run concurrently under the client's shared rate limit. Matched entries are written
in batches as the import goes, so an interrupted import keeps what it matched, and the
same import run again adds only what is missing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum

from wheretowatch.errors import (
    ExitCode,
    NotFoundError,
    UnreachableError,
    UpstreamError,
    UsageError,
    most_serious,
)
from wheretowatch.lists.formats import ImportFile, ImportFormat, ImportRow, RowProblem
from wheretowatch.lists.watchlist import WatchedTitle, Watchlist
from wheretowatch.models import MediaType, RegionSelection, TitleMatch
from wheretowatch.settings.client import open_client
from wheretowatch.settings.loading import Settings
from wheretowatch.settings.regions import select_regions
from wheretowatch.tmdb import CacheMode, TMDBClient
from wheretowatch.where.batch import map_ordered
from wheretowatch.where.lookup import no_such_season
from wheretowatch.where.ranking import normalize_title, rank_matches
from wheretowatch.where.typed import TitleInput, parse_title

# Written when this many entries wait, or this many seconds passed: an interrupted
# import loses little, and a big one does not rewrite the watchlist for every row.
BATCH_SIZE = 50
BATCH_SECONDS = 2.0
UNREACHED = "TMDB could not be reached"


class Outcome(StrEnum):
    """What became of one row, in the order the summary counts them."""

    ADDED = "added"
    ALREADY = "already"
    AMBIGUOUS = "ambiguous"
    UNMATCHED = "unmatched"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Match:
    """What matching one row found (before the watchlist says whether it is new).

    `entry` for a title to add; `candidates` for an ambiguous row; `reason` says why a row
    is unmatched, skipped or failed, or, beside an entry, that it is not an exact match.
    """

    outcome: Outcome
    entry: WatchedTitle | None = None
    candidates: tuple[TitleMatch, ...] = ()
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class RowResult:
    """One input row (or a row the reader could not read) and what became of it."""

    source: ImportRow | RowProblem
    outcome: Outcome
    entry: WatchedTitle | None = None
    candidates: tuple[TitleMatch, ...] = ()
    reason: str | None = None

    @property
    def row(self) -> int:
        return self.source.row

    @property
    def unreached(self) -> bool:
        """Failed because TMDB could not be reached: said once for all such rows."""
        return self.outcome is Outcome.FAILED and self.reason == UNREACHED

    @property
    def needs_attention(self) -> bool:
        return self.outcome not in (Outcome.ADDED, Outcome.ALREADY) or self.reason is not None


@dataclass(frozen=True, slots=True)
class ImportReport:
    file: ImportFile
    results: tuple[RowResult, ...]
    dry_run: bool = False
    # Why TMDB stopped being reachable; the rows after it were not asked about.
    unreachable: UnreachableError | None = None

    def counts(self) -> dict[Outcome, int]:
        counts = dict.fromkeys(Outcome, 0)
        for result in self.results:
            counts[result.outcome] += 1
        return counts

    @property
    def unmatched(self) -> list[RowResult]:
        """Rows to fix and import again: ambiguous and unmatched ones, in file order."""
        return [r for r in self.results if r.outcome in (Outcome.AMBIGUOUS, Outcome.UNMATCHED)]

    @property
    def exit_code(self) -> ExitCode:
        """0 all added or there, 4 some unmatched or ambiguous, 7 some failed on TMDB."""
        codes = {
            Outcome.AMBIGUOUS: ExitCode.NOT_FOUND,
            Outcome.UNMATCHED: ExitCode.NOT_FOUND,
            Outcome.FAILED: ExitCode.UPSTREAM,
        }
        return most_serious(codes.get(r.outcome, ExitCode.OK) for r in self.results)


def run(
    settings: Settings,
    file: ImportFile,
    *,
    regions: RegionSelection | None = None,
    dry_run: bool = False,
    warn: Callable[[str], None] = lambda message: None,
    on_start: Callable[[int], None] = lambda total: None,
    on_progress: Callable[[], None] = lambda: None,
) -> ImportReport:
    """Match every row of `file` and add the matches (unless `dry_run`) in `regions`
    (None: each row's own, from wheretowatch's exports, else the region setting)."""
    watchlist = Watchlist(settings.data_dir)
    with open_client(settings, mode=CacheMode.NORMAL, warn=warn) as client:
        matcher = Matcher(client, format=file.format, language=settings.language, regions=regions)
        on_start(len(file.rows))
        matches = map_ordered(
            matcher.match,
            file.rows,
            workers=client.concurrency,
        )
        # Closed before the client is: an interrupted import stops its workers first.
        with closing(matches), _writer(watchlist, dry_run) as write:
            results = list(_settle(file, matches, set(write.known), write, on_progress))
        unreachable = client.unreachable
    ordered = tuple(sorted(results, key=lambda r: r.row))
    return ImportReport(file, ordered, dry_run, unreachable)


def _settle(
    file: ImportFile,
    matches: Iterator[Match],
    known: set[str],
    write: _Writer,
    on_progress: Callable[[], None],
) -> Iterator[RowResult]:
    """Turn matches into outcomes: a title on the watchlist, or earlier in the file, is
    "already"; yields the problems the reader found as unmatched rows too."""
    for problem in file.problems:
        yield RowResult(problem, Outcome.UNMATCHED, reason=f"could not be read: {problem.reason}")
    for row, match in zip(file.rows, matches, strict=True):
        on_progress()
        entry = match.entry
        if entry is None:
            yield RowResult(row, match.outcome, None, match.candidates, match.reason)
            continue
        if entry.key in known:
            yield RowResult(row, Outcome.ALREADY, entry, reason=match.reason)
            continue
        known.add(entry.key)
        write(entry)
        yield RowResult(row, Outcome.ADDED, entry, reason=match.reason)


class _Writer:
    """Collects new entries and writes them in batches (`BATCH_SIZE`, `BATCH_SECONDS`)."""

    def __init__(self, watchlist: Watchlist, dry_run: bool) -> None:
        self._watchlist = watchlist
        self._dry_run = dry_run
        self._waiting: list[WatchedTitle] = []
        self._since = time.monotonic()
        self.known = {title.key for title in watchlist.titles()}
        self._listed = len(self.known)  # about how long the list is: what a write costs

    def __call__(self, entry: WatchedTitle) -> None:
        self._waiting.append(entry)
        # A checkpoint rewrites the whole list: one every BATCH_SIZE rows made an import
        # quadratic (100,000 rows did not finish in ten minutes). Waiting for at least a
        # quarter of the list as written keeps the total linear; BATCH_SECONDS still
        # bounds what an interruption can lose in time.
        due = max(BATCH_SIZE, self._listed // 4)
        if len(self._waiting) >= due or time.monotonic() - self._since >= BATCH_SECONDS:
            self.flush()

    def flush(self) -> None:
        if self._waiting and not self._dry_run:
            self._watchlist.add_many(self._waiting)
        self._listed += len(self._waiting)
        self._waiting = []
        self._since = time.monotonic()


@contextmanager
def _writer(watchlist: Watchlist, dry_run: bool) -> Iterator[_Writer]:
    writer = _Writer(watchlist, dry_run)
    try:
        yield writer
    finally:
        # Also on Ctrl-C or an error: what was matched is kept.
        writer.flush()


class Matcher:
    """Matches rows to titles with one client; safe to call from many threads."""

    def __init__(
        self,
        client: TMDBClient,
        *,
        format: ImportFormat,
        language: str,
        regions: RegionSelection | None,
    ) -> None:
        self._client = client
        self._format = format
        self._language = language
        self._regions = regions
        self._now = datetime.now(UTC).isoformat(timespec="seconds")

    def match(self, row: ImportRow) -> Match:
        """What `row` is, or why it is not added; TMDB's failures become FAILED."""
        if row.skip_reason is not None:
            return Match(Outcome.SKIPPED, reason=row.skip_reason)
        try:
            found = self._match(row)
        except NotFoundError as error:
            return Match(Outcome.UNMATCHED, reason=error.message)
        except UsageError as error:
            return Match(Outcome.UNMATCHED, reason=error.message)
        except UnreachableError:
            return Match(Outcome.FAILED, reason=UNREACHED)
        except UpstreamError as error:
            # Only TMDB's trouble fails a row; a missing credential stops the import.
            return Match(Outcome.FAILED, reason=error.message)
        if found.entry is None:
            return found
        try:
            return replace(found, entry=self._placed(found.entry, row))
        except UsageError as error:
            return Match(Outcome.UNMATCHED, reason=error.message)

    def _match(self, row: ImportRow) -> Match:
        if row.tmdb_id is not None:
            return self._by_tmdb_id(row)
        if row.imdb_id is not None:
            return self._by_imdb_id(row)
        if row.title is None:
            return Match(Outcome.UNMATCHED, reason="no title and no id")
        if self._format is ImportFormat.TEXT:
            return self._by_text(row.title)
        return self._by_name(row.title, row.year, row.media_type, row.original_title)

    def _by_tmdb_id(self, row: ImportRow) -> Match:
        assert row.tmdb_id is not None
        # Letterboxd's importer CSV (the only id-only rows without a type) holds films.
        media_type = row.media_type or MediaType.MOVIE
        if row.title is not None:
            return Match(Outcome.ADDED, self._entry_from_row(row, media_type, row.tmdb_id))
        details = self._client.details(
            media_type, row.tmdb_id, language=self._language, video_languages=()
        ).value
        entry = WatchedTitle(
            tmdb_id=details.tmdb_id,
            media_type=details.media_type,
            title=details.title,
            year=details.year,
            original_language=details.original_language,
            imdb_id=details.imdb_id or row.imdb_id,
        )
        return Match(Outcome.ADDED, entry)

    def _by_imdb_id(self, row: ImportRow) -> Match:
        assert row.imdb_id is not None
        found = self._client.find_imdb(row.imdb_id, language=self._language).value
        fitting = [m for m in found if row.media_type in (None, m.media_type)]
        if not fitting:
            reason = f"TMDB knows no {_kind(row.media_type)} with IMDb id {row.imdb_id}"
            return Match(Outcome.UNMATCHED, reason=reason)
        if len(fitting) > 1:
            return Match(Outcome.AMBIGUOUS, candidates=tuple(fitting))
        return Match(Outcome.ADDED, _entry_from_match(fitting[0], imdb_id=row.imdb_id))

    def _by_name(
        self,
        name: str,
        year: int | None,
        media_type: MediaType | None,
        original_title: str | None = None,
    ) -> Match:
        """The exact-title rule: films first (unless the row says series), then series."""
        kinds = [media_type] if media_type else [MediaType.MOVIE, MediaType.TV]
        near: list[TitleMatch] = []
        for kind in kinds:
            candidates = self._search(name, kind)
            if original_title and normalize_title(original_title) != normalize_title(name):
                candidates += self._search(original_title, kind)
            named = _named(candidates, [name, original_title])
            fits = _fitting_year(named, year)
            if len(fits) == 1:
                return Match(Outcome.ADDED, _entry_from_match(fits[0]))
            if len(fits) > 1:
                return Match(Outcome.AMBIGUOUS, candidates=tuple(fits))
            near += named
        reason = f"no {_kind(media_type)} has exactly this title"
        if year:
            reason += f" and the year {year} (or one either side)"
        if near:
            reason += f"; found {'; '.join(_describe(m) for m in near[:3])}"
        return Match(Outcome.UNMATCHED, reason=reason)

    def _by_text(self, text: str) -> Match:
        """A text line, as `watchlist add` takes it: ids and addresses, or a search."""
        given = parse_title(text)
        if given.tmdb_id is not None or given.imdb_id is not None:
            row = ImportRow(
                row=0,
                title=None,
                tmdb_id=given.tmdb_id,
                imdb_id=given.imdb_id,
                media_type=given.media_type,
                raw=text,
            )
            return self._by_tmdb_id(row) if given.tmdb_id is not None else self._by_imdb_id(row)
        return self._search_text(given)

    def _search_text(self, given: TitleInput) -> Match:
        assert given.query is not None
        ranked = rank_matches(self._search(given.query, None), given.query, given.year)
        exact = _named(ranked, [given.query])
        if not exact and given.trailing_year is not None:
            # "dune 1984": no title is called that, so it is "Dune" from 1984.
            name, year = given.trailing_year
            retried = rank_matches(self._search(name, None), name, year)
            if _named(retried, [name]):
                ranked, exact, given = retried, _named(retried, [name]), given._replace(year=year)
        if not ranked:
            return Match(Outcome.UNMATCHED, reason="no film or series matches it")
        if not exact:
            # A guess is never added: the row goes to --unmatched, the candidate named.
            reason = (
                f"no film or series has exactly this title; the closest is {_describe(ranked[0])}"
            )
            return Match(Outcome.UNMATCHED, reason=reason)
        fits = _fitting_year(exact, given.year)
        if not fits:
            reason = f"nothing has exactly this title from {given.year} (or one either side)"
            reason += f"; found {'; '.join(_describe(m) for m in exact[:3])}"
            return Match(Outcome.UNMATCHED, reason=reason)
        pick = fits[0]
        note = None
        if given.year is not None and pick.year != given.year:
            note = f"not from {given.year}: {given.text!r} is taken as {_describe(pick)}"
        elif len(exact) > 1 and sum(m.year == given.year for m in exact) != 1:
            # As `watchlist add` does: several titles are called that and no year decided.
            # (`pick` is exact[0]: the ranking puts exact matches first.)
            others = "; ".join(_describe(m) for m in exact[1:4])
            note = f"one of several exact matches: {given.text!r} is taken as {_describe(pick)}"
            note += f" (also: {others})"
        return Match(Outcome.ADDED, _entry_from_match(pick), reason=note)

    def _search(self, query: str, media_type: MediaType | None) -> list[TitleMatch]:
        return self._client.search(query, media_type=media_type, language=self._language).value

    def _entry_from_row(self, row: ImportRow, media_type: MediaType, tmdb_id: int) -> WatchedTitle:
        assert row.title is not None
        # A Trakt season or episode item stands for its show; in wheretowatch's own
        # exports, a season is a watched season.
        season = row.season if self._format is not ImportFormat.TRAKT else None
        if season is not None and media_type is MediaType.TV:
            self._check_season(tmdb_id, season)
        return WatchedTitle(
            tmdb_id=tmdb_id,
            media_type=media_type,
            title=row.title,
            year=row.year,
            original_language=row.original_language,
            season=season if media_type is MediaType.TV else None,
            imdb_id=row.imdb_id,
        )

    def _check_season(self, series_id: int, number: int) -> None:
        """NotFoundError (naming how many seasons it has) for a season the series lacks:
        watched, it would fail every refresh, as `watchlist add --season 9` is refused."""
        details = self._client.details(
            MediaType.TV, series_id, language=self._language, video_languages=()
        ).value
        info = details.series
        if info is None:
            return  # TMDB said nothing of its seasons: nothing to hold the number against
        if info.seasons:
            known = info.season(number) is not None
        else:
            known = info.number_of_seasons is None or number <= info.number_of_seasons
        if not known:
            raise no_such_season(details, number)

    def _placed(self, entry: WatchedTitle, row: ImportRow) -> WatchedTitle:
        """The entry with its regions (--region, else the row's own) and time added."""
        if self._regions is not None:
            regions = self._regions.stored
        elif row.regions:
            regions = select_regions(row.regions, f"row {row.row}").stored
        else:
            regions = ()
        return replace(entry, regions=regions, added_at=row.added_at or self._now)


def _named(candidates: Sequence[TitleMatch], names: Sequence[str | None]) -> list[TitleMatch]:
    """Candidates whose title or original title is exactly one of `names`, once each."""
    wanted = {normalize_title(name) for name in names if name}
    seen: set[str] = set()
    named = []
    for match in candidates:
        key = f"{match.media_type.value}/{match.tmdb_id}"
        titles = {normalize_title(match.title), normalize_title(match.original_title)}
        if titles & wanted and key not in seen:
            seen.add(key)
            named.append(match)
    return named


def _fitting_year(named: Sequence[TitleMatch], year: int | None) -> list[TitleMatch]:
    """Those from `year`, else from a year either side (festival and release dates
    differ); without a year, all of them."""
    if year is None:
        return list(named)
    exact = [m for m in named if m.year == year]
    if exact:
        return exact
    return [m for m in named if m.year is not None and abs(m.year - year) == 1]


def _entry_from_match(match: TitleMatch, *, imdb_id: str | None = None) -> WatchedTitle:
    return WatchedTitle(
        tmdb_id=match.tmdb_id,
        media_type=match.media_type,
        title=match.title,
        year=match.year,
        original_language=match.original_language,
        imdb_id=imdb_id,
    )


def _kind(media_type: MediaType | None) -> str:
    return {MediaType.MOVIE: "film", MediaType.TV: "series", None: "film or series"}[media_type]


def _describe(match: TitleMatch) -> str:
    year = f" ({match.year})" if match.year else ""
    return f"{match.title}{year}, {_kind(match.media_type)} {match.tmdb_id}"
