"""Canonical URLs: what makes two URLs the same article page."""

from __future__ import annotations

import pytest

from pipelines.urls import canonical_url


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("http://eng.hengyang.gov.cn/a/t1.html", "http://eng.hengyang.gov.cn/a/t1.html"),
        ("http://eng.hengyang.gov.cn/a/t1.html#top", "http://eng.hengyang.gov.cn/a/t1.html"),
        ("HTTP://ENG.Hengyang.GOV.cn/a/T1.html", "http://eng.hengyang.gov.cn/a/T1.html"),
        ("http://en.yueyang.gov.cn:80/1/c.html", "http://en.yueyang.gov.cn/1/c.html"),
        ("https://english.rednet.cn:443/c.html", "https://english.rednet.cn/c.html"),
        ("http://127.0.0.1:8765/c.html", "http://127.0.0.1:8765/c.html"),
        ("https://e.cn/c.html?utm_source=wechat&utm_medium=app", "https://e.cn/c.html"),
        ("https://e.cn/c.html?id=42&spm=a.b.c", "https://e.cn/c.html?id=42"),
        ("https://e.cn/c.html?from=timeline&isappinstalled=0", "https://e.cn/c.html"),
        ("https://e.cn/c.html?page=2&fbclid=xyz", "https://e.cn/c.html?page=2"),
        ("https://e.cn", "https://e.cn/"),
        ("  https://e.cn/x.html  ", "https://e.cn/x.html"),
        ("https://e.cn/c.html?q=", "https://e.cn/c.html?q="),
        # a query that is a path of its own (PHP boards): kept as written, no "=" added
        (
            "http://e.cn/view.php?tid-30517-cid-412.html",
            "http://e.cn/view.php?tid-30517-cid-412.html",
        ),
        (
            "http://e.cn/list.php?cid-412-page-2.html&utm_source=x",
            "http://e.cn/list.php?cid-412-page-2.html",
        ),
        ("http://e.cn/view.php?tid=8&cid=3&from=groupmessage", "http://e.cn/view.php?tid=8&cid=3"),
        ("http://[::1]:8080/a.html", "http://[::1]:8080/a.html"),
        ("http://[::1]:80/a.html", "http://[::1]/a.html"),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_canonical_url_is_idempotent() -> None:
    url = "HTTP://E.cn:80/a.html?utm_x=1&b=2#f"
    assert canonical_url(canonical_url(url)) == canonical_url(url)


@pytest.mark.parametrize("url", ["http://host:99999/a.html", "http://host:port/", "http://[::1/a"])
def test_a_url_that_cannot_be_split_is_a_value_error(url: str) -> None:
    with pytest.raises(ValueError):
        canonical_url(url)
