"""What a listing page offers: its links, each with its kind, and the date shown beside it.

`read(url, selector, css, site, today=...)` takes the anchors ``css`` selects, in page order,
makes each a canonical URL and asks `crawler.urlkinds` what it is (``article``, ``listing``,
``other``). For an article link it looks for the date the listing shows beside it: in the
link's item, the nearest ``<li>``, ``<tr>``, ``<dd>``, ``<p>`` or block around it that holds
no other article link (and is short, as an item is), outside the link's own words:

- a full date, as the date lines of pages write it (`pipelines.dates`): ``2024-05-06``,
  ``2024/5/6``, ``2024年5月6日``, ``May 6, 2024``; or a ``<time datetime>``;
- a date without its year (`YEARLESS`): ``[05-06]``, ``(5/6)``, ``05-06``, ``5月6日``. The year
  comes from the context: the month folder of the link's URL (``/202405/``), else the dates
  read before it (on this page and the pages before it in the section, newest first): the
  year that puts it at most a month after the last of them and not after today.

A date that is not plausible (before 1990, after tomorrow) is left out.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import islice
from urllib.parse import urljoin

from lxml import html as lxml_html
from parsel import Selector

from crawler import urlkinds
from crawler.sites import Site
from pipelines import dates
from pipelines.urls import canonical_url

logger = logging.getLogger(__name__)

ITEM_TAGS = frozenset({"li", "tr", "dd", "dt", "p", "div", "article", "section", "td", "span"})
ITEM_LEVELS = 4  # ancestors of a link looked at for its item
ITEM_CHARS = 400  # an item is short: a block with more text is a part of the page
# A date without its year, as listings print it beside a link (month, day).
YEARLESS: tuple[re.Pattern[str], ...] = (
    # Spaces taken whole (possessive): spaces on both sides of an optional 日 are one run.
    re.compile(r"[\[(（【]\s*+(?P<m>\d{1,2})\s*+[-/.月]\s*+(?P<d>\d{1,2})\s*+日?\s*+[\])）】]"),
    re.compile(r"(?<![\d/.:-])(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
    re.compile(r"(?<![\d/.:-])(?P<m>\d{1,2})[-/](?P<d>\d{1,2})(?![\d/:-])"),
)
MONTH_FOLDER = re.compile(r"/(?P<Y>(?:19|20)\d\d)(?:0[1-9]|1[0-2])(?:[0-3]\d)?/")
LATER_BY = timedelta(days=31)
RAW_CHARS = 200  # how far after the last date read a year-less one may fall


@dataclass(frozen=True)
class Link:
    """A link of a listing page: its canonical URL, its kind and the rule that said so, and
    for an article the date shown beside it (``YYYY-MM-DD``) with the text it was read from."""

    url: str
    kind: str
    rule: str
    date: str | None = None
    shown: str | None = None


@dataclass
class ListingPage:
    links: list[Link] = field(default_factory=list)
    invalid: list[tuple[str, str]] = field(default_factory=list)  # (href, why)
    last_date: date | None = None  # the last date read: the context of the section's next page

    def of_kind(self, kind: str) -> list[Link]:
        return [link for link in self.links if link.kind == kind]


def _outside_link(anchor: lxml_html.HtmlElement, item: lxml_html.HtmlElement) -> str:
    """The words of ``item`` but the link's own text (its title), scripts and styles."""
    texts = item.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]")
    kept = [t for t in texts if not (t.getparent() is anchor and not t.is_tail)]
    return " ".join(" ".join(kept).split())


def _item_text(anchor: lxml_html.HtmlElement, articles: set[str]) -> list[str]:
    """The texts (and ``<time datetime>`` values) of the link's items, innermost first."""
    found: list[str] = []
    for item in islice(anchor.iterancestors(), ITEM_LEVELS):
        if len({h for h in item.xpath(".//a/@href") if h in articles}) > 1:
            break
        if item.tag not in ITEM_TAGS:
            continue
        text = _outside_link(anchor, item)
        if len(text) > ITEM_CHARS:
            break
        found.extend(item.xpath(".//time/@datetime"))
        found.append(text)
    return found


def _yearless(month: int, day: int, url: str, context: date | None, today: date) -> date | None:
    """Month ``month``, day ``day`` of the year the context gives (see the module's doc)."""
    folder = MONTH_FOLDER.search(url)
    last = context or today
    years = [int(folder["Y"])] if folder else [last.year + 1, last.year, last.year - 1]
    for year in years:
        try:
            found = date(year, month, day)
        except ValueError:  # 02-29 of a year without it, 02-30
            continue
        if folder or (found <= today + timedelta(days=1) and found <= last + LATER_BY):
            return found
    return None


def _date_of(
    texts: list[str], url: str, context: date | None, today: date
) -> tuple[date, str] | None:
    """The date the item's texts show, and the text it was read from (cut at RAW_CHARS)."""
    for text in texts:
        parsed = dates.parse_line(text, fallback=False)
        if parsed is not None:
            return parsed[0], text[:RAW_CHARS]
        for pattern in YEARLESS:
            match = pattern.search(text)
            if match is None:
                continue
            day = _yearless(int(match["m"]), int(match["d"]), url, context, today)
            if day is not None:
                return day, text[:RAW_CHARS]
    return None


def read(
    url: str,
    selector: Selector,
    css: str,
    site: Site,
    *,
    today: date,
    context: date | None = None,
) -> ListingPage:
    """The links ``css`` selects on the listing page ``url``, in page order, each once."""
    page = ListingPage(last_date=context)
    anchors: list[tuple[lxml_html.HtmlElement, str]] = []
    for found in selector.css(css):
        anchor = found.root
        href = anchor.get("href") if isinstance(anchor, lxml_html.HtmlElement) else None
        if href is None:
            continue
        try:
            anchors.append((anchor, canonical_url(urljoin(url, href.strip()))))
        except ValueError as exc:
            page.invalid.append((href, str(exc)))
    kinds = {link: urlkinds.classify(link, site) for _, link in anchors}
    articles = {a.get("href") for a, link in anchors if kinds[link].kind == urlkinds.ARTICLE}
    seen: set[str] = set()
    for anchor, link in anchors:
        if link in seen:
            continue
        seen.add(link)
        kind = kinds[link]
        if kind.kind != urlkinds.ARTICLE:
            page.links.append(Link(link, kind.kind, kind.rule))
            continue
        shown = _date_of(_item_text(anchor, articles), link, page.last_date, today)
        if shown is None or dates.check(shown[0], today, errors="null") is None:
            page.links.append(Link(link, kind.kind, kind.rule))
            continue
        page.last_date = shown[0]
        page.links.append(Link(link, kind.kind, kind.rule, shown[0].isoformat(), shown[1]))
    return page
