"""The public server (`archive/guard.py`, `archive/datasette_plugin.py`): no 500 for bad
parameters, nothing private shown, hostile searches leave normal pages answering. A real
`newsarchive serve --public` process over an archive of long generated articles, asked over
HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from archive import Archive
from bench import generate, hostile
from tests.conftest import serving

pytestmark = pytest.mark.e2e
ARTICLES = 300
STORIES_PER_ARTICLE = 10  # long articles (~10,000 characters), where snippet() costs most


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("guarded") / "archive.db"
    stories = list(generate.articles(ARTICLES * STORIES_PER_ARTICLE, seed=3, with_html=False))
    batch = []
    for start in range(0, len(stories), STORIES_PER_ARTICLE):
        group = stories[start : start + STORIES_PER_ARTICLE]
        batch.append({**group[0], "body": "\n\n".join(story["body"] for story in group)})
    with Archive.open(path) as archive:
        archive.upsert_articles(batch)
    return path


@pytest.fixture(scope="module")
def public(archive_path: Path) -> Iterator[str]:
    with serving("--archive", str(archive_path), "--public") as base:
        yield base


def get(url: str, **params: str) -> httpx.Response:
    return httpx.get(url, params=params, timeout=30)


def error(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, (response.status_code, response.text[:300])
    return str(response.json()["error"])


# Bad parameters: 400 with the reason, never 500


def test_sort_by_a_missing_column_is_a_client_error(public: str) -> None:
    for name in ("_sort", "_sort_desc"):
        assert "nope" in error(get(f"{public}/archive/articles.json", **{name: "nope"}), 400)
    both = get(f"{public}/archive/articles.json", _sort="id", _sort_desc="id")
    assert "_sort and _sort_desc" in error(both, 400)
    page = get(f"{public}/archive/articles", _sort="nope")
    assert page.status_code == 400
    assert "Cannot sort table by nope" in page.text


@pytest.mark.parametrize("through", ["nope", "{bad", '{"table": "x"}', "[1]"])
def test_malformed_through_is_a_client_error(public: str, through: str) -> None:
    assert "_through must be JSON" in error(
        get(f"{public}/archive/articles.json", _through=through), 400
    )


@pytest.mark.parametrize("value", ["[", "[1,", "[{}]"])
def test_malformed_in_list_is_a_client_error(public: str, value: str) -> None:
    assert "id__in must be" in error(get(f"{public}/archive/articles.json", id__in=value), 400)


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        ("search.json", {"q": "river", "_timelimit": "abc"}, "_timelimit"),
        ("articles.json", {"_json_infinity": "maybe"}, "_json_infinity"),
        ("articles.json", {"_facet": "{"}, "_facet must be"),
        ("articles.json", {"_facet_size": "{"}, "_facet_size must be"),
        ("articles.json", {"_facet": "site\0"}, "NUL"),
        ("credits_flat.json", {"_next": "abc"}, "_next"),
        ("articles.json", {"id__gt": "9" * 20}, "id__gt"),
    ],
)
def test_other_malformed_parameters_are_client_errors(
    public: str, path: str, params: dict[str, str], message: str
) -> None:
    assert message in error(get(f"{public}/archive/{path}", **params), 400)


@pytest.mark.parametrize("path", ["/archive/search", "/archive/search.json", "/archive/articles"])
def test_post_is_refused_not_failed(public: str, path: str) -> None:
    response = httpx.post(f"{public}{path}", data={"q": "river"}, timeout=10)
    assert response.status_code == 405
    assert "only reads" in response.text
    assert response.headers["allow"] == "GET, HEAD, OPTIONS"


def test_checks_table() -> None:
    from datasette.utils import MultiParams

    from archive.guard import bad_parameter

    assert bad_parameter(MultiParams({"id__in": ["1,2"], "_through": ["x"]})) is not None
    assert bad_parameter(MultiParams({"id__in": ["[1, 2]"], "_next": ["5"]})) is None
    assert bad_parameter(MultiParams({"title__exact": ["[ not json"]})) is None


# Nothing private


def test_databases_page_names_the_file_not_its_folder(public: str, archive_path: Path) -> None:
    (database,) = get(f"{public}/-/databases.json").json()
    assert (database["name"], database["path"]) == ("archive", "archive.db")
    folder = str(archive_path.parent)
    for path in ["/", "/.json", "/archive", "/archive.json", "/-/databases", "/-/metadata.json"]:
        response = get(f"{public}{path}")
        assert response.status_code == 200, path
        assert folder not in response.text, path


@pytest.mark.parametrize(
    "path",
    ["/-/threads.json", "/-/threads", "/-/versions.json", "/-/plugins.json", "/-/messages"],
)
def test_debug_pages_are_hidden(public: str, path: str) -> None:
    response = get(f"{public}{path}")
    assert response.status_code == 404
    assert "not available" in response.text


def test_raw_search_syntax_is_refused(public: str) -> None:
    response = get(f"{public}/archive/articles.json", _search="a* OR b*", _searchmode="raw")
    assert "_searchmode=raw is not available" in error(response, 400)
    assert get(f"{public}/archive/articles.json", _search="river").status_code == 200


# Hostile searches


def test_hostile_searches_leave_normal_pages_answering(public: str) -> None:
    """Ten hostile searches at once (the caps refuse most; the rest take turns within the
    time limit), while an article page and a one-word search are asked for: those answer
    within a second, and no hostile search gets a 500."""
    normal = ["articles/1.json", "search.json?q=river"]
    hostile_answers, normal_answers = asyncio.run(hostile.attack(f"{public}/archive/", normal))
    assert {a.status for a in normal_answers} == {200}
    assert max(a.seconds for a in normal_answers) < 1.0, normal_answers
    assert {a.status for a in hostile_answers} <= {200, 400, 503}, hostile_answers
    assert max(a.seconds for a in hostile_answers) < 5.0, hostile_answers


def test_refused_search_says_why(public: str) -> None:
    too_long = {"q": "the " * 1000}
    assert "too long" in error(get(f"{public}/archive/search.json", **too_long), 400)
    page = get(f"{public}/archive/search", **too_long)
    assert page.status_code == 400
    assert "This search is too long (4,000 characters): use at most 200" in page.text
    many: dict[str, Any] = {"_search": " ".join(f"word{n}" for n in range(12))}
    assert "too many words" in error(get(f"{public}/archive/articles.json", **many), 400)
