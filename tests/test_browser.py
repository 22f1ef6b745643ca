"""In a real browser: headless Chromium searches the archive through Datasette's pages.

Needs Debian's `chromium`; the fixture installs it with `make browser` when it is missing
and apt-get can, and skips (saying why) when it cannot. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import copy
import html
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive import Archive
from archive.queries import chart_path
from tests.cdp import Chromium, chromium_path, open_chart, search
from tests.conftest import serving
from tests.test_search import ARTICLES, BRIDGE_TITLE, ZH_TITLE

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"


def install_chromium() -> None:
    """`make browser` (apt-get install chromium and a Chinese font), or skip saying why."""
    if chromium_path() is not None:
        return
    if shutil.which("apt-get") is None:
        pytest.skip("chromium is not installed and apt-get is not available")
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
        archive.upsert_articles(copy.deepcopy(ARTICLES))
    with serving("--archive", str(path)) as base:
        yield base


def test_search_page_finds_and_highlights(browser: Chromium, base_url: str) -> None:
    titles = search(browser, f"{base_url}/archive", "bridge")
    browser.screenshot(ARTIFACTS / "search.png")
    assert titles[0] == BRIDGE_TITLE
    marks = browser.evaluate(
        "Array.from(document.querySelectorAll('td.col-snippet mark')).map(m => m.innerText)"
    )
    assert marks and {mark.lower() for mark in marks} == {"bridge"}


def test_search_page_finds_a_chinese_word(browser: Chromium, base_url: str) -> None:
    assert search(browser, f"{base_url}/archive", "衡阳") == [ZH_TITLE]
    browser.screenshot(ARTIFACTS / "search-zh.png")


def test_chart_is_drawn(browser: Chromium, base_url: str) -> None:
    open_chart(browser, base_url, html.unescape(chart_path("archive")))
    shot = browser.screenshot(ARTIFACTS / "chart.png")
    assert shot.stat().st_size > 10_000
