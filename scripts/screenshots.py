"""Make the README's screenshots: build the sample archive, serve it, and photograph the
reading room in headless Chromium (`make screenshots`): the search page in English and in
Chinese, an article, the page as captured, the articles table and the chart.

    .venv/bin/python scripts/screenshots.py [--out docs] [--query tea]
"""

from __future__ import annotations

import argparse
import logging
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.queries import chart_path  # noqa: E402
from tests.cdp import Chromium, open_chart, search  # noqa: E402
from tests.conftest import NEWSARCHIVE, free_port, wait_for_http  # noqa: E402

logger = logging.getLogger(__name__)
WIDTH, HEIGHT = 1400, 900


def photograph(browser: Chromium, base: str, out: Path, query: str) -> list[Path]:
    """The pictures, in the order the README shows them."""
    shots = []
    titles = search(browser, base, query)
    logger.info("%s: %d results, first %r", query, len(titles), titles[:1])
    shots.append(browser.screenshot(out / "search.png", height=HEIGHT))
    browser.click(".hit-title a")
    shots.append(browser.screenshot(out / "article.png", height=HEIGHT))
    browser.click("a.captured-link")
    shots.append(browser.screenshot(out / "captured.png", height=HEIGHT))
    titles = search(browser, base, "长沙")
    logger.info("长沙: %d results", len(titles))
    shots.append(browser.screenshot(out / "search-zh.png", height=HEIGHT))
    browser.goto(f"{base}/archive/articles")
    shots.append(browser.screenshot(out / "articles.png", height=1500))
    open_chart(browser, base, chart_path("archive"))
    shots.append(browser.screenshot(out / "chart.png", height=720))
    return shots


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--query", default="tea -festival")
    options = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    with tempfile.TemporaryDirectory(prefix="newsarchive-shots-") as tmp:
        archive = Path(tmp) / "archive.db"
        logger.info("building the sample archive in %s", archive)
        subprocess.run(
            [NEWSARCHIVE, "demo", "--archive", str(archive)], check=True, capture_output=True
        )
        port = free_port()
        server = subprocess.Popen(
            [NEWSARCHIVE, "serve", "--archive", str(archive), "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for_http(base + "/-/settings.json", server)
            with Chromium(width=WIDTH, height=HEIGHT) as browser:
                shots = photograph(browser, base, options.out, options.query)
        finally:
            server.terminate()
            server.wait(timeout=10)
    for shot in shots:
        logger.info("wrote %s", shot)


if __name__ == "__main__":
    main()
