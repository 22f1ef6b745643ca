"""Full-text search that works for Chinese as well as English: the `articles_search` index.

FTS5's `unicode61` tokenizer reads a run of Chinese characters as one token, so `衡阳` would
never match `衡阳市召开防汛工作会议`. The index therefore holds the text *segmented*: a
zero-width space (U+200B, which unicode61 treats as a separator and a browser does not show)
between each Chinese character and its neighbours, so that every character is a token. A
query is segmented the same way (`fts_query`): `衡阳` becomes the phrase `"衡​阳"`, two
adjacent tokens, which matches the word wherever it occurs; longer phrases work alike. English
text is unchanged.

`articles_search` is an ordinary (content-holding) FTS5 table, one row per article with
rowid = articles.id and the columns title, body and names (everyone credited). `ingest`
refreshes the rows of the articles a batch touches; the `m002_search` migration fills it for
existing archives. The ranking (`rank`) weighs a match in the title ten times one in the
body.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
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
# A boundary between a CJK character and any word character next to it.
_BOUNDARY = re.compile(rf"(?<=[{_CJK}])(?=\w)|(?<=\w)(?=[{_CJK}])")
_ANY_CJK = re.compile(f"[{_CJK}]")  # a quick test that spares most English text the above
BATCH = 1000  # articles refreshed per statement
# What one search may ask. FTS5 scores and highlights (bm25, snippet) inside single SQLite
# steps, out of reach of the time limit, with work growing with the number of terms times
# their occurrences (snippet: its square): these caps bound that work.
MAX_QUERY_CHARS = 200
MAX_TERMS = 10
# Words and "quoted phrases" as Datasette's escape_fts splits them (quotes balanced first).
_TERM = re.compile(r'"[^"]*"|[^\s"]+')

# The articles the search index is (re)built from: text plus every credited name in page order.
_SOURCE_SQL = """
select articles.id, articles.title, articles.body,
  (select group_concat(name, ' ') from (
     select people.name from credits join people on people.id = credits.person_id
     where credits.article_id = articles.id order by credits.position)) as names
from articles where articles.id in (select value from json_each(:ids))
"""

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
    if not _ANY_CJK.search(text):
        return text
    return _BOUNDARY.sub(SEPARATOR, text)


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


def create_index(db: Database) -> None:
    """The `articles_search` table and the trigger that drops a deleted article from it."""
    db.execute(
        f"create virtual table {SEARCH_TABLE} using fts5(title, body, names, tokenize='unicode61')"
    )
    db.execute(f"insert into {SEARCH_TABLE} ({SEARCH_TABLE}, rank) values ('rank', '{RANK}')")
    db.execute(
        f"create trigger articles_search_ad after delete on articles begin"
        f" delete from {SEARCH_TABLE} where rowid = old.id; end"
    )


def refresh(db: Database, article_ids: Iterable[int]) -> int:
    """Rewrite the index rows of these articles from their current text and credits;
    returns how many were written. The caller holds the transaction."""
    ids = sorted(set(article_ids))
    written = 0
    for start in range(0, len(ids), BATCH):
        batch = json.dumps(ids[start : start + BATCH])
        db.execute(
            f"delete from {SEARCH_TABLE} where rowid in (select value from json_each(?))", [batch]
        )
        rows = [
            (
                row["id"],
                segment(row["title"] or ""),
                segment(row["body"]),
                segment(row["names"] or ""),
            )
            for row in db.query(_SOURCE_SQL, {"ids": batch})
        ]
        db.conn.executemany(
            f"insert into {SEARCH_TABLE} (rowid, title, body, names) values (?, ?, ?, ?)", rows
        )
        written += len(rows)
    return written


def rebuild(db: Database) -> int:
    """Index every article (the migration's backfill)."""
    count = refresh(db, (row[0] for row in db.execute("select id from articles")))
    logger.info("search index: %d articles indexed", count)
    return count


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
