"""The page's metadata as one more witness for a normalized article.

The text wins: a date, source or title read from the page's own lines is kept. Metadata
fills a field the text lacks (a date when the page shows no date line, a source when it
names none), and the article says where the value came from: ``published_raw`` holds the
tag (``meta PubDate: 2019-09-18 06:23``) and ``evidence`` maps each filled field to its
tag. A meta author (a person, `crawler.pagemeta.is_person`) is the author only when the
page shows that name near its top and its text credits nobody. When the page's date line
and a meta date disagree, the date line wins and the disagreement goes into ``problems``;
so do the reader's own problems (a charset that lied).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import date, datetime, tzinfo
from typing import Any

from pipelines import dates, sources

logger = logging.getLogger(__name__)


def meta_date(value: str, tz: tzinfo) -> tuple[date, tuple[int, int, int] | None] | None:
    """The local date (and time, when stated) of a meta date value (ISO 8601 or as written)."""
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return dates.parse_line(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(tz)
    clock = (moment.hour, moment.minute, moment.second)
    return moment.date(), (clock if clock != (0, 0, 0) else None)


def _weigh_date(
    article: dict[str, Any], tag: Sequence[str], tz: tzinfo, today: date
) -> dict[str, str] | None:
    name, value = tag
    parsed = meta_date(value, tz)
    if parsed is None or dates.check(parsed[0], today, errors="null") is None:
        logger.debug("meta %s %r is no plausible date", name, value)
        return None
    day, clock = parsed
    written = article.get("published_date")
    if written is None:
        article["published_date"] = day.isoformat()
        article["published_at"] = (
            datetime(day.year, day.month, day.day, *clock, tzinfo=tz).isoformat() if clock else None
        )
        article["published_raw"] = f"meta {name}: {value}"
        article["published_from"] = "meta"
        article.setdefault("evidence", {})["published_date"] = f"meta {name}"
        return None
    if written != day.isoformat():
        where = "URL" if article.get("published_from") == "url" else "date line"
        return {
            "field": "published_date",
            "reason": f"the page's {where} and its metadata disagree",
            "value": f"{article.get('published_raw')} / meta {name}: {value}"[:200],
        }
    return None


HEADER_LINES = 8  # the title and the meta lines, where a byline sits


def _header(text: str) -> str:
    return "\n".join([line for line in text.split("\n") if line.strip()][:HEADER_LINES])


def weigh(
    article: dict[str, Any],
    page_meta: Mapping[str, Any] | None,
    read_problems: Sequence[Mapping[str, str]] = (),
    *,
    tz: tzinfo,
    today: date,
    text: str = "",
) -> dict[str, Any]:
    """``article`` (a normalized article) with the page's metadata weighed in. ``text`` is
    the page's text (title, meta lines, ...): a meta author that the page shows near its
    top, unlabelled, is the author when the text credits nobody."""
    problems = [dict(problem) for problem in read_problems]
    meta = page_meta or {}
    if meta.get("date"):
        disagreement = _weigh_date(article, meta["date"], tz, today)
        if disagreement:
            problems.append(disagreement)
    if meta.get("source") and not article.get("source_raw"):
        name, value = meta["source"]
        raw = " ".join(value.split()).strip(" |:：-—[]【】()")
        if raw and raw.casefold() not in sources.NULL_NAMES:
            article["source_raw"] = raw
            article["source"] = sources.canonical(raw)[0]
            article.setdefault("evidence", {})["source_raw"] = f"meta {name}"
    author = meta.get("author")
    if author and not article.get("credits") and author[1] in _header(text):
        article["credits"] = [{"role": "author", "name": author[1]}]
        article.setdefault("evidence", {})["credits"] = f"meta {author[0]}"
    if not article.get("title") and meta.get("titles"):
        article["title"] = meta["titles"][0]
        article.setdefault("evidence", {})["title"] = "meta title"
    if problems:
        article["problems"] = [*(article.get("problems") or []), *problems]
    return article


def weigh_listing(article: dict[str, Any], listed: Mapping[str, str] | None) -> dict[str, Any]:
    """``article`` with the date its listing showed beside its link (``listed``: the
    spider's ``{"date", "shown", "listing"}``) when it has no date of its own, from its
    lines, its URL or its metadata: ``published_from`` is then ``listing``, and
    ``published_raw`` names the listing page and what it showed."""
    if not listed or not listed.get("date") or article.get("published_date"):
        return article
    article["published_date"] = listed["date"]
    article["published_at"] = None
    article["published_raw"] = f"listing {listed.get('listing')}: {listed.get('shown')}"
    article["published_from"] = "listing"
    article.setdefault("evidence", {})["published_date"] = "listing"
    return article
