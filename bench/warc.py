"""Benchmark: `newsarchive snapshot --format warc` on a generated archive, as a process:
articles exported per second, and its peak memory (which must not grow with the archive).

The generated archive's pages came as HTML text (`bench.generate`), so its captures have no
headers: each is one `resource` record. Fetched captures write two records (request and
response, or request and revisit), so a crawled archive of the same size writes more.

    .venv/bin/python -m bench.warc ARCHIVE     # one measurement, printed
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from archive.db import Archive
from bench.crawl import NEWSARCHIVE
from bench.figures import MB, Figure, child_peak_rss


def export(archive: Path, articles: int, work: Path) -> list[Figure]:
    """The WARC export's rate and peak RSS; the archive is migrated first (a cache made by
    an older version keeps its pages as captures without headers)."""
    Archive.open(archive, create=False).close()
    out = work / "warc"
    command = [NEWSARCHIVE, "snapshot", "--archive", str(archive), "--format", "warc"]
    started = time.perf_counter()
    peak = child_peak_rss([*command, "--out", str(out), "-o", "bench.warc.gz"])
    seconds = time.perf_counter() - started
    manifest = json.loads((out / "bench.warc.json").read_text(encoding="utf-8"))
    size = (out / "bench.warc.gz").stat().st_size
    for written in out.iterdir():
        written.unlink()
    records = ", ".join(f"{n:,} {kind}" for kind, n in manifest["records"].items())
    detail = f"{seconds:,.1f} s, {size / MB:,.0f} MB: {records}"
    work_size = f"{articles:,} articles"
    return [
        Figure(
            "WARC export",
            round(manifest["articles"] / seconds),
            "articles/s",
            work_size,
            ">= 1000",
            detail,
        ),
        Figure("memory: WARC export peak RSS", round(peak / MB), "MB", work_size, "<= 300"),
    ]


def main() -> None:
    archive = Path(sys.argv[1])
    with Archive.open(archive, create=False) as opened:
        articles = opened.counts()["articles"]
    with tempfile.TemporaryDirectory(prefix="warc-bench-", dir=archive.parent) as tmp:
        for figure in export(archive, articles, Path(tmp)):
            print(f"{figure.name}: {figure.value:,} {figure.unit} ({figure.size}) {figure.detail}")


if __name__ == "__main__":
    main()
