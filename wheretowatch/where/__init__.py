"""Where a title can be watched: from what a person types to TMDB's answer.

typed      what people type (titles, ids, addresses), parsed once
lookup     lookup(): search, rank, details, trailers, availability
services   the user's services resolved against TMDB's provider lists
batch      many lookups at once, bounded, answers in input order
"""
