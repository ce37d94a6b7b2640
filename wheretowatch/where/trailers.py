"""Which of a title's videos to show as its trailers, and in which languages to ask.

TMDB returns only the videos in the languages a request names, and lists featurettes,
clips and fan uploads beside the trailers. Asking for the right languages and picking the
official trailer in the user's language are one policy, kept apart from the lookup that
sends the request so it can be read, and tested, on its own.
"""

from collections.abc import Iterable, Sequence

from wheretowatch.models import Video

TRAILER_TYPES = ("Trailer", "Teaser")
# Asked for as well when a title's own language is not known before the details request
# (lookup by --tmdb-id), so that, say, a Japanese film still gets its Japanese trailer.
COMMON_FILM_LANGUAGES = ("ja", "ko", "fr", "es", "de", "it", "hi", "zh", "pt")


def video_languages(language: str, original_language: str | None) -> tuple[str, ...]:
    """Languages to ask videos in: the lookup's, the title's own, English, and none."""
    own = [original_language.lower()] if original_language else list(COMMON_FILM_LANGUAGES)
    wanted = [language.split("-")[0].lower(), *own, "en", "null"]
    return tuple(dict.fromkeys(code for code in wanted if code))


def select_trailers(videos: Iterable[Video], languages: Sequence[str]) -> tuple[Video, ...]:
    """Trailers, then teasers, with a link; official, preferred-language and newest first."""

    def rank(video: Video) -> tuple[int, bool, int]:
        language = video.language or "null"
        position = languages.index(language) if language in languages else len(languages)
        return (TRAILER_TYPES.index(video.type), not video.official, position)

    usable = [v for v in videos if v.type in TRAILER_TYPES and v.url is not None]
    newest_first = sorted(usable, key=lambda v: v.published_at or "", reverse=True)
    return tuple(sorted(newest_first, key=rank))
