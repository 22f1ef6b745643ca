"""Reproducible installs: `make install` (and so CI) installs exactly constraints.txt."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PINS = {
    re.sub(r"[-_.]+", "-", name).lower(): pinned
    for name, pinned in re.findall(
        r"^([A-Za-z0-9_.-]+)==(\S+)$",
        (ROOT / "constraints.txt").read_text(encoding="utf-8"),
        flags=re.M,
    )
}
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
REQUIREMENTS = [*PROJECT["dependencies"], *PROJECT["optional-dependencies"]["test"]]


def name_of(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0]).lower()


@pytest.mark.parametrize("requirement", REQUIREMENTS)
def test_every_requirement_is_pinned_and_installed_as_pinned(requirement: str) -> None:
    name = name_of(requirement)
    assert name in PINS, f"{name} is not in constraints.txt: run `make lock`"
    assert version(name) == PINS[name], f"{name} {version(name)} installed, {PINS[name]} pinned"


def test_every_pin_is_installed() -> None:
    """No stale pins: each package constraints.txt names is what the environment holds."""
    wrong = {}
    for name, pinned in PINS.items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = None
        if installed != pinned:
            wrong[name] = (pinned, installed)
    assert not wrong, f"pinned vs installed: {wrong}; `make install` or `make lock`"


@pytest.mark.parametrize("requirement", PROJECT["dependencies"])
def test_runtime_ranges_stop_before_the_next_major(requirement: str) -> None:
    """A cron job that reinstalls never jumps to a new major version of a dependency."""
    assert "<" in requirement or "==" in requirement, requirement
