"""Writing normalized articles into the archive: one batch, one transaction.

`plan_batch` compares a batch with what the archive holds and decides, per article, whether it is
new, changed (text or metadata), unchanged, or a duplicate of an article already stored under
another URL. `write_batch` carries the plan out with a few set-based statements, so a batch of
thousands of articles costs a handful of `executemany` calls rather than a query per article.
An article points at the capture its text was read from (``capture_id``, `archive.captures`);
an earlier version keeps the capture it was read from.
"""

from __future__ import annotations

import hashlib
import logging
import operator
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from archive import search

logger = logging.getLogger(__name__)

CHUNK = 500  # rows per `IN (...)` lookup, well under SQLite's variable limit

# Article columns copied as they are from the normalized article.
PLAIN_FIELDS = (
    "url",
    "site",
    "lang",
    "title",
    "body",
    "published_date",
    "published_at",
    "published_raw",
    "published_from",
    "source_raw",
    "original_source_raw",
    "extraction",
)
# The indexed part of `content_hash` (migration m008): a query must use this expression,
# as written, for SQLite to use the index.
CONTENT_KEY_LENGTH = 16
CONTENT_KEY_SQL = f"substr(content_hash, 1, {CONTENT_KEY_LENGTH})"
# Columns compared to decide whether a stored article changed (besides its credits).
COMPARED_COLUMNS = (*PLAIN_FIELDS[1:], "source_id", "original_source_id", "content_hash")


def content_hash(title: str | None, body: str) -> str:
    """The hash of an article's text: a changed title or body makes a new version."""
    return hashlib.sha256(f"{title or ''}\n\n{body}".encode()).hexdigest()


def chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def placeholders(values: Sequence[Any]) -> str:
    return ", ".join("?" * len(values))


def select_in(db: Database, sql: str, values: Iterable[Any]) -> list[dict[str, Any]]:
    """Run `sql` (holding one `{}` for the placeholders) over `values`, in chunks. The
    caller holds the transaction: the rows are read on the connection itself (sqlite-utils'
    `query` would wrap each statement in a savepoint)."""
    ordered = list(dict.fromkeys(values))
    rows: list[dict[str, Any]] = []
    for chunk in chunks(ordered):
        cursor = db.conn.execute(sql.format(placeholders(chunk)), list(chunk))
        columns = [column[0] for column in cursor.description]
        rows.extend(dict(zip(columns, row, strict=True)) for row in cursor)
    return rows


def insert_rows(db: Database, table: str, rows: list[dict[str, Any]], verb: str = "insert") -> None:
    """Insert rows that all have the same keys with one `executemany` (sqlite-utils'
    `insert_all` checks every value of every row, which a batch of a thousand articles feels)."""
    if not rows:
        return
    columns = list(rows[0])
    sql = (
        f"{verb} into [{table}] ({', '.join(f'[{c}]' for c in columns)})"
        f" values ({placeholders(columns)})"
    )
    values = operator.itemgetter(*columns)
    if len(columns) == 1:
        db.conn.executemany(sql, ((values(row),) for row in rows))
    else:
        db.conn.executemany(sql, map(values, rows))


def ensure_names(
    db: Database, table: str, names: Iterable[str], extra: dict[str, Any] | None = None
) -> dict[str, int]:
    """Ids for `names` in a `(id, name unique)` table, inserting the missing ones."""
    wanted = set(names)
    if not wanted:
        return {}
    sql = f"select id, name from [{table}] where name in ({{}})"
    ids = {row["name"]: row["id"] for row in select_in(db, sql, sorted(wanted))}
    missing = sorted(wanted - ids.keys())
    if missing:
        db.table(table).insert_all(
            ({"name": name, **(extra or {})} for name in missing), ignore=True
        )
        ids.update({row["name"]: row["id"] for row in select_in(db, sql, missing)})
    return ids


def credit_pairs(article: dict[str, Any]) -> list[tuple[str, str]]:
    """(role, name) in page order, without empty names or repeats."""
    pairs: dict[tuple[str, str], None] = {}
    for credit in article.get("credits") or ():
        name = " ".join((credit.get("name") or "").split())
        if name:
            pairs[(credit["role"], name)] = None
    return list(pairs)


