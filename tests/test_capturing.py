"""The capture of a fetched page (`crawler/capturing.py`): the headers as received, before
Scrapy's decompression drops Content-Encoding, and the body as Scrapy hands it over."""

from __future__ import annotations

import gzip

from scrapy import Request
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

from crawler.capturing import CaptureMiddleware, capture_of

URL = "http://en.lakeside.gov.cn/news/content_1.html"
PAGE = b"<html><body><h1>Lantern Fair</h1></body></html>"


def test_headers_are_noted_before_decompression_drops_content_encoding() -> None:
    request = Request(URL, headers={"User-Agent": "newsarchive-test"})
    served = Response(
        URL,
        status=200,
        headers={"Content-Type": "text/html", "Content-Encoding": "gzip"},
        body=gzip.compress(PAGE),
        request=request,
        ip_address=None,
    )
    # process_response runs from the downloader up: ours (595) before decompression (590).
    noted = CaptureMiddleware().process_response(request, served)
    crawler = get_crawler()
    inflated = HttpCompressionMiddleware.from_crawler(crawler).process_response(request, noted)
    assert isinstance(inflated, HtmlResponse) and "Content-Encoding" not in inflated.headers
    capture = capture_of(inflated)
    assert ("Content-Encoding", "gzip") in capture["response_headers"]
    assert ("User-Agent", "newsarchive-test") in capture["request_headers"]
    assert capture["body"] == PAGE and capture["status"] == 200
    assert capture["url"] == URL and capture["method"] == "GET"
    assert capture["fetched_at"].endswith("+00:00")


def test_without_the_middleware_the_capture_has_the_headers_scrapy_kept() -> None:
    request = Request(URL)
    response = HtmlResponse(
        URL, headers={"Content-Type": "text/html"}, body=PAGE, request=request, protocol="HTTP/1.1"
    )
    capture = capture_of(response)
    assert capture["response_headers"] == [("Content-Type", "text/html")]
    assert capture["protocol"] == "HTTP/1.1" and capture["ip_address"] is None
