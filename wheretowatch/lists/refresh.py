"""`refresh`: fetch every watched title anew and report what changed since last time.

    from wheretowatch.settings.loading import load_settings
    from wheretowatch.lists import refresh

    report = refresh.run(load_settings())
    for change in report.changes:
        print(change.sentence())

Each title is looked up by TMDB id in refresh mode (one request), at the batch's rate
limit. Its new availability is compared with the snapshot the last refresh kept, in the
regions both looks covered; the new snapshot replaces the old one. A title that could
not be fetched fresh keeps its old snapshot and is reported as a failure.

Given `destinations` (stdout, notification targets), the changes are delivered at least
once: they go into the outbox before the snapshots advance, and leave it only when every
destination has taken them (see `outbox`); what one did not take is delivered again, to
it alone, by the next run. Without destinations, the caller is handed the changes and
the snapshots advance: reporting them is then the caller's own business.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from wheretowatch.datafile import locked
from wheretowatch.errors import (
    DeliveryError,
    NotFoundError,
    UnreachableError,
    UpstreamError,
    WheretowatchError,
)
from wheretowatch.lists import outbox
from wheretowatch.lists.changes import (
    Event,
    ReleaseChange,
    announced,
    diff,
    next_digital_dates,
    ordered,
    release_changes,
)
from wheretowatch.lists.outbox import Destination
from wheretowatch.lists.snapshots import Snapshot, Snapshots
from wheretowatch.lists.watchlist import WatchedTitle, Watchlist, lookup_request
from wheretowatch.models import (
    STREAMING,
    LookupResult,
    MyServices,
    RegionSelection,
    title_key,
)
from wheretowatch.settings.client import open_client
from wheretowatch.settings.loading import Settings
from wheretowatch.tmdb import CacheMode, TitleRequest, TMDBClient
from wheretowatch.where import releases
from wheretowatch.where.batch import lookup_many, map_ordered
from wheretowatch.where.services import my_services

DEFAULT_WAIT = 60.0


@dataclass(frozen=True, slots=True)
class RefreshReport:
    """What a refresh found: changes (your services first) and new seasons announced, and
    titles it could not fetch; with destinations, what was delivered (new or pending) and
    which ones failed."""

    changes: tuple[Event, ...]
    failures: tuple[tuple[str, WheretowatchError], ...]
    snapshots: dict[str, Snapshot]
    titles: int = 0  # how many were checked, cached titles included
    delivered: tuple[Event, ...] = ()  # taken by at least one destination in this run
    undelivered: tuple[tuple[str, DeliveryError, int], ...] = ()  # (label, why, how many)
    pending: int = 0  # changes still owed somewhere after this run
    # Destinations that failed with changes owed from an earlier run too, label to id:
    # refusing for more than one run, for the user to look into (or drop their backlog).
    refusing: tuple[tuple[str, str], ...] = ()
    # The first refresh (no snapshot before it): how many watched titles already stream
    # on the user's services; None on later refreshes.
    first_on_services: int | None = None
    # TMDB stopped being reachable (DNS, refused, TLS, timeouts): why, and how many titles
    # were then not refreshed (kept out of `failures`: one line says it, not one a title).
    unreachable: UnreachableError | None = None
    unreached: int = 0
    # Titles TMDB no longer has (404), found so by this refresh: said once, never a failure.
    gone: tuple[WatchedTitle, ...] = ()


def run(
    settings: Settings,
    *,
    all_cached: bool = False,
    wait: float = DEFAULT_WAIT,
    mine: bool = False,
    destinations: Sequence[Destination] = (),
    warn: Callable[[str], None] = lambda message: None,
    on_start: Callable[[int], None] = lambda total: None,
    on_progress: Callable[[], None] = lambda: None,
) -> RefreshReport:
    """Refresh the watchlist (and with `all_cached` every title in the cache), save the
    new snapshots and deliver the changes (only those on your services with `mine`) to
    `destinations`. Holds the refresh lock throughout, waiting `wait` seconds for it.

    `on_start` is told how many titles will be fetched, `on_progress` of each one done.
    """
    snapshots = Snapshots(settings.data_dir)
    with locked(snapshots.lock_path, timeout=wait, what="refreshing"):
        titles = Watchlist(settings.data_dir, warn=warn).titles()
        previous, rows = snapshots.load_with_undelivered()
        pending = outbox.read(rows, snapshots.path)
        with open_client(settings, mode=CacheMode.REFRESH, warn=warn) as tmdb:
            extra = cached_requests(tmdb, skip={t.key for t in titles}) if all_cached else []
            on_start(len(titles) + len(extra))
            services = my_services(tmdb, settings, warn=warn)
            report = refresh_watchlist(
                tmdb,
                titles,
                previous,
                default_regions=settings.region,
                language=settings.language,
                services=services,
                on_progress=on_progress,
            )
            failures = report.failures + tuple(refresh_cached(tmdb, extra, on_progress))
            unreachable = tmdb.unreachable
        failures, unreached = _split_unreached(failures, unreachable)
        changes = tuple(c for c in ordered(report.changes) if c.mine or not mine)
        owed_before = {key for item in pending for key in item.owed}
        # One write: the snapshots advance only together with the changes still to deliver.
        found_at = datetime.now(UTC).isoformat(timespec="seconds")
        pending = outbox.enqueue(pending, changes, [d.id for d in destinations], since=found_at)
        snapshots.save(report.snapshots, outbox.rows(pending))
        delivery = _deliver_and_record(snapshots, report.snapshots, pending, destinations)
    first = None if previous or not titles else _streaming_on(report.snapshots, services)
    return RefreshReport(
        changes,
        failures,
        report.snapshots,
        len(titles) + len(extra),
        delivered=delivery.delivered,
        undelivered=delivery.failed,
        pending=len(delivery.outbox),
        first_on_services=first,
        unreachable=unreachable,
        unreached=unreached,
        gone=report.gone,
        refusing=_refusing(destinations, delivery, owed_before),
    )


def _refusing(
    destinations: Sequence[Destination], delivery: outbox.Delivery, owed_before: set[str]
) -> tuple[tuple[str, str], ...]:
    failed = {label for label, _, left in delivery.failed if left}
    return tuple(
        (d.label, d.id)
        for d in destinations
        if d.label in failed and d.id in owed_before and d.id != outbox.STDOUT
    )


def _split_unreached(
    failures: Sequence[tuple[str, WheretowatchError]], unreachable: UnreachableError | None
) -> tuple[tuple[tuple[str, WheretowatchError], ...], int]:
    """The failures to report one by one, and how many were TMDB being unreachable. Once
    it is, a title's failure (or stale answer) is that, whatever words it came with."""
    if unreachable is None:
        return tuple(failures), 0
    kept = tuple(
        (label, error)
        for label, error in failures
        if not isinstance(error, UpstreamError) or error.http_status is not None
    )
    return kept, len(failures) - len(kept)


