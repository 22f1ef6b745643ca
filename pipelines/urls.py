"""Canonical article URLs: the same page reached with tracking parameters is one URL."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote_plus, urlencode, urlsplit, urlunsplit

# Query parameters that say where a reader came from, not which page they read.
TRACKING = re.compile(
    r"^(?:utm_\w+|spm|from|isappinstalled|share(?:_\w+)?|scene|srcid|clicktime|enterid"
    r"|wxshare_count|fbclid|gclid|mc_[ce]id|_hsenc|_hsmi)$",
    re.IGNORECASE,
)
DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str) -> str:
    """``url`` without fragment and tracking parameters, host lower-cased, default port dropped.

    Raises ``ValueError`` for a URL that cannot be split: an unclosed ``[`` of an IPv6 host,
    a port that is not a number from 0 to 65535.

    >>> canonical_url("HTTP://Eng.Hengyang.gov.cn:80/a/t1.html?utm_source=wx&id=3#top")
    'http://eng.hengyang.gov.cn/a/t1.html?id=3'
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 address keeps its brackets
        host = f"[{host}]"
    if parts.port and parts.port != DEFAULT_PORTS.get(scheme):
        host = f"{host}:{parts.port}"
    return urlunsplit((scheme, host, parts.path or "/", _query(parts.query), ""))


def _query(query: str) -> str:
    """The query without tracking parameters; a part without ``=`` stays one
    (``view.php?tid-12-cid-3.html``, a path some PHP boards read from the query)."""
    kept = []
    for part in query.split("&"):
        pairs = parse_qsl(part, keep_blank_values=True)
        if not pairs or TRACKING.match(pairs[0][0]):
            continue
        kept.append(urlencode(pairs) if "=" in part else quote_plus(pairs[0][0], safe="/:,"))
    return "&".join(kept)
