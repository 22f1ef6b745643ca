"""crawler.failures: whatever a spider callback raises, the page becomes a reject."""

from __future__ import annotations

from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.failures import RejectFailedPages
from crawler.items import Reject
from crawler.spiders.news import SPIDERS

URL = "http://en.yueyang.gov.cn/21730/content_1.html"


def test_an_exception_in_a_callback_is_a_parse_reject_and_counted() -> None:
    crawler = get_crawler(SPIDERS["yueyang"])
    middleware = RejectFailedPages.from_crawler(crawler)
    response = HtmlResponse(URL, body=b"<html></html>")
    rejects = list(middleware.process_spider_exception(response, KeyError("title")))
    assert rejects == [Reject(URL, "yueyang", "parse", "KeyError: 'title'")]
    assert crawler.stats.get_value("newsarchive/spider_errors") == 1
