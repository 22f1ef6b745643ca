"""Where an article page's redirect may lead: the spider follows it, or says why not.

The spider follows article redirects itself (to record the old URL as an alias), so the
checks RedirectMiddleware and the offsite filter would make are made here, in order, as a
table. `Redirects` remembers the redirects of one crawl, so a loop is caught even when
each of its pages was linked from a listing and fetched once (the duplicate filter drops
the second request). A redirect that fails a check is a reject of its URL and of every URL
that redirected to it, never silence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from crawler.sites import Site
from pipelines.urls import canonical_url

HTTP_SCHEMES = frozenset({"http", "https"})


@dataclass(frozen=True)
class Hop:
    """One redirect: the URLs known to lead to it (``chain``, its own URL last), where it
    points (``target``), and where the target is known to redirect on to (``ahead``)."""

    site: Site
    chain: tuple[str, ...]
    location: str
    target: str
    ahead: tuple[str, ...]
    limit: int


def _not_http(hop: Hop) -> str | None:
    if urlsplit(hop.target).scheme in HTTP_SCHEMES:
        return None
    return f"redirects to {hop.location!r}, not an http(s) URL"


def _loop(hop: Hop) -> str | None:
    path = (*hop.chain, hop.target, *hop.ahead)
    for end, url in enumerate(path):
        if url in path[:end]:
            return "redirect loop: " + " -> ".join(path[: end + 1])
    return None


def _too_long(hop: Hop) -> str | None:
    if len(hop.chain) <= hop.limit:
        return None
    return f"more than {hop.limit} redirects: " + " -> ".join((*hop.chain, hop.target))


def _offsite(hop: Hop) -> str | None:
    if urlsplit(hop.target).hostname in hop.site.hosts:
        return None
    return f"redirects off the site to {hop.target}"


CHECKS: tuple[Callable[[Hop], str | None], ...] = (_not_http, _loop, _too_long, _offsite)


class Redirects:
    """The article redirects of one crawl of ``site``; ``limit``: redirects allowed in a chain."""

    def __init__(self, site: Site, limit: int) -> None:
        self.site = site
        self.limit = limit
        self.target_of: dict[str, str] = {}
        self.sources_of: dict[str, list[str]] = {}

    def follow(self, url: str, location: str) -> tuple[str | None, str, tuple[str, ...]]:
        """Where the redirect of ``url`` to ``location`` leads: ``(target, "", ())`` to
        follow it, or ``(None, why not, the URLs to reject)``."""
        target, problem = self._check(url, location)
        if target is None:
            return None, problem, self._upstream(url)
        self.target_of[url] = target
        self.sources_of.setdefault(target, []).append(url)
        return target, "", ()

    def _check(self, url: str, location: str) -> tuple[str | None, str]:
        if not location.strip():
            return None, "redirect without a Location"
        try:
            target = canonical_url(urljoin(url, location.strip()))
        except ValueError:
            return None, f"redirects to an invalid URL {location!r}"
        hop = Hop(self.site, self._chain_to(url), location, target, self._ahead(target), self.limit)
        for check in CHECKS:
            problem = check(hop)
            if problem:
                return None, problem
        return target, ""

    def _chain_to(self, url: str) -> tuple[str, ...]:
        """A chain of known redirects that ends at ``url`` (the first source each time)."""
        chain = [url]
        while sources := [s for s in self.sources_of.get(chain[0], ()) if s not in chain]:
            chain.insert(0, sources[0])
        return tuple(chain)

    def _ahead(self, target: str) -> tuple[str, ...]:
        """Where ``target`` is known to redirect on to, up to the first repeated URL."""
        ahead: list[str] = []
        url = target
        while url in self.target_of and url not in ahead:
            url = self.target_of[url]
            ahead.append(url)
        return tuple(ahead)

    def _upstream(self, url: str) -> tuple[str, ...]:
        """``url`` and every URL known to redirect to it, directly or not."""
        found = [url]
        index = 0
        while index < len(found):
            found += [s for s in self.sources_of.get(found[index], ()) if s not in found]
            index += 1
        return tuple(found)
