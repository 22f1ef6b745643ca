"""What the reading room shows of the archive: an article with everything known about it, a
person with everything credited to them, and the page as it was captured.

Plain functions over a `sqlite3.Connection` (Datasette runs them with `execute_fn`, in its SQL
threads, under its time limit). The captured HTML is read by `captured_html` alone: nothing
else in the project reads captures for display. The HTML of an article is that of the
capture its current text was read from (``articles.capture_id``), found by the article's URL
or any other URL it was found under; for a URL that is no article's, the URL's latest
capture. It is decoded as the crawler decoded it (`archive.captures.decoded`: the charset it
chose, stored with the capture).
"""

from __future__ import annotations

import logging
import sqlite3
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from archive.captures import decoded

logger = logging.getLogger(__name__)

# Roles in the order an article page lists them, with the label shown before the names.
ROLES: dict[str, str] = {
    "author": "By",
    "reporter": "Reporter",
    "correspondent": "Correspondent",
    "photographer": "Photos",
    "translator": "Translated by",
    "editor": "Editor",
}

ARTICLE_SQL = """select articles.*,
  source.name as source_name, source.name_zh as source_name_zh,
  original.name as original_source_name
from articles
left join sources as source on source.id = articles.source_id
left join sources as original on original.id = articles.original_source_id
where articles.id = ?"""
CREDITS_SQL = """select credits.role, people.id as person_id, people.name
from credits join people on people.id = credits.person_id
where credits.article_id = ? order by credits.position"""
VERSIONS_SQL = """select version, title, body, replaced_at from article_versions
where article_id = ? order by version desc"""
URLS_SQL = "select url, first_seen from article_urls where article_id = ? order by first_seen"
PERSON_CREDITS_SQL = """select credits.role, articles.id, articles.title, articles.site,
  articles.lang, articles.published_date
from credits join articles on articles.id = credits.article_id
where credits.person_id = ?
order by articles.published_date desc, articles.id desc"""

ARTICLE_CAPTURE_SQL = """select capture_id from articles where url = :url
union all
select articles.capture_id from article_urls join articles on articles.id = article_urls.article_id
where article_urls.url = :url
union all
select max(captures.id) from articles join captures on captures.article_id = articles.id
where articles.url = :url
"""
CAPTURE_SQL = """select captures.response_headers is null, captures.encoding, payloads.body_z
from captures join payloads on payloads.digest = captures.payload_digest
where captures.id = ?"""


def capture_of(conn: sqlite3.Connection, url: str) -> int | None:
    """The id of the capture the article at ``url`` (any of its URLs) was read from, or of
    its latest capture."""
    for (capture_id,) in conn.execute(ARTICLE_CAPTURE_SQL, {"url": url}):
        if capture_id is not None:
            return int(capture_id)
    return None


def captured_html(db: Database | sqlite3.Connection, url: str) -> str | None:
    """The HTML of the page the article at ``url`` (any of its URLs) was captured as; None
    if it never was or its capture cannot be read (logged)."""
    conn = db.conn if isinstance(db, Database) else db
    capture_id = capture_of(conn, url)
    row = conn.execute(CAPTURE_SQL, [capture_id]).fetchone() if capture_id else None
    if row is None or row[2] is None:
        return None
    headerless, encoding, body_z = row
    try:
        return decoded(zlib.decompress(body_z), encoding, headerless=bool(headerless))
    except (zlib.error, UnicodeDecodeError, LookupError) as exc:
        logger.warning("the capture of %s cannot be read: %s", url, exc)
        return None


