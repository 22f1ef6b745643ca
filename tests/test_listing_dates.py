"""Dates from the listing, end to end: a copy of the Yueyang sample site whose article pages
state no date at all (no date line, no metadata, none in the URL), as most real Yueyang
pages do. The crawl stores the date the listing shows beside each link, marked `listing`."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from parsel import Selector

from crawler.replay import Replay
from crawler.sites import SAMPLES_DIR

from .conftest import run_cli

pytestmark = pytest.mark.e2e
HOST = "en.yueyang.gov.cn"
SECTION = "21730"
DATES = re.compile(r"(?:19|20)\d\d-\d\d-\d\d")


def listed_dates(section: Path) -> dict[str, tuple[str, str]]:
    """Article URL -> (the date its listing shows, the listing page's URL)."""
    found = {}
    for listing in sorted(section.glob("index*.html")):
        page = f"http://{HOST}/{SECTION}/{listing.name}"
        selector = Selector(text=listing.read_text(encoding="utf-8"))
        for item in selector.css("ul.news-list li"):
            href = item.css("a::attr(href)").get().removeprefix("./")
            found[f"http://{HOST}/{SECTION}/{href}"] = (item.css("span.date::text").get(), page)
    return found


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, tuple[str, str]]]:
    root = tmp_path_factory.mktemp("undated")
    shutil.copytree(SAMPLES_DIR / HOST, root / HOST)
    section = root / HOST / SECTION
    for page in section.glob("content_*.html"):  # every date out of every article page
        page.write_text(DATES.sub("", page.read_text(encoding="utf-8")), encoding="utf-8")
    archive = root / "archive.db"
    with Replay(root) as replay:
        result = run_cli(
            "crawl", "yueyang", "--replay", replay.url, "--archive", str(archive),
            "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0",
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return archive, listed_dates(section)


def test_every_article_has_the_date_its_listing_shows(
    crawled: tuple[Path, dict[str, tuple[str, str]]],
) -> None:
    archive, listed = crawled
    with sqlite3.connect(archive) as db:
        rows = db.execute(
            "select url, published_date, published_at, published_from, published_raw from articles"
        ).fetchall()
    assert len(rows) == len(listed) >= 10
    for url, day, at, origin, raw in rows:
        shown, page = listed[url]
        assert (day, at, origin) == (shown, None, "listing"), url
        assert raw == f"listing {page}: {shown}"


def test_the_run_counts_them(crawled: tuple[Path, dict[str, tuple[str, str]]]) -> None:
    archive, listed = crawled
    with sqlite3.connect(archive) as db:
        (stats,) = db.execute("select stats from crawl_runs").fetchone()
    assert f'"newsarchive/dated_by_listing": {len(listed)}' in stats
