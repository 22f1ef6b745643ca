"""Crawl overhead: the full crawl (parse, normalize, archive) against a bare Scrapy spider.

Both crawl the same generated pages (`bench.generate.write_site`: Huasheng Online's English and
Chinese channels, served under the site's real hosts by the replay, so the registered `huasheng`
site and its parser are used unchanged) with the same settings: AutoThrottle off, no delay, the
same concurrency, robots.txt obeyed. The bare spider walks the same listings and only selects
each article's text; the full crawl is `newsarchive crawl` (`crawler.crawling.run_crawl`).

Each crawl runs in a process of its own (`python -m bench.crawl bare|full ...`), which prints
its crawl time as JSON; its peak RSS comes from `os.wait4`. The replay runs in a third
process, so that it does not share the crawler's interpreter lock.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import scrapy
from scrapy.http import Response

from crawler import sites
from crawler.crawling import CrawlOptions, crawler_settings, run_crawl

SITE = "huasheng"
NEWSARCHIVE = str(Path(sys.executable).with_name("newsarchive"))
CONCURRENCY = 8  # requests at a time per host, in both crawls


def settings(concurrency: int, workers: int | None = None) -> dict[str, str]:
    """The settings both crawls share (and, for the full crawl, its normalizer workers)."""
    values = {
        "AUTOTHROTTLE_ENABLED": "False",
        "DOWNLOAD_DELAY": "0",
        "CONCURRENT_REQUESTS_PER_DOMAIN": str(concurrency),
        "CONCURRENT_REQUESTS": str(concurrency * 2),
        "LOG_LEVEL": "WARNING",
    }
    if workers is not None:
        values["NORMALIZE_WORKERS"] = str(workers)
    return values


class BareSpider(scrapy.Spider):
    """Walks the site's listings like the news spider; of an article it only selects text."""

    name = "bare"

    async def start(self) -> Any:
        for listing in sites.get(SITE).listings:
            yield scrapy.Request(listing.url, self.parse_listing, cb_kwargs={"listing": listing})

    def parse_listing(self, response: Response, listing: sites.Listing) -> Iterator[Any]:
        for href in response.css(listing.links).xpath("@href").getall():
            yield response.follow(href, self.parse_article)
        following = response.css(str(listing.next_page)).xpath("@href").get()
        if following:
            yield response.follow(following, self.parse_listing, cb_kwargs={"listing": listing})

    def parse_article(self, response: Response) -> Iterator[dict[str, str]]:
        yield {"url": response.url, "text": " ".join(response.css("body ::text").getall())}


def crawl_bare(archive: str, replay_url: str, values: dict[str, str]) -> None:
    from scrapy.crawler import CrawlerProcess

    options = CrawlOptions(replay_url=replay_url, settings={**values, "ITEM_PIPELINES": {}})
    process = CrawlerProcess(crawler_settings(archive, options))
    process.crawl(BareSpider)
    process.start()


def crawl_full(archive: str, replay_url: str, values: dict[str, str]) -> None:
    results = run_crawl([SITE], archive, CrawlOptions(replay_url=replay_url, settings=values))
    if results[0]["status"] != "finished":
        raise RuntimeError(f"the crawl did not finish: {results[0]}")


@contextmanager
def replay_process(root: Path, port: int) -> Iterator[str]:
    """`newsarchive replay` over `root` in a process of its own; yields its URL."""
    command = [NEWSARCHIVE, "replay", "--root", str(root), "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline() if process.stdout else ""
        if "Replaying" not in line:
            raise RuntimeError(f"the replay did not start: {line!r}")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def wait_measured(process: subprocess.Popen[Any]) -> tuple[int, int]:
    """Wait for `process`: its exit status and peak RSS in bytes.

    The peak is the child's own high-water mark (`VmHWM`), read while it runs: `ru_maxrss`
    would also count the parent's memory, which a child started by vfork carries into exec.
    """
    status_file = Path(f"/proc/{process.pid}/status")
    peak = 0
    while process.poll() is None:
        with contextlib.suppress(OSError):  # the child may exit between poll and read
            for line in status_file.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]) * 1024)
        time.sleep(0.05)
    return process.returncode, peak


def measure(kind: str, archive: Path, replay_url: str, values: dict[str, str]) -> dict[str, Any]:
    """Run one crawl in a child process: its crawl time (seconds) and peak RSS (bytes)."""
    command = [sys.executable, "-m", "bench.crawl", kind, "--archive", str(archive)]
    command += ["--replay", replay_url, "--settings", json.dumps(values)]
    with tempfile.TemporaryFile("w+") as out:
        process = subprocess.Popen(command, stdout=out, text=True)
        returncode, peak = wait_measured(process)
        if returncode != 0:
            raise RuntimeError(f"the {kind} crawl failed with exit status {returncode}")
        out.seek(0)
        result: dict[str, Any] = json.loads(out.read().strip().splitlines()[-1])
    return result | {"peak_rss": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description="one benchmark crawl (run by bench.crawl)")
    parser.add_argument("kind", choices=("bare", "full"))
    parser.add_argument("--archive", required=True)
    parser.add_argument("--replay", required=True)
    parser.add_argument("--settings", default="{}")
    args = parser.parse_args()
    values = json.loads(args.settings)
    started = time.perf_counter()
    (crawl_bare if args.kind == "bare" else crawl_full)(args.archive, args.replay, values)
    print(json.dumps({"seconds": time.perf_counter() - started}))


if __name__ == "__main__":
    main()
