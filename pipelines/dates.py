"""Publication dates: the page's own date line first, then a full date in the URL.

Compiled patterns do the work; ``dateparser`` is only a fallback for a labelled date
none of them reads. Every candidate passes a plausibility check (1990 .. today + 1 day).
All times are the sites' own zone, Asia/Shanghai (+08:00).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Literal

from pipelines.limits import DATEPARSER_LINES
from pipelines.text import header_end, is_prose

logger = logging.getLogger(__name__)

EARLIEST = date(1990, 1, 1)
Errors = Literal["raise", "null", "record"]

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        1,
    )
    for name in names
}
_MONTH = r"(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_TIME = r"(?P<H>\d{1,2})\s*[:时時]\s*(?P<M>\d{2})(?:\s*[:分]\s*(?P<S>\d{2}))?"

# One date (and maybe a time) inside a line, most specific first. Named groups:
# Y (or y for two digits), m or mon, d, and H, M, S for a time.
DATE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(
        r"(?<!\d)(?P<Y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?!\d)"
        r"\s*日?(?:\s*" + _TIME + r")?"
    ),
    re.compile(
        r"(?:pub date|date)\s*:\s*(?P<y>\d{2})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)(?:\s+"
        + _TIME
        + ")?",
        re.I,
    ),
    re.compile(  # June 25, 2022 07:13
        r"\b" + _MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<Y>(?:19|20)\d{2})\s+" + _TIME,
        re.I,
    ),
    re.compile(
        r"(?:" + _TIME + r",?\s+)?\b" + _MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+"
        r"(?P<Y>(?:19|20)\d{2})\b",
        re.I,
    ),
    re.compile(
        r"(?:" + _TIME + r",?\s+)?\b(?P<d>\d{1,2})[ -]" + _MONTH + r"[ -](?P<Y>(?:19|20)\d{2})\b",
        re.I,
    ),
    re.compile(r"\|\s*(?P<m>\d{1,2}) (?P<d>\d{1,2}), (?P<Y>(?:19|20)\d{2})\b"),
    re.compile(  # 10-31-2006 10:00, month first as English pages write it
        r"(?<![\d-])(?P<m>\d{1,2})-(?P<d>\d{1,2})-(?P<Y>(?:19|20)\d{2})(?![\d-])(?:\s+"
        + _TIME
        + ")?"
    ),
)

# A date line announces itself with one of these labels (a prose line needs one).
DATE_LABEL = re.compile(
    r"^\s*(?:date\b|.{0,40}?(?:date add in|updated(?: on)?|published|pub date|release date|"
    r"posted|date|time|发布时间|發布時間|发布日期|發布日期|发表时间|更新时间|时间|時間|日期)\s*:?)",
    re.I,
)
_LABEL_VALUE = re.compile(
    r"(?:date add in|updated|published|pub date|date|time|发布时间|發布時間|发布日期|时间|日期)"
    r"\s*:\s*(?P<value>[^|\[【]{6,40})",
    re.I,
)

# Fixed dates a site prints on every page (a header widget), never the article's date.
BANNER_LINES: tuple[re.Pattern[str], ...] = (
    re.compile(r"^15 July 2015$"),
    re.compile(r"^(?:no|vol|issue)\.?\s*\d{1,4}\b", re.I),  # a periodical's issue: NO. 35 AUG 29
)
# A date the line's sentence goes on from (2010年6月14日至15日, …): not a date line.
_DATE_GOES_ON = re.compile(r"^\s*(?:至|到|~|—|–|-|,|、|起|以来|前|后)")
# A closing line that names the outlet and the date: (Some Agency, October 13, 2005).
TRAILER_LINES: tuple[re.Pattern[str], ...] = (
    re.compile(r"^\([^()]{2,60},\s*[A-Z][a-z]+\.? \d{1,2}, (?:19|20)\d{2}\)$"),
)

# A full date in the URL path; month-only paths (/201708/) are not a date.
URL_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        r"/t(?P<Y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})_\d+",
        r"/(?P<Y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})/",
        r"/(?P<Y>(?:19|20)\d{2})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})/",
        r"/(?P<Y>(?:19|20)\d{2})-(?P<m>\d{2})/(?P<d>\d{2})/",
        r"/(?P<Y>(?:19|20)\d{2})/(?P<m>\d{2})(?P<d>\d{2})/",
        r"/(?P<Y>(?:19|20)\d{2})(?P<m>\d{2})/(?P<d>\d{2})/",
        r"/(?P<Y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})/",
        r"/(?P<Y>(?:19|20)\d{2})-(?P<m>\d{2})(?P<d>\d{2})/",
        # A month folder, then a file named by the same month and the day: /202106/20210613…
        r"/(?P<Y>(?:19|20)\d{2})(?P<m>\d{2})/(?P=Y)(?P=m)(?P<d>\d{2})",
        # Two-digit year, month and day, then an hour folder: /25/0209/18/
        r"/(?P<y>[012]\d)/(?P<m>[01]\d)(?P<d>[0-3]\d)/[0-2]\d/",
    )
)


@dataclass
class Found:
    """A publication date read from a page."""

    date: date | None = None
    time: tuple[int, int, int] | None = None
    raw: str | None = None
    line: int | None = None
    meta_lines: list[int] = field(default_factory=list)
    problems: list[dict[str, str]] = field(default_factory=list)

    @property
    def published_date(self) -> str | None:
        return self.date.isoformat() if self.date else None

    def published_at(self, tz: tzinfo) -> str | None:
        """The date and time as ISO 8601 with the offset of ``tz`` (None without a time)."""
        if not self.date or not self.time:
            return None
        return datetime(*self.date.timetuple()[:3], *self.time, tzinfo=tz).isoformat()


class ImplausibleDate(ValueError):
    pass


def _build(groups: dict[str, str | None]) -> tuple[date, tuple[int, int, int] | None] | None:
    full_year, name = groups.get("Y"), groups.get("mon")
    year = int(full_year) if full_year else 2000 + int(groups["y"] or 0)
    month = MONTHS[name.lower()] if name else int(groups["m"] or 0)
    try:
        day = date(year, month, int(groups["d"] or 0))
    except ValueError:
        return None
    clock = None
    if hour_text := groups.get("H"):
        hour, minute, second = int(hour_text), int(groups["M"] or 0), int(groups.get("S") or 0)
        if hour < 24 and minute < 60 and second < 60 and (hour, minute, second) != (0, 0, 0):
            clock = (hour, minute, second)
    return day, clock


def _search(line: str) -> re.Match[str] | None:
    best: re.Match[str] | None = None
    for pattern in DATE_PATTERNS:
        match = pattern.search(line)
        if match and (best is None or match.start() < best.start()):
            best = match
    return best


def parse_line(
    line: str, *, fallback: bool = True
) -> tuple[date, tuple[int, int, int] | None] | None:
    """The first date (with its time, if stated) written in ``line``; with ``fallback``,
    dateparser reads a labelled value that no pattern reads."""
    match = _search(line)
    if match is not None:
        return _build(match.groupdict())
    return _fallback(line) if fallback else None


def is_meta(line: str) -> bool:
    """A date line rather than a sentence that starts with a date."""
    match = _search(line)
    if match is None:
        return not is_prose(line)
    rest = line[: match.start()] + line[match.end() :]
    return len(rest) <= 25 or not any(mark in rest for mark in ",。;!?")


def _fallback(line: str) -> tuple[date, tuple[int, int, int] | None] | None:
    match = _LABEL_VALUE.search(line)
    if not match:
        return None
    import dateparser  # slow to import; only labelled dates no pattern reads get here

    settings = {"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DATES_FROM": "past"}
    # The sites write English and Chinese; guessing among all languages costs seconds.
    parsed = dateparser.parse(
        match.group("value").strip(), settings=settings, languages=["en", "zh"]
    )
    if parsed is None:
        return None
    clock = None
    if (parsed.hour, parsed.minute, parsed.second) != (0, 0, 0):
        clock = (parsed.hour, parsed.minute, parsed.second)
    return parsed.date(), clock


def check(day: date, today: date, *, errors: Errors = "raise") -> date | None:
    """``day`` when plausible (1990 .. today + 1); else raise, or None for other policies."""
    if EARLIEST <= day <= today + timedelta(days=1):
        return day
    if errors == "raise":
        raise ImplausibleDate(f"{day.isoformat()} is before 1990 or after {today.isoformat()}")
    logger.debug("implausible date %s rejected", day)
    return None


def _candidate_lines(lines: Sequence[str]) -> list[tuple[int, str]]:
    zone = header_end(lines)
    out = []
    for index, line in enumerate(lines[: zone + 1]):
        if not line or any(p.match(line) for p in BANNER_LINES):
            continue
        if len(line) <= 160 and not is_prose(line):
            out.append((index, line))
        else:
            label = DATE_LABEL.match(line)
            if label:
                out.append((index, line[: label.end() + 40]))
            elif line[:4].isdigit() and not _goes_on(line):
                out.append((index, line[:40]))
    return out


def _goes_on(line: str) -> bool:
    match = _search(line[:40])
    return match is not None and bool(_DATE_GOES_ON.match(line[match.end() :]))


def _trailer(lines: Sequence[str]) -> tuple[int, tuple[date, tuple[int, int, int] | None]] | None:
    """A labelled date line after the header (``Updated: …`` under the article), or a
    closing ``(Outlet, Month d, yyyy)`` line: the last, lowest-ranked witness before the URL."""
    for index in range(header_end(lines) + 1, len(lines)):
        line = lines[index]
        if not line or len(line) > 80 or is_prose(line):
            continue
        if DATE_LABEL.match(line) or any(p.match(line) for p in TRAILER_LINES):
            parsed = parse_line(line)
            if parsed is not None:
                return index, parsed
    return None


def from_url(url: str) -> date | None:
    """The date in a URL path when it has year, month and day."""
    for pattern in URL_PATTERNS:
        match = pattern.search(url or "")
        if match:
            built = _build(match.groupdict())
            if built:
                return built[0]
    return None


def find(lines: Sequence[str], url: str, *, today: date) -> Found:
    """The page's publication date: its own date line, else the URL; implausible ones recorded."""
    found = Found()
    readings = 0  # labelled values given to dateparser, which is slow: a few per page
    for index, line in _candidate_lines(lines):
        parsed = parse_line(line, fallback=False)
        if parsed is None and readings < DATEPARSER_LINES and _LABEL_VALUE.search(line):
            readings += 1
            parsed = _fallback(line)
        if parsed is None:
            continue
        day, clock = parsed
        if is_meta(lines[index]):
            found.meta_lines.append(index)
        if found.date is not None:
            if found.time is None and clock and day == found.date:
                found.time = clock
            continue
        if check(day, today, errors="record") is None:
            found.problems.append(
                {"field": "published_date", "reason": "implausible date", "value": line[:200]}
            )
            continue
        found.date, found.time, found.raw, found.line = day, clock, line[:200], index
    if found.date is None:
        trailer = _trailer(lines)
        url_day = from_url(url)
        if trailer is not None and url_day in (None, trailer[1][0]):
            index, (day, clock) = trailer
            if check(day, today, errors="record") is not None:
                found.date, found.time, found.raw, found.line = day, clock, lines[index], index
                found.meta_lines.append(index)
                return found
        if url_day is not None:
            if check(url_day, today, errors="record") is None:
                found.problems.append(
                    {"field": "published_date", "reason": "implausible date", "value": url}
                )
            else:
                found.date, found.raw = url_day, url
    return found
