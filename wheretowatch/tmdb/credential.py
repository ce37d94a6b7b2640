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
TOKEN_URL = "https://www.themoviedb.org/settings/api"
_V3_KEY = r"[0-9a-fA-F]{32}"


def looks_like_v3_key(value: str) -> bool:
    """Whether `value` has the shape of a v3 API key (32 hexadecimal characters)."""
    return bool(re.fullmatch(_V3_KEY, value))


def key_for(value: str) -> CredentialKey:
    """The config key a credential belongs under, judged by its shape."""
    return "api_key" if looks_like_v3_key(value) else "api_token"


def check_credential(
    value: object, origin: str, *, error: type[WheretowatchError] = ConfigError
) -> str:
    """The credential without surrounding whitespace, or `error` naming `origin` and never
    the value (which may be half a secret pasted across two lines). Settings, `setup`,
    `config set` and `doctor` all check through here."""
    if not isinstance(value, str) or not value.strip():
        raise error(f"The TMDB credential from {origin} is empty or not text.")
    text = value.strip()
    problem = None
    if not text.isascii():
        problem = "non-ASCII characters"
    elif any(char.isspace() for char in text):
        problem = "whitespace (pasted in pieces, or across two lines?)"
    elif not text.isprintable():
        problem = "control characters"
    if problem:
        raise error(
            f"The TMDB credential from {origin} contains {problem}; it is not shown here.",
            hint=f"Copy it again, on one line, from {TOKEN_URL}.",
        )
    return text
