"""The page as captured, made safe (`archive/sanitize.py`): nothing on it runs, nothing on it
loads from anywhere, its text stays."""

from __future__ import annotations

import re

import pytest

from archive.sanitize import CSP, safe_css, safe_page

PAGE = """<!DOCTYPE html><html><head>
<meta http-equiv="refresh" content="0; url=http://tracker.example/">
<base href="http://cdn.example/">
<link rel="stylesheet" href="http://cdn.example/site.css">
<script src="http://cdn.example/app.js"></script>
<script>document.write('<img src=http://tracker.example/p.gif>')</script>
<style>@import url("http://cdn.example/more.css");
body { background: url(http://cdn.example/bg.png) }</style>
</head><body onload="alert(1)" background="http://cdn.example/body.png">
<h1 style="background-image: url('//cdn.example/h.png'); color: #a00">Tea pickers return</h1>
<p onclick="steal()">Pickers came back to the hills. <a href="http://news.example/more">More</a>
<a href="javascript:alert(2)">Click</a></p>
<img src="http://cdn.example/photo.jpg" srcset="http://cdn.example/photo@2x.jpg 2x" alt="Pickers">
<img src="data:image/png;base64,iVBORw0KGgo=" alt="inline">
<iframe src="http://video.example/embed"></iframe>
<object data="http://cdn.example/flash.swf"></object><embed src="http://cdn.example/x.swf">
<video poster="http://cdn.example/p.jpg"><source src="http://cdn.example/v.mp4"></video>
<svg><image href="http://cdn.example/i.svg"/></svg>
<form action="http://evil.example/"><input name="q"><button>Go</button></form>
<table background="http://cdn.example/t.png"><tr><td>Cell</td></tr></table>
<noscript><img src="http://tracker.example/n.gif"></noscript>
</body></html>"""


@pytest.fixture(scope="module")
def safe() -> str:
    return safe_page(PAGE)


def test_nothing_can_run(safe: str) -> None:
    lowered = safe.lower()
    for active in ("<script", "onload", "onclick", "javascript:", "<iframe", "<object", "<embed"):
        assert active not in lowered, active
    assert "<form" not in lowered and "<input" not in lowered


def test_nothing_can_load(safe: str) -> None:
    attributes = re.findall(r'\b(src|srcset|href|background|poster|action|data)\s*="([^"]*)"', safe)
    assert attributes == [("src", "data:image/png;base64,iVBORw0KGgo=")]
    assert "url(" not in safe.replace("url(data:", "")
    assert "@import" not in safe
    assert "<link" not in safe and "<meta" not in safe and "<base" not in safe
    assert "example" not in safe.replace('title="http://news.example/more"', "")


def test_the_text_and_inline_images_stay(safe: str) -> None:
    assert "Tea pickers return" in safe and "Pickers came back to the hills." in safe
    assert "Cell" in safe and 'alt="Pickers"' in safe
    assert 'src="data:image/png;base64,iVBORw0KGgo="' in safe
    assert "color: #a00" in safe
    assert '<a title="http://news.example/more">More</a>' in safe


def test_safe_css() -> None:
    assert safe_css("a{background:url(x.png)} b{background:url('data:image/png;base64,A')}") == (
        "a{background:none} b{background:url('data:image/png;base64,A')}"
    )
    assert safe_css('@import "x.css"; p{}') == " p{}"


@pytest.mark.parametrize("page", ["", "   ", "\x00"])
def test_an_empty_or_broken_page_is_a_page(page: str) -> None:
    assert "<html>" in safe_page(page)


def test_the_policy_forbids_every_load() -> None:
    assert "default-src 'none'" in CSP and "img-src data:" in CSP and "sandbox" in CSP
    assert "script-src" not in CSP  # scripts fall under default-src: none
