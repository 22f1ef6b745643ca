"""What a request to the archive's Datasette may ask, and the answer when it asks too much.

- Bad parameters are the client's fault: Datasette 0.65 answers 500 to some (`_sort` on a
  missing column, a malformed `_through`, `id__in=[`, `_timelimit=abc`). `bad_request`
  finds the parameter at fault so that the server answers 400 and names it.
- Searches past the caps (`archive.search.check_query`) are refused with the reason (400)
  before they reach an SQL thread; a public server also refuses raw FTS5 syntax. The search's
  JSON and CSV are refused (400) for a form value that cannot be read (a date, a site the
  archive has not: `archive.searchform`), never answered with a silent empty result; its
  page shows the same messages beside the form.
- Searches take turns: at most `search_slots` of them run at once, so the other SQL threads
  always serve other pages; a search that waits longer than `SEARCH_WAIT_S` is told the
  server is busy (503) instead of holding a connection.
- The server only reads: a method other than GET or HEAD is refused (405).
- A public server hides the debug pages and the folder the archive lives in.

Errors are answered as Datasette answers them: JSON for a `.json` path, else its error page.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from datasette.utils.asgi import NotFound, Request, Response

from archive.metadata import DATABASE, PLUGIN
from archive.queries import SEARCH_QUERY
from archive.search import SearchQueryError, check_query
from archive.searchform import archive_sites, read_form

if TYPE_CHECKING:  # datasette.app loads this plugin: no import of it at run time
    from datasette.app import Datasette

logger = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Any, Any], Awaitable[None]]

READ_METHODS = ("GET", "HEAD", "OPTIONS")
SEARCH_WAIT_S = 5.0
# The search's data (its page shows problems beside the form, `archive.searchform`).
SEARCH_DATA = re.compile(rf"^/{DATABASE}/{SEARCH_QUERY}\.(json|csv)$")
# Pages a public server does not show: who runs it (versions, plugins, threads) and debug tools.
HIDDEN_IN_PUBLIC = (
    r"/-/(threads|versions|plugins)(\.json)?$",
    r"/-/(allow-debug|messages|patterns|permissions)$",
)


def _json(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return None


def _is_scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def _is_through(value: str) -> bool:
    through = _json(value)
    return (
        isinstance(through, dict)
        and all(isinstance(through.get(key), str) for key in ("table", "column"))
        and _is_scalar(through.get("value"))
    )


def _is_in_list(value: str) -> bool:
    if not value.startswith("["):
        return True  # a comma-separated list
    items = _json(value)
    return isinstance(items, list) and all(_is_scalar(item) for item in items)


def _is_facet(value: str) -> bool:
    if not value.startswith("{"):
        return True  # a column name
    config = _json(value)
    return isinstance(config, dict) and isinstance(config.get("simple"), str)


def _is_offset(value: str) -> bool:
    return value.isascii() and value.isdecimal() and int(value) < 2**63


def _is_not_huge_number(value: str) -> bool:
    digits = value.removeprefix("-")
    return not (digits.isascii() and digits.isdecimal()) or int(digits) < 2**63


# Parameters Datasette reads without checking them: which (a name pattern), the check, and
# the message ({name}: the parameter's name). The first failed check names the culprit.
PARAMETER_CHECKS: list[tuple[re.Pattern[str], Callable[[str], bool], str]] = [
    (re.compile(""), lambda value: "\0" not in value, "{name} must not contain a NUL character"),
    (
        re.compile(r"^_through$"),
        _is_through,
        "_through must be JSON naming a table, a column and a value: "
        '{"table": "credits", "column": "person_id", "value": "1"}',
    ),
    (
        re.compile(r"__(not)?in$"),
        _is_in_list,
        "{name} must be a comma-separated list (1,2,3) or a JSON list of values ([1, 2, 3])",
    ),
    (
        re.compile(r"^_facet"),
        _is_facet,
        '{name} must be a column name or JSON such as {"simple": "site"}',
    ),
    (
        re.compile(r"^_timelimit$"),
        lambda value: value.isascii() and value.isdecimal(),
        "_timelimit must be a number of milliseconds",
    ),
    (
        re.compile(r"^_json_infinity$"),
        lambda value: value.lower() in ("on", "off", "true", "false", "1", "0"),
        "_json_infinity must be on or off",
    ),
    (re.compile(r"^_next$"), _is_offset, "_next must come from a next-page link of this server"),
    (
        re.compile(r"__"),
        _is_not_huge_number,
        "{name}: a number must lie between -9223372036854775807 and 9223372036854775807",
    ),
]
# Datasette's own errors (raised with status 500) that are the request's fault.
CLIENT_ERRORS = (
    re.compile(r"^Cannot sort table by "),
    re.compile(r"^Cannot use _sort and _sort_desc at the same time"),
    re.compile(r"^Invalid _through"),
)


def bad_parameter(args: Any) -> str | None:
    """The message for the first parameter in `args` (Datasette's `request.args`) that is
    malformed, or None."""
    for pattern, valid, message in PARAMETER_CHECKS:
        for name in args:
            if pattern.search(name) and not all(valid(v) for v in args.getlist(name)):
                return message.replace("{name}", name)
    return None


def bad_request(request: Request, exception: Exception) -> str | None:
    """Why `exception`, raised while Datasette answered `request`, is the request's fault (the
    message to answer with 400), or None if it is not."""
    from datasette.views.base import DatasetteError  # loaded with Datasette, after this module

    message = bad_parameter(request.args)
    if message is not None:
        return message
    if (
        isinstance(exception, DatasetteError)
        and exception.status == 500
        and any(pattern.match(exception.message) for pattern in CLIENT_ERRORS)
    ):
        return str(exception.message)
    return None


async def error_response(
    datasette: Datasette, request: Request, status: int, message: str
) -> Response:
    """An error as Datasette answers one: JSON for a `.json` path, else its error page."""
    info = {"ok": False, "error": message, "status": status, "title": None}
    if request.path.endswith(".json"):
        return Response.json(info, status=status)
    # As Datasette's own handler renders it: no request, so it also works outside its router.
    template = datasette.jinja_env.select_template([f"{status}.html", "error.html"])
    context = {
        **info,
        "urls": datasette.urls,
        "app_css_hash": datasette.app_css_hash(),
        "menu_links": lambda: [],
    }
    return Response.html(await template.render_async(context), status=status)


def is_public(datasette: Datasette) -> bool:
    """Whether this server is for the public (the plugin's `public` setting)."""
    return bool((datasette.plugin_config(PLUGIN) or {}).get("public"))


def search_texts(request: Request) -> list[str]:
    """The search boxes of a request: a table's `_search` and `_search_COLUMN`, the canned
    search's `q`."""
    return [
        value
        for name in request.args
        if name == "q" or (name.startswith("_search") and name != "_searchmode")
        for value in request.args.getlist(name)
    ]


def refused_search(request: Request, *, public: bool) -> str | None:
    """Why the search in `request` is not run (past the caps; raw FTS5 syntax on a public
    server), or None."""
    if public and request.args.get("_searchmode") == "raw":
        return "_searchmode=raw is not available on this server: words are searched as written"
    for text in search_texts(request):
        try:
            check_query(text)
        except SearchQueryError as exc:
            return str(exc)
    return None


def search_slots(datasette: Datasette) -> int:
    """How many searches run at once: all SQL threads but one, which other pages keep."""
    return max(1, int(datasette.setting("num_sql_threads") or 1) - 1)


def guard(datasette: Datasette, app: ASGIApp) -> ASGIApp:
    """`app` (Datasette's ASGI application) refusing writes and searches past the caps, and
    taking searches in turns."""
    turns = asyncio.Semaphore(search_slots(datasette))
    public = is_public(datasette)

    async def guarded(scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        request = Request(scope, receive)
        if scope["method"] not in READ_METHODS:
            message = f"{scope['method']} is not allowed: this server only reads the archive"
            response = await error_response(datasette, request, 405, message)
            response.headers["Allow"] = ", ".join(READ_METHODS)
            await response.asgi_send(send)
            return
        if SEARCH_DATA.match(request.path):
            await datasette.invoke_startup()  # done already in a server; not in ds.client
            form = read_form(request.args, await archive_sites(datasette.get_database(DATABASE)))
            if form.problems:
                response = await error_response(datasette, request, 400, " ".join(form.problems))
                await response.asgi_send(send)
                return
        if not search_texts(request):
            await app(scope, receive, send)
            return
        refused = refused_search(request, public=public)
        if refused is not None:
            await (await error_response(datasette, request, 400, refused)).asgi_send(send)
            return
        try:
            await asyncio.wait_for(turns.acquire(), SEARCH_WAIT_S)
        except TimeoutError:
            logger.warning("searches busy: %s answered 503", request.path)
            message = "The server is busy with other searches: try again in a few seconds."
            response = await error_response(datasette, request, 503, message)
            response.headers["Retry-After"] = "5"
            await response.asgi_send(send)
            return
        try:
            await app(scope, receive, send)
        finally:
            turns.release()

    return guarded


def databases(datasette: Datasette) -> list[dict[str, Any]]:
    """What `/-/databases.json` says, each database's path reduced to its file name."""
    return [
        {
            "name": db.name,
            "route": db.route,
            "path": Path(db.path).name if db.path else None,
            "size": db.size,
            "is_mutable": db.is_mutable,
            "is_memory": db.is_memory,
            "hash": db.hash,
        }
        for name, db in datasette.databases.items()
        if name != "_internal"
    ]


async def databases_view(datasette: Datasette, request: Request) -> Response:
    """`/-/databases(.json)` without the server's folders."""
    data = databases(datasette)
    if request.path.endswith(".json"):
        return Response.json(data)
    context = {"filename": "databases.json", "data_json": json.dumps(data, indent=4)}
    return Response.html(
        await datasette.render_template("show_json.html", context, request=request)
    )


async def hidden_view(request: Request) -> None:
    """A page the public server does not show."""
    raise NotFound(f"{request.path} is not available on this server")


def public_routes() -> list[tuple[str, Callable[..., Awaitable[Any]]]]:
    """The routes a public server answers in place of Datasette's."""
    routes: list[tuple[str, Callable[..., Awaitable[Any]]]] = [
        (r"/-/databases(\.(?P<format>json))?$", databases_view)
    ]
    routes += [(pattern, hidden_view) for pattern in HIDDEN_IN_PUBLIC]
    return routes