@dataclass
class Plan:
    """What one batch does to the archive."""

    new: list[dict[str, Any]] = field(default_factory=list)
    updated: list[dict[str, Any]] = field(default_factory=list)
    versions: list[dict[str, Any]] = field(default_factory=list)
    # (article id, capture id or None, when it was seen) of the unchanged articles
    unchanged: list[tuple[int, int | None, str]] = field(default_factory=list)
    # the batch's URL -> id of the stored article it is (unchanged or updated)
    known_ids: dict[str, int] = field(default_factory=dict)
    duplicate_urls: dict[str, str] = field(default_factory=dict)  # url -> url of the article
    stored_duplicate_urls: dict[str, int] = field(default_factory=dict)  # url -> article id
    credits: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # url -> pairs
    # url -> what the search index holds of it, for the new and updated articles
    documents: dict[str, search.Document] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {
            "new": len(self.new),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged)
            + len(self.duplicate_urls)
            + len(self.stored_duplicate_urls),
        }


def article_row(article: dict[str, Any], source_ids: dict[str, int]) -> dict[str, Any]:
    if not article.get("url"):
        raise ValueError(f"article without a url: {article.get('title')!r}")
    if article.get("body") is None:
        raise ValueError(f"article without a body: {article['url']}")
    row = {name: article.get(name) for name in PLAIN_FIELDS}
    row["source_id"] = source_ids.get(article.get("source") or "")
    row["original_source_id"] = source_ids.get(article.get("original_source") or "")
    row["content_hash"] = content_hash(row["title"], article["body"])
    row.update(search.published_parts(row["published_date"]))
    row["capture_id"] = article.get("capture_id")
    return row


def plan_batch(
    db: Database, articles: list[dict[str, Any]], source_ids: dict[str, int], seen_at: str
) -> Plan:
    """Decide what each article of the batch does; the batch holds each url once."""
    plan = Plan()
    rows = [article_row(article, source_ids) for article in articles]
    urls = [row["url"] for row in rows]
    aliases = {
        row["url"]: row["article_id"]
        for row in select_in(db, "select url, article_id from article_urls where url in ({})", urls)
    }
    stored = {
        row["url"]: row for row in select_in(db, "select * from articles where url in ({})", urls)
    }
    by_id = {row["id"]: row for row in stored.values()}
    alias_ids = set(aliases.values()) - by_id.keys()
    by_id.update(
        (row["id"], row)
        for row in select_in(db, "select * from articles where id in ({})", alias_ids)
    )
    stored_credits = _stored_credits(db, list(by_id))
    hashes = {row["content_hash"] for row in rows if row["body"]}
    stored_by_hash = {
        (row["site"], row["content_hash"]): row["id"]
        for row in select_in(
            db,
            f"select id, site, content_hash from articles where {CONTENT_KEY_SQL} in ({{}})",
            (content_hash[:CONTENT_KEY_LENGTH] for content_hash in hashes),
        )
        if row["content_hash"] in hashes  # the whole hash, not only its key
    }
    pending_by_hash: dict[tuple[str | None, str], str] = {}
    # New articles are numbered after the stored ones, as SQLite would number them.
    (last_id,) = db.conn.execute("select coalesce(max(id), 0) from articles").fetchone()

    for article, row in zip(articles, rows, strict=True):
        url = row["url"]
        pairs = credit_pairs(article)
        current = stored.get(url) or by_id.get(aliases.get(url, -1))
        if current is None:
            key = (row["site"], row["content_hash"])
            if row["body"] and key in stored_by_hash:
                plan.stored_duplicate_urls[url] = stored_by_hash[key]
            elif row["body"] and key in pending_by_hash:
                plan.duplicate_urls[url] = pending_by_hash[key]
            else:
                pending_by_hash[key] = url
                row["id"] = last_id + len(plan.new) + 1
                row["version"] = 1
                row["first_seen"] = row["last_seen"] = seen_at
                row["crawled_at"] = article.get("crawled_at") or seen_at
                plan.new.append(row)
                plan.credits[url] = pairs
                plan.documents[url] = search.Document(row["title"], row["body"], names(pairs))
            continue
        # An article found under another of its URLs keeps its stored URL.
        row["url"] = current["url"]
        keep_listing_date(row, current)
        plan.known_ids[url] = current["id"]
        text_changed = row["content_hash"] != current["content_hash"]
        credits_changed = pairs != stored_credits.get(current["id"], [])
        if (
            not text_changed
            and not credits_changed
            and all(row[name] == current[name] for name in COMPARED_COLUMNS)
        ):
            # Seen again: last_seen is when the text was last fetched (a reprocess, whose
            # pages were fetched before, leaves it).
            seen = article.get("crawled_at") or seen_at
            plan.unchanged.append((current["id"], row["capture_id"], seen))
            continue
        version = current["version"]
        if text_changed:
            plan.versions.append(
                {
                    "article_id": current["id"],
                    "version": version,
                    "title": current["title"],
                    "body": current["body"],
                    "content_hash": current["content_hash"],
                    "replaced_at": seen_at,
                    "capture_id": current["capture_id"],
                }
            )
            version += 1
        if not text_changed and row["capture_id"] is None:
            row["capture_id"] = current["capture_id"]  # the same text, read from there
        plan.updated.append(
            {
                **current,
                **row,
                "version": version,
                "last_seen": seen_at,
                "crawled_at": article.get("crawled_at") or seen_at,
            }
        )
        if credits_changed:
            plan.credits[current["url"]] = pairs
        plan.documents[current["url"]] = search.Document(row["title"], row["body"], names(pairs))
    return plan


