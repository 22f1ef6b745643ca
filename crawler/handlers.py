"""Download handler that sends requests to the replay server when ``REPLAY_URL`` is set.

It sits below every middleware, so robots.txt, retries, redirects, stats, the spider and
the items all see the real URLs; only the bytes come from the replay (which picks the site
by the ``Host`` header). Without ``REPLAY_URL`` it is Scrapy's own HTTP/1.1 handler.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)


class ReplayDownloadHandler(BaseDownloadHandler):
    lazy = False

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._http = HTTP11DownloadHandler(crawler)
        replay = crawler.settings.get("REPLAY_URL")
        self.replay = urlsplit(replay) if replay else None
        if self.replay and self.replay.hostname not in ("127.0.0.1", "localhost", "::1"):
            logger.warning("REPLAY_URL %s is not on the loopback interface", replay)

    async def download_request(self, request: Request) -> Response:
        if self.replay is None:
            return await self._http.download_request(request)
        real = urlsplit(request.url)
        target = urlunsplit(
            (self.replay.scheme, self.replay.netloc, real.path or "/", real.query, "")
        )
        headers = request.headers.copy()
        headers["Host"] = real.netloc
        headers["X-Forwarded-Proto"] = real.scheme
        response = await self._http.download_request(request.replace(url=target, headers=headers))
        return response.replace(url=request.url)

    async def close(self) -> None:
        await self._http.close()
