"""HTML escaping for untrusted article text shown in popups, tooltips and tables."""
from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlsplit

_TABLE = str.maketrans({
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&#x27;",
    "`": "&#x60;",
    "$": "&#x24;",
    "{": "&#x7B;",
    "}": "&#x7D;",
    "\\": "&#x5C;",
    "\r": " ",
    "\n": " ",
    "\x00": "",
    # Bidirectional overrides and isolates could visually reorder popup text (spoofing): dropped.
    **{chr(c): "" for c in (0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069)},
})


def esc(value: Any) -> str:
    """Text safe to place in HTML content or a quoted attribute, and inside a JS template literal.

    Escapes the HTML specials plus backtick, `$`, braces and backslash; None/NaN/NaT become "".
    """
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    text = str(value)
    if text in ("NaT", "nan", "None", "<NA>"):
        return ""
    return text.translate(_TABLE)


def clip(value: Any, limit: int) -> str:
    """At most `limit` characters of a text, with an ellipsis when cut (None becomes "")."""
    text = "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def safe_url(value: Any) -> str | None:
    """The URL if it is an absolute http(s) URL with a host, else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    url = value.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    return url
