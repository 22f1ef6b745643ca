"""The page reader on pages of no registered site: headline, meta lines, body and tail found
from how news pages are built, whatever their class names."""

from __future__ import annotations

import pytest

from crawler.reader import GENERIC, read

NAV = "".join(f"<li><a href='/c{i}/'>栏目{i}</a></li>" for i in range(12))
COMMENTS = "".join(
    f"<div class='cmt-item'><p><a href='/u{i}'>网友{i}</a> 2024-05-0{i} 12:00</p>"
    f"<p>这条新闻写得很好，希望渡口以后每天都能准时开船，方便大家出行。</p>"
    f"<p><a href='#'>回复</a> <a href='#'>点赞</a></p></div>"
    for i in range(1, 8)
)
RELATED = "".join(
    f"<li><a href='/n{i}.html'>另一条本地新闻的标题第{i}条</a>"
    "<p>这是另一条新闻的摘要，讲的是别的事情。</p></li>"
    for i in range(6)
)
PARAGRAPHS = [
    "某某市东岸的老渡口近日重新开放，两岸居民往来只需十分钟。",
    "新渡船可载客八十人，每天往返六个班次，船上配有救生设备和遮阳棚。",
    "附近的菜农表示，以后把蔬菜运到对岸市场卖方便多了。",
]

PORTAL = f"""<html><head><title>老渡口重新开放_本地新闻_某某网</title>
<meta name="ArticleTitle" content="老渡口重新开放"><meta name="PubDate" content="2024-05-06 10:20">
</head><body><div class="top"><ul>{NAV}</ul></div>
<div class="where">首页 &gt; 本地新闻 &gt; 正文</div>
<div class="wrap"><div class="l">
<h1>老渡口重新开放</h1>
<div class="xx"><span>2024-05-06 10:20</span><span>来源：某某日报</span>
<a href="#">举报</a></div>
<div class="fx"><a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>
<div class="txt">{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}
<p>（记者 王明 通讯员 李华）</p></div>
<div class="ed">责任编辑：赵云</div>
<div class="fx"><a href="#">微信</a> <a href="#">微博</a></div>
<div class="tuijian"><h3>相关新闻</h3><ul>{RELATED}</ul></div>
<div class="pinglun"><h3>网友评论</h3>{COMMENTS}</div>
</div><div class="r"><h2>热门排行</h2><ul>{RELATED}</ul></div></div>
<div class="bottom">版权所有 某某网 备案号：某ICP备0000号</div></body></html>"""

TABLES = """<html><head><title>Ferry Runs Again - Example City</title></head><body>
<table><tr><td><a href="/">Home</a></td><td><a href="/news/">News</a></td></tr></table>
<table width="760"><tr><td class="bt">Ferry Runs Again</td></tr>
<tr><td>Source: Example Daily&nbsp;&nbsp;Date: 2024-05-06 10:20</td></tr>
<tr><td>
A ferry across the lake runs again after three years, linking two lakeside towns.<br>
The new boat carries eighty passengers and makes six crossings every day, farmers said.<br>
Vegetable growers say it will be easier to sell at the market on the other shore.
</td></tr>
<tr><td>Editor: Zhao Yun</td></tr></table>
<p>Copyright Example City. All rights reserved.</p></body></html>"""


def test_a_portal_page_reads_as_title_meta_body_tail() -> None:
    reading = read(PORTAL)
    assert reading.extraction == GENERIC
    assert reading.title == "老渡口重新开放"
    assert reading.meta == ["2024-05-06 10:20 来源：某某日报"]
    assert reading.paragraphs == [*PARAGRAPHS, "（记者 王明 通讯员 李华）"]
    assert reading.tail == ["责任编辑：赵云"]


def test_a_table_layout_reads_the_same_way() -> None:
    reading = read(TABLES)
    assert reading.title == "Ferry Runs Again"
    assert reading.meta == ["Source: Example Daily Date: 2024-05-06 10:20"]
    assert reading.paragraphs[0].startswith("A ferry across the lake")
    assert len(reading.paragraphs) == 3
    assert reading.tail == ["Editor: Zhao Yun"]


@pytest.mark.parametrize(
    ("html", "title"),
    [
        (
            "<html><head><title>The Real Headline_News_Site</title></head><body><h1>Site Name</h1>"
            "<div class='art-title'>The Real Headline</div><p>"
            + "A sentence of the story, with words. " * 8
            + "</p></body></html>",
            "The Real Headline",
        ),
        (
            "<html><body><div class='logo'>Site</div><h2>No Title Tag Here</h2><p>"
            + "A sentence of the story, with words. " * 8
            + "</p></body></html>",
            "No Title Tag Here",
        ),
    ],
)
def test_the_headline_is_the_line_most_like_the_page_titles(html: str, title: str) -> None:
    assert read(html).title == title


def test_an_empty_page_has_no_body() -> None:
    assert read("").paragraphs == []
    assert read("<html><body><ul><li><a href='/'>Home</a></li></ul></body></html>").paragraphs == []


STORY = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)


def test_a_date_line_above_the_headline_is_a_meta_line() -> None:
    html = (
        "<html><head><title>老渡口重新开放_某某网</title></head><body>"
        "<div class='hd'><p class='time'>2024-05-06 10:20 来源：某某日报</p>"
        "<h1>老渡口重新开放</h1></div>"
        f"<div class='bd'>{STORY}</div></body></html>"
    )
    reading = read(html)
    assert reading.title == "老渡口重新开放"
    assert reading.meta == ["2024-05-06 10:20 来源：某某日报"]


def test_a_logo_heading_named_like_the_site_is_not_the_headline() -> None:
    html = (
        "<html><head><title>某某市人民政府</title><meta name='SiteName' content='某某市人民政府'>"
        "</head><body><h1>某某市人民政府</h1><ul>" + NAV + "</ul>"
        f"<h2>老渡口重新开放</h2><p>2024-05-06</p><div>{STORY}</div></body></html>"
    )
    assert read(html).title == "老渡口重新开放"


def test_a_prose_sidebar_before_the_headline_is_not_the_body() -> None:
    sidebar = (
        "<div class='intro'>"
        + "<p>本网是某某市的综合新闻网站，每天发布本地新闻、政务信息和便民服务。</p>" * 2
        + "</div>"
    )
    html = (
        "<html><head><title>老渡口重新开放_某某网</title></head><body>"
        f"{sidebar}<h1>老渡口重新开放</h1><p>2024-05-06</p><div>{STORY}</div></body></html>"
    )
    reading = read(html)
    assert reading.title == "老渡口重新开放"
    assert reading.paragraphs == PARAGRAPHS


def test_a_page_that_shows_no_headline_takes_the_one_its_head_declares() -> None:
    head = "<head><title>老渡口重新开放_本地新闻_某某网</title></head>"
    html = f"<html>{head}<body>{STORY}</body></html>"
    assert read(html).title == "老渡口重新开放"
