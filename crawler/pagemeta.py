"""A page's metadata as evidence: the title, date, source and author its head declares.

Read from ``<title>``, ``<meta name|property|itemprop>`` and JSON-LD, in the order of the
tables below (first sensible value wins). China's 2017 guideline for government websites asks
for ``ArticleTitle``, ``PubDate``, ``ContentSource``, ``Author``, ``SiteName`` and
``ColumnName``; the common ``og:*``, ``article:*`` and schema.org names count too. Each value
is checked for sense: a date must parse and be plausible, an author that names an outlet,
an address or a number is nobody.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from pipelines import sources

logger = logging.getLogger(__name__)

TITLE_NAMES = ("articletitle", "og:title", "twitter:title", "headline", "title")
DATE_NAMES = (
    "pubdate",
    "article:published_time",
    "publishdate",
    "publish_date",
    "publishtime",
    "og:published_time",
    "datepublished",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "date",
)
SOURCE_NAMES = ("contentsource", "source", "article:source")
AUTHOR_NAMES = ("author", "article:author", "dc.creator", "byl")
SITE_NAMES = ("sitename", "og:site_name", "application-name")
COLUMN_NAMES = ("columnname", "article:section")

# An author value that names no person: an outlet, an address, a number, a placeholder.
NOT_A_PERSON: tuple[re.Pattern[str], ...] = (
    re.compile(r"^[\d\s.,:/-]*$"),
    re.compile(r"@|https?:|www\.|\.(?:com|cn|net|org)\b", re.I),
    re.compile(r"[网網]"),  # no personal name has it; outlets do (网易, 红网)
    re.compile(
        r"(?:報|报|社|台|刊|频道|頻道|中心|集团|公司|政府|办公室|客户端|在线|新闻|新聞|传媒|日报|"
        r"晚报|时报|周刊|杂志|研究院|委员会|部|局|厅)$"
    ),
    re.compile(
        r"\b(?:news|daily|times|post|online|press|media|agency|network|channel|government|"
        r"office|portal|magazine|radio|tv|xinhua|reuters|name)\b",
        re.I,
    ),
    re.compile(
        r"^(?:佚名|未知|匿名|admin|administrator|editor|anonymous|unknown|null|none)$", re.I
    ),
)


@dataclass
class PageMeta:
    """What the page's head says of the article; each value with the name it came from."""

    head_title: str | None = None
    titles: list[str] = field(default_factory=list)
    date: tuple[str, str] | None = None  # (name, value)
    source: tuple[str, str] | None = None
    author: tuple[str, str] | None = None
    site_name: str | None = None
    column: str | None = None


def _meta_pairs(root: etree._Element) -> Iterator[tuple[str, str]]:
    for element in root.iter("meta"):
        attrib = element.attrib
        name = attrib.get("name") or attrib.get("property") or attrib.get("itemprop")
        content = attrib.get("content")
        if name and content and content.strip():
            yield name.strip().lower(), " ".join(content.split())


def _json_ld(root: etree._Element) -> Iterator[tuple[str, str]]:
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError as exc:
            logger.debug("unreadable JSON-LD: %s", exc)
            continue
        yield from _ld_values(data)


def _ld_values(data: Any, depth: int = 0) -> Iterator[tuple[str, str]]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _ld_values(item, depth + 1)
        return
    if not isinstance(data, dict):
        return
    for key in ("datePublished", "headline"):
        if isinstance(data.get(key), str):
            yield key.lower(), " ".join(data[key].split())
    author = data.get("author")
    for person in author if isinstance(author, list) else [author]:
        name = person.get("name") if isinstance(person, dict) else person
        if isinstance(name, str) and name.strip():
            yield "author", name.strip()
    if isinstance(data.get("@graph"), list):
        yield from _ld_values(data["@graph"], depth + 1)


def is_person(name: str, outlets: tuple[str | None, ...] = ()) -> bool:
    """Whether an author value could name a person (not an outlet, number or address)."""
    name = name.strip()
    if not name or len(name) > 40 or name in outlets or sources.canonical(name)[1]:
        return False
    return not any(pattern.search(name) for pattern in NOT_A_PERSON)


def _first(values: dict[str, list[str]], names: tuple[str, ...]) -> tuple[str, str] | None:
    for name in names:
        for value in values.get(name, ()):
            return name, value
    return None


def read_meta(root: etree._Element) -> PageMeta:
    """The metadata of the document ``root``."""
    values: dict[str, list[str]] = {}
    for name, value in (*_meta_pairs(root), *_json_ld(root)):
        values.setdefault(name, []).append(value)
    meta = PageMeta()
    title = root.find(".//title")
    if title is not None and title.text and title.text.strip():
        meta.head_title = " ".join(title.text.split())
    meta.titles = [value for name in TITLE_NAMES for value in values.get(name, ())]
    site = _first(values, SITE_NAMES)
    meta.site_name = site[1] if site else None
    column = _first(values, COLUMN_NAMES)
    meta.column = column[1] if column else None
    meta.date = _first(values, DATE_NAMES)
    meta.source = _first(values, SOURCE_NAMES)
    people = [
        (name, value)
        for name in AUTHOR_NAMES
        for value in values.get(name, ())
        if is_person(value, (meta.site_name,))
    ]
    meta.author = people[0] if people else None
    return meta
