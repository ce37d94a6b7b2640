"""Where a title can be watched: from what a person types to TMDB's answer.

typed      what people type (titles, ids, addresses), parsed once
lookup     lookup(): search, details, availability, the season asked for
ranking    which candidate is the title typed: rank_matches, is_exact, needs_choice
trailers   which videos are trailers, and the languages to ask them in
services   my_services(): the user's services resolved against TMDB's provider lists
catalogue  the providers grouped as services, a typed name matched in them (loaded lazily)
batch      many lookups at once, bounded, answers in input order
"""
