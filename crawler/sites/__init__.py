"""Site definitions: one module per site, data only, registered by name and host.

A site module builds one :class:`Site` and passes it to :func:`register`. The spider,
the page parser, the replay and the tests read sites only through this registry.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "samples"


@dataclass(frozen=True)
class Layout:
    """How one generation of a site's article pages is laid out (CSS selectors, parsel).

    A redesign gets a new Layout with the date it appeared, rather than `if` branches.
    ``hosts`` limits the layout to some of the site's hosts (empty: any host).
    ``title``/``meta``/``body`` select elements; the parser reads their text.
    ``tail`` selects lines after the body that belong to the article (credit and source
    lines kept outside the body container). ``drop`` selects elements inside the body to
    remove (share widgets, scripts, etc.).
    """

    name: str
    title: str
    meta: str
    body: str
    tail: str = ""
    hosts: tuple[str, ...] = ()
    drop: str = "script, style, iframe"
    since: str | None = None


@dataclass(frozen=True)
class Listing:
    """A section of the site: its first listing page and how to page through it.

    ``links`` selects the anchors of a listing page the crawl considers (default: all);
    each is an article when `crawler.urlkinds` says so, and ``article``, a regex, can add
    article URLs the default recognizer does not know. Paging: ``next_page`` selects the
    next listing page's anchor; ``trs_paging`` reads the TRS CMS call
    ``createPageHTML(total, current, "index", "html")`` and requests ``index_{n}.html``. A
    listing that names neither is paged by the detectors of `crawler.paging`.
    """

    url: str
    links: str = "a[href]"
    article: str = ""
    next_page: str | None = None
    trs_paging: bool = False


@dataclass(frozen=True)
class Site:
    """A site: its hosts, where its articles are listed, how its pages are laid out.

    ``listings`` are the sections the module names; a site may name none and give only its
    ``homepage``: its sections are then found (`crawler.sections`) by following the links
    to listing pages from the homepage, ``section_depth`` links deep (None: the crawl's
    ``SECTIONS_DEPTH``), and from its sitemaps. ``discover`` (None: when no listing is
    named) asks for that search beside the named listings, which are fetched first.
    """

    name: str
    title: str
    hosts: tuple[str, ...]
    listings: tuple[Listing, ...] = ()
    layouts: tuple[Layout, ...] = ()
    lang: str = "en"
    timezone: str = "Asia/Shanghai"
    homepage: str = ""
    notes: str = ""
    langs: dict[str, str] = field(default_factory=dict)
    # Politeness for this site, over the project's defaults (None: the default).
    download_delay: float | None = None
    concurrency: int | None = None
    discover: bool | None = None
    section_depth: int | None = None

    @property
    def discovers(self) -> bool:
        """Whether the crawl looks for the site's sections from its homepage and sitemaps."""
        return bool(self.homepage) and (
            self.discover if self.discover is not None else not self.listings
        )

    def layout_for(self, url: str) -> tuple[Layout, ...]:
        """The layouts that may apply to ``url``, newest first."""
        host = host_of(url)
        return tuple(layout for layout in self.layouts if not layout.hosts or host in layout.hosts)

    def lang_for(self, url: str) -> str:
        """The language of a page: per-host override in ``langs``, else the site's."""
        return self.langs.get(host_of(url), self.lang)


_BY_NAME: dict[str, Site] = {}
_BY_HOST: dict[str, Site] = {}


def host_of(url: str) -> str:
    """The lower-case host of ``url`` ("" when it has none or cannot be split)."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:  # an unclosed IPv6 bracket: no host a site can have
        return ""


def register(site: Site) -> Site:
    """Add ``site`` to the registry; a name or host registered twice is an error, and so
    is a site with neither listings nor a homepage (the crawl could not start)."""
    if not site.listings and not site.homepage:
        raise ValueError(f"site {site.name!r} names no listing and no homepage")
    if site.name in _BY_NAME:
        raise ValueError(f"site {site.name!r} is registered twice")
    for host in site.hosts:
        if host in _BY_HOST:
            raise ValueError(f"host {host!r} belongs to {_BY_HOST[host].name!r} already")
    _BY_NAME[site.name] = site
    for host in site.hosts:
        _BY_HOST[host] = site
    return site


def _load_all() -> None:
    if _BY_NAME:
        return
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


def all_sites() -> list[Site]:
    _load_all()
    return sorted(_BY_NAME.values(), key=lambda s: s.name)


def get(name: str) -> Site:
    """The site called ``name``; KeyError names the known ones."""
    _load_all()
    try:
        return _BY_NAME[name]
    except KeyError:
        known = ", ".join(sorted(_BY_NAME))
        raise KeyError(f"unknown site {name!r} (known: {known})") from None


def for_url(url: str) -> Site | None:
    """The site a URL belongs to, by host (``enghunan.gov.cn`` and ``www.`` alike)."""
    _load_all()
    host = host_of(url)
    return (
        _BY_HOST.get(host) or _BY_HOST.get(host.removeprefix("www.")) or _BY_HOST.get("www." + host)
    )