def _deliver_and_record(
    store: Snapshots,
    current: Mapping[str, Snapshot],
    pending: list[outbox.Pending],
    destinations: Sequence[outbox.Destination],
) -> outbox.Delivery:
    """Deliver, then record what was taken, as one step that Ctrl-C (or SIGTERM) cannot
    split: stopped anywhere in it, what was taken is recorded before the stop goes on, so
    the next refresh gives nothing twice."""

    def record(left: tuple[outbox.Pending, ...]) -> None:
        if left != tuple(pending):
            outbox.despite_interrupts(lambda: store.save(current, outbox.rows(left)))

    delivery = None
    try:
        delivery = outbox.deliver(pending, destinations)
        record(delivery.outbox)
    except outbox.DeliveryInterrupted as stop:
        record(stop.delivery.outbox)
        raise stop.cause from None
    except KeyboardInterrupt:
        if delivery is not None:  # landed between the delivery and its record
            record(delivery.outbox)
        raise
    return delivery


def _streaming_on(snapshots: Mapping[str, Snapshot], services: MyServices) -> int:
    """How many titles stream (flat rate, free or with ads) on the user's services."""
    return sum(
        any(
            services.includes(provider)
            for offers in snapshot.offers.values()
            for category in STREAMING
            for provider in offers.providers(category)
        )
        for snapshot in snapshots.values()
    )


