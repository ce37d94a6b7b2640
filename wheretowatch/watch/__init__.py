"""The watchlist, its snapshots, and `refresh`: titles watched over time.

watchlist  WatchedTitle, the Watchlist store, and `add` (a lookup -> an entry)
snapshots  what each title's availability was at the last refresh
changes    what differs between two snapshots, in sentences
refresh    `run`: lock, load, fetch, compare, save -> RefreshReport
datafile   atomic replace, locks, the size cap: how every data file is kept
"""
