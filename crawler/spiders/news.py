"""The generic news spider: walks a site's listings, hands article pages to the parser.

It only crawls: selectors live in the site definitions (crawler/sites), page reading in
crawler/reader.py (run by the normalization step, off the reactor), normalization in
pipelines/, what to skip in crawler/incremental.py.
One subclass per registered site is made below, so `scrapy list` shows every site and
`scrapy crawl hengyang` works.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.settings.default_settings import REDIRECT_MAX_TIMES
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler import charset, sites
from crawler.cluster import history_for
from crawler.handlers import Interrupted
from crawler.incremental import CrawlPlan, plan_crawl
from crawler.items import Alias, Reject
from crawler.parse import unread_item
from crawler.redirects import Redirects
from pipelines.urls import canonical_url

logger = logging.getLogger(__name__)

REDIRECTS = [301, 302, 303, 307, 308]
TRS_PAGING = re.compile(r"createPageHTML\(\s*(\d+)\s*,\s*(\d+)")


def describe(failure: Failure) -> str:
    """A one-line reason for a failed request."""
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    return f"{failure.type.__name__}: {failure.getErrorMessage()}".strip()


def failed_url(failure: Failure) -> str:
    """The URL of the request an errback's failure is about (Scrapy sets ``request``)."""
    return str(failure.request.url)  # type: ignore[attr-defined]


def trs_next_page(response: Response) -> str | None:
    """The next listing page of a TRS CMS section (`index.html`, `index_1.html`, ...)."""
    match = TRS_PAGING.search(response.text)
    if not match:
        return None
    total, current = int(match[1]), int(match[2])
    if current + 1 >= total:
        return None
    return response.urljoin(f"index_{current + 1}.html")


class NewsSpider(scrapy.Spider):
    site: ClassVar[sites.Site]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed_domains = list(self.site.hosts)
        self.plan = CrawlPlan()
        self.redirects = Redirects(self.site, REDIRECT_MAX_TIMES)  # the crawl's, from start()
        self.listings_fetched = 0
        self.listing_errors: list[str] = []

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
        stats = self.crawler.stats
        stats.set_value("newsarchive/full_pass", self.plan.full_pass)
        stats.set_value("newsarchive/retried", len(self.plan.retry))
        stats.set_value("newsarchive/refreshed", len(self.plan.revisit))
        for listing in self.site.listings:
            yield self.listing_request(listing.url, listing, quiet_pages=0)
        articles = [re.compile(listing.article) for listing in self.site.listings]
        for url in (*self.plan.retry, *self.plan.revisit):
            if any(pattern.search(url) for pattern in articles):  # not a failed listing page
                yield self.article_request(url)

    def listing_request(self, url: str, listing: sites.Listing, quiet_pages: int) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_listing,
            errback=self.listing_failed,
            cb_kwargs={"listing": listing, "quiet_pages": quiet_pages},
            priority=10,
        )

    def article_request(self, url: str) -> scrapy.Request:
        # Redirects are followed here, not by RedirectMiddleware: the old URL is recorded as
        # an alias of the article even when its new URL was already fetched in this run.
        return scrapy.Request(
            url,
            callback=self.parse_article,
            errback=self.failed,
            meta={"dont_redirect": True, "handle_httpstatus_list": REDIRECTS},
        )

    def parse_listing(
        self, response: Response, listing: sites.Listing, quiet_pages: int
    ) -> Iterator[scrapy.Request]:
        self.listings_fetched += 1
        stats = self.crawler.stats
        stats.inc_value("newsarchive/listing_pages")
        pattern = re.compile(listing.article)
        links = self.links(response, response.css(listing.links).xpath("@href").getall())
        articles = sorted(url for url in links if pattern.search(url))
        new = [url for url in articles if not self.plan.is_known(url)]
        stats.inc_value("newsarchive/articles_known", len(articles) - len(new))
        for url in new:
            yield self.article_request(url)
        quiet_pages = 0 if new else quiet_pages + 1
        if not self.plan.full_pass and quiet_pages > self.plan.extra_pages:
            stats.inc_value("newsarchive/paging_stopped")
            return
        next_url = self.next_listing_page(response, listing)
        if next_url:
            yield self.listing_request(next_url, listing, quiet_pages)

    def links(self, response: Response, hrefs: list[str]) -> set[str]:
        """The canonical URLs of ``hrefs``; a link no URL can be made of (a port past 65535,
        a broken IPv6 host) is skipped and counted, and the others are kept."""
        links = set()
        for href in hrefs:
            try:
                links.add(canonical_url(response.urljoin(href.strip())))
            except ValueError as exc:
                self.crawler.stats.inc_value("newsarchive/links_invalid")
                logger.info("invalid link %r on %s: %s", href, response.url, exc)
        return links

    @staticmethod
    def next_listing_page(response: Response, listing: sites.Listing) -> str | None:
        next_url = trs_next_page(response) if listing.trs_paging else None
        if listing.next_page and not next_url:
            href = response.css(listing.next_page).xpath("@href").get()
            next_url = response.urljoin(href) if href else None
        return next_url

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
        yield unread_item(
            self.site,
            response.url,
            page.text,
            encoding=page.encoding,
            status=response.status,
            problems=page.problems,
        )

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
            yield self.article_request(target)

    def failed(self, failure: Failure) -> Iterator[Reject]:
        if failure.check(Interrupted):  # the crawl stops: the next run fetches it
            return
        yield Reject(failed_url(failure), self.site.name, "fetch", describe(failure))

    def listing_failed(self, failure: Failure) -> Iterator[Reject]:
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
