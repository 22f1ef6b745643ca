"""crawler.normalizing: the item pipeline, in the reactor thread and in worker processes."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from crawler.items import Reject
from crawler.normalizing import NormalizePipeline, normalize_page, site_context
from crawler.replay import Replay
from pipelines.normalize import FIELDS, normalize
from tests.test_normalize import EN_PAGE

from .conftest import NEWSARCHIVE

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


PAGES = [
    {"url": f"http://x.cn/c/2021/03/0{n}/1.html", "text": f"Title {n}\nBody number {n}."}
    for n in range(1, 6)
]


def run_pipeline(pipeline: NormalizePipeline, body: Callable[[], Awaitable[Any]]) -> Any:
    pipeline.open_spider()

    async def main() -> Any:
        try:
            return await body()
        finally:
            pipeline.close_spider()

    return asyncio.run(main())


async def process(pipeline: NormalizePipeline, page: dict) -> Any:
    """What the pipeline makes of ``page``: awaited in a worker, or at once in the thread."""
    result = pipeline.process_item(dict(page))
    return await result if inspect.isawaitable(result) else result


async def process_all(pipeline: NormalizePipeline, pages: list[dict]) -> list[Any]:
    return list(await asyncio.gather(*(process(pipeline, page) for page in pages)))


def test_pipeline_with_a_worker_pool_gives_what_normalize_gives() -> None:
    pipeline = NormalizePipeline(today=TODAY, workers=1, batch=2)
    items = run_pipeline(pipeline, lambda: process_all(pipeline, PAGES))
    for page, item in zip(PAGES, items, strict=True):
        assert {key: item[key] for key in FIELDS} == normalize_page(page, TODAY)


@pytest.mark.parametrize("workers", [0, 1])
def test_a_page_that_fails_is_a_reject_and_fails_alone(workers: int) -> None:
    bad = {"url": "http://x.cn/c/2021/03/09/1.html", "html": "<p>tiny</p>"}
    pipeline = NormalizePipeline(today=TODAY, workers=workers)

    async def body() -> list[Any]:
        return [await pipeline.process_item(dict(page)) for page in (PAGES[0], bad)]

    if workers:
        good, rejected = run_pipeline(pipeline, body)
    else:
        good, rejected = (pipeline.process_item(dict(page)) for page in (PAGES[0], bad))
    assert {key: good[key] for key in FIELDS} == normalize_page(PAGES[0], TODAY)
    assert isinstance(rejected, Reject) and (rejected.url, rejected.stage) == (bad["url"], "parse")


def test_a_page_past_the_deadline_is_a_reject_and_its_batch_is_normalized() -> None:
    """A worker that stops answering (stopped here; a regex that backtracks for hours does
    the same) costs one page: the page it holds, rejected at the deadline; the pages sent
    with it go to the worker that replaces it."""
    # 2 s: long enough for the replacement worker to start on a loaded machine.
    pipeline = NormalizePipeline(today=TODAY, workers=1, batch=8, timeout=2)

    async def body() -> list[Any]:
        first = await pipeline.process_item(dict(PAGES[0]))
        assert pipeline.pool is not None
        os.kill(pipeline.pool.pids()[0] or 0, signal.SIGSTOP)
        return [first, *await process_all(pipeline, PAGES[1:])]

    items = run_pipeline(pipeline, body)
    assert items[1] == Reject(PAGES[1]["url"], None, "normalize", "took over 2 s")
    for page, item in zip(PAGES, items, strict=True):
        if page is not PAGES[1]:
            assert {key: item[key] for key in FIELDS} == normalize_page(page, TODAY)


def test_the_crawlers_of_a_process_share_the_workers() -> None:
    first, second = NormalizePipeline(workers=1), NormalizePipeline(workers=1)
    first.open_spider()
    second.open_spider()
    try:
        assert first.pool is second.pool is not None
    finally:
        first.close_spider()
        assert second.pool is not None and second.pool.broken is None
        second.close_spider()
    assert NormalizePipeline.pools == {}


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid`, read from each process's own stat line, so a
    thread or a process that ends while we look is simply not listed."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # ended while we looked
            continue
        # pid (comm) state ppid ...: comm may hold spaces and brackets, so split after it
        if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


@pytest.mark.e2e
def test_a_crawl_rejects_a_page_its_normalizer_holds_past_the_deadline_and_goes_on(
    tmp_path: Path,
) -> None:
    """A normalizer that stops answering (stopped here, as a regex that backtracks for
    hours would hold it) costs the crawl one page, a reject, and the crawl goes on; the
    next run retries the page."""
    archive = tmp_path / "archive.db"
    args = ["crawl", "yueyang", "--archive", str(archive), "-s", "NORMALIZE_TIMEOUT=2"]
    args += ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "ARCHIVE_BATCH_SIZE=1"]
    args += ["-s", "DOWNLOAD_DELAY=0.25"]  # pages left to crawl when the normalizer stops
    with Replay() as replay:
        command = [NEWSARCHIVE, *args, "--replay", replay.url]
        process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 60
            while count(archive, "select count(*) from articles") < 2:
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.05)
            (fork_server,) = [
                child for child in children(process.pid) if b"forkserver" in cmdline(child)
            ]
            for worker in children(fork_server):
                os.kill(worker, signal.SIGSTOP)
            _, stderr = process.communicate(timeout=60)
        finally:
            if process.poll() is None:  # failed above: leave no crawler or worker behind
                doomed = [process.pid, *children(process.pid)]
                doomed += [pid for child in doomed[1:] for pid in children(child)]
                for pid in doomed:
                    with contextlib.suppress(OSError):
                        os.kill(pid, signal.SIGKILL)
                process.communicate()
        assert process.returncode == 0, stderr
        rejects = query(archive, "select stage, reason from rejects where reason like 'took%'")
        assert rejects == [("normalize", "took over 2 s")]
        assert count(archive, "select count(*) from articles") == 11  # the 12 samples but one
        (held,) = query(archive, "select url from rejects where reason like 'took%'")[0]

        # The next run, on a machine that answers, fetches that page again and keeps it.
        again = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert again.returncode == 0, again.stderr
        assert count(archive, "select count(*) from articles") == 12
        assert query(archive, "select url from articles where url = ?", [held]) == [(held,)]
        assert query(archive, "select * from rejects where reason like 'took%'") == []


def query(archive: Path, sql: str, params: list[Any] | None = None) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(archive)) as db:
        return db.execute(sql, params or []).fetchall()


def count(archive: Path, sql: str) -> int:
    try:
        return int(query(archive, sql)[0][0])
    except sqlite3.OperationalError:  # not created yet
        return 0


@pytest.mark.parametrize(("workers", "batch"), [(-1, 16), (1, 0)])
def test_settings_below_one_do_not_hang_the_crawl(workers: int, batch: int) -> None:
    pipeline = NormalizePipeline(today=TODAY, workers=workers, batch=batch)

    async def body() -> list[Any]:
        return await process_all(pipeline, PAGES[:2])

    items = run_pipeline(pipeline, body)
    assert [item["title"] for item in items] == [
        normalize_page(page, TODAY)["title"] for page in PAGES[:2]
    ]


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
    item = {"url": "http://en.yueyang.gov.cn/21730/content_4.html", "html": "<p>tiny</p>"}
    result = NormalizePipeline(today=TODAY).process_item(item)
    assert isinstance(result, Reject) and result.stage == "parse"
