"""The shared scorer on real labelled material, with the floors the project promises.

`../shared/eval/score` runs `newsarchive normalize` (this checkout's) on real pages:
``html_dev.jsonl`` holds whole real HTML pages, read exactly as the crawler reads a fetched
page; ``dev.jsonl`` holds real page texts. The material is not part of the project; without
it (a checkout without ``../shared``) the test says so and skips.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "eval" / "score"
FLOORS = {
    "html_dev.jsonl": {
        "titles": 0.97,
        "dates": 0.97,
        "sources": 0.97,
        "body": 0.97,
        "credits": 0.95,
    },
    "dev.jsonl": {"dates": 1.0, "sources": 1.0, "body": 1.0, "credits": 1.0},
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_real_pages_score_above_their_floors(name: str) -> None:
    corpus = SHARED / "corpus" / name
    if not SCORER.is_file() or not corpus.is_file():
        pytest.skip(f"no {corpus} or {SCORER}: the real labelled pages live outside the project")
    floors = [f"--min-{field}={value}" for field, value in FLOORS[name].items()]
    command = (
        os.environ.get("NORMALIZE_CMD")
        or f"{Path(sys.executable).with_name('newsarchive')} normalize"
    )
    result = subprocess.run(
        [sys.executable, str(SCORER), "--set", str(corpus), "--failures", "5", *floors],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NORMALIZE_CMD": command},
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