LISTING_DATE_COLUMNS = (
    "published_date",
    "published_at",
    "published_raw",
    "published_from",
    "published_year",
    "published_month",
)


def keep_listing_date(row: dict[str, Any], current: dict[str, Any]) -> None:
    """A stored date its listing gave stays when the article comes again without a date of
    its own and without its listing's (a refresh, a reprocess: the page still states none)."""
    if row["published_date"] is None and current.get("published_from") == "listing":
        row.update({name: current[name] for name in LISTING_DATE_COLUMNS})


def names(pairs: list[tuple[str, str]]) -> list[str]:
    return [name for _, name in pairs]


def _stored_credits(db: Database, article_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    sql = (
        "select credits.article_id, credits.role, people.name from credits"
        " join people on people.id = credits.person_id"
        " where credits.article_id in ({}) order by credits.article_id, credits.position"
    )
    result: dict[int, list[tuple[str, str]]] = {}
    for row in select_in(db, sql, article_ids):
        result.setdefault(row["article_id"], []).append((row["role"], row["name"]))
    return result


def write_batch(db: Database, plan: Plan, seen_at: str) -> dict[str, int]:
    """Carry out `plan`; the caller holds the transaction. Returns the id of the article
    each URL of the batch is (new, updated, unchanged or a duplicate)."""
    insert_rows(db, "articles", plan.new)
    if plan.versions:
        db.table("article_versions").insert_all(plan.versions, replace=True)
    if plan.updated:
        db.table("articles").upsert_all(plan.updated, pk="id")
    if plan.unchanged:
        db.conn.executemany(
            "update articles set last_seen = max(last_seen, ?),"
            " capture_id = coalesce(?, capture_id) where id = ?",
            [(seen, capture_id, article_id) for article_id, capture_id, seen in plan.unchanged],
        )
    ids = {row["url"]: row["id"] for row in (*plan.new, *plan.updated)}
    aliases = {url: ids[target] for url, target in plan.duplicate_urls.items()}
    aliases.update(plan.stored_duplicate_urls)
    if aliases:
        logger.debug("%d articles already stored under another url", len(aliases))
        db.table("article_urls").insert_all(
            (
                {"url": url, "article_id": aid, "first_seen": seen_at}
                for url, aid in aliases.items()
            ),
            ignore=True,
        )
    _write_credits(db, {ids[url]: pairs for url, pairs in plan.credits.items()})
    search.refresh(
        db,
        {ids[url]: document for url, document in plan.documents.items()},
        replace=[row["id"] for row in plan.updated],
    )
    return {**ids, **aliases, **plan.known_ids}


def _write_credits(db: Database, credits: dict[int, list[tuple[str, str]]]) -> None:
    if not credits:
        return
    for chunk in chunks(list(credits)):
        db.execute(f"delete from credits where article_id in ({placeholders(chunk)})", chunk)
    people = ensure_names(db, "people", (name for pairs in credits.values() for _, name in pairs))
    rows = [
        {"article_id": article_id, "person_id": people[name], "role": role, "position": position}
        for article_id, pairs in credits.items()
        for position, (role, name) in enumerate(pairs)
    ]
    insert_rows(db, "credits", rows)
