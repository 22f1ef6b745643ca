"""The generic news spider: walks a site's listings, hands article pages to the parser.

It only crawls: selectors live in the site definitions (crawler/sites), page reading in
crawler/reader.py (run by the normalization step, off the reactor), normalization in
pipelines/, what to skip in crawler/incremental.py. What a listing page links to is
`crawler.listpage`'s reading (kinds by `crawler.urlkinds`, dates beside the links), its
next page `crawler.paging`'s, the sections of a site that names none `crawler.sections`'.
One subclass per registered site is made below, so `scrapy list` shows every site and
`scrapy crawl hengyang` works.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, ClassVar

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.settings.default_settings import REDIRECT_MAX_TIMES
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler import charset, listpage, paging, sections, sites, urlkinds
from crawler.capturing import capture_of
from crawler.cluster import history_for
from crawler.handlers import Interrupted
from crawler.incremental import CrawlPlan, plan_crawl
from crawler.items import Alias, Reject
from crawler.parse import unread_item
from crawler.reader import GENERIC_STAT
from crawler.redirects import Redirects
from crawler.sections import Sections, section_key
from pipelines.normalize import zone
from pipelines.urls import canonical_url

logger = logging.getLogger(__name__)

REDIRECTS = [301, 302, 303, 307, 308]
LISTED = "listing_date"  # request meta and item key: the date a listing showed beside the link
NAMED, FOUND = 10, 5  # priorities: the sections a site names, then those found, then articles


def describe(failure: Failure) -> str:
    """A one-line reason for a failed request."""
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    return f"{failure.type.__name__}: {failure.getErrorMessage()}".strip()


def failed_url(failure: Failure) -> str:
    """The URL of the request an errback's failure is about (Scrapy sets ``request``)."""
    return str(failure.request.url)  # type: ignore[attr-defined]


def failed_status(failure: Failure) -> int | None:
    """The HTTP status of a failed request's answer (None: it got none)."""
    return int(failure.value.response.status) if failure.check(HttpError) else None


@dataclass(frozen=True)
class Walk:
    """Where a listing page stands in the crawl: its section, how many links it lies from
    the homepage (a named section: 0), the pages before it that held only known articles,
    whether its URL was guessed (`crawler.paging.probe_url`), the last date read before it."""

    listing: sites.Listing
    depth: int = 0
    quiet_pages: int = 0
    probe: bool = False
    context: date | None = None


