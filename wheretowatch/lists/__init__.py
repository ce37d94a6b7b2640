"""The watchlist: the titles you follow, what changed, and the lists you import and export.

watchlist     the store (WatchedTitle, Watchlist): atomic JSON under a lock
refresh       look every title up again, record snapshots, report changes
snapshots     the last availability seen;  changes: what differs, in sentences
notifications the changes as one message a run, to each target
outbox        changes owed to each notification target until delivered
availability  the watchlist with each title's offers (watchlist list)
importing     export rows matched to TMDB titles and added
formats/      Letterboxd, IMDb, Trakt, TMDB and text exports read into rows, one
              module per format behind a registry; formats/export writes the
              watchlist as CSV or JSON (read back as Letterboxd and TMDB files)
"""
