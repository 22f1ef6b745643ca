"""The generic news spider: walks a site's listings, hands article pages to the parser.

It only crawls: selectors live in the site definitions (crawler/sites), parsing in
crawler/parse.py, normalization in pipelines/. One subclass per registered site is made
below, so `scrapy list` shows every site and `scrapy crawl hengyang` works.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler import sites
from crawler.items import Reject
from crawler.parse import ParseError, parse_page

TRS_PAGING = re.compile(r"createPageHTML\(\s*(\d+)\s*,\s*(\d+)")


def describe(failure: Failure) -> str:
    """A one-line reason for a failed request."""
    if failure.check(HttpError):
        response = failure.value.response
        return f"HTTP {response.status}"
    return f"{failure.type.__name__}: {failure.getErrorMessage()}".strip()


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

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for listing in self.site.listings:
            yield scrapy.Request(
                listing.url,
                callback=self.parse_listing,
                errback=self.failed,
                cb_kwargs={"listing": listing},
            )

    def parse_listing(self, response: Response, listing: sites.Listing) -> Iterator[scrapy.Request]:
        pattern = re.compile(listing.article)
        for href in response.css(listing.links).xpath("@href").getall():
            url = response.urljoin(href.strip())
            if pattern.search(url):
                yield scrapy.Request(url, callback=self.parse_article, errback=self.failed)
        next_url = trs_next_page(response) if listing.trs_paging else None
        if listing.next_page and not next_url:
            href = response.css(listing.next_page).xpath("@href").get()
            next_url = response.urljoin(href) if href else None
        if next_url:
            self.crawler.stats.inc_value("newsarchive/listing_pages")
            yield scrapy.Request(
                next_url,
                callback=self.parse_listing,
                errback=self.failed,
                cb_kwargs={"listing": listing},
            )

    def parse_article(self, response: Response) -> Iterator[dict[str, Any] | Reject]:
        try:
            item = parse_page(self.site, response.url, response.text).as_item()
        except (ParseError, ValueError) as exc:
            yield Reject(response.url, self.site.name, "parse", str(exc))
            return
        item.update(html=response.text, encoding=response.encoding, status=response.status)
        yield item

    def failed(self, failure: Failure) -> Iterator[Reject]:
        yield Reject(failure.request.url, self.site.name, "fetch", describe(failure))


def spider_for(site: sites.Site) -> type[NewsSpider]:
    """The spider class of ``site`` (a NewsSpider subclass named after it)."""
    class_name = "".join(part.title() for part in site.name.split("_")) + "Spider"
    return type(
        class_name, (NewsSpider,), {"name": site.name, "site": site, "__module__": __name__}
    )


SPIDERS = {site.name: spider_for(site) for site in sites.all_sites()}
globals().update({cls.__name__: cls for cls in SPIDERS.values()})
