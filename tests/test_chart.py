"""The chart of articles per month per site (`archive/chart.py`): a real time axis with gaps,
a distinct colour per site, the sites named."""

from __future__ import annotations

import re

from archive.chart import PALETTE, colours, month_index, nice_step, svg

ROWS = [
    {"month": "2023-01", "site": "hengyang", "articles": 2},
    {"month": "2023-01", "site": "hunan", "articles": 1},
    {"month": "2023-04", "site": "hunan", "articles": 3},
]


def bars(chart: str) -> list[tuple[str, str, float]]:
    return [
        (month, site, float(x))
        for month, site, x in re.findall(
            r'data-month="([\d-]+)" data-site="(\w+)" x="([\d.]+)"', chart
        )
    ]


def test_empty_months_are_gaps_on_a_real_time_axis() -> None:
    found = bars(svg(ROWS))
    assert [(m, s) for m, s, _ in found] == [
        ("2023-01", "hengyang"),
        ("2023-01", "hunan"),
        ("2023-04", "hunan"),
    ]
    january, _, april = (x for _, _, x in found)
    assert found[0][2] == found[1][2]  # stacked
    slot = (april - january) / 3  # four months apart: February and March are empty slots
    assert slot > 0
    assert "2023-02" not in svg(ROWS) and "2023-03" not in svg(ROWS)


def test_each_site_has_its_own_colour_and_name() -> None:
    chart = svg(ROWS, {"hengyang": "Hengyang Municipal", "hunan": "Hunan Province"})
    fills = dict(re.findall(r'data-site="(\w+)"[^>]*fill="(#\w+)"', chart))
    assert fills["hengyang"] != fills["hunan"]
    assert "Hengyang Municipal" in chart and "Hunan Province" in chart
    assert len(set(colours(f"site{n}" for n in range(len(PALETTE))).values())) == len(PALETTE)
    many = colours(f"site{n}" for n in range(200))  # a cluster's worth of sites
    assert len(set(many.values())) == 200


def test_no_dated_articles_says_so() -> None:
    assert "No dated articles" in svg([])
    assert "No dated articles" in svg([{"month": None, "site": "x", "articles": 3}])


def test_axis_steps_are_round() -> None:
    assert [nice_step(top) for top in (1, 3, 8, 40, 130, 9000)] == [1, 1, 2, 10, 50, 5000]
    assert month_index("2024-01") - month_index("2023-12") == 1


def test_titles_are_escaped() -> None:
    assert "<b>" not in svg(ROWS, {"hunan": "<b>Hunan</b>"})
