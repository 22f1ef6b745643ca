"""Spider middleware: an exception raised while reading a page becomes a reject of the page.

The spider turns the failures it expects into rejects itself (a page without an article,
one nested too deeply, a redirect it will not follow). Anything else a callback raises
would only be logged by Scrapy, and the page would leave no trace in the archive; here it
is a ``parse`` reject that names the exception, and the crawl goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING

from crawler.items import Reject

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)


class RejectFailedPages:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RejectFailedPages:
        return cls(crawler)

    def process_spider_exception(
        self, response: Response, exception: Exception
    ) -> Iterator[Reject]:
        site = getattr(self.crawler.spidercls, "name", None)
        logger.debug("reading %s failed", response.url, exc_info=exception)
        self.crawler.stats.inc_value("newsarchive/spider_errors")
        reason = f"{type(exception).__name__}: {exception}"
        yield Reject(response.url, site, "parse", reason)
