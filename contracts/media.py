"""Refuse anything that looks like media bytes: ocsea-hub holds hashes and URLs only."""

import re

MEDIA_REFUSED = "media_bytes_refused"
_DATA_URL = re.compile(r"data:[\w.+-]+/[\w.+-]+;base64,", re.IGNORECASE)
# A run this long with no space is never prose; it is an encoded file.
_LONG_BASE64 = re.compile(r"[A-Za-z0-9+/_-]{1024,}={0,2}")


def looks_like_media(text: str) -> bool:
    """True for data: URLs and long base64 runs, the two ways bytes hide in JSON."""
    return bool(_DATA_URL.search(text) or _LONG_BASE64.search(text))


def refuse_media_bytes(value: str | None) -> str | None:
    if value is not None and looks_like_media(value):
        raise ValueError(f"{MEDIA_REFUSED}: send hashes and URLs, never the material itself")
    return value
