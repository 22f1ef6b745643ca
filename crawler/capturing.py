"""What the server sent, noted before Scrapy changes it: the capture of a fetched page.

Scrapy's HttpCompressionMiddleware inflates a gzip, deflate or brotli body and then drops
``Content-Encoding`` from the response's headers. `CaptureMiddleware` sits just outside it
(``DOWNLOADER_MIDDLEWARES``: 595, above its 590, so it sees each response first) and notes
in the request's meta, under ``capture``, the time the response arrived and its headers as
received, with the headers the request was sent with. `capture_of` adds what the spider's
callback knows (the decoded body, the status, the IP, the HTTP version): the ``capture``
an article item carries to the archive (`archive.captures`).
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.http import Response

from archive.captures import header_pairs
from archive.clock import now

META_KEY = "capture"


class CaptureMiddleware:
    """Downloader middleware: note each response's headers as received, and when."""

    def process_response(self, request: Request, response: Response) -> Response:
        request.meta[META_KEY] = {
            "fetched_at": now(),
            "response_headers": header_pairs(response.headers),
            "request_headers": header_pairs(request.headers),
        }
        return response


def capture_of(response: Response) -> dict[str, Any]:
    """The capture of an article page: what `CaptureMiddleware` noted (the headers as
    Scrapy keeps them, and the time now, where it did not run) and the body as Scrapy hands
    it over (transfer and content codings undone). A callback's response has its request."""
    assert response.request is not None
    noted = response.meta.get(META_KEY) or {
        "fetched_at": now(),
        "response_headers": header_pairs(response.headers),
        "request_headers": header_pairs(response.request.headers),
    }
    return {
        **noted,
        "url": response.url,
        "method": response.request.method,
        "status": response.status,
        "protocol": response.protocol,
        "ip_address": str(response.ip_address) if response.ip_address else None,
        "body": response.body,
    }
