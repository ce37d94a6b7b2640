"""What streams tonight on the services you pay for: TMDB's discover, by region.

query      BrowseQuery: every filter parsed once (sort, --how, years, languages…)
browsing   browse(): one discover query per service and type, pages read lazily and
           merged in the asked order; --exclude-watchlist, --random, --add
genres     a genre name as typed, found in TMDB's film or series list (did you mean)
people     --person: a name made a TMDB id with one search, or a question
tally      what a browse cost: answers read, requests sent, cache hits
"""
