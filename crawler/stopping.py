"""Stopping a crawl at the first SIGINT or SIGTERM: every site at once, within seconds.

Scrapy's own handlers stop only the crawlers whose engine is running, so a site still
starting up when the signal came crawled on; and its graceful stop waits for every download
in flight and for every request queued behind a download delay. `Stopper` replaces them:

- before the crawl's reactor is installed (opening the archive, taking its lock), a signal
  raises KeyboardInterrupt, which the command reports in one line;
- after, it stops every crawler of the process: a running engine at once, its downloads
  cancelled and its queued requests failed (`crawler.handlers.INTERRUPTED`), a spider still
  opening as it opens, an engine still starting as it starts. Each run is closed and
  recorded ``interrupted`` with what it archived; what it did not fetch, the next run will;
- a second signal stops the reactor at once (`stopped_hard`): runs left open are then
  closed as interrupted by the caller.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from types import FrameType
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import CloseSpider

from crawler.handlers import INTERRUPTED, Interrupted

if TYPE_CHECKING:
    from scrapy.core.downloader import Downloader
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Stopper:
    """``with Stopper() as stopper:`` around a crawl; `arm` once the reactor is installed,
    `watch` every crawler before it starts."""

    def __init__(self) -> None:
        self.signum: int | None = None
        self.stopped_hard = False
        self.reactor: Any = None
        self.watches: list[_Watch] = []
        self.previous: dict[int, Any] = {}

    def __enter__(self) -> Stopper:
        for signum in SIGNALS:
            self.previous[signum] = signal.signal(signum, self._received)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)

    @property
    def requested(self) -> bool:
        return self.signum is not None

    def arm(self, reactor: Any) -> None:
        """From now on a signal stops the crawlers through ``reactor`` (installed, maybe not
        running yet: what it is asked before it runs, it does first)."""
        self.reactor = reactor

    def watch(self, crawler: Crawler) -> None:
        self.watches.append(_Watch(self, crawler))

    def _received(self, signum: int, frame: FrameType | None) -> None:
        if self.reactor is None:
            raise KeyboardInterrupt
        if self.signum is None:
            self.signum = signum
            self.reactor.callFromThread(self._stop_all)
        else:
            self.stopped_hard = True
            self.reactor.callFromThread(self.reactor.stop)

    def _stop_all(self) -> None:
        assert self.signum is not None
        logger.warning("%s: stopping every site", signal.Signals(self.signum).name)
        for watch in self.watches:
            if watch.started:
                asyncio.ensure_future(watch.stop()).add_done_callback(_report)


class _Watch:
    """One crawler, as far as stopping it goes: the hooks that stop it once it can be."""

    def __init__(self, stopper: Stopper, crawler: Crawler) -> None:
        self.stopper = stopper
        self.crawler = crawler
        self.started = False
        self.stopped = False
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.engine_started, signal=signals.engine_started)

    def spider_opened(self) -> None:
        if self.stopper.requested:
            raise CloseSpider("shutdown")

    async def engine_started(self) -> None:
        self.started = True
        if self.stopper.requested:
            await self.stop()

    async def stop(self) -> None:
        if self.stopped or not self.crawler.crawling:  # stopped already, or it has ended
            return
        self.stopped = True
        self.crawler.signals.send_catch_log(INTERRUPTED)
        _fail_queued(self.crawler.engine.downloader)
        await self.crawler.engine.stop_async()


def _fail_queued(downloader: Downloader) -> None:
    """Fail the requests waiting in the downloader for a free slot or a download delay."""
    for slot in downloader.slots.values():
        slot.close()  # its timer for the next delayed request
        while slot.queue:
            _, waiting = slot.queue.popleft()
            waiting.errback(Interrupted("the crawl was stopped"))


def _report(task: asyncio.Future[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("stopping a crawler failed", exc_info=task.exception())
