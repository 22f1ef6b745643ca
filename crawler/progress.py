"""A progress line on a terminal: per site, pages fetched and articles archived so far.

On when ``PROGRESS_ENABLED`` (the CLI sets it when stderr is a terminal); without a terminal,
as under cron, the crawl prints only warnings and the CLI's one-line summary per site.
The crawlers of one process share the line, one ``site pages/articles`` field each.
"""

from __future__ import annotations

import sys
import time
from typing import IO, TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.items import Alias, Reject

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

REDRAW_SECONDS = 0.2


class ProgressLine:
    """The shared line: one field per site, redrawn at most every REDRAW_SECONDS."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.sites: dict[str, dict[str, int]] = {}
        self.drawn_at = 0.0

    def count(self, site: str, key: str) -> None:
        fields = self.sites.setdefault(site, {"pages": 0, "articles": 0, "rejects": 0})
        fields[key] += 1
        if time.monotonic() - self.drawn_at >= REDRAW_SECONDS:
            self.draw()

    def draw(self) -> None:
        parts = [
            f"{site} {f['pages']} pages {f['articles']} articles"
            + (f" {f['rejects']} rejects" if f["rejects"] else "")
            for site, f in self.sites.items()
        ]
        self.stream.write("\r\x1b[K" + " | ".join(parts))
        self.stream.flush()
        self.drawn_at = time.monotonic()

    def clear(self) -> None:
        self.stream.write("\r\x1b[K")
        self.stream.flush()


_LINE: ProgressLine | None = None


class Progress:
    def __init__(self, site: str, line: ProgressLine) -> None:
        self.site = site
        self.line = line
        self.open = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        global _LINE
        if not crawler.settings.getbool("PROGRESS_ENABLED"):
            raise NotConfigured  # no message: off is the normal case (cron), not worth a warning
        _LINE = _LINE or ProgressLine(sys.stderr)
        extension = cls(getattr(crawler.spidercls, "name", "crawl"), _LINE)
        crawler.signals.connect(extension.response_received, signal=signals.response_received)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def response_received(self, **kwargs: Any) -> None:
        self.line.count(self.site, "pages")

    def item_scraped(self, item: Any, **kwargs: Any) -> None:
        if not isinstance(item, Alias):
            self.line.count(self.site, "rejects" if isinstance(item, Reject) else "articles")

    def spider_closed(self, spider: Spider) -> None:
        self.line.draw()
        self.line.clear()
