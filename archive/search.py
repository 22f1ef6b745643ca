"""Full-text search that works for Chinese as well as English: the `articles_search` index.

FTS5's `unicode61` tokenizer reads a run of Chinese characters as one token, so `衡阳` would
never match `衡阳市召开防汛工作会议`. The index therefore holds the text *segmented*: a
zero-width space (U+200B, which unicode61 treats as a separator and a browser does not show)
between each Chinese character and its neighbours, so that every character is a token. A
query is segmented the same way (`fts_query`): `衡阳` becomes the phrase `"衡​阳"`, two
adjacent tokens, which matches the word wherever it occurs; longer phrases work alike. English
text is unchanged.

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
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from archive.errors import ArchiveError

logger = logging.getLogger(__name__)

SEARCH_TABLE = "articles_search"
SEPARATOR = "\u200b"  # zero-width space: a token separator for unicode61, invisible on screen
# bm25 weights of the columns title, body, names.
RANK = "bm25(10.0, 1.0, 5.0)"
HIGHLIGHT = ("<mark>", "</mark>")
_CJK = (
    "\u3005\u3007\u3021-\u3029\u3038-\u303b"  # 々 〇 and Hangzhou numerals
    "\u3040-\u30ff"  # kana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han ideographs (ext. A, unified, compat.)
    "\uac00-\ud7af"  # Hangul syllables
    "\U00020000-\U0003134f"  # Han ideographs, extensions B to G
)
_CJK_RUN = re.compile(f"[{_CJK}]+")
BATCH = 1000  # articles refreshed per statement
# What one search may ask. FTS5 scores and highlights (bm25, snippet) inside single SQLite
# steps, out of reach of the time limit, with work growing with the number of terms times
# their occurrences (snippet: its square): these caps bound that work.
MAX_QUERY_CHARS = 200
MAX_TERMS = 10
# Words and "quoted phrases" as Datasette's escape_fts splits them (quotes balanced first).
_TERM = re.compile(r'"[^"]*"|[^\s"]+')

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
# the FTS5 expression (`escape_fts(:q)` in Datasette, a bound parameter in Python).
# Ranking scores every matching row, so a word in half the archive would cost seconds:
# results are ranked among the RANK_WINDOW newest matching articles (a news archive's
# researcher wants the recent best matches), found first through the index in rowid order.
RANK_WINDOW = 2000
_FILTERS = """  and (:site = '' or articles.site = :site)
  and (:date_from = '' or articles.published_date >= :date_from)
  and (:date_to = '' or articles.published_date <= :date_to || '~')"""

RANKED_SQL = f"""select
  articles.id,
  articles.title,
  replace(snippet(articles_search, -1, '<mark>', '</mark>', '…', 24), char(8203), '')
    as snippet,
  articles.site,
  articles.lang,
  articles.published_date,
  articles.url
from articles_search
join articles on articles.id = articles_search.rowid
where articles_search match {{match}}
{_FILTERS}
  and articles_search.rowid >= coalesce((
    select articles_search.rowid from articles_search
    join articles on articles.id = articles_search.rowid
    where articles_search match {{match}}
{_FILTERS}
    order by articles_search.rowid desc limit 1 offset {RANK_WINDOW - 1}), 0)
order by articles_search.rank
limit {{limit}}"""


def segment(text: str) -> str:
    """`text` with a zero-width space between each CJK character and any word character
    beside it, so that FTS5 indexes (and searches) Chinese character by character."""
    if text.isascii():  # O(1) in CPython: most English text needs no scan at all
        return text
    return _CJK_RUN.sub(_separated, text)


def _separated(run: re.Match[str]) -> str:
    """A run of CJK characters, separated, and from word characters on either side."""
    text, start, end = run.string, run.start(), run.end()
    before = SEPARATOR if start and _is_word(text[start - 1]) else ""
    after = SEPARATOR if end < len(text) and _is_word(text[end]) else ""
    return before + SEPARATOR.join(run.group()) + after


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


class SearchQueryError(ArchiveError):
    """A search too long or with too many terms to run, told in one line the user can act on."""


def search_terms(query: str | None) -> list[str]:
    """The words and `"quoted phrases"` of a search box text, each once (in any case), in
    order, each as one quoted FTS5 string (an unbalanced quote is closed at the end, as
    Datasette does)."""
    text = (query or "").replace("\0", " ")
    if text.count('"') % 2:
        text += '"'
    terms: dict[str, str] = {}
    for term in _TERM.findall(text):
        quoted = term if term.startswith('"') else f'"{term}"'
        if quoted != '""':
            terms.setdefault(quoted.lower(), quoted)
    return list(terms.values())


def check_query(query: str | None) -> None:
    """Raise `SearchQueryError` if `query` is past the caps (`MAX_QUERY_CHARS`, `MAX_TERMS`)."""
    text = query or ""
    if len(text) > MAX_QUERY_CHARS:
        raise SearchQueryError(
            f"This search is too long ({len(text):,} characters): "
            f"use at most {MAX_QUERY_CHARS} characters."
        )
    terms = len(search_terms(text))
    if terms > MAX_TERMS:
        raise SearchQueryError(
            f"This search has too many words ({terms}): "
            f'use at most {MAX_TERMS} words or "quoted phrases".'
        )


def fts_query(query: str | None) -> str:
    """A user's search box text as a safe FTS5 expression.

    Each word, or each `"quoted phrase"`, becomes one FTS5 string, so no character is an
    operator (Datasette's escaping), a repeated one only once; then segmented like the index.
    Text with no words at all (`"`, `*`, `-`) becomes the empty phrase, which matches nothing
    instead of failing. The caps are `check_query`'s to enforce.
    """
    return segment(" ".join(search_terms(query))) or '""'


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
) -> list[dict[str, Any]]:
    """Articles matching `query`, best first, with a highlighted `snippet` (the canned
    query's SQL, run from Python). Dates are prefixes: `2023`, `2023-05` or `2023-05-26`.
    Raises `SearchQueryError` past the caps, like the server."""
    check_query(query)
    sql = RANKED_SQL.format(match=":match", limit=":limit")
    params = {
        "match": fts_query(query),
        "site": site,
        "date_from": date_from,
        "date_to": date_to,
        "limit": limit,
    }
    return list(db.query(sql, params))
