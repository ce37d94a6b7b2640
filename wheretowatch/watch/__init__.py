"""The watchlist, its snapshots, imports and refresh."""
