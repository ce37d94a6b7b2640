"""TMDB credentials: which kind a value is, and whether it can be one at all.

TMDB hands out two: a v3 API key (32 hexadecimal characters, sent as `api_key=`) and an
API Read Access Token (a JWT of three base64url parts, sent as `Authorization: Bearer`).
The shape only decides where a value is stored and what a hint says: a value TMDB accepts
is never refused for its shape. Nothing here ever puts the value in a message.
"""

from __future__ import annotations

import re
from typing import Literal

from wheretowatch.errors import ConfigError, WheretowatchError

CredentialKey = Literal["api_token", "api_key"]
_V3_KEY = re.compile(r"[0-9a-fA-F]{32}")


def looks_like_v3_key(value: str) -> bool:
    """Whether `value` has the shape of a v3 API key (32 hexadecimal characters)."""
    return bool(_V3_KEY.fullmatch(value))


def key_for(value: str) -> CredentialKey:
    """The config key a credential belongs under, judged by its shape."""
    return "api_key" if looks_like_v3_key(value) else "api_token"


def check_credential(
    value: str, origin: str, *, error: type[WheretowatchError] = ConfigError
) -> str:
    """The credential without surrounding whitespace, or `error` if it cannot be one.

    TODO(lead): #13 adds the same check to settings.py; keep one of the two.
    """
    text = value.strip()
    if not text:
        raise error(f"The TMDB credential from {origin} is empty.")
    if not text.isascii():
        problem = "non-ASCII characters"
    elif any(ch.isspace() for ch in text):
        problem = "whitespace"
    elif not text.isprintable():
        problem = "control characters"
    else:
        return text
    raise error(
        f"The TMDB credential from {origin} contains {problem}, so it cannot be one.",
        hint="Copy it again from https://www.themoviedb.org/settings/api, as one line.",
    )
