"""What the user chose, and where each choice came from.

loading    Settings and load_settings(): flag > env > config file > locale > defaults
values     what each setting's raw value may be: durations, URLs, languages, numbers
paths      where the config file, the cache and the data directory are
regions    the region selection, parsed once from what people type
defaults   the packaged defaults
file       the user's config file, edited with its comments kept
client     open_client(): the TMDB client built from the settings
"""

from wheretowatch.settings.loading import Settings, load_settings

__all__ = ["Settings", "load_settings"]
