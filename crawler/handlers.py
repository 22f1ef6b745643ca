"""Download handler that sends requests to the replay server when ``REPLAY_URL`` is set.

It sits below every middleware, so robots.txt, retries, redirects, stats, the spider and
the items all see the real URLs; only the bytes come from the replay (which picks the site
by the ``Host`` header), and an error's message names the real URL, not the replay's.
Without ``REPLAY_URL`` it is Scrapy's own HTTP/1.1 handler.

When the crawl is stopped (the `INTERRUPTED` signal, sent by `crawler.stopping`), the
downloads in flight are cancelled and new ones fail at once with `Interrupted`, so a
stop never waits for a slow server.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import IgnoreRequest

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

INTERRUPTED = object()  # a crawler signal: the crawl stops, fail every download now


class Interrupted(IgnoreRequest):
    """A request the crawl stopped before it was downloaded (not the page's fault)."""


class ReplayDownloadHandler(BaseDownloadHandler):
    lazy = False

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._http = HTTP11DownloadHandler(crawler)
        replay = crawler.settings.get("REPLAY_URL")
        self.replay = urlsplit(replay) if replay else None
        if self.replay and self.replay.hostname not in ("127.0.0.1", "localhost", "::1"):
            logger.warning("REPLAY_URL %s is not on the loopback interface", replay)
        self.interrupted = False
        self.in_flight: set[asyncio.Future[Response]] = set()
        crawler.signals.connect(self.interrupt, signal=INTERRUPTED)

    def interrupt(self) -> None:
        self.interrupted = True
        for download in self.in_flight:
            download.cancel()

    async def download_request(self, request: Request) -> Response:
        if self.interrupted:
            raise Interrupted("the crawl was stopped")
        download = asyncio.ensure_future(self._download(request))
        self.in_flight.add(download)
        try:
            return await download
        except asyncio.CancelledError:
            if not self.interrupted:
                raise
            raise Interrupted("the crawl was stopped") from None
        finally:
            self.in_flight.discard(download)

    async def _download(self, request: Request) -> Response:
        if self.replay is None:
            return await self._http.download_request(request)
        real = urlsplit(request.url)
        target = urlunsplit(
            (self.replay.scheme, self.replay.netloc, real.path or "/", real.query, "")
        )
        headers = request.headers.copy()
        headers["Host"] = real.netloc
        headers["X-Forwarded-Proto"] = real.scheme
        try:
            response = await self._http.download_request(
                request.replace(url=target, headers=headers)
            )
        except Exception as exc:  # re-raised, naming the real URL instead of the replay's
            exc.args = tuple(
                arg.replace(target, request.url) if isinstance(arg, str) else arg
                for arg in exc.args
            )
            raise
        return response.replace(url=request.url)

    async def close(self) -> None:
        await self._http.close()
