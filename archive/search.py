"""Full-text search that works for Chinese as well as English: the `articles_search` index.

FTS5's `unicode61` tokenizer reads a run of Chinese characters as one token, so `衡阳` would
never match `衡阳市召开防汛工作会议`. The index therefore holds the text *segmented*: a
zero-width space (U+200B, which unicode61 treats as a separator and a browser does not show)
between each Chinese character and its neighbours, so that every character is a token
(`archive.segment`). A query is segmented the same way (`archive.searchquery`, which reads
the search box: phrases, `-word`, `OR`): `长沙` becomes the phrase `"长​沙"`, two adjacent
tokens, which matches the word wherever it occurs; longer phrases work alike. English text is
unchanged. Snippets are cut by `archive.snippets`.

`articles_search` is the archive's one full-text index: an ordinary (content-holding) FTS5
table, one row per article with rowid = articles.id and the columns title, body and names
(everyone credited). It serves Datasette's table search (`?_search=`) and the ranked search.
The ranking (`rank`) weighs a match in the title ten times one in the body.

Who keeps it right, whoever writes:
- `ingest` writes the index rows of each batch from the batch itself (`refresh`), in the
  batch's transaction.
- Plain-SQL triggers (no function only this project registers, so any SQLite tool can write
  the archive) note in `search_pending` every indexed article whose title, body or credits
  change, and drop a deleted article's row. An article another tool adds is above the
  *watermark* (the highest id the index holds). `refresh` indexes both kinds at the next
  batch and clears the notes; `newsarchive reindex` does it at once. `unindexed` counts
  what is left, for `verify` and `health`.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from archive.searchquery import (
    MAX_QUERY_CHARS,
    MAX_TERMS,
    SearchQueryError,
    check_query,
    fts_query,
    search_terms,
    sql_date_prefix,
)
from archive.segment import SEPARATOR, segment
from archive.snippets import HIGHLIGHT, snippet

logger = logging.getLogger(__name__)

__all__ = [
    "HIGHLIGHT",
    "MAX_QUERY_CHARS",
    "MAX_TERMS",
    "SEPARATOR",
    "SearchQueryError",
    "check_query",
    "fts_query",
    "search_terms",
    "segment",
]

SEARCH_TABLE = "articles_search"
# bm25 weights of the columns title, body, names: the index's `rank` (its configuration), and
# the same score called in a query (`RANK_CALL`: FTS5's sorter for `order by rank` would
# score every row twice, the documents of each phrase counted anew each time).
RANK_WEIGHTS = "10.0, 1.0, 5.0"
RANK = f"bm25({RANK_WEIGHTS})"
RANK_CALL = f"bm25({SEARCH_TABLE}, {RANK_WEIGHTS})"
BATCH = 1000  # articles refreshed per statement

PENDING_TABLE = "search_pending"
# The text of stored articles, read back for the rows noted in `search_pending` (another
# tool wrote them) or for a rebuild: text plus every credited name in page order.
_SOURCE_SQL = """
select articles.id, articles.title, articles.body,
  (select group_concat(name, ' ') from (
     select people.name from credits join people on people.id = credits.person_id
     where credits.article_id = articles.id order by credits.position)) as names
