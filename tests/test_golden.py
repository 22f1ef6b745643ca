"""Golden tests: every sample article page, parsed and normalized, against its expected JSON.

Parametrized over the site registry, so a registered site without fixtures fails, and over
the fields, so a failure names the field. Expected files are written by hand from the
sample pages (`scripts/record_golden.py URL` prints the current output to compare).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from crawler.normalizing import normalize_page
from crawler.samples_io import sample_item
from crawler.sites import SAMPLES_DIR, all_sites

GOLDEN = Path(__file__).parent / "golden"
FIELDS = (
    "site",
    "lang",
    "title",
    "published_date",
    "published_at",
    "source_raw",
    "source",
    "original_source_raw",
    "original_source",
    "credits",
    "body",
)
MIN_ARTICLES_PER_HOST = 2  # on every host the replay serves for the site


def golden_files(site: str) -> list[Path]:
    return sorted((GOLDEN / site).rglob("*.json"))


@cache
def expected(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def actual(url: str) -> dict[str, Any]:
    return normalize_page(sample_item(url))


CASES = [
    pytest.param(path, field, id=f"{path.relative_to(GOLDEN)}:{field}")
    for site in all_sites()
    for path in golden_files(site.name)
    for field in FIELDS
]


@pytest.mark.parametrize("site", all_sites(), ids=lambda site: site.name)
def test_every_site_has_golden_articles_on_each_host(site) -> None:
    served = [host for host in site.hosts if (SAMPLES_DIR / host).is_dir()]
    assert served, f"{site.name} has no sample folder"
    for host in served:
        count = len(list((GOLDEN / site.name / host).rglob("*.json")))
        assert count >= MIN_ARTICLES_PER_HOST, f"{site.name}: {count} golden pages on {host}"


@pytest.mark.parametrize(("path", "field"), CASES)
def test_golden_field(path: Path, field: str) -> None:
    want = expected(path)
    assert field in want, f"{path.name} does not state {field}"
    got = actual(want["url"])
    if field == "credits":
        assert got["credits"] == want["credits"]
    else:
        assert got[field] == want[field]
