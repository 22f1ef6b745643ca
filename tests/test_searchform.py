"""The search form read and checked (`archive/searchform.py`): each problem with its message,
the page number, the links to other pages."""

from __future__ import annotations

import pytest

from archive.search import LAST_PAGE
from archive.searchform import read_form, read_page

SITES = ["hengyang", "hunan"]


@pytest.mark.parametrize(
    ("args", "problems"),
    [
        ({"q": "tea"}, []),
        ({"q": "tea", "site": "Hengyang", "date_from": "2019-8"}, []),
        ({"q": "tea", "date_from": "2024", "date_to": "2024-01"}, []),
        ({"q": "tea", "date_from": "2024-13"}, ["From: '2024-13' is not a date"]),
        ({"q": "tea", "date_to": "soon"}, ["To: 'soon' is not a date"]),
        ({"q": "tea", "date_from": "2024", "date_to": "2023"}, ["From (2024) is after To (2023)"]),
        ({"q": "tea", "site": "nowhere"}, ["no site 'nowhere': choose one of hengyang, hunan"]),
        ({"q": "-tea"}, ["only leaves words out"]),
    ],
)
def test_problems(args: dict[str, str], problems: list[str]) -> None:
    found = read_form(args, SITES).problems
    assert len(found) == len(problems), found
    for message, expected in zip(found, problems, strict=True):
        assert expected in message


def test_a_site_is_read_in_any_case() -> None:
    assert read_form({"site": " Hengyang "}, SITES).values["site"] == "hengyang"


@pytest.mark.parametrize(
    ("value", "page"), [(None, 1), ("", 1), ("2", 2), ("0", 1), ("x", 1), ("9" * 30, LAST_PAGE)]
)
def test_read_page(value: str | None, page: int) -> None:
    assert read_page(value) == page


def test_links_to_other_pages_keep_the_form() -> None:
    form = read_form({"q": "tea -festival", "site": "hunan", "page": "2"}, SITES)
    assert form.url("/archive/search", page="3") == (
        "/archive/search?q=tea+-festival&site=hunan&page=3"
    )
    assert form.url("/archive/search", page="1") == "/archive/search?q=tea+-festival&site=hunan"
    assert (form.pages(0), form.pages(20), form.pages(21), form.pages(10**6)) == (1, 1, 2, 100)
