"""The reading room: what the project's templates (`archive/templates/`) are given, and the
pages of its own (the page as captured).

Datasette keeps its views, and with them JSON, CSV and permissions: an article is its row page
(`/archive/articles/<id>`, template `row-archive-articles.html`), a person theirs
(`/archive/people/<id>`), the search is the `search` canned query (`query-archive-search.html`),
the chart the `articles_per_month` one. `template_vars` adds what each template shows beyond
the row or the rows. The page as captured is the plugin's: `/archive/articles/<id>/captured`
frames `/archive/articles/<id>/captured/page`, the stored page made safe (`archive.sanitize`).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from datasette.utils.asgi import Forbidden, NotFound, Request, Response

from archive import chart, reading
from archive.cells import highlighted
from archive.metadata import DATABASE, PLUGIN, PRIVATE_TABLES, TABLES
from archive.queries import CHART_QUERY, EXAMPLES, PEOPLE_QUERY, SEARCH_QUERY
from archive.sanitize import HEADERS, safe_page
from archive.search import PAGE_SIZE, RANK_WINDOW
from archive.searchform import archive_sites, read_form
from archive.searchquery import DATE_HELP, MAX_TERMS

if TYPE_CHECKING:
    from datasette.app import Datasette

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"
STATIC_PATH = f"/-/static-plugins/{PLUGIN}/"
CSS_URL = STATIC_PATH + "reading.css"
CAPTURED = rf"^/{DATABASE}/articles/(?P<id>\d+)/captured"


def site_titles(datasette: Datasette) -> dict[str, str]:
    """Each site's title by its key, as the application passed them (may be empty)."""
    return dict((datasette.plugin_config(PLUGIN) or {}).get("sites") or {})


def links(datasette: Datasette) -> dict[str, str]:
    """The reading room's main pages."""
    urls = datasette.urls
    return {
        "search": urls.path(f"/{DATABASE}/{SEARCH_QUERY}"),
        "articles": urls.table(DATABASE, "articles"),
        "people": urls.path(f"/{DATABASE}/{PEOPLE_QUERY}"),
        "chart": urls.path(f"/{DATABASE}/{CHART_QUERY}"),
    }


def _row_id(request: Request) -> int:
    pks = str(request.url_vars.get("pks") or "")
    if not pks.isdecimal():
        raise NotFound(f"No article or person {pks!r}")
    return int(pks)


async def _article(datasette: Datasette, request: Request) -> dict[str, Any]:
    article_id = _row_id(request)
    found = await datasette.get_database(DATABASE).execute_fn(
        lambda conn: reading.article(conn, article_id)
    )
    return {"article": found}


async def _person(datasette: Datasette, request: Request) -> dict[str, Any]:
    person_id = _row_id(request)
    found = await datasette.get_database(DATABASE).execute_fn(
        lambda conn: reading.person(conn, person_id)
    )
    return {"person": found}


async def _search(datasette: Datasette, request: Request) -> dict[str, Any]:
    sites = await archive_sites(datasette.get_database(DATABASE))
    titles = site_titles(datasette)
    return {
        "search": read_form(request.args, sites),
        "site_menu": [(site, titles.get(site) or site) for site in sites],
        "examples": EXAMPLES,
        "date_help": DATE_HELP,
        "page_size": PAGE_SIZE,
        "rank_window": RANK_WINDOW,
        "max_terms": MAX_TERMS,
    }


async def _chart(datasette: Datasette, request: Request) -> dict[str, Any]:
    titles = site_titles(datasette)
    return {"chart_svg": lambda rows: chart.svg(rows, titles)}


# Template name -> what it is given.
TEMPLATE_VARS = {
    f"row-{DATABASE}-articles.html": _article,
    f"row-{DATABASE}-people.html": _person,
    f"query-{DATABASE}-{SEARCH_QUERY}.html": _search,
    f"query-{DATABASE}-{CHART_QUERY}.html": _chart,
}


async def template_vars(
    datasette: Datasette,
    template: str,
    view_name: str,
    database: str | None,
    table: str | None,
    request: Request | None,
) -> dict[str, Any]:
    """What `template` shows beyond Datasette's context (the `extra_template_vars` hook)."""
    common: dict[str, Any] = {
        "room": links(datasette),
        "site_titles": site_titles(datasette),
        "highlighted": highlighted,
        "paragraphs": reading.paragraphs,
        "internal_tables": PRIVATE_TABLES,
        "table_descriptions": {name: table["description"] for name, table in TABLES.items()},
    }
    if view_name == "table" and database and table:
        # Column descriptions go behind a link (table.html): not above the rows.
        metadata = dict(datasette.table_metadata(database, table))
        datasette.update_with_inherited_metadata(metadata)
        common["column_descriptions"] = metadata.pop("columns", None) or {}
        common["metadata"] = metadata
    build = TEMPLATE_VARS.get(template)
    if build is None or request is None or database != DATABASE:
        return common
    return {**common, **await build(datasette, request)}


async def _visible(datasette: Datasette, request: Request) -> None:
    visible, _ = await datasette.check_visibility(
        request.actor,
        permissions=[
            ("view-table", (DATABASE, "articles")),
            ("view-database", DATABASE),
            "view-instance",
        ],
    )
    if not visible:
        raise Forbidden("You do not have permission to view this article")


async def _capture(datasette: Datasette, request: Request) -> tuple[int, str, str]:
    await _visible(datasette, request)
    article_id = int(request.url_vars["id"])
    found = await datasette.get_database(DATABASE).execute_fn(
        lambda conn: reading.capture(conn, article_id)
    )
    if found is None:
        raise NotFound(f"Article {article_id} has no captured page in this archive")
    return article_id, *found


async def captured_frame(datasette: Datasette, request: Request) -> Response:
    """The page as captured, framed: what it is and where it was, then the page itself in a
    sandboxed frame."""
    article_id, url, _ = await _capture(datasette, request)
    found = await datasette.get_database(DATABASE).execute_fn(
        lambda conn: reading.article(conn, article_id)
    )
    context = {
        "article": found,
        "captured_url": url,
        "page_url": datasette.urls.path(f"/{DATABASE}/articles/{article_id}/captured/page"),
        "article_url": datasette.urls.row(DATABASE, "articles", article_id),
        "room": links(datasette),
    }
    page = await datasette.render_template("newsarchive-captured.html", context, request=request)
    return Response.html(page)


async def captured_page(datasette: Datasette, request: Request) -> Response:
    """The stored page made safe, served so that nothing on it runs or loads (`HEADERS`)."""
    _, _, page = await _capture(datasette, request)
    return Response.html(safe_page(page), headers=dict(HEADERS))
