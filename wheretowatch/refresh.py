"""`refresh`: fetch every watched title anew and report what changed since last time.

Each title is looked up by TMDB id in refresh mode (one request), at the batch's rate
limit. Its new availability is compared with the snapshot the last refresh kept, in the
regions both looks covered; the new snapshot replaces the old one. A title that could
not be fetched fresh keeps its old snapshot and is reported as a failure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from wheretowatch.batch import lookup_many, map_ordered
from wheretowatch.changes import Change, diff
from wheretowatch.errors import ConfigError, UpstreamError, WheretowatchError
from wheretowatch.models import (
    LookupResult,
    OwnServices,
    RegionSelection,
    title_key,
)
from wheretowatch.region import select_regions
from wheretowatch.service import LookupRequest
from wheretowatch.tmdb import TitleRequest, TMDBClient
from wheretowatch.watchlist import Snapshot, WatchedTitle

# Stands for "every region" in a snapshot's regions_checked (`--region all`).
EVERY_REGION = "*"


@dataclass(frozen=True, slots=True)
class RefreshReport:
    changes: tuple[Change, ...]
    failures: tuple[tuple[str, WheretowatchError], ...]
    snapshots: dict[str, Snapshot]


def refresh_watchlist(
    client: TMDBClient,
    titles: Sequence[WatchedTitle],
    previous: Mapping[str, Snapshot],
    *,
    default_regions: RegionSelection | None,
    language: str,
    services: OwnServices,
    on_progress: Callable[[], None] = lambda: None,
) -> RefreshReport:
    requests = [_request(title, default_regions, language) for title in titles]
    changes: list[Change] = []
    failures: list[tuple[str, WheretowatchError]] = []
    # Only titles still watched keep a snapshot: the file never outgrows the watchlist.
    keys = {title.key for title in titles}
    snapshots = {key: snapshot for key, snapshot in previous.items() if key in keys}
    outcomes = lookup_many(client, requests, workers=client.concurrency)
    for title, outcome in zip(titles, outcomes, strict=True):
        on_progress()
        result = outcome.result
        if result is None or result.stale:
            reason = (result.stale_reason if result else None) or "TMDB gave no fresh answer"
            failures.append((title.label, outcome.error or UpstreamError(reason)))
            continue
        snapshot = _snapshot(result)
        before = previous.get(title.key)
        if before is not None:
            regions = _compared_regions(before, snapshot)
            changes += diff(title, before.offers, snapshot.offers, regions, services)
        snapshots[title.key] = snapshot
    return RefreshReport(tuple(changes), tuple(failures), snapshots)


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
    for failure in map_ordered(fetch, requests, workers=client.concurrency):
        on_progress()
        if failure is not None:
            failures.append(failure)
    return failures


def _request(
    title: WatchedTitle, default_regions: RegionSelection | None, language: str
) -> LookupRequest:
    if title.regions:
        regions = select_regions(",".join(title.regions), "the watchlist")
    elif default_regions is not None:
        regions = default_regions
    else:
        raise ConfigError(
            f"{title.label} is watched in your region setting, but no region is set.",
            hint="Set region in the config file or WHERETOWATCH_REGION, or give the title its "
            f'own: wheretowatch watchlist add "{title.title}" --region GB',
        )
    return LookupRequest(
        regions=regions,
        language=language,
        media_type=title.media_type,
        tmdb_id=title.tmdb_id,
        original_language=title.original_language,
    )


def _snapshot(result: LookupResult) -> Snapshot:
    checked = (EVERY_REGION,) if result.regions.all_regions else result.regions.codes
    return Snapshot(
        fetched_at=result.fetched_at.isoformat(timespec="seconds"),
        regions_checked=checked,
        offers=dict(result.availability),
    )


def _compared_regions(before: Snapshot, after: Snapshot) -> list[str]:
    # Only regions both looks covered: a region only one covered is a new baseline, not a
    # change, so adding a region to a watched title does not report everything there.
    every = (EVERY_REGION,)
    if before.regions_checked == every and after.regions_checked == every:
        return sorted(set(before.offers) | set(after.offers))
    if after.regions_checked == every:
        return list(before.regions_checked)
    if before.regions_checked == every:
        return list(after.regions_checked)
    return [region for region in after.regions_checked if region in before.regions_checked]
