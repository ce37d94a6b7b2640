"""The watchlist: the titles you follow, what changed, and the lists you import and export.

watchlist     the store (WatchedTitle, Watchlist): atomic JSON under a lock
refresh       look every title up again, record snapshots, report changes
snapshots     the last availability seen;  changes: what differs, in sentences
outbox        changes owed to each notification target until delivered
availability  the watchlist with each title's offers (watchlist list)
importing     export rows matched to TMDB titles and added
formats/      Letterboxd, IMDb, Trakt, TMDB and text exports read into rows
exporting     the watchlist written as CSV or JSON
"""
