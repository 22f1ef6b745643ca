"""`make bench-quick` once, as a smoke test: every figure is measured and written.

No timing assertions: the figures depend on the machine; the budgets are checked by
reading the table (README, "Performance").
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIGURES = {
    "crawl overhead (full / bare)",
    "memory: crawl peak RSS",
    "cluster: 3 crawlers / 1",
    "normalize",
    "page reading vs trafilatura",
    "reprocess",
    "ingest",
    "ingest / bare sqlite-utils",
    "search: ranked SQL p95",
    "search: Datasette page over HTTP p95",
    "snapshot",
    "memory: export peak RSS",
    "WARC export",
    "memory: WARC export peak RSS",
}


@pytest.mark.e2e
def test_bench_quick_measures_every_figure(tmp_path: Path) -> None:
    results = tmp_path / "results.json"
    command = [sys.executable, "-m", "bench", "--quick", "--results", str(results)]
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(results.read_text())
    assert report["mode"] == "quick"
    assert report["machine"]["cores"] >= 1 and report["machine"]["memory_gb"] > 0
    assert {figure["name"] for figure in report["figures"]} == FIGURES
    for figure in report["figures"]:
        assert figure["value"] > 0 and figure["size"] and figure["budget"], figure
        assert figure["name"] in done.stdout  # the table shows it
    assert "machine: " in done.stdout
