"""In a real browser: headless Chromium reads, searches and browses the archive as a
researcher does, through `newsarchive serve`, and checks what a person would see. No request
may leave 127.0.0.1 (the browser's Network events say what it asked for).

Needs Debian's `chromium`; the fixture installs it with `make browser` when it is missing
and apt-get can, and skips (saying why) when it cannot. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive import Archive
from archive.queries import chart_path
from tests.cdp import Chromium, chromium_path, open_chart, search, texts
from tests.conftest import serving
from tests.test_room import AUGUST, CHINESE, FERRIES, TEA_HOUSE

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"


def install_chromium() -> None:
    """`make browser` (apt-get install chromium and a Chinese font), or skip saying why."""
    if chromium_path() is not None:
        return
    if shutil.which("apt-get") is None:
        pytest.skip("chromium is not installed and apt-get is not available: install chromium")
    if os.geteuid() != 0:
        pytest.skip("chromium is not installed; run `sudo make browser`")
    result = subprocess.run(
        ["make", "browser"], cwd=ROOT, capture_output=True, text=True, timeout=900, check=False
    )
    if result.returncode != 0 or chromium_path() is None:
        pytest.skip(f"could not install chromium: {result.stderr.strip()[-300:]}")


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    install_chromium()
    with Chromium() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("browser") / "archive.db"
    with Archive.open(path) as archive:
        archive.upsert_articles(copy.deepcopy([TEA_HOUSE, CHINESE, AUGUST, *FERRIES]))
    with serving("--archive", str(path)) as base:
        yield base


def nothing_left_the_machine(browser: Chromium, base_url: str) -> None:
    away = [
        url for url in browser.requested if not url.startswith((base_url + "/", "data:", "about:"))
    ]
    assert away == [], away


def test_search_an_english_word_open_a_hit_read_it(browser: Chromium, base_url: str) -> None:
    assert search(browser, base_url, "tea")[0] == TEA_HOUSE["title"]
    assert [m.lower() for m in texts(browser, ".hit .snippet mark")] == ["tea"]
    browser.screenshot(ARTIFACTS / "search.png")
    browser.click(".hit-title a")
    assert texts(browser, "h1.article-title") == [TEA_HOUSE["title"]]
    assert texts(browser, ".article-when") == ["2021-03-16 09:30 (UTC+08:00)"]
    assert texts(browser, ".article-body p")[0] == "A wooden tea house on the bank has reopened."
    reading = browser.evaluate("document.querySelector('.reading').getBoundingClientRect().width")
    em = browser.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.reading')).fontSize)"
    )
    assert reading <= 40 * em + 1
    assert browser.evaluate("document.documentElement.scrollWidth <= innerWidth")  # no overflow
    browser.screenshot(ARTIFACTS / "article.png")
    nothing_left_the_machine(browser, base_url)


def test_follow_a_translator_to_their_page(browser: Chromium, base_url: str) -> None:
    search(browser, base_url, '"tea house"')
    browser.click(".hit-title a")
    browser.click(".credit-translator a.person")
    assert texts(browser, "h1.person-name") == ["Mo Yuting"]
    assert texts(browser, ".person-role h2") == ["As translator"]
    assert texts(browser, ".article-list a") == [TEA_HOUSE["title"]]


def test_open_the_page_as_captured(browser: Chromium, base_url: str) -> None:
    search(browser, base_url, '"tea house"')
    browser.click(".hit-title a")
    browser.requested.clear()
    browser.click("a.captured-link")
    assert texts(browser, "h1") == ["The page as captured"]
    assert browser.evaluate("document.querySelector('iframe.captured-frame').sandbox.length") == 0
    framed = browser.frame_html("iframe.captured-frame")
    assert "A wooden tea house on the bank has reopened." in framed
    assert "<script" not in framed and "cdn.example" not in framed
    browser.screenshot(ARTIFACTS / "captured.png")
    assert any(url.endswith("/captured/page") for url in browser.requested)  # the frame's own
    nothing_left_the_machine(browser, base_url)


def test_search_a_two_character_chinese_word(browser: Chromium, base_url: str) -> None:
    assert search(browser, base_url, "长沙") == [CHINESE["title"]]
    assert texts(browser, ".hit .snippet mark") == ["长沙"]
    assert "株洲至长沙南站" in texts(browser, ".hit .snippet")[0]
    browser.screenshot(ARTIFACTS / "search-zh.png")


def test_page_to_the_second_page_of_results(browser: Chromium, base_url: str) -> None:
    first = search(browser, base_url, "ferry")
    assert texts(browser, ".result-count") == ["25 articles match, best first; page 1 of 2."]
    assert len(first) == 20
    browser.click(".pages a.page-next")
    second = texts(browser, ".hit-title")
    assert len(second) == 5 and not set(first) & set(second)
    assert texts(browser, ".pages strong") == ["2"]


def test_exclude_a_word(browser: Chromium, base_url: str) -> None:
    assert search(browser, base_url, "ferry -route") == [AUGUST["title"]]


def test_a_bad_date_shows_a_message(browser: Chromium, base_url: str) -> None:
    assert search(browser, base_url, "ferry", date_from="2024-13") == []
    assert texts(browser, ".search-problem") == [
        "From: '2024-13' is not a date: write 2023, 2023-05 or 2023-05-26."
    ]
    assert browser.evaluate("document.querySelector('[name=date_from]').value") == "2024-13"


def test_the_chart_is_drawn(browser: Chromium, base_url: str) -> None:
    open_chart(browser, base_url, chart_path("archive"))
    months = browser.evaluate(
        "new Set(Array.from(document.querySelectorAll('rect.bar')).map(r => r.dataset.month)).size"
    )
    assert months >= 12
    assert browser.screenshot(ARTIFACTS / "chart.png").stat().st_size > 10_000
    nothing_left_the_machine(browser, base_url)
