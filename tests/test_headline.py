"""The headline's references and likeness."""

from __future__ import annotations

import pytest

from crawler.headline import References, similarity, title_references


@pytest.mark.parametrize(
    ("head", "titles", "site", "expected"),
    [
        (
            "渡口重新开放_本地新闻_某某网",
            [],
            None,
            ["渡口重新开放_本地新闻_某某网", "渡口重新开放", "渡口重新开放_本地新闻"],
        ),
        (
            "Ferry Runs Again - Example News",
            ["Ferry Runs Again"],
            None,
            ["ferry runs again", "ferry runs again - example news"],
        ),
        ("某某市人民政府", [], "某某市人民政府", []),
        (None, [], None, []),
    ],
)
def test_title_references(
    head: str | None, titles: list[str], site: str | None, expected: list[str]
) -> None:
    assert title_references(head, titles, site) == expected


@pytest.mark.parametrize(
    ("candidate", "reference", "low", "high"),
    [
        ("渡口重新开放", "渡口重新开放", 1.0, 1.0),
        ("渡口重新开放", "渡口重新开放_本地新闻", 0.7, 0.8),
        ("某某网", "渡口重新开放", 0.0, 0.0),
    ],
)
def test_similarity(candidate: str, reference: str, low: float, high: float) -> None:
    assert low <= similarity(candidate, reference) <= high


def test_a_far_shorter_line_is_not_compared() -> None:
    assert References(["a long headline about the new ferry"]).best("ferry", 0.6) == 0.0
