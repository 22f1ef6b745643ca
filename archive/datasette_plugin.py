"""The project's Datasette plugin (entry point `newsarchive` in the `datasette` group).

- Datasette's table search (`?_search=`) and the canned queries pass the user's text through
  the SQL function `escape_fts`; for a newsarchive archive that function is replaced by
  `archive.search.fts_query`, which also segments Chinese like the index, so `衡阳` matches.
  Other databases served alongside keep Datasette's own function.
- Search snippets come from SQLite with `<mark>` around the matched words; they are shown
  highlighted, the rest of the text HTML-escaped.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from datasette import hookimpl
from markupsafe import Markup, escape

from archive.search import HIGHLIGHT, SEARCH_TABLE, fts_query

logger = logging.getLogger(__name__)

SNIPPET_COLUMN = "snippet"


@hookimpl(trylast=True)  # after Datasette's own `escape_fts`, so that this one wins
def prepare_connection(conn: sqlite3.Connection, database: str) -> None:
    found = conn.execute(
        "select 1 from sqlite_master where type = 'table' and name = ?", [SEARCH_TABLE]
    ).fetchone()
    if found:
        logger.debug("%s: escape_fts segments Chinese", database)
        conn.create_function("escape_fts", 1, fts_query, deterministic=True)


@hookimpl
def render_cell(value: Any, column: str) -> Markup | None:
    if column != SNIPPET_COLUMN or not isinstance(value, str) or HIGHLIGHT[0] not in value:
        return None
    html = str(escape(value))
    for tag in HIGHLIGHT:
        html = html.replace(str(escape(tag)), tag)
    return Markup(html)
