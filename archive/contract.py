"""What the archive accepts from outside (`newsarchive import`): the normalized article,
checked field by field before anything is written.

`check_article` takes one decoded JSON record (an export line, or an article `newsarchive
normalize` printed) and returns the article `Archive.upsert_articles` stores, or raises
`ArchiveError` naming the field and what is wrong with it. The checks are a table: each
field with the kinds of value it may hold. Fields the table does not know (an export's
`version`, `first_seen`, ...) are left to the archive, which sets them itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from archive.errors import ArchiveError
from pipelines.credits import ROLES

LANGS = ("en", "zh")
ORIGINS = ("page", "meta", "url", "listing")  # where a published_date came from
ASCII_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
ASCII_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(?:Z|[+-][0-9]{2}:[0-9]{2})")
URL_CHARS = re.compile(r"[\x00-\x20\x7f]")


def problem_with_text(value: str) -> str | None:
    """What makes any string unstorable: a lone surrogate (SQLite stores UTF-8)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid Unicode (a lone surrogate)"
    return None


def problem_with_url(value: str) -> str | None:
    if not value:
        return "is empty"
    if URL_CHARS.search(value):
        return "contains a space, NUL or control character"
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as exc:
        return f"is not a URL ({exc})"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "is not an http(s) URL with a host"
    return None


def problem_with_date(value: str) -> str | None:
    if not ASCII_DATE.fullmatch(value):
        return "is not a date written YYYY-MM-DD"
    try:
        date.fromisoformat(value)
    except ValueError:
        return "is not a date that exists"
    return None


def problem_with_datetime(value: str) -> str | None:
    if not ASCII_DATETIME.fullmatch(value):
        return "is not an ISO 8601 time with an offset (2018-12-06T23:00:02+08:00)"
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return "is not a time that exists"
    return None


def problem_with_lang(value: str) -> str | None:
    return None if value in LANGS else f"is not one of {', '.join(LANGS)}"


def problem_with_origin(value: str) -> str | None:
    return None if value in ORIGINS else f"is not one of {', '.join(ORIGINS)}"


Check = Callable[[str], str | None]

# The text fields in checking order: (name, required, the check of its value beyond being a
# string that SQLite can store). A field that is not required may also be null.
TEXT_FIELDS: tuple[tuple[str, bool, Check | None], ...] = (
    ("url", True, problem_with_url),
    ("body", True, None),
    ("site", False, None),
    ("lang", False, problem_with_lang),
    ("title", False, None),
    ("published_date", False, problem_with_date),
    ("published_at", False, problem_with_datetime),
    ("published_raw", False, None),
    ("published_from", False, problem_with_origin),
    ("source_raw", False, None),
    ("original_source_raw", False, None),
    ("extraction", False, None),
    ("crawled_at", False, None),
    ("html", False, None),
    ("encoding", False, None),
)
SOURCE_FIELDS = ("source", "original_source")
NESTED_SOURCE_KEYS = ("name", "name_zh", "raw")


def check_text(
    where: str, name: str, value: Any, required: bool = False, check: Check | None = None
) -> None:
    if value is None:
        if required:
            raise ArchiveError(f"{where}: an article needs a {name} (a string)")
        return
    if not isinstance(value, str):
        raise ArchiveError(f"{where}: {name} must be a string, not {json_type(value)}")
    problem = problem_with_text(value) or (check(value) if check else None)
    if problem:
        raise ArchiveError(f"{where}: {name} {problem}: {shorten(value)}")


def check_article(record: Any, where: str) -> dict[str, Any]:
    """The normalized article in an imported record (an export's nested sources become
    names), or ArchiveError saying which field is wrong at `where` (``file:line``)."""
    if not isinstance(record, dict):
        raise ArchiveError(f"{where}: not a JSON object")
    for name, required, check in TEXT_FIELDS:
        check_text(where, name, record.get(name), required, check)
    status = record.get("status")
    if status is not None and (not isinstance(status, int) or isinstance(status, bool)):
        raise ArchiveError(f"{where}: status must be an HTTP status number")
    article = dict(record)
    for key in SOURCE_FIELDS:
        article.update(source_fields(where, key, record.get(key)))
    article["credits"] = checked_credits(where, record.get("credits"))
    return article


def source_fields(where: str, key: str, value: Any) -> dict[str, Any]:
    """`source` as a name (an export nests it as {name, name_zh, raw})."""
    if isinstance(value, dict):
        for part in NESTED_SOURCE_KEYS:
            check_text(where, f"{key}.{part}", value.get(part))
        return {key: value.get("name"), f"{key}_raw": value.get("raw")}
    check_text(where, key, value)
    return {}


def checked_credits(where: str, credits: Any) -> list[dict[str, str]]:
    if credits is None:
        return []
    if not isinstance(credits, list):
        raise ArchiveError(f"{where}: credits must be a list of {{role, name}}")
    for position, credit in enumerate(credits, 1):
        label = f"credit {position}"
        if not isinstance(credit, dict):
            raise ArchiveError(f"{where}: credits must be a list of {{role, name}} ({label})")
        role = credit.get("role")
        if role not in ROLES:
            raise ArchiveError(
                f"{where}: {label} has role {shorten(role)}; known: {', '.join(ROLES)}"
            )
        check_text(where, f"{label} name", credit.get("name"), required=True)
    return credits


def json_type(value: Any) -> str:
    for kind, label in ((bool, "true/false"), ((int, float), "a number"), (list, "a list")):
        if isinstance(value, kind):
            return label
    return "an object" if isinstance(value, dict) else type(value).__name__


def shorten(value: Any, limit: int = 60) -> str:
    text = ascii(value) if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
