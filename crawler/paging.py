"""The next page of a listing, in whichever form the page gives it.

`find_next(page)` asks an ordered table of detectors (`DETECTORS`); the first that
recognizes its form on the page decides, and says the next page's URL or that this page is
the last (``Paging(form, None)``). The forms, in the order they are asked:

1. ``create-page-html``: TRS's script call ``createPageHTML(total, current, "index", "html")``
   (pages ``index.html``, ``index_1.html``, ...; an element id may come first);
2. ``page-variables``: the script variables ``countPage`` and ``currentPage`` (from 0) that
   other TRS templates write their paging with (``document.write``), same page names;
3. ``rel-next``: a link or anchor ``rel="next"``;
4. ``next-text``: an anchor reading ``下一页``, ``下页``, ``Next``, ``>``, ``»`` ...; one
   without a usable target (``javascript:``, none) marks the last page;
5. ``numbered``: anchors numbered 1, 2, 3 ...: the one after the current page, which is
   marked (``<span class="current">2</span>``, a ``<font>``, the anchor to this very page)
   or is the gap among the numbers.

When none recognizes the page, `probe_url` guesses the next page by TRS naming
(``index.html`` -> ``index_1.html``, ``index_1.html`` -> ``index_2.html``); the spider
requests it as a probe, and a 404 (or a redirect) there is the end of the section, not a
reject. A site's own rule (`crawler.sites.Listing`'s ``next_page`` or ``trs_paging``)
replaces the table for its listing: `site_next`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html
from parsel import Selector

logger = logging.getLogger(__name__)


class Page(NamedTuple):
    """A fetched listing page: its URL, its parsed HTML, the text of its scripts."""

    url: str
    selector: Selector
    scripts: str

    @classmethod
    def of(cls, url: str, selector: Selector) -> Page:
        return cls(url, selector, "\n".join(selector.xpath("//script/text()").getall()))


class Paging(NamedTuple):
    """What a detector found: its form, and the next page (None: this page is the last)."""

    form: str
    next_url: str | None


Detector = Callable[[Page], Paging | None]  # None: the form is not on this page

CREATE_PAGE_HTML = re.compile(
    r"createPageHTML\(\s*(?:['\"][^'\"]*['\"]\s*,\s*)?(\d+)\s*,\s*(\d+)"
    r"(?:\s*,\s*['\"]([\w-]+)['\"]\s*,\s*['\"](\w+)['\"])?"
)
COUNT_PAGE = re.compile(r"\bcountPage\s*=\s*(\d+)")
CURRENT_PAGE = re.compile(r"\bcurrentPage\s*=\s*(\d+)")
# What an anchor to the next page reads (its text or its title), whole.
NEXT_TEXT = re.compile(
    r"^(?:下一页|下一頁|下页|后一页|後一頁|next(?:\s+page)?)\s*[>›»]*$|^[>›»]$", re.IGNORECASE
)
PAGE_NUMBER = re.compile(r"^[\[(]?\s*(\d{1,4})\s*[\])]?$")
# The last segment of a TRS-named page: index.html, index_3.shtml.
NUMBERED_NAME = re.compile(r"^(?P<stem>index|default)(?:_(?P<n>\d+))?\.(?P<ext>s?html?)$", re.I)
UNUSABLE_HREF = re.compile(r"^\s*(?:$|#|javascript:)", re.IGNORECASE)


def numbered_name(url: str, number: int, stem: str | None = None, ext: str | None = None) -> str:
    """The URL of page ``number`` (from 0) of the TRS section ``url`` is a page of:
    ``index.html`` for 0, ``index_{number}.html`` after it."""
    last = urlsplit(url).path.rpartition("/")[2]
    match = NUMBERED_NAME.match(last)
    stem = stem or (match["stem"] if match else "index")
    ext = ext or (match["ext"] if match else "html")
    return urljoin(url, f"{stem}.{ext}" if number == 0 else f"{stem}_{number}.{ext}")


def _counted(
    form: str, page: Page, total: int, current: int, stem: str | None = None, ext: str | None = None
) -> Paging:
    following = current + 1
    if following >= total:
        return Paging(form, None)
    return Paging(form, numbered_name(page.url, following, stem, ext))


def create_page_html(page: Page) -> Paging | None:
    match = CREATE_PAGE_HTML.search(page.scripts)
    if not match:
        return None
    return _counted("create-page-html", page, int(match[1]), int(match[2]), match[3], match[4])


def page_variables(page: Page) -> Paging | None:
    count, current = COUNT_PAGE.search(page.scripts), CURRENT_PAGE.search(page.scripts)
    if not count or not current:
        return None
    return _counted("page-variables", page, int(count[1]), int(current[1]))


def _target(page: Page, href: str | None) -> str | None:
    """The absolute URL of ``href``, or None when it leads nowhere (or back to the page)."""
    if href is None or UNUSABLE_HREF.match(href):
        return None
    target = urljoin(page.url, href.strip())
    return None if target.partition("#")[0] == page.url.partition("#")[0] else target


def rel_next(page: Page) -> Paging | None:
    hrefs = page.selector.xpath(
        "//*[self::a or self::link][contains(concat(' ', normalize-space(@rel), ' '), ' next ')]"
        "/@href"
    ).getall()
    if not hrefs:
        return None
    return Paging("rel-next", _target(page, hrefs[0]))


def _words(element: lxml_html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def next_text(page: Page) -> Paging | None:
    for anchor in page.selector.root.iter("a"):
        if NEXT_TEXT.match(_words(anchor)) or NEXT_TEXT.match(anchor.get("title") or "x"):
            return Paging("next-text", _target(page, anchor.get("href")))
    return None


def _number(text: str) -> int | None:
    match = PAGE_NUMBER.match(" ".join(text.split()))
    return int(match[1]) if match else None


def _marker(container: lxml_html.HtmlElement, near: range) -> int | None:
    """The current page's number as a container of page links shows it: a number in
    ``near`` that is not a link (``<span class="current">2</span>``, ``<font>2</font>``)."""
    for element in container.iter():
        if not isinstance(element.tag, str) or len(element):
            continue
        if any(e.tag == "a" and e.get("href") for e in (element, *element.iterancestors())):
            continue
        number = _number(element.text or "")
        if number in near:
            return number
    return None


def _container(anchor: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """What holds a page link and its neighbours: its parent, or the list of its ``<li>``."""
    parent = anchor.getparent()
    if parent is not None and parent.tag == "li":
        return parent.getparent()
    return parent


def numbered(page: Page) -> Paging | None:
    links: dict[int, str] = {}
    current: int | None = None
    containers: list[lxml_html.HtmlElement] = []
    for anchor in page.selector.root.iter("a"):
        number = _number(_words(anchor))
        href = anchor.get("href")
        if number is None or href is None or UNUSABLE_HREF.match(href):
            continue
        target = _target(page, href)
        if target is None:  # the anchor to this very page: the current one
            current = number
            continue
        links.setdefault(number, target)
        container = _container(anchor)
        if container is not None and container not in containers:
            containers.append(container)
    if not links or (len(links) < 2 and current is None):
        return None
    numbers = sorted(links)
    near = range(max(numbers[0] - 1, 1), numbers[-1] + 2)
    for container in containers:
        current = current if current is not None else _marker(container, near)
    if current is None:  # the gap among the numbers, or the page before them
        gaps = [n for n in range(numbers[0], numbers[-1]) if n not in links]
        current = gaps[0] if gaps else (numbers[0] - 1 if numbers[0] > 1 else numbers[-1] + 1)
    return Paging("numbered", links.get(current + 1))


DETECTORS: tuple[tuple[str, Detector], ...] = (
    ("create-page-html", create_page_html),
    ("page-variables", page_variables),
    ("rel-next", rel_next),
    ("next-text", next_text),
    ("numbered", numbered),
)


def find_next(page: Page, detectors: tuple[tuple[str, Detector], ...] = DETECTORS) -> Paging | None:
    """What the first detector that recognizes its form on ``page`` says (None: no form)."""
    for _, detector in detectors:
        found = detector(page)
        if found is not None:
            logger.debug("%s: paging %s, next %s", page.url, found.form, found.next_url)
            return found
    return None


def site_next(page: Page, next_page: str | None, trs_paging: bool) -> Paging:
    """The next page by a site's own rule: the TRS call, then its ``next_page`` selector."""
    found = create_page_html(page) if trs_paging else None
    if found is not None and found.next_url:
        return found
    if next_page:
        href = page.selector.css(next_page).xpath("@href").get()
        return Paging("site", _target(page, href))
    return found or Paging("site", None)


def probe_url(url: str) -> str | None:
    """The page after ``url`` by TRS naming, when ``url`` is named so (or is a section's
    folder): ``/news/`` and ``/news/index.html`` -> ``/news/index_1.html``."""
    path = urlsplit(url).path or "/"
    last = path.rpartition("/")[2]
    if path == "/":
        return None  # the site's root is no paged section
    if not last:
        return urljoin(url, "index_1.html")
    match = NUMBERED_NAME.match(last)
    if not match:
        return None
    return numbered_name(url, int(match["n"] or 0) + 1)
