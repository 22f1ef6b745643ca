"""crawler.normalizing: the item pipeline (in the reactor thread and in a worker pool)."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from crawler import normalizing
from crawler.normalizing import NormalizePipeline, normalize_page, site_context
from pipelines.normalize import FIELDS, normalize
from tests.test_normalize import EN_PAGE

TODAY = date(2025, 6, 30)


def test_site_context_comes_from_the_registry() -> None:
    url = "http://eng.hengyang.gov.cn/news/202104/t20210405_1.html"
    assert site_context(url) == {"site": "hengyang", "timezone": "Asia/Shanghai"}
    assert site_context("http://unknown.example/a.html") == {
        "site": None,
        "timezone": "Asia/Shanghai",
    }


def test_normalize_page_names_the_site_of_the_url() -> None:
    page = {"url": "http://en.yueyang.gov.cn/21730/content_1.html", "text": "T\nBody."}
    assert normalize_page(page, TODAY)["site"] == "yueyang"
    assert normalize(page, today=TODAY)["site"] is None


def test_item_pipeline_writes_fields_back() -> None:
    item = {"url": "http://eng.hengyang.gov.cn/news/202104/t20210405_1.html", "text": EN_PAGE}
    result = NormalizePipeline(today=TODAY).process_item(item)
    assert result is item
    assert item["published_date"] == "2021-04-05" and item["source"] == "Hengyang News Network"
    assert set(FIELDS) <= set(item)


def test_pipeline_with_a_worker_pool_gives_what_normalize_gives() -> None:
    pages = [
        {"url": f"http://x.cn/c/2021/03/0{n}/1.html", "text": f"Title {n}\nBody number {n}."}
        for n in range(1, 6)
    ]
    pipeline = NormalizePipeline(today=TODAY, workers=1, batch=2)
    pipeline.open_spider()

    async def run_all() -> list[dict]:
        return list(await asyncio.gather(*(pipeline.process_item(dict(p)) for p in pages)))

    try:
        items = asyncio.run(run_all())
    finally:
        pipeline.close_spider()
    for page, item in zip(pages, items, strict=True):
        assert {key: item[key] for key in FIELDS} == normalize_page(page, TODAY)


def test_a_page_that_fails_in_a_batch_fails_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    real = normalizing.normalize

    def fragile(page, **context):  # noqa: ANN001, ANN003, ANN202 (stands in for normalize)
        if page["url"].endswith("bad"):
            raise ValueError("cannot read this page")
        return real(page, **context)

    monkeypatch.setattr(normalizing, "normalize", fragile)
    context = site_context(None)
    results = normalizing.normalize_all(
        [
            ({"url": "http://x.cn/good", "text": "T\nBody."}, context),
            ({"url": "http://x.cn/bad", "text": ""}, context),
        ]
    )
    assert results[0]["url"] == "http://x.cn/good"
    assert isinstance(results[1], ValueError)


PAGE_HTML = (
    "<html><head><title>Ferry Runs Again_Example</title></head><body><h1>Ferry Runs Again</h1>"
    "<p>Date: 2024-05-06 10:20</p><div>"
    + "<p>The ferry across the lake runs again, linking the two lakeside towns.</p>" * 3
    + "</div></body></html>"
)


def test_an_unread_page_is_read_in_the_normalization_step() -> None:
    from scrapy.utils.test import get_crawler

    stats = get_crawler().stats
    assert stats is not None
    item = {"url": "http://en.yueyang.gov.cn/21730/content_3.html", "html": PAGE_HTML}
    result = NormalizePipeline(today=TODAY, stats=stats).process_item(item)
    assert result is item
    assert (item["title"], item["published_at"]) == (
        "Ferry Runs Again",
        "2024-05-06T10:20:00+08:00",
    )
    assert item["extraction"] == "generic" and item["text"].startswith("Ferry Runs Again")
    assert stats.get_value("newsarchive/generic_reading") == 1


def test_an_unread_page_without_an_article_becomes_a_parse_reject() -> None:
    from crawler.items import Reject

    item = {"url": "http://en.yueyang.gov.cn/21730/content_4.html", "html": "<p>tiny</p>"}
    result = NormalizePipeline(today=TODAY).process_item(item)
    assert isinstance(result, Reject) and result.stage == "parse"