@dataclass
class Credit:
    """One role of an article's credits: its label and the people, in page order."""

    role: str
    label: str
    people: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Article:
    """An article with what the archive knows of it: `row` is its `articles` row plus the
    names of its sources; `captured_url` the URL whose capture can be shown, if any."""

    row: dict[str, Any]
    credits: list[Credit]
    versions: list[dict[str, Any]]
    other_urls: list[dict[str, Any]]
    captured_url: str | None

    @property
    def paragraphs(self) -> list[str]:
        return paragraphs(self.row["body"])

    @property
    def when(self) -> str:
        """When it was published, as its page says: the date, and the time with its offset
        when the page gives one ("" when undated)."""
        stated = self.row.get("published_at")
        if not stated:
            return str(self.row.get("published_date") or "")
        try:
            moment = datetime.fromisoformat(stated)
        except ValueError:
            return str(stated)
        offset = moment.strftime("%z")
        zone = f" (UTC{offset[:3]}:{offset[3:5]})" if offset else ""
        return f"{moment:%Y-%m-%d %H:%M}{zone}"


def paragraphs(body: str | None) -> list[str]:
    """The paragraphs of a stored text (separated by blank lines)."""
    return [part.strip() for part in (body or "").split("\n\n") if part.strip()]


def _rows(conn: sqlite3.Connection, sql: str, *params: Any) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def role_order(role: str) -> int:
    """Where a role comes in ROLES (a role ROLES does not know: last)."""
    return list(ROLES).index(role) if role in ROLES else len(ROLES)


def credits_by_role(rows: list[dict[str, Any]]) -> list[Credit]:
    """Credits grouped by role, in ROLES order, each person once per role in page order."""
    grouped: dict[str, Credit] = {}
    for row in rows:
        role = row["role"]
        credit = grouped.setdefault(role, Credit(role, ROLES.get(role, role.capitalize())))
        credit.people.append({"id": row["person_id"], "name": row["name"]})
    return sorted(grouped.values(), key=lambda credit: role_order(credit.role))


def article(conn: sqlite3.Connection, article_id: int) -> Article | None:
    """The article `article_id` with its credits, earlier versions, other URLs and capture,
    or None when there is no such article."""
    found = _rows(conn, ARTICLE_SQL, article_id)
    if not found:
        return None
    captured = capture(conn, article_id)
    return Article(
        row=found[0],
        credits=credits_by_role(_rows(conn, CREDITS_SQL, article_id)),
        versions=_rows(conn, VERSIONS_SQL, article_id),
        other_urls=_rows(conn, URLS_SQL, article_id),
        captured_url=None if captured is None else captured[0],
    )


def capture(conn: sqlite3.Connection, article_id: int) -> tuple[str, str] | None:
    """The URL and captured HTML of the article's page: under its URL, else under the first
    of its other URLs that was captured; None when none was (or no such article)."""
    urls = [row[0] for row in conn.execute("select url from articles where id = ?", [article_id])]
    urls += [row["url"] for row in _rows(conn, URLS_SQL, article_id)]
    for url in urls:
        page = captured_html(conn, url)
        if page is not None:
            return url, page
    return None


@dataclass
class Person:
    """A person and the articles credited to them, by role (ROLES order)."""

    id: int
    name: str
    roles: list[tuple[str, list[dict[str, Any]]]]

    @property
    def count(self) -> int:
        return len({a["id"] for _, articles in self.roles for a in articles})


def person(conn: sqlite3.Connection, person_id: int) -> Person | None:
    """The person `person_id` and everything credited to them, newest first in each role."""
    found = conn.execute("select id, name from people where id = ?", [person_id]).fetchone()
    if found is None:
        return None
    by_role: dict[str, list[dict[str, Any]]] = {}
    for row in _rows(conn, PERSON_CREDITS_SQL, person_id):
        by_role.setdefault(row.pop("role"), []).append(row)
    roles = sorted(by_role.items(), key=lambda item: role_order(item[0]))
    return Person(found[0], found[1], roles)


def person_id(conn: sqlite3.Connection, name: str) -> int | None:
    """The id of the person called `name` (as written), or None."""
    found = conn.execute("select id from people where name = ?", [name]).fetchone()
    return None if found is None else int(found[0])
