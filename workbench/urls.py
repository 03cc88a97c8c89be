"""Web addresses a reader can follow: the one rule for every URL a reviewer types.

Evidence URLs and source URLs end up as links in exports (ClaimReview's
`url`, `appearance`); a `javascript:` or `file:` address, or a bare word, would
be a broken or unsafe link there, so only absolute http(s) addresses are taken.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")


def http_url_problem(url: str) -> str | None:
    """Why `url` is not an absolute http(s) address, or None when it is one."""
    if _UNSAFE.search(url):
        return f"{url!r} is not a web address: it contains a space or control character"
    try:
        parts = urlsplit(url)
    except ValueError:
        return f"{url!r} is not a web address: write it as https://host/path"
    if parts.scheme.lower() not in ("http", "https"):
        return f"{url!r} is not an http(s) address: write it as https://host/path"
    if not parts.hostname:
        return f"{url!r} names no host: write it as https://host/path"
    return None
