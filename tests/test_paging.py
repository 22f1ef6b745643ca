"""crawler.paging: each paging form a listing page can give, the order they are asked in, a
site's own rule, and the TRS guess when a page shows none. The listings are written here."""

from __future__ import annotations

import pytest
from parsel import Selector

from crawler.paging import Page, Paging, find_next, probe_url, site_next

BASE = "http://news.example.cn/zxdt/"


def page(body: str, url: str = BASE + "index.html") -> Page:
    return Page.of(url, Selector(text=f"<html><body>{body}</body></html>"))


def script(code: str) -> str:
    return f"<div class='pager'><script type='text/javascript'>{code}</script></div>"


# The variables form, as some TRS templates write it: the page names are built in script.
VARIABLES = """
var pageCount = 12; // items per page, not the paging
var countPage = {count}
var currentPage = {current};
if (currentPage + 1 < countPage)
  document.write("<a href='index_" + (currentPage + 1) + ".html'>Next</a>");
"""


@pytest.mark.parametrize(
    ("body", "name", "expected"),
    [
        # createPageHTML(total, current, name, extension), also with an element id first
        (
            script('createPageHTML(4, 0, "index", "html");'),
            "index.html",
            ("create-page-html", "index_1"),
        ),
        (
            script("createPageHTML(4,2,'index','shtml');"),
            "index_2.shtml",
            ("create-page-html", "index_3.shtml"),
        ),
        (
            script("createPageHTML('pages', 5, 1, 'index', 'htm', 20);"),
            "index_1.htm",
            ("create-page-html", "index_2.htm"),
        ),
        (
            script('createPageHTML(3, 2, "index", "html");'),
            "index_2.html",
            ("create-page-html", None),
        ),
        (script("createPageHTML(1, 0);"), "index.html", ("create-page-html", None)),
        # countPage / currentPage (from 0), with or without semicolons
        (script(VARIABLES.format(count=3, current=0)), "index.html", ("page-variables", "index_1")),
        (
            script(VARIABLES.format(count=3, current=1)),
            "index_1.html",
            ("page-variables", "index_2"),
        ),
        (script(VARIABLES.format(count=3, current=2)), "index_2.html", ("page-variables", None)),
        (script(VARIABLES.format(count=5, current=0)), "", ("page-variables", "index_1")),
        # rel=next, on an anchor or a <link>
        ('<a href="list_2.html" rel="next">more</a>', "index.html", ("rel-next", "list_2")),
        (
            '<link rel="next" href="/zxdt/list_9.html"><a href="x.html">x</a>',
            "index.html",
            ("rel-next", "list_9"),
        ),
        (
            '<a rel="prev next" href="?page=3">»</a>',
            "index.html",
            ("rel-next", "index.html?page=3"),
        ),
        # a next link by its words
        (
            '<div class="pg"><a href="index_1.html">下一页</a></div>',
            "index.html",
            ("next-text", "index_1"),
        ),
        ('<a href="index_1.html"> 下页 </a>', "index.html", ("next-text", "index_1")),
        ('<a href="p2.html">Next</a>', "index.html", ("next-text", "p2")),
        ('<a href="p2.html">next page »</a>', "index.html", ("next-text", "p2")),
        ('<a href="p2.html">&gt;</a>', "index.html", ("next-text", "p2")),
        ('<a href="p2.html"><span>»</span></a>', "index.html", ("next-text", "p2")),
        (
            '<a href="p2.html" title="下一页"><img src="arrow.gif"></a>',
            "index.html",
            ("next-text", "p2"),
        ),
        (
            '<span class="off"><a href="javascript:void(0)">下一页</a></span>',
            "index.html",
            ("next-text", None),
        ),
        ("<a>Next</a>", "index.html", ("next-text", None)),
        # numbered page links: the one after the current page
        (
            '<div class="page"><span class="current">1</span> <a href="index_2.html">2</a>'
            ' <a href="index_3.html">3</a></div>',
            "index.html",
            ("numbered", "index_2"),
        ),
        (
            '<ul class="pages"><li><a href="index.html">1</a></li><li class="on"><span>2</span>'
            '</li><li><a href="index_3.html">3</a></li></ul>',
            "index_2.html",
            ("numbered", "index_3"),
        ),
        (
            '<p><a href="index.html">1</a> <font color="red">2</font> <a href="index_3.html">3</a>'
            ' <a href="index_4.html">4</a></p>',
            "index_2.html",
            ("numbered", "index_3"),
        ),
        (  # the anchor to this very page marks it
            '<p><a href="index.html">1</a> <a href="index_2.html">2</a>'
            ' <a href="index_3.html">3</a></p>',
            "index_2.html",
            ("numbered", "index_3"),
        ),
        (  # no mark: the gap among the numbers
            '<p><a href="l1.html">[1]</a> <a href="l2.html">[2]</a> 3'
            ' <a href="l4.html">[4]</a></p>',
            "l3.html",
            ("numbered", "l4"),
        ),
        (  # the last page
            '<p><a href="index.html">1</a> <a href="index_2.html">2</a> <b>3</b></p>',
            "index_3.html",
            ("numbered", None),
        ),
    ],
)
def test_each_form_gives_the_next_page(
    body: str, name: str, expected: tuple[str, str | None]
) -> None:
    """``name``: the listing page's name in its folder; ``expected``: the form and the start
    of the next page's name (None: this page is the last)."""
    form, following = expected
    found = find_next(page(body, BASE + name))
    assert found is not None
    assert found.form == form
    if following is None:
        assert found.next_url is None
    else:
        assert found.next_url is not None and found.next_url.startswith(BASE + following)


@pytest.mark.parametrize(
    "body",
    [
        "<p>No paging at all, only a <a href='content_1.html'>story</a>.</p>",
        "<a href='content_7.html'>7 ways to visit the lake</a>",
        "<p>Page <a href='/about/'>2</a></p>",  # one lone number is no paging
        script("var pageSize = 20;"),
    ],
)
def test_a_page_without_paging_is_recognized_by_none(body: str) -> None:
    assert find_next(page(body)) is None


def test_the_script_form_comes_before_the_links() -> None:
    body = script('createPageHTML(3, 0, "index", "html");') + '<a href="other.html">下一页</a>'
    assert find_next(page(body)) == Paging("create-page-html", BASE + "index_1.html")


def test_rel_next_comes_before_the_words() -> None:
    body = '<a href="by_words.html">Next</a><a rel="next" href="by_rel.html">2</a>'
    assert find_next(page(body)) == Paging("rel-next", BASE + "by_rel.html")


def test_a_site_rule_replaces_the_table() -> None:
    body = (
        '<a rel="next" href="by_rel.html">x</a><div class="more"><a href="by_site.html">y</a></div>'
    )
    assert site_next(page(body), "div.more a", trs_paging=False) == Paging(
        "site", BASE + "by_site.html"
    )
    assert site_next(page(body), "div.none a", trs_paging=False) == Paging("site", None)
    trs = script('createPageHTML(2, 0, "index", "html");')
    assert site_next(page(trs), None, trs_paging=True).next_url == BASE + "index_1.html"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (BASE, BASE + "index_1.html"),
        (BASE + "index.html", BASE + "index_1.html"),
        (BASE + "index_1.html", BASE + "index_2.html"),
        (BASE + "index_9.shtml", BASE + "index_10.shtml"),
        ("http://news.example.cn/", None),  # the site's root is no section
        (BASE + "list.php?page=2", None),  # not named as TRS names pages
        ("http://news.example.cn/class/12.html", None),
    ],
)
def test_the_trs_guess(url: str, expected: str | None) -> None:
    assert probe_url(url) == expected