from articles where articles.id in (select value from json_each(:ids))
"""
# The highest article id the index holds: articles above it are not indexed yet.
WATERMARK_SQL = f"select coalesce(max(id), 0) from {SEARCH_TABLE}_content"
# The triggers that note in `search_pending` a change to an indexed article (and drop a
# deleted article's row): plain SQL, so that a tool other than newsarchive can write the
# archive and leave it usable. A new article needs no note: it is above the watermark.
TRIGGERS_SQL = (
    f"""create trigger articles_search_au after update of title, body on articles
  when old.id <= ({WATERMARK_SQL}) begin
  insert or ignore into {PENDING_TABLE} (article_id) values (new.id); end""",
    f"""create trigger credits_search_ai after insert on credits
  when new.article_id <= ({WATERMARK_SQL}) begin
  insert or ignore into {PENDING_TABLE} (article_id) values (new.article_id); end""",
    f"""create trigger credits_search_ad after delete on credits
  when old.article_id <= ({WATERMARK_SQL}) begin
  insert or ignore into {PENDING_TABLE} (article_id) values (old.article_id); end""",
    f"""create trigger people_search_au after update of name on people begin
  insert or ignore into {PENDING_TABLE} (article_id)
    select article_id from credits where person_id = new.id; end""",
    f"""create trigger articles_search_pending_ad after delete on articles begin
  delete from {PENDING_TABLE} where article_id = old.id; end""",
)


@dataclass(frozen=True)
class Document:
    """What the index holds of one article: its title, text and credited names in order."""

    title: str | None
    body: str
    names: Sequence[str] = ()

    def row(self, article_id: int) -> tuple[int, str, str, str]:
        return (
            article_id,
            segment(self.title or ""),
            segment(self.body),
            segment(" ".join(self.names)),
        )


# The ranked search, shared by the Datasette canned query and `ranked_search`; `{match}` is
# the FTS5 expression (`escape_fts(:q)` in Datasette, a bound parameter in Python), `{limit}`
# and `{offset}` the page. Ranking scores every matching row, so a word in half the archive
# would cost seconds: results are ranked among the RANK_WINDOW newest matching articles (a
# news archive's researcher wants the recent best matches), found first through the index in
# rowid order; `matches` counts them (RANK_WINDOW + 1: more). The SQL functions are the
# project's (`register_functions`): `search_date` reads a form date (`2019-8` is
# `2019-08`; an unreadable one matches nothing), `search_snippet` cuts a snippet at word
# boundaries with the matched words whole and highlighted.
RANK_WINDOW = 2000
PAGE_SIZE = 20
# No filter asked: a constant SQLite evaluates once, before reading any row, so that an
# unfiltered search never reads `articles` for its window. An unreadable date makes it NULL
# (neither arm below then yields a row: the search matches nothing).
_UNFILTERED = "(trim(:site) = '' and search_date(:date_from) = '' and search_date(:date_to) = '')"
_FILTERS = """  and (trim(:site) = '' or articles.site = lower(trim(:site)))
  and (search_date(:date_from) = '' or articles.published_date >= search_date(:date_from))
  and (search_date(:date_to) = '' or articles.published_date <= search_date(:date_to) || '~')"""

# `matching`: the newest RANK_WINDOW + 1 matches, read from the index in rowid order (no
# sort): straight from it without a filter, through `articles` with one.
RANKED_SQL = f"""with matching as materialized (
  select id from (
    select articles_search.rowid as id
    from articles_search
    where articles_search match {{match}} and {_UNFILTERED}
    order by articles_search.rowid desc limit {RANK_WINDOW + 1})
  union all
  select id from (
    select articles_search.rowid as id
    from articles_search
    join articles on articles.id = articles_search.rowid
    where articles_search match {{match}} and not {_UNFILTERED}
{_FILTERS}
    order by articles_search.rowid desc limit {RANK_WINDOW + 1})
), ranked as (
  select articles_search.rowid as id, {RANK_CALL} as rank
  from articles_search
  where articles_search match {{match}}
    and articles_search.rowid >= coalesce(
      (select id from matching order by id desc limit 1 offset {RANK_WINDOW - 1}), 0)
    and ({_UNFILTERED} or articles_search.rowid in (select id from matching))
  order by rank
  limit {{limit}} offset {{offset}}
)
select
  articles.id,
  articles.title,
  search_snippet(articles.body, :q) as snippet,
  articles.site,
  articles.lang,
  articles.published_date,
  articles.url,
  (select count(*) from matching) as matches
