"""A copy of one sample site with every kind of page that once left no trace in a crawl.

`build(root)` writes the Yueyang sample site into ``root`` (a replay root) and adds, linked
from its first listing page: a page nested too deeply to parse, redirect loops, a
self-redirect, redirects off the site and to a `javascript:` location, a redirect chain
longer than the crawl allows, a page larger than ``DOWNLOAD_MAXSIZE``, a gzip bomb, and one
link with an impossible port. Each entry of `EXPECTED` says how its URL must end up.
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

from crawler.sites import SAMPLES_DIR

HOST = "en.yueyang.gov.cn"
SECTION = "21730"
BASE = f"http://{HOST}/{SECTION}"
TEMPLATE = "content_712408.html"
MAX_REDIRECTS = 3  # the crawl's REDIRECT_MAX_TIMES
BIG_PAGE = 12 * 1024 * 1024  # served plainly; over the default DOWNLOAD_MAXSIZE (8 MiB)
BOMB = 400 * 1024 * 1024  # what the gzip bomb expands to
BAD_LINK = f"http://{HOST}:99999/{SECTION}/content_9000099.html"


def url(number: int) -> str:
    return f"{BASE}/content_{number}.html"


def path(number: int) -> str:
    return f"/{SECTION}/content_{number}.html"


# number -> (what the page does, a fragment the reject's reason must hold)
EXPECTED: dict[int, tuple[str, str]] = {
    9000001: ("nested 3,000 elements deep", "nested too deeply"),
    9000002: ("redirects to itself", "redirect loop"),
    9000003: ("redirects to 9000004, which redirects back", "redirect loop"),
    9000004: ("redirects back to 9000003", "redirect loop"),
    9000005: ("redirects to a host of no site", "off the site"),
    9000006: ("redirects to another site", "off the site"),
    9000007: ("redirects to a javascript: location", "not an http"),
    9000008: ("redirects to an impossible port", "invalid"),
    9000010: ("first of a chain of 4 redirects", f"more than {MAX_REDIRECTS} redirects"),
    9000011: ("second of the chain", f"more than {MAX_REDIRECTS} redirects"),
    9000012: ("third of the chain", f"more than {MAX_REDIRECTS} redirects"),
    9000013: ("fourth of the chain", f"more than {MAX_REDIRECTS} redirects"),
    9000020: ("a page larger than DOWNLOAD_MAXSIZE", f"{BIG_PAGE} bytes"),
    9000021: ("a gzip bomb", "DOWNLOAD_MAXSIZE"),
}
# Linked from the listing: all but the middle of the chain (the two pages of the loop are).
# 9000030: a good article, next to the bad link.
LINKED = [number for number in EXPECTED if number not in (9000011, 9000012, 9000013)] + [9000030]
REDIRECTS = {
    9000002: url(9000002),
    9000003: url(9000004),
    9000004: url(9000003),
    9000005: "http://elsewhere.example.com/news/1.html",
    9000006: "http://english.rednet.cn/content/2022/07/20/11543795.html",
    9000007: "javascript:void(0)",
    9000008: f"http://{HOST}:99999/{SECTION}/content_1.html",
    9000010: url(9000011),
    9000011: url(9000012),
    9000012: url(9000013),
    9000013: url(9000014),
}


def build(root: Path) -> Path:
    """Write the site into ``root``; its folder."""
    site = root / HOST
    shutil.copytree(SAMPLES_DIR / HOST, site)
    section = site / SECTION
    template = (section / TEMPLATE).read_text(encoding="utf-8")
    content = '<div class="article-content" id="zoom">'
    body = template.index(content) + len(content)
    deep = "<div>" * 3000 + "Too deep to read." + "</div>" * 3000
    (section / "content_9000001.html").write_text(
        template[:body] + deep + template[body:], encoding="utf-8"
    )
    (section / "content_9000030.html").write_text(
        template.replace("Spring Tree Planting Drive", "Autumn Bridge Inspection"), encoding="utf-8"
    )
    filler = "<p>" + "A long line of filler text for a page far too large. " * 20 + "</p>\n"
    big = template[:body] + filler * (BIG_PAGE // len(filler) + 1) + template[body:]
    (section / "content_9000020.html").write_bytes(big.encode("utf-8")[:BIG_PAGE])
    with gzip.open(section / "content_9000021.html.gz", "wb", compresslevel=9) as bomb:
        zeros = b"\0" * (8 * 1024 * 1024)
        for _ in range(BOMB // len(zeros)):
            bomb.write(zeros)
    faults = {path(number): {"redirect": target} for number, target in REDIRECTS.items()}
    (site / "_replay.json").write_text(json.dumps({"faults": faults}), encoding="utf-8")
    listing = section / "index.html"
    html = listing.read_text(encoding="utf-8")
    links = (
        "".join(f'<li><a href="{url(number)}">Item {number}</a></li>\n' for number in LINKED)
        + f'<li><a href="{BAD_LINK}">A link no one can follow</a></li>\n'
    )
    first = html.index('<li><a href="./content_')
    listing.write_text(html[:first] + links + html[first:], encoding="utf-8")
    return site
