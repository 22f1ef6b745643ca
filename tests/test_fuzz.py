"""Fuzzing pipelines/: every public function, given random unicode (lone surrogates too),
huge text, and for ``normalize`` page mappings of any JSON shape (wrong types, deep
nesting), returns without an exception and within a second (issue 10).

The one exception allowed is documented: ``urls.canonical_url`` raises ``ValueError`` for a
URL that cannot be split; ``normalize`` records such a URL as a problem.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
from collections.abc import Callable
from datetime import date
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pipelines
from pipelines import (
    body,
    credits,
    credits_en,
    credits_zh,
    dates,
    limits,
    names,
    roles,
    sources,
    text,
    urls,
)
from pipelines.normalize import FIELDS, normalize

TODAY = date(2025, 6, 30)
FUZZ = settings(
    max_examples=200,
    deadline=1000,  # milliseconds an example may take
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Characters: any code point, lone surrogates, and what the patterns look for.
CHARS = st.one_of(
    st.characters(exclude_categories=()),
    st.characters(categories=["Cs"]),
    st.sampled_from(" \n\r\t\u3000\xa0|:：()（）[]【】,，、.。!?/>»-—·¡¯¡°0123456789A"),
)
# Pieces of page text the patterns react to (labels, roles, dates, widgets, datelines).
PIECES = st.sampled_from(
    [
        "From:",
        "Source:",
        "来源:",
        "发布时间:",
        "Date Add in:",
        "Updated:",
        "Time:",
        "2019-02-01",
        "2023年05月26日",
        "10:20",
        "May 26",
        "on May 26",
        " News on ",
        "Reporter ",
        "Correspondent ",
        "Photo/",
        "Photo by ",
        "Translator:",
        "Translated by ",
        "Chinese source:",
        "This article is from ",
        "Editor:",
        "By ",
        " and ",
        "记者 ",
        "通讯员",
        "责任编辑:",
        "作者:",
        " 摄",
        "讯",
        "[A A]",
        "Views:",
        "| ",
        "Home>",
        "Copyright",
        "Li Ming",
        "张三",
        "http://x.gov.cn/t20190201_1.html",
    ]
)
TEXT = st.lists(st.one_of(st.text(CHARS, max_size=20), PIECES), max_size=30).map("".join)
# Huge: a piece of text repeated, up to 20,000 characters (far larger pages, up to the
# limits, are measured in test_normalize.py), one string in four.
HUGE = st.builds(lambda piece, times: (piece * times)[:20_000], TEXT, st.integers(1, 5_000))
STRINGS = st.integers(0, 3).flatmap(lambda pick: HUGE if pick == 0 else TEXT)
LINES = st.one_of(st.lists(TEXT, max_size=30), STRINGS.map(text.prepare))


def _nested(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


# Any value a JSON page (or a careless caller) may hold, deeply nested ones included.
VALUES = st.one_of(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | STRINGS,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=10,
    ),
    st.integers(0, 5_000).map(_nested),  # deeper than Python recursion goes
)
URLS = st.one_of(
    st.sampled_from(
        [
            "http://www.enghunan.gov.cn/hneng/News/202306/t20230605_1.html",
            "http://host:99999/",
            "http://[/",
            "http://[::1]:8080/a",
            "javascript:alert(1)",
            "http://x.cn/c/2099/01/01/1.html",
        ]
    ),
    TEXT,
)
PAGES = st.fixed_dictionaries(
    {},
    optional={
        "url": st.one_of(URLS, VALUES),
        "text": st.one_of(STRINGS, VALUES),
        "title": st.one_of(TEXT, VALUES),
        "lang": st.one_of(st.sampled_from(["en", "zh"]), VALUES),
        "html": VALUES,
    },
)


def _index(lines: list[str]) -> st.SearchStrategy[int | None]:
    return st.none() | st.integers(0, len(lines) - 1) if lines else st.none()


def _canonical_url(url: str) -> None:
    try:
        urls.canonical_url(url)
    except ValueError:  # documented: a URL that cannot be split
        return


def _body(data: st.DataObject) -> None:
    page = data.draw(STRINGS)
    lines, written = text.prepare(page), text.as_written(page)
    anchor = data.draw(_index(lines))
    skip = data.draw(st.sets(st.integers(0, len(lines))))
    body.extract_body(
        lines, anchor=anchor, skip=skip, written=data.draw(st.sampled_from([written, None]))
    )


def _with_lines(function: Callable[..., object], **index: bool) -> Callable[[st.DataObject], None]:
    """``function(lines)``, with an index into the lines for each keyword in ``index``."""

    def call(data: st.DataObject) -> None:
        lines = data.draw(LINES)
        function(lines, **{name: data.draw(_index(lines)) for name in index})

    return call


def _on(function: Callable[..., object], *strategies: st.SearchStrategy[Any], **kw: Any):
    def call(data: st.DataObject) -> None:
        function(*(data.draw(s) for s in strategies), **{k: data.draw(v) for k, v in kw.items()})

    return call


TABLES = st.sampled_from(
    [
        text.WIDGET_LINES,
        text.FOOTER_LINES,
        text.LABEL_LINES,
        text.CLOSING_LINES,
        text.CREDIT_ONLY_LINES,
    ]
)
ROLES = st.sampled_from([None, *credits.ROLES])
DATES = st.dates()

CALLS: dict[str, Callable[[st.DataObject], None]] = {
    "text.repair_mojibake": _on(text.repair_mojibake, STRINGS),
    "text.as_written": _on(text.as_written, STRINGS),
    "text.prepare": _on(text.prepare, STRINGS),
    "text.restore": _on(text.restore, TEXT, STRINGS, STRINGS),
    "text.detect_lang": _on(text.detect_lang, STRINGS),
    "text.is_prose": _on(text.is_prose, STRINGS),
    "text.union": _on(lambda table: text.union(table).search("x"), TABLES),
    "text.matches": _on(text.matches, STRINGS, TABLES),
    "text.is_widget": _on(text.is_widget, STRINGS),
    "text.is_label": _on(text.is_label, STRINGS),
    "text.strip_meta_prefix": _on(text.strip_meta_prefix, STRINGS),
    "text.first_prose": _with_lines(text.first_prose),
    "text.header_end": _on(text.header_end, LINES, st.integers(1, 5)),
    "body.extract_body": _body,
    "body.find_title": _with_lines(body.find_title, anchor=True),
    "dates.parse_line": _on(dates.parse_line, STRINGS, fallback=st.booleans()),
    "dates.is_meta": _on(dates.is_meta, STRINGS),
    "dates.check": _on(dates.check, DATES, DATES, errors=st.sampled_from(["null", "record"])),
    "dates.from_url": _on(dates.from_url, STRINGS),
    "dates.find": _on(dates.find, LINES, URLS, today=DATES),
    "sources.load_registry": _on(sources.load_registry),
    "sources.find": _with_lines(sources.find, date_line=True),
    "sources.canonical": _on(sources.canonical, st.none() | STRINGS),
    "sources.unknown": _on(sources.unknown, st.lists(st.none() | TEXT, max_size=10)),
    "names.split_run": _on(names.split_run, STRINGS),
    "names.surname_of": _on(names.surname_of, STRINGS),
    "names.is_zh_name": _on(names.is_zh_name, STRINGS),
    "names.is_en_name": _on(names.is_en_name, STRINGS, loose=st.booleans()),
    "names.is_org": _on(names.is_org, STRINGS, acronyms=st.booleans()),
    "credits_zh.parse_lead": _on(credits_zh.parse_lead, STRINGS),
    "credits_zh.parse_zh": _on(credits_zh.parse_zh, STRINGS, ROLES),
    "credits_zh.is_credit_line": _on(credits_zh.is_credit_line, STRINGS),
    "credits_en.parse_en": _on(credits_en.parse_en, STRINGS, ROLES, loose=st.booleans()),
    "roles.group": _on(lambda role: roles.group(role, credits_en.parse_en), ROLES),
    "roles.rule": _on(lambda: roles.rule(credits.RULES, "")),
    "credits.find": _with_lines(credits.find),
    "urls.canonical_url": _on(_canonical_url, st.one_of(URLS, STRINGS)),
    "limits.cut": _on(limits.cut, STRINGS),
    "limits.string": _on(limits.string, PAGES, st.sampled_from(["url", "text", "title"])),
}


@pytest.fixture(scope="module", autouse=True)
def _dateparser_loaded() -> None:
    """dateparser takes a second or two to load: once, before the deadlines count."""
    assert dates.parse_line("Updated: 26/05/2023") is not None


@pytest.mark.parametrize("name", sorted(CALLS))
@FUZZ
@given(data=st.data())
def test_function_takes_any_input(name: str, data: st.DataObject) -> None:
    CALLS[name](data)


@FUZZ
@given(page=PAGES, today=DATES)
def test_normalize_takes_any_page(page: dict[str, Any], today: date) -> None:
    article = normalize(page, today=today)
    assert list(article) == list(FIELDS)
    assert isinstance(article["url"], str) and isinstance(article["body"], str)
    json.dumps(article)  # plain data only
    for problem in article["problems"]:
        assert set(problem) == {"field", "reason", "value"}


def _public(module: ModuleType) -> set[str]:
    return {
        f"{module.__name__.removeprefix('pipelines.')}.{name}"
        for name, value in vars(module).items()
        if inspect.isfunction(value) and value.__module__ == module.__name__ and name[0] != "_"
    }


# Every module of pipelines, found, not listed: a new one is fuzzed from the start.
# (`normalize` is fuzzed whole, by test_normalize_takes_any_page.)
PIPELINE_MODULES = sorted(
    info.name for info in pkgutil.iter_modules(pipelines.__path__) if info.name != "normalize"
)


@pytest.mark.parametrize("name", PIPELINE_MODULES)
def test_every_public_function_is_fuzzed(name: str) -> None:
    assert _public(importlib.import_module(f"pipelines.{name}")) <= set(CALLS)