from ranked
join articles on articles.id = ranked.id
order by ranked.rank"""
# The page of a canned query's `:page` (1 for anything that is not a page number).
LAST_PAGE = RANK_WINDOW // PAGE_SIZE
PAGE_OFFSET_SQL = (
    f"(min(max(coalesce(cast(:page as integer), 1), 1), {LAST_PAGE}) - 1) * {PAGE_SIZE}"
)


def register_functions(conn: sqlite3.Connection) -> None:
    """The SQL functions the ranked search calls, on `conn`."""
    conn.create_function("search_date", 1, sql_date_prefix, deterministic=True)
    conn.create_function("search_snippet", 2, snippet, deterministic=True)


def published_parts(published_date: str | None) -> dict[str, Any]:
    """`published_year` and `published_month` (YYYY-MM) of an article, for facets."""
    if not published_date or not published_date[:4].isdigit():
        return {"published_year": None, "published_month": None}
    return {"published_year": int(published_date[:4]), "published_month": published_date[:7]}


def create_pending(db: Database) -> None:
    """`search_pending` and the plain-SQL triggers that fill it (migration m004)."""
    db.execute(f"create table {PENDING_TABLE} (article_id integer primary key)")
    for sql in TRIGGERS_SQL:
        db.execute(sql)


def refresh(db: Database, documents: Mapping[int, Document], *, replace: Iterable[int] = ()) -> int:
    """Index these articles from their documents (``replace``: those that may have a row
    already), and what another tool wrote since the last refresh, read back: the articles
    `search_pending` notes and those above the watermark. Returns how many rows were
    written. The caller holds the transaction (and has stored the documents' articles)."""
    noted = [row[0] for row in db.execute(f"select article_id from {PENDING_TABLE}")]
    above = [row[0] for row in db.execute(f"select id from articles where id > ({WATERMARK_SQL})")]
    others = [article_id for article_id in (*noted, *above) if article_id not in documents]
    rows = [document.row(article_id) for article_id, document in documents.items()]
    rows.extend(_stored_rows(db, sorted(set(others))))
    stale = sorted({*replace, *noted})
    for start in range(0, len(stale), BATCH):
        chunk = json.dumps(stale[start : start + BATCH])
        db.execute(
            f"delete from {SEARCH_TABLE} where rowid in (select value from json_each(?))", [chunk]
        )
    db.conn.executemany(
        f"insert into {SEARCH_TABLE} (rowid, title, body, names) values (?, ?, ?, ?)", rows
    )
    if noted:
        db.execute(f"delete from {PENDING_TABLE}")
    return len(rows)


def _stored_rows(db: Database, article_ids: list[int]) -> list[tuple[int, str, str, str]]:
    rows = []
    for start in range(0, len(article_ids), BATCH):
        ids = json.dumps(article_ids[start : start + BATCH])
        for row in db.query(_SOURCE_SQL, {"ids": ids}):
            names = [row["names"]] if row["names"] else []
            rows.append(Document(row["title"], row["body"] or "", names).row(row["id"]))
    return rows


def reindex(db: Database, *, everything: bool = False) -> int:
    """Index every article the index does not hold as it is (``everything``: rebuild the
    whole index from the articles); the number indexed. One transaction a batch."""
    with db.atomic():
        if everything:
            db.execute(f"delete from {SEARCH_TABLE}")
        db.execute(
            f"insert or ignore into {PENDING_TABLE} select id from articles"
            f" where id not in (select id from {SEARCH_TABLE}_content)"
        )
    written = 0
    while True:
        with db.atomic():
            noted = [
                row[0]
                for row in db.execute(f"select article_id from {PENDING_TABLE} limit {BATCH}")
            ]
            if not noted:
                return written
            db.conn.executemany(
                f"delete from {SEARCH_TABLE} where rowid = ?", [(n,) for n in noted]
            )
            rows = _stored_rows(db, noted)
            db.conn.executemany(
                f"insert into {SEARCH_TABLE} (rowid, title, body, names) values (?, ?, ?, ?)",
                rows,
            )
            db.conn.executemany(
                f"delete from {PENDING_TABLE} where article_id = ?", [(n,) for n in noted]
            )
            written += len(rows)


def unindexed(db: Database) -> int:
    """Articles the index does not hold as they are: noted in `search_pending`, or with no
    index row at all (written by another tool; reads the whole table)."""
    pending = db.execute(f"select count(*) from {PENDING_TABLE}").fetchone()[0]
    missing = db.execute(
        f"select count(*) from articles where id not in (select id from {SEARCH_TABLE}_content)"
        f" and id not in (select article_id from {PENDING_TABLE})"
    ).fetchone()[0]
    return int(pending) + int(missing)


def ranked_search(
    db: Database,
    query: str,
    *,
    site: str = "",
    date_from: str = "",
    date_to: str = "",
    limit: int = 20,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Articles matching `query`, best first, with a highlighted `snippet` and the number of
    `matches` (the canned query's SQL, run from Python). Dates are prefixes: `2023`,
    `2023-05` or `2023-05-26`. Raises `SearchQueryError` past the caps, like the server."""
    check_query(query)
    register_functions(db.conn)
    sql = RANKED_SQL.format(match=":match", limit=":limit", offset=":offset")
    params = {
        "q": query,
        "match": fts_query(query),
        "site": site,
        "date_from": date_from,
        "date_to": date_to,
        "limit": limit,
        "offset": offset,
    }
    return list(db.query(sql, params))
