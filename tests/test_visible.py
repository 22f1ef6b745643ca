"""Visible text: block elements as lines, hidden and non-text elements gone."""

from __future__ import annotations

import pytest

from crawler.reader import parse_html
from crawler.visible import Line, visible_lines


def read_lines(html: str) -> list[Line]:
    return visible_lines(parse_html(f"<html><body>{html}</body></html>").find("body"))


def lines_of(html: str) -> list[str]:
    return [line.text for line in read_lines(html)]


@pytest.mark.parametrize(
    ("html", "lines"),
    [
        ("<div><p>a</p><p>b</p></div>", ["a", "b"]),
        ("<div>one<br>two<br/>three</div>", ["one", "two", "three"]),
        ("<div><p>  spaced \n  out  </p></div>", ["spaced out"]),
        ("<div><p>keep <i>inline</i> text</p></div>", ["keep inline text"]),
        ("<div><script>var x;</script><p>shown</p><style>p{}</style></div>", ["shown"]),
        ("<div><ul><li>x</li><li>y</li></ul>tail text</div>", ["x", "y", "tail text"]),
        ("<div><p></p><p> </p></div>", []),
        ("<div><table><tr><td>cell 1</td><td>cell 2</td></tr></table></div>", ["cell 1", "cell 2"]),
        ("<div><p style='display: none'>gone</p><p>kept</p></div>", ["kept"]),
        ("<div><p style='visibility:hidden'>gone</p>kept</div>", ["kept"]),
        ("<div><span hidden>gone</span>kept</div>", ["kept"]),
        ("<div><i aria-hidden='true'>icon</i>kept</div>", ["kept"]),
        ("<div><template><p>gone</p></template>kept</div>", ["kept"]),
        ("<div><!-- a note -->kept<!-- another --> too</div>", ["kept too"]),
        (
            "<div><form>Pick <select><option>A</option><option>B</option></select></form></div>",
            ["Pick"],
        ),
        ("<div>2024-03-02 来源：某报 <a href='#'>举报</a></div>", ["2024-03-02 来源：某报"]),
        ("<div><span>来源：某报</span><span>编辑：王明</span></div>", ["来源：某报 编辑：王明"]),
        ("<p><b>T</b><span>he river rose.</span></p>", ["The river rose."]),
        ("<p><b>Bold</b>, then plain.</p>", ["Bold, then plain."]),
    ],
)
def test_visible_lines(html: str, lines: list[str]) -> None:
    assert lines_of(html) == lines


def test_lines_know_links_and_headings() -> None:
    found = read_lines("<div><h2>Head</h2><p><a href='/x'>all link</a></p></div>")
    assert [(line.text, line.heading, line.link_share) for line in found] == [
        ("Head", 2, 0.0),
        ("all link", 0, 1.0),
    ]


def test_deep_nesting_does_not_exhaust_the_stack() -> None:
    html = "<div>" * 1500 + "deep" + "</div>" * 1500
    assert lines_of(html) == ["deep"]
