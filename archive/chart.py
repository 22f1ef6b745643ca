"""The chart of articles per month per site, drawn on the server as SVG (no script, nothing
loaded): a bar a month, stacked by site, on a real time axis (every month from the first to
the last has its place, so a month without articles is a gap), each site in a colour of its own
(the Okabe-Ito palette first, told apart by everyone, colour-blind readers too; then the
darker colours of Paul Tol's, then hues a golden angle apart), with a legend."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from markupsafe import Markup, escape

# Okabe & Ito's colour-blind-safe palette, the most distinct first.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#D55E00",
    "#56B4E9",
    "#F0E442",
    "#000000",
    # Paul Tol's indigo, wine, olive, grey and a dark brown: unlike every colour above
    "#332288",
    "#882255",
    "#999933",
    "#999999",
    "#661100",
)
GOLDEN_ANGLE = 137.508  # degrees: each further hue as far as can be from those before it
WIDTH, HEIGHT = 960, 320
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 28


def month_index(month: str) -> int:
    """`YYYY-MM` as a count of months (consecutive months differ by one)."""
    year, number = month.split("-")
    return int(year) * 12 + int(number) - 1


def month_name(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def nice_step(top: int, ticks: int = 4) -> int:
    """A round step (1, 2 or 5 times a power of ten) for about `ticks` gridlines to `top`."""
    rough = max(1.0, top / ticks)
    power = 10 ** math.floor(math.log10(rough))
    return int(next(step * power for step in (1, 2, 5, 10) if step * power >= rough))


def colours(sites: Iterable[str]) -> dict[str, str]:
    """A colour for each site, in the order given, no two alike (past the palette, hues a
    golden angle apart, alternately darker and lighter)."""
    return {site: colour(i) for i, site in enumerate(sites)}


def colour(i: int) -> str:
    """The colour of the ``i``-th site."""
    if i < len(PALETTE):
        return PALETTE[i]
    n = i - len(PALETTE)
    return f"hsl({n * GOLDEN_ANGLE % 360:.1f}, 70%, {38 if n % 2 else 55}%)"


def svg(rows: Iterable[Mapping[str, Any]], titles: Mapping[str, str] | None = None) -> Markup:
    """The chart of `rows` (each with `month` YYYY-MM, `site` and `articles`), sites named by
    `titles` in the legend; an empty chart says so."""
    counts: dict[tuple[int, str], int] = {}
    for row in rows:
        month = str(row["month"] or "")
        if len(month) == 7 and month[:4].isdigit() and month[5:].isdigit():
            key = (month_index(month), str(row["site"] or ""))
            counts[key] = counts.get(key, 0) + int(row["articles"] or 0)
    if not counts:
        return Markup('<p class="chart-empty">No dated articles to chart yet.</p>')
    titles = titles or {}
    sites = sorted({site for _, site in counts})
    palette = colours(sites)
    first = min(index for index, _ in counts)
    last = max(index for index, _ in counts)
    totals: dict[int, int] = {}
    for (index, _), count in counts.items():
        totals[index] = totals.get(index, 0) + count
    step = nice_step(max(totals.values()))
    top = step * math.ceil(max(totals.values()) / step)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / (last - first + 1)

    def y(value: float) -> float:
        return TOP + plot_h - plot_h * value / top

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="Articles per month per site, {month_name(first)} to {month_name(last)}" '
        'xmlns="http://www.w3.org/2000/svg" font-size="12" font-family="sans-serif">'
    ]
    for value in range(0, top + 1, step):
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="#ddd"/><text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" '
            f'fill="#444">{value}</text>'
        )
    for index in range(first - first % 12, last + 1, 12):  # each January: the year
        if index >= first:
            x = LEFT + (index - first) * slot
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP + plot_h}" y2="{TOP + plot_h + 5}" '
                f'stroke="#444"/><text x="{x + 2:.1f}" y="{HEIGHT - 8}" fill="#444">'
                f"{index // 12}</text>"
            )
    bar = max(1.0, slot * 0.8)
    for index in range(first, last + 1):
        base = 0
        for site in sites:
            count = counts.get((index, site), 0)
            if not count:
                continue
            x = LEFT + (index - first) * slot + (slot - bar) / 2
            label = escape(f"{month_name(index)}: {titles.get(site, site) or 'no site'}, {count}")
            parts.append(
                f'<rect class="bar" data-month="{month_name(index)}" data-site="{escape(site)}" '
                f'x="{x:.1f}" y="{y(base + count):.1f}" width="{bar:.1f}" '
                f'height="{y(base) - y(base + count):.1f}" fill="{palette[site]}">'
                f"<title>{label}</title></rect>"
            )
            base += count
    parts.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" '
        'stroke="#444"/></svg>'
    )
    legend = "".join(
        f'<li><span class="swatch" style="background:{palette[site]}"></span>'
        f"{escape(titles.get(site, site) or 'no site')} <code>{escape(site)}</code></li>"
        for site in sites
    )
    return Markup("".join(parts) + f'<ul class="chart-legend">{legend}</ul>')
