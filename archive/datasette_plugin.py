"""The project's Datasette plugin (entry point `newsarchive` in the `datasette` group).

- Datasette's table search (`?_search=`) and the canned queries pass the user's text through
  the SQL function `escape_fts`; for a newsarchive archive that function is replaced by
  `archive.search.fts_query`, which also segments Chinese like the index, so `衡阳` matches.
  Other databases served alongside keep Datasette's own function.
- Search snippets come from SQLite with `<mark>` around the matched words; they are shown
  highlighted, the rest of the text HTML-escaped.
- `archive.guard` wraps the server: it only reads, refuses searches past the caps before
  they run, takes searches in turns and answers bad parameters with 400; a public server
  (`"public": true` in this plugin's configuration) also refuses raw FTS5 syntax
  (`_searchmode=raw`) and hides its debug pages and its folders.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import TYPE_CHECKING, Any

from datasette import hookimpl
from datasette.utils.asgi import Request, Response
from markupsafe import Markup, escape

from archive import guard
from archive.search import HIGHLIGHT, SEARCH_TABLE, fts_query

if TYPE_CHECKING:  # datasette.app loads this plugin: no import of it at run time
    from datasette.app import Datasette

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
def handle_exception(datasette: Datasette, request: Request, exception: Exception) -> Any:
    message = guard.bad_request(request, exception)
    if message is None:
        return None

    async def answer() -> Response:
        return await guard.error_response(datasette, request, 400, message)

    return answer


@hookimpl
def asgi_wrapper(datasette: Datasette) -> Any:
    return lambda app: guard.guard(datasette, app)


@hookimpl
def register_routes(datasette: Datasette) -> list[tuple[str, Any]]:
    return guard.public_routes() if guard.is_public(datasette) else []


@hookimpl
def render_cell(value: Any, column: str) -> Markup | None:
    if column != SNIPPET_COLUMN or not isinstance(value, str) or HIGHLIGHT[0] not in value:
        return None
    html = str(escape(value))
    for tag in HIGHLIGHT:
        html = html.replace(str(escape(tag)), tag)
    return Markup(html)