class NewsSpider(scrapy.Spider):
    site: ClassVar[sites.Site]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed_domains = list(self.site.hosts)
        self.plan = CrawlPlan()
        self.redirects = Redirects(self.site, REDIRECT_MAX_TIMES)  # the crawl's, from start()
        self.listings_fetched = 0
        self.listing_errors: list[str] = []
        self.sections = Sections(depth=0)
        self.listed: dict[str, set[str]] = {}  # section -> the article URLs its pages listed
        self.today = datetime.now(zone(self.site.timezone)).date()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        settings = self.crawler.settings
        self.plan = plan_crawl(
            settings.get("ARCHIVE_PATH"),
            self.site.name,
            refresh=settings.getbool("INCREMENTAL_REFRESH"),
            since=settings.get("INCREMENTAL_SINCE"),
            extra_pages=settings.getint("INCREMENTAL_EXTRA_PAGES"),
            history=history_for(settings),  # a cluster crawl: what the writer keeps in Redis
        )
        self.redirects = Redirects(self.site, settings.getint("REDIRECT_MAX_TIMES"))
        depth = self.site.section_depth
        self.sections = Sections(settings.getint("SECTIONS_DEPTH") if depth is None else depth)
        stats = self.crawler.stats
        stats.set_value("newsarchive/full_pass", self.plan.full_pass)
        stats.set_value("newsarchive/retried", len(self.plan.retry))
        stats.set_value("newsarchive/refreshed", len(self.plan.revisit))
        if not self.site.layouts:  # read generically by design: no redesign to count
            stats.set_value(GENERIC_STAT, 0)
        for listing in self.site.listings:  # the sections the site names come first
            self.sections.claim(listing.url)
            yield self.listing_request(listing.url, Walk(listing), NAMED)
        if self.site.discovers:
            homepage = self.site.homepage
            if self.sections.claim(homepage):
                yield self.listing_request(homepage, Walk(sites.Listing(homepage)), FOUND)
            yield self.robots_request(homepage)
        for url in (*self.plan.retry, *self.plan.revisit):
            if urlkinds.is_article(url, self.site):  # not a failed listing page
                yield self.article_request(url)

    def listing_request(self, url: str, walk: Walk, priority: int) -> scrapy.Request:
        # A guessed page that redirects is no page of the section: its end, as a 404 is.
        meta = {"dont_redirect": True} if walk.probe else {}
        return scrapy.Request(
            url,
            callback=self.parse_listing,
            errback=self.listing_failed,
            cb_kwargs={"walk": walk},
            meta=meta,
            priority=priority,
        )

    def article_request(self, url: str, listed: dict[str, str] | None = None) -> scrapy.Request:
        # Redirects are followed here, not by RedirectMiddleware: the old URL is recorded as
        # an alias of the article even when its new URL was already fetched in this run.
        meta: dict[str, Any] = {"dont_redirect": True, "handle_httpstatus_list": REDIRECTS}
        if listed:
            meta[LISTED] = listed
        return scrapy.Request(url, callback=self.parse_article, errback=self.failed, meta=meta)

    def parse_listing(self, response: Response, walk: Walk) -> Iterator[scrapy.Request | Reject]:
        if not isinstance(response, TextResponse):
            kind = (response.headers.get("Content-Type") or b"unknown").decode("latin-1")
            self.listing_errors.append(f"listing {response.url}: not a text page ({kind})")
            yield Reject(response.url, self.site.name, "parse", f"not a listing page ({kind})")
            return
        self.listings_fetched += 1
        stats = self.crawler.stats
        stats.inc_value("newsarchive/listing_pages")
        page = listpage.read(
            response.url,
            response.selector,
            walk.listing.links,
            self.site,
            today=self.today,
            context=walk.context,
        )
        for href, why in page.invalid:
            stats.inc_value("newsarchive/links_invalid")
            logger.info("invalid link %r on %s: %s", href, response.url, why)
        for kind in urlkinds.KINDS:
            stats.inc_value(f"newsarchive/links/{kind}", len(page.of_kind(kind)))
        articles = page.of_kind(urlkinds.ARTICLE)
        new = [link for link in articles if not self.plan.is_known(link.url)]
        stats.inc_value("newsarchive/articles_known", len(articles) - len(new))
        for link in new:
            listed = None
            if link.date:
                stats.inc_value("newsarchive/links/dated")
                listed = {"date": link.date, "shown": link.shown or "", "listing": response.url}
            yield self.article_request(link.url, listed)
        if self.site.discovers and self.sections.deeper(walk.depth):
            for link in page.of_kind(urlkinds.LISTING):
                if self.sections.claim(link.url):
                    stats.inc_value("newsarchive/sections_found")
                    section = Walk(sites.Listing(link.url), depth=walk.depth + 1)
                    yield self.listing_request(link.url, section, FOUND)
        quiet = 0 if new else walk.quiet_pages + 1
        if not self.plan.full_pass and quiet > self.plan.extra_pages:
            stats.inc_value("newsarchive/paging_stopped")
            return
        if self.repeats(walk, {link.url for link in articles}):
            return
        following = replace(walk, quiet_pages=quiet, probe=False, context=page.last_date)
        yield from self.next_page(response, following)

    def repeats(self, walk: Walk, articles: set[str]) -> bool:
        """Whether a page lists no article, or none its section's pages before it did not:
        no page of the section comes after it (a server that answers every guessed page
        with the same listing would be paged through forever)."""
        seen = self.listed.setdefault(section_key(walk.listing.url), set())
        if articles <= seen:
            self.crawler.stats.inc_value("newsarchive/paging/nothing_new")
            return True
        seen.update(articles)
        return False

    def next_page(self, response: TextResponse, walk: Walk) -> Iterator[scrapy.Request]:
        """The request for the listing's next page: by the listing's own rule when it names
        one, else by the first paging form the page shows, else a guess by TRS naming."""
        listing = walk.listing
        page = paging.Page.of(response.url, response.selector)
        if listing.next_page or listing.trs_paging:
            found: paging.Paging | None = paging.site_next(
                page, listing.next_page, listing.trs_paging
            )
        else:
            found = paging.find_next(page)
        stats = self.crawler.stats
        if found is None:
            probe = paging.probe_url(response.url)
            if probe:
                stats.inc_value("newsarchive/paging/probe")
                yield self.listing_request(probe, replace(walk, probe=True), self.priority(walk))
            return
        stats.inc_value(f"newsarchive/paging/{found.form}")
        if found.next_url and urlkinds.classify(found.next_url, self.site).rule != "offsite":
            yield self.listing_request(found.next_url, walk, self.priority(walk))

    def priority(self, walk: Walk) -> int:
        return NAMED if walk.listing in self.site.listings else FOUND

    def robots_request(self, url: str) -> scrapy.Request:
        return scrapy.Request(
            sections.robots_url(url),
            callback=self.parse_robots,
            errback=self.robots_failed,
            priority=FOUND,
        )

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        """The sitemaps robots.txt names, else ``/sitemap.xml`` (a guess)."""
        named = sections.robots_sitemaps(response.body, response.url)
        for url in named or [sections.sitemap_url(response.url)]:
            if sections.on_site(url, self.site) and self.sections.another_sitemap():
                yield self.sitemap_request(url, guessed=not named)

    def robots_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        if not failure.check(Interrupted):  # no robots.txt: a sitemap may be there still
            yield self.sitemap_request(sections.sitemap_url(failed_url(failure)), guessed=True)

    def sitemap_request(self, url: str, *, guessed: bool) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_sitemap,
            errback=self.sitemap_failed,
            cb_kwargs={"guessed": guessed},
            priority=FOUND,
        )

    def parse_sitemap(self, response: Response, guessed: bool) -> Iterator[scrapy.Request | Reject]:
        """A sitemap's sitemaps, its articles (fetched unless known) and its sections."""
        maxsize = self.crawler.settings.getint("DOWNLOAD_MAXSIZE")
        try:
            entries = sections.read_sitemap(response.body, response.url, maxsize)
        except ValueError as exc:
            logger.info("%s: %s", response.url, exc)
            if not guessed:
                yield Reject(response.url, self.site.name, "parse", f"sitemap: {exc}")
            return
        stats = self.crawler.stats
        stats.inc_value("newsarchive/sitemaps")
        for url in entries.sitemaps:
            if sections.on_site(url, self.site) and self.sections.another_sitemap():
                yield self.sitemap_request(url, guessed=False)
        for loc in entries.pages:
            try:
                url = canonical_url(loc)
            except ValueError as exc:
                stats.inc_value("newsarchive/links_invalid")
                logger.info("invalid URL %r in %s: %s", loc, response.url, exc)
                continue
            kind = urlkinds.classify(url, self.site).kind
            stats.inc_value(f"newsarchive/sitemap_links/{kind}")
            if kind == urlkinds.ARTICLE and not self.plan.is_known(url):
                yield self.article_request(url)
            elif kind == urlkinds.LISTING and self.sections.deeper(0) and self.sections.claim(url):
                stats.inc_value("newsarchive/sections_found")
                yield self.listing_request(url, Walk(sites.Listing(url), depth=1), FOUND)

    def sitemap_failed(self, failure: Failure) -> Iterator[Reject]:
        guessed = failure.request.cb_kwargs["guessed"]  # type: ignore[attr-defined]
        if guessed and failed_status(failure) is not None:  # no sitemap where one may be
            return
        if failure.check(IgnoreRequest):
            self.crawler.stats.inc_value("newsarchive/robots_forbidden")
            return
        yield from self.failed(failure)

    def parse_article(
        self, response: Response
    ) -> Iterator[dict[str, Any] | Reject | Alias | scrapy.Request]:
        if response.status in REDIRECTS:
            yield from self.follow_redirect(response)
            return
        if not isinstance(response, TextResponse):
            kind = (response.headers.get("Content-Type") or b"unknown").decode("latin-1")
            yield Reject(response.url, self.site.name, "parse", f"not a text page ({kind})")
            return
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
        page = charset.decode(response.body, content_type)
        item = unread_item(
            self.site,
            response.url,
            page.text,
            encoding=page.encoding,
            status=response.status,
            problems=page.problems,
            capture=capture_of(response),
        )
        item[LISTED] = response.meta.get(LISTED)
        yield item

    def follow_redirect(self, response: Response) -> Iterator[Reject | Alias | scrapy.Request]:
        """Follow an article's redirect, or reject it and the URLs that led to it, saying why."""
        location = (response.headers.get("Location") or b"").decode("latin-1")
        target, problem, rejected = self.redirects.follow(response.url, location)
        if target is None:
            for url in rejected:
                yield Reject(url, self.site.name, "fetch", f"HTTP {response.status}: {problem}")
            return
        yield Alias(url=target, alias=response.url)
        if not self.plan.is_known(target):
            yield self.article_request(target, response.meta.get(LISTED))

    def failed(self, failure: Failure) -> Iterator[Reject]:
        if failure.check(Interrupted):  # the crawl stops: the next run fetches it
            return
        yield Reject(failed_url(failure), self.site.name, "fetch", describe(failure))

    def listing_failed(self, failure: Failure) -> Iterator[Reject]:
        walk: Walk = failure.request.cb_kwargs["walk"]  # type: ignore[attr-defined]
        status = failed_status(failure)
        if walk.probe and status is not None and (status == 404 or status in REDIRECTS):
            self.crawler.stats.inc_value("newsarchive/paging/probe_end")  # the section's end
            return
        if failure.check(IgnoreRequest) and walk.listing not in self.site.listings:
            self.crawler.stats.inc_value("newsarchive/robots_forbidden")  # a section found
            logger.info("%s: not entered (%s)", failed_url(failure), describe(failure))
            return
        if not failure.check(Interrupted):
            self.listing_errors.append(f"listing {failed_url(failure)}: {describe(failure)}")
        yield from self.failed(failure)


def spider_for(site: sites.Site) -> type[NewsSpider]:
    """The spider class of ``site`` (a NewsSpider subclass named after it)."""
    class_name = "".join(part.title() for part in site.name.split("_")) + "Spider"
    custom: dict[str, Any] = {}
    if site.download_delay is not None:
        custom["DOWNLOAD_DELAY"] = site.download_delay
    if site.concurrency is not None:
        custom["CONCURRENT_REQUESTS_PER_DOMAIN"] = site.concurrency
    attributes = {
        "name": site.name,
        "site": site,
        "custom_settings": custom,
        "__module__": __name__,
    }
    return type(class_name, (NewsSpider,), attributes)


SPIDERS = {site.name: spider_for(site) for site in sites.all_sites()}
globals().update({cls.__name__: cls for cls in SPIDERS.values()})
