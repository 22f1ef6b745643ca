"""Regions: which lines are meta lines, tail lines and page furniture."""

from __future__ import annotations

import pytest

from crawler.reader import parse_html
from crawler.regions import FURNITURE_WORDS, Furniture, is_tail_line


@pytest.mark.parametrize(
    ("line", "tail"),
    [
        ("责任编辑：赵云", True),
        ("（责编：赵云、钱雨）", True),
        ("【纠错】 责任编辑： 赵云", True),
        ("(一审:张薇 二审:刘思远 三审:何建军)", True),
        ("Translator: Fang Liqun", True),
        ("Chinese source: hunan.gov.cn", True),
        ("Photo by Zeng Qiang", True),
        ("This article is from the Example Provincial Government www.example.gov.cn.", True),
        ("来源：某某日报", True),
        ("刘通 摄", True),
        ("相关新闻", False),
        ("渡口也在今年春天重新开放了，往来的船只比去年多。", False),
        ("Share to WeChat", False),
    ],
)
def test_is_tail_line(line: str, tail: bool) -> None:
    assert is_tail_line(line) is tail


@pytest.mark.parametrize(
    ("html", "furniture"),
    [
        ("<div class='comment-list'><p id='x'>a</p></div>", True),
        ("<div id='tuijian'><p id='x'>a</p></div>", True),
        ("<nav><p id='x'>a</p></nav>", True),
        ("<footer><p id='x'>a</p></footer>", True),
        ("<article><footer class='post-footer'><p id='x'>a</p></footer></article>", False),
        ("<div class='article-content'><p id='x'>a</p></div>", False),
        ("<div class='photo'><p id='x'>a</p></div>", False),
    ],
)
def test_furniture(html: str, furniture: bool) -> None:
    root = parse_html(f"<html><body>{html}</body></html>")
    assert Furniture(FURNITURE_WORDS)(root.find(".//p")) is furniture
