"""The watchlist, its snapshots, and `refresh`: titles watched over time.

watchlist  WatchedTitle, the Watchlist store, and `add` (a lookup -> an entry)
snapshots  what each title's availability was at the last refresh
changes    what differs between two snapshots, in sentences
refresh    `run`: lock, load, fetch, compare, save, deliver -> RefreshReport
outbox     changes not yet delivered everywhere, and delivering them at least once
notify     Apprise notification targets and the message a run sends them
datafile   atomic replace, locks, the size cap: how every data file is kept
"""