def refresh_watchlist(
    client: TMDBClient,
    titles: Sequence[WatchedTitle],
    previous: Mapping[str, Snapshot],
    *,
    default_regions: RegionSelection | None,
    language: str,
    services: MyServices,
    on_progress: Callable[[], None] = lambda: None,
) -> RefreshReport:
    requests = [lookup_request(title, default_regions, language) for title in titles]
    changes: list[Event] = []
    failures: list[tuple[str, WheretowatchError]] = []
    gone: list[WatchedTitle] = []
    # Only titles still watched keep a snapshot: the file never outgrows the watchlist.
    keys = {title.key for title in titles}
    snapshots = {key: snapshot for key, snapshot in previous.items() if key in keys}
    outcomes = lookup_many(client, requests, workers=client.concurrency)
    with closing(outcomes):  # an interrupted refresh stops its workers first
        for title, outcome in zip(titles, outcomes, strict=True):
            on_progress()
            result = outcome.result
            if isinstance(outcome.error, NotFoundError):
                before = previous.get(title.key)
                if before is None or not before.gone:
                    gone.append(title)
                snapshots[title.key] = _gone(before)
                continue
            if result is None or result.stale:
                reason = (result.stale_reason if result else None) or "TMDB gave no fresh answer"
                failures.append((title.label, outcome.error or UpstreamError(reason)))
                continue
            snapshot = _snapshot(result, title)
            before = previous.get(title.key)
            if before is not None:
                regions = _compared_regions(before, snapshot)
                changes += diff(title, before.offers, snapshot.offers, regions, services)
                series = result.title.series
                if title.season is None and series is not None:
                    changes += announced(title, before.latest_season, series.next_episode)
                changes += _release_changes(title, before, result, regions, services)
            snapshots[title.key] = snapshot
    return RefreshReport(tuple(changes), tuple(failures), snapshots, len(titles), gone=tuple(gone))


def _gone(before: Snapshot | None) -> Snapshot:
    """The snapshot of a title TMDB answers 404 for: the last one, marked gone."""
    if before is not None:
        return replace(before, gone=True)
    return Snapshot(fetched_at="", regions_checked=(), offers={}, gone=True)


def cached_requests(client: TMDBClient, *, skip: set[str]) -> list[TitleRequest]:
    """The title requests in the cache, but for titles in `skip` (keys like "movie/550")."""
    requests = client.cached_title_requests()
    return [r for r in requests if title_key(r.media_type, r.tmdb_id) not in skip]


def refresh_cached(
    client: TMDBClient,
    requests: Sequence[TitleRequest],
    on_progress: Callable[[], None] = lambda: None,
) -> list[tuple[str, WheretowatchError]]:
    """Send `requests` again, fresh (`--all-cached`); returns the failures."""

    def fetch(request: TitleRequest) -> tuple[str, WheretowatchError] | None:
        label = f"{request.media_type.value} {request.tmdb_id}"
        try:
            fetched = client.details(
                request.media_type,
                request.tmdb_id,
                language=request.language,
                video_languages=request.video_languages,
            )
        except WheretowatchError as error:
            return label, error
        return (label, UpstreamError(fetched.stale_reason or "")) if fetched.stale else None

    failures = []
    fetched = map_ordered(fetch, requests, workers=client.concurrency)
    with closing(fetched):  # an interrupted refresh stops its workers first
        for failure in fetched:
            on_progress()
            if failure is not None:
                failures.append(failure)
    return failures


def _snapshot(result: LookupResult, title: WatchedTitle) -> Snapshot:
    series = result.title.series if title.season is None else None
    dates = result.title.release_dates
    return Snapshot(
        fetched_at=result.fetched_at.isoformat(timespec="seconds"),
        regions_checked=result.regions.stored,
        offers=dict(result.availability),
        latest_season=series.latest_season if series else None,
        digital=None if dates is None else next_digital_dates(dates, releases.today()),
    )


def _release_changes(
    title: WatchedTitle,
    before: Snapshot,
    result: LookupResult,
    regions: Sequence[str],
    services: MyServices,
) -> list[ReleaseChange]:
    """A film's digital dates announced, moved or passed since `before`; none against a
    snapshot that kept no dates (the first refresh since wheretowatch keeps them)."""
    dates = result.title.release_dates
    if before.digital is None or dates is None:
        return []
    return release_changes(
        title, before.digital, dates, result.availability, regions, services, releases.today()
    )


def _compared_regions(before: Snapshot, after: Snapshot) -> list[str]:
    # Only regions both looks covered: a region only one covered is a new baseline, not a
    # change, so adding a region to a watched title does not report everything there.
    if before.all_regions and after.all_regions:
        return sorted(set(before.offers) | set(after.offers))
    if after.all_regions:
        return list(before.regions_checked)
    if before.all_regions:
        return list(after.regions_checked)
    return [region for region in after.regions_checked if region in before.regions_checked]
