"""What the spider yields: raw articles (dicts from the page parser) and rejects."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Reject:
    """A page that could not be fetched, parsed or normalized: recorded, never dropped."""

    url: str
    site: str | None
    stage: str
    reason: str


@dataclass
class Alias:
    """``alias`` redirects to ``url``: the same article under another URL (a moved host)."""

    url: str
    alias: str
