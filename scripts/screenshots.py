"""Make the README's screenshots: build the sample archive, serve it, and photograph the
search page and the chart in headless Chromium (`make screenshots`).

    .venv/bin/python scripts/screenshots.py [--out docs] [--query river]
"""

from __future__ import annotations

import argparse
import html
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--query", default="Xiang River")
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
            wait_for_http(base + "/-/versions.json", server)
            with Chromium(width=1600, height=1000) as browser:
                titles = search(browser, f"{base}/archive", options.query)
                logger.info("%s: %d results, first %r", options.query, len(titles), titles[:1])
                browser.screenshot(options.out / "search.png", height=1000)
                open_chart(browser, base, html.unescape(chart_path("archive")))
                browser.screenshot(options.out / "chart.png", height=900)
        finally:
            server.terminate()
            server.wait(timeout=10)
    logger.info("wrote %s and %s", options.out / "search.png", options.out / "chart.png")


if __name__ == "__main__":
    main()
