"""How the archive's values read in Datasette's tables (`render_cell`): every article title
links to its article page, every credited name to the person's page, a text shows as a short
excerpt, a snippet with its matches highlighted.

Rules are data (`LINKS`): a column, the column of the same row that holds the id, and the
page it leads to. A name without an id in its row (the `credits_flat` and `translations`
views) is looked up.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from archive import reading
from archive.metadata import DATABASE
from archive.snippets import HIGHLIGHT, WIDTH, snippet

if TYPE_CHECKING:
    from datasette.app import Datasette

ARTICLE, PERSON = "articles", "people"
QUERY = None  # the "table" of a canned query's results
# (the tables it applies to, or None: all; the column; the column of the same row holding
# the id; the table whose row page it leads to). The first that applies wins.
LINKS: tuple[tuple[frozenset[str | None] | None, str, str, str], ...] = (
    (None, "title", "article_id", ARTICLE),
    (frozenset({QUERY, ARTICLE}), "title", "id", ARTICLE),
    (None, "name", "person_id", PERSON),
    (None, "translator", "person_id", PERSON),
    (frozenset({PERSON}), "name", "id", PERSON),
)
# Names in these tables' rows have no id beside them: looked up by name.
NAMES_BY_TABLE = {"credits_flat": "name", "translations": "translator"}
EXCERPTS = {("articles", "body")}
SNIPPET_COLUMN = "snippet"


def path(table: str, row_id: Any) -> str:
    return f"/{DATABASE}/{table}/{row_id}"


def link(table: str, row_id: Any, text: Any) -> Markup:
    return Markup(f'<a href="{escape(path(table, row_id))}">{escape(text)}</a>')


def highlighted(value: str) -> Markup:
    """A snippet: the text escaped, its `<mark>` tags kept."""
    html = str(escape(value))
    for tag in HIGHLIGHT:
        html = html.replace(str(escape(tag)), tag)
    return Markup(html)


def excerpt(text: str | None) -> str:
    """The beginning of a text, cut at a word boundary (a snippet with nothing to find)."""
    return snippet(text, None)


def _keys(row: Any) -> Mapping[str, Any]:
    """The row's values by column name (Datasette passes `sqlite3.Row`s)."""
    if isinstance(row, sqlite3.Row):
        return dict(zip(row.keys(), row, strict=True))
    return row if isinstance(row, Mapping) else {}


async def render(
    datasette: Datasette, database: str, table: str | None, row: Any, column: str, value: Any
) -> Markup | None:
    """The cell's HTML, or None to leave it to Datasette."""
    if database != DATABASE or value is None or isinstance(value, bytes):
        return None
    if column == SNIPPET_COLUMN and isinstance(value, str) and HIGHLIGHT[0] in value:
        return highlighted(value)
    if (table, column) in EXCERPTS and isinstance(value, str) and len(value) > WIDTH:
        return Markup(f'<span class="excerpt">{escape(excerpt(value))}</span>')
    keys = _keys(row)
    for tables, name, id_column, target in LINKS:
        if (
            column == name
            and keys.get(id_column) is not None
            and (tables is None or table in tables)
        ):
            return link(target, keys[id_column], value)
    if table in NAMES_BY_TABLE and NAMES_BY_TABLE[table] == column and isinstance(value, str):
        found = await datasette.get_database(DATABASE).execute_fn(
            lambda conn: reading.person_id(conn, value)
        )
        if found is not None:
            return link(PERSON, found, value)
    return None
