"""A site's sections, found rather than typed: from its homepage and its sitemaps.

A site given as hosts and a homepage (`crawler.sites.Site.discovers`) has its listing
sections found by the crawl: the homepage is a listing page, and every link of a listing
page that `crawler.urlkinds` calls a ``listing`` on the site's hosts is a section, followed
to ``depth`` links from the homepage (``SECTIONS_DEPTH``, or the site's ``section_depth``).
A section is entered once, whichever of its pages a link names: `section_key` makes
``/news/``, ``/news/index.html`` and ``/news/index_2.html`` one section, so the pages of a
section's paging are never taken for sections of their own. The sections a site module
names are claimed first and keep their own rules.

Sitemaps, when a site has them: the ``Sitemap:`` lines of its robots.txt, else
``/sitemap.xml``. A sitemap index leads to its sitemaps (``MAX_SITEMAPS`` per crawl); a
sitemap's article URLs are fetched like a listing's, its listing URLs are sections.
Parsing is Scrapy's (`scrapy.utils.sitemap`).
"""

from __future__ import annotations

import logging
import re
import zlib
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from crawler import urlkinds
from crawler.sites import Site, host_of

logger = logging.getLogger(__name__)

MAX_SITEMAPS = 50  # sitemaps read per crawl of a site (an index may name thousands)
# A page of a section's paging, in its last segment: index.html and index_2.html (the
# folder's pages), list_3.html, 8366_2.html (an id, then the page); not node_12.htm.
PAGE_SUFFIX = re.compile(
    r"^(?:index|default)(?:_\d+)?\.\w+$|(?<=\d)_\d{1,4}(?=\.\w+$)|(?<=^list)_\d+(?=\.\w+$)",
    re.IGNORECASE,
)
PAGE_PARAM = re.compile(r"(?:^|&)(?:page|pageno|pageindex|p|pn|curpage)=\d+", re.IGNORECASE)


def section_key(url: str) -> str:
    """What the pages of one section share: ``http://h/news/`` for ``/news/``,
    ``/news/index.html`` and ``/news/index_2.html``; ``/c/8366.html`` for ``/c/8366_2.html``."""
    parts = urlsplit(url)
    folder, _, last = parts.path.rpartition("/")
    last = PAGE_SUFFIX.sub("", last)
    query = PAGE_PARAM.sub("", parts.query).strip("&")
    host = (parts.hostname or "").removeprefix("www.")
    return f"{host}{folder}/{last}" + (f"?{query}" if query else "")


@dataclass
class Sections:
    """The sections a crawl of one site has entered, and how deep it may go."""

    depth: int
    keys: set[str] = field(default_factory=set)
    sitemaps: int = 0

    def claim(self, url: str) -> bool:
        """Whether ``url`` starts a section not entered yet (and enter it)."""
        key = section_key(url)
        if key in self.keys:
            return False
        self.keys.add(key)
        return True

    def deeper(self, depth: int) -> bool:
        """Whether the sections linked from a page ``depth`` links from the homepage are
        entered."""
        return depth < self.depth

    def another_sitemap(self) -> bool:
        self.sitemaps += 1
        return self.sitemaps <= MAX_SITEMAPS


def on_site(url: str, site: Site) -> bool:
    """Whether ``url`` is on one of the site's hosts."""
    return urlkinds.on_host(host_of(url), site)


def robots_url(url: str) -> str:
    return urljoin(url, "/robots.txt")


def sitemap_url(url: str) -> str:
    return urljoin(url, "/sitemap.xml")


def robots_sitemaps(body: bytes, base: str) -> list[str]:
    """The sitemaps a robots.txt names (``Sitemap:`` lines)."""
    return list(sitemap_urls_from_robots(body, base_url=base))


class Entries(NamedTuple):
    """A sitemap's URLs: of its sitemaps (an index) or of its pages (a urlset)."""

    sitemaps: list[str]
    pages: list[str]


def sitemap_body(body: bytes, max_size: int) -> bytes:
    """A sitemap's XML: gunzipped when it is a ``.xml.gz`` (at most ``max_size`` bytes)."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    xml = inflate.decompress(body, max_size + 1)
    if len(xml) > max_size:
        raise ValueError(f"the sitemap decompresses to over {max_size} bytes")
    return xml


def read_sitemap(body: bytes, base: str, max_size: int) -> Entries:
    """The URLs of a sitemap (XML, or gzipped XML); ValueError when it is neither."""
    try:
        xml = sitemap_body(body, max_size)
    except zlib.error as exc:
        raise ValueError(f"not a gzipped sitemap: {exc}") from None
    if not xml.lstrip().startswith(b"<"):
        raise ValueError("not a sitemap (no XML)")
    try:
        sitemap = Sitemap(xml)
    except (StopIteration, SyntaxError) as exc:  # an empty document, a broken one
        raise ValueError(f"not a sitemap: {exc or 'empty'}") from None
    locs = [urljoin(base, entry["loc"]) for entry in sitemap if entry.get("loc")]
    if sitemap.type == "sitemapindex":
        return Entries(locs, [])
    if sitemap.type != "urlset":
        raise ValueError(f"not a sitemap (<{sitemap.type}>)")
    return Entries([], locs)
