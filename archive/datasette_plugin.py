"""The project's Datasette plugin (entry point `newsarchive` in the `datasette` group).

- Datasette's table search (`?_search=`) passes the user's text through the SQL function
  `escape_fts`; for a newsarchive archive that function is replaced by
  `archive.search.fts_query`, which also segments Chinese like the index, so `衡阳` matches.
  Other databases served alongside keep Datasette's own function. The canned search reads
  its box `q` as the magic parameter `:_search_q`, the same expression.
- Every search is checked against the caps (`archive.search.check_query`) before it runs:
  past them the answer is 400 with the reason, on the search page above its form.
- Search snippets come from SQLite with `<mark>` around the matched words; they are shown
  highlighted, the rest of the text HTML-escaped.
- The server only reads, takes searches in turns and answers bad parameters with 400
  (`archive.guard`); a public server (`"public": true` in this plugin's configuration)
  refuses raw FTS5 syntax (`_searchmode=raw`), hides its debug pages and its folders.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import TYPE_CHECKING, Any

from datasette import hookimpl
from datasette.utils.asgi import BadRequest, Request, Response
from markupsafe import Markup, escape

from archive import guard
from archive.search import HIGHLIGHT, SEARCH_TABLE, SearchQueryError, check_query, fts_query

if TYPE_CHECKING:  # datasette.app loads this plugin: no import of it at run time
    from datasette.app import Datasette

logger = logging.getLogger(__name__)

PLUGIN = "newsarchive"
SNIPPET_COLUMN = "snippet"


def is_public(datasette: Datasette) -> bool:
    return bool((datasette.plugin_config(PLUGIN) or {}).get("public"))


@hookimpl(trylast=True)  # after Datasette's own `escape_fts`, so that this one wins
def prepare_connection(conn: sqlite3.Connection, database: str) -> None:
    found = conn.execute(
        "select 1 from sqlite_master where type = 'table' and name = ?", [SEARCH_TABLE]
    ).fetchone()
    if found:
        logger.debug("%s: escape_fts segments Chinese", database)
        conn.create_function("escape_fts", 1, fts_query, deterministic=True)


def search_parameter(key: str, request: Request) -> str:
    """`:_search_KEY`: the FTS5 expression of the box `KEY`. Past the caps, an SQL error whose
    message Datasette shows above the query's form (and in its JSON)."""
    text = request.args.get(key) or ""
    try:
        check_query(text)
    except SearchQueryError as exc:
        raise sqlite3.OperationalError(str(exc)) from None
    return fts_query(text)


@hookimpl
def register_magic_parameters(datasette: Datasette) -> list[tuple[str, Any]]:
    return [("search", search_parameter)]


@hookimpl
def filters_from_request(request: Request, datasette: Datasette) -> None:
    """Check a table's `_search` and `_search_COLUMN` (400 past the caps); a public server
    refuses `_searchmode=raw`."""
    if request.args.get("_searchmode") == "raw" and is_public(datasette):
        raise BadRequest(
            "_searchmode=raw is not available on this server: words are searched as written"
        )
    for name in request.args:
        if name.startswith("_search") and name != "_searchmode":
            try:
                check_query(request.args.get(name))
            except SearchQueryError as exc:
                raise BadRequest(str(exc)) from None


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
    return guard.public_routes() if is_public(datasette) else []


@hookimpl
def render_cell(value: Any, column: str) -> Markup | None:
    if column != SNIPPET_COLUMN or not isinstance(value, str) or HIGHLIGHT[0] not in value:
        return None
    html = str(escape(value))
    for tag in HIGHLIGHT:
        html = html.replace(str(escape(tag)), tag)
    return Markup(html)
