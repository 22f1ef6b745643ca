"""The project's Datasette plugin (entry point `newsarchive` in the `datasette` group): the
hooks only, each handing over to the module that does the work.

- `prepare_connection`: for a newsarchive archive, Datasette's `escape_fts` (which the table
  search and the canned queries pass the user's text through) becomes
  `archive.searchquery.fts_query` (phrases, `-word`, `OR`, Chinese segmented like the index),
  and the ranked search's SQL functions are registered (`archive.search.register_functions`).
- `startup`: the archive is named `archive` in every URL, whatever its file is called.
- `prepare_jinja2_environment`, `extra_template_vars`, `extra_css_urls`, `render_cell`,
  `register_facet_classes`, `register_routes`: the reading room (`archive.room`,
  `archive.cells`, `archive.facets`, templates in `archive/templates/`).
- `asgi_wrapper`, `handle_exception`: `archive.guard` wraps the server: it only reads,
  refuses searches past the caps before they run, takes searches in turns and answers bad
  parameters with 400; a public server also refuses raw FTS5 syntax and hides its debug
  pages and its folders.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import TYPE_CHECKING, Any

from datasette import hookimpl
from datasette.utils.asgi import Request, Response, asgi_static
from jinja2 import ChoiceLoader, Environment, FileSystemLoader
from markupsafe import Markup

from archive import cells, guard, room
from archive.facets import ChronologicalFacet
from archive.metadata import DATABASE, PLUGIN
from archive.search import SEARCH_TABLE, fts_query, register_functions

if TYPE_CHECKING:  # datasette.app loads this plugin: no import of it at run time
    from datasette.app import Datasette

logger = logging.getLogger(__name__)


@hookimpl(trylast=True)  # after Datasette's own `escape_fts`, so that this one wins
def prepare_connection(conn: sqlite3.Connection, database: str) -> None:
    found = conn.execute(
        "select 1 from sqlite_master where type = 'table' and name = ?", [SEARCH_TABLE]
    ).fetchone()
    if found:
        logger.debug("%s: escape_fts reads the search box", database)
        conn.create_function("escape_fts", 1, fts_query, deterministic=True)
        register_functions(conn)


@hookimpl
def startup(datasette: Datasette) -> None:
    """Name the archive `archive` (Datasette names a database after its file)."""
    named = (datasette.plugin_config(PLUGIN) or {}).get("database") or DATABASE
    if named != DATABASE and named in datasette.databases and DATABASE not in datasette.databases:
        database = datasette.databases[named]
        datasette.remove_database(named)
        datasette.add_database(database, name=DATABASE, route=DATABASE)
        logger.info("%s is served as /%s", named, DATABASE)


@hookimpl
def prepare_jinja2_environment(env: Environment, datasette: Datasette) -> None:
    """The project's templates, after `--template-dir`'s and before Datasette's own."""
    own = [FileSystemLoader(datasette.template_dir)] if datasette.template_dir else []
    assert env.loader is not None
    env.loader = ChoiceLoader([*own, FileSystemLoader(str(room.TEMPLATES)), env.loader])


@hookimpl
def extra_template_vars(
    datasette: Datasette,
    template: str,
    view_name: str,
    database: str | None,
    table: str | None,
    request: Request | None,
) -> Any:
    async def template_vars() -> dict[str, Any]:
        return await room.template_vars(datasette, template, view_name, database, table, request)

    return template_vars


@hookimpl
def extra_css_urls() -> list[str]:
    return [room.CSS_URL]


@hookimpl
def render_cell(
    datasette: Datasette, database: str, table: str | None, row: Any, column: str, value: Any
) -> Any:
    async def rendered() -> Markup | None:
        return await cells.render(datasette, database, table, row, column, value)

    return rendered


@hookimpl
def register_facet_classes() -> list[type]:
    return [ChronologicalFacet]


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
    routes: list[tuple[str, Any]] = [
        (room.CAPTURED + "$", room.captured_frame),
        (room.CAPTURED + "/page$", room.captured_page),
        ("^" + room.STATIC_PATH + "(?P<path>.*)$", asgi_static(room.STATIC)),
    ]
    return routes + (guard.public_routes() if guard.is_public(datasette) else [])
