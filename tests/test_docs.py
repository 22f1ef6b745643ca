"""The README is checked: every registered site is in its table, with its hosts."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.sites import SAMPLES_DIR, all_sites

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("site", all_sites(), ids=lambda site: site.name)
def test_site_is_in_the_readme_table(site) -> None:
    row = next((line for line in README.splitlines() if f"| `{site.name}` |" in line), None)
    assert row, f"README's table of sites has no row for {site.name}"
    for host in site.hosts:
        assert host in row, f"README's row for {site.name} does not name {host}"


@pytest.mark.parametrize("site", all_sites(), ids=lambda site: site.name)
def test_site_has_sample_pages_and_robots(site) -> None:
    served = [host for host in site.hosts if (SAMPLES_DIR / host).is_dir()]
    assert served, f"{site.name} has no sample folder under crawler/samples/"
    for host in served:
        assert (SAMPLES_DIR / host / "robots.txt").is_file(), f"{host} has no robots.txt"


def test_quick_start_has_the_two_commands() -> None:
    quick_start = README.split("## Quick start", 1)[1].split("##", 1)[0]
    assert "make demo" in quick_start and "make test" in quick_start
