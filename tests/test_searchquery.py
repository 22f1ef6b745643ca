"""The search box read as a researcher expects (`archive/searchquery.py`): phrases, `-word`,
`OR`, Chinese; the caps; the matched words found again for snippets; the form's dates. The
operators are checked against a real FTS5 index."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator

import pytest

from archive.searchquery import (
    MAX_TERMS,
    Query,
    SearchDateError,
    SearchQueryError,
    check_query,
    date_prefix,
    fts_query,
    matches,
    parse,
    sql_date_prefix,
)
from archive.segment import SEPARATOR, segment

Z = SEPARATOR


@pytest.mark.parametrize(
    ("text", "groups", "excluded"),
    [
        ("tea festival", (("tea",), ("festival",)), ()),
        ('"night market" tea', (("night market",), ("tea",)), ()),
        ("tea -festival", (("tea",),), ("festival",)),
        ('tea -"night market"', (("tea",),), ("night market",)),
        ("tea OR coffee festival", (("tea", "coffee"), ("festival",)), ()),
        ("a OR b OR c", (("a", "b", "c"),), ()),
        ("OR tea", (("tea",),), ()),  # nothing before OR: dropped
        ("tea OR", (("tea",),), ()),
        ("tea or coffee", (("tea",), ("or",), ("coffee",)), ()),  # lower case: a word
        ("-tea OR coffee", (("coffee",),), ("tea",)),  # OR after a left-out word: none
        ("tea Tea TEA", (("tea",),), ()),
        ("tea -tea", (("tea",),), ("tea",)),
        ("Ten-Year ban", (("Ten-Year",), ("ban",)), ()),  # a hyphen inside: one word
        ("river -", (("river",),), ()),
        ('"" * - ^', (), ()),
        ('open "quote', (("open",), ("quote",)), ()),
        ("长沙 -湘江", (("长沙",),), ("湘江",)),
    ],
)
def test_parse(text: str, groups: tuple, excluded: tuple) -> None:
    assert parse(text) == Query(groups, excluded)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tea", '"tea"'),
        ("tea festival", '"tea" AND "festival"'),
        ("tea -festival", '("tea") NOT "festival"'),
        ("tea -festival -night", '("tea") NOT ("festival" OR "night")'),
        ("tea OR coffee festival", '("tea" OR "coffee") AND "festival"'),
        ('"rail bridge"', '"rail bridge"'),
        ("长沙", f'"长{Z}沙"'),
        ("AND( NEAR(", '"AND(" AND "NEAR("'),
        ("-tea", '""'),  # check_query refuses it; as FTS5 it matches nothing
        ("", '""'),
    ],
)
def test_fts_query(text: str, expected: str) -> None:
    assert fts_query(text) == expected


@pytest.fixture(scope="module")
def index() -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(":memory:")
    conn.execute("create virtual table docs using fts5(body)")
    for body in [
        "Tea festival opens by the river",
        "Tea growers try drones",
        "A coffee festival for the night market",
        "长沙夜经济再添新地标",
        "株洲至长沙南站的公交",
        "湘江边的老码头",
    ]:
        conn.execute("insert into docs (body) values (?)", [segment(body)])
    yield conn
    conn.close()


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("tea -festival", ["Tea growers try drones"]),
        ("festival -tea", ["A coffee festival for the night market"]),
        (
            "tea OR coffee festival",
            ["Tea festival opens by the river", "A coffee festival for the night market"],
        ),
        ('"night market"', ["A coffee festival for the night market"]),
        ('"market night"', []),
        ("长沙", ["长沙夜经济再添新地标", "株洲至长沙南站的公交"]),
        ("长沙 -株洲", ["长沙夜经济再添新地标"]),
        ("湘江 OR 株洲", ["株洲至长沙南站的公交", "湘江边的老码头"]),
    ],
)
def test_operators_find_what_they_say(
    index: sqlite3.Connection, text: str, found: list[str]
) -> None:
    rows = index.execute(
        "select body from docs where docs match ? order by rowid", [fts_query(text)]
    ).fetchall()
    assert [row[0].replace(Z, "") for row in rows] == found


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tea", None),
        ("tea -festival", None),
        ("-tea", "only leaves words out (-tea): add a word to find"),
        ("-tea -coffee", "only leaves words out"),
        (" ".join(f"w{n}" for n in range(MAX_TERMS)), None),
        (" ".join(f"w{n}" for n in range(MAX_TERMS - 1)) + " -x -y", "too many words (11)"),
        ("a OR b OR c OR d OR e OR f OR g OR h OR i OR j OR k", "too many words (11)"),
    ],
)
def test_check_query(text: str, message: str | None) -> None:
    if message is None:
        check_query(text)
    else:
        with pytest.raises(SearchQueryError, match=re.escape(message)):
            check_query(text)


@pytest.mark.parametrize(
    ("query", "text", "marked"),
    [
        ("bridge", "The Bridge and the bridges, a bridge.", ["Bridge", "bridge"]),
        ('"rail bridge"', "the rail  bridge, the rail-bridge", ["rail  bridge", "rail-bridge"]),
        ("长沙", "株洲至长沙南站", ["长沙"]),
        ("G4高速", "沿G4高速北上", ["G4高速"]),
        ("tea -festival", "tea festival", ["tea"]),  # a left-out word is not highlighted
        ("tea OR coffee", "coffee and tea", ["coffee", "tea"]),
    ],
)
def test_matches_finds_the_words_as_fts5_matches_them(
    query: str, text: str, marked: list[str]
) -> None:
    assert [text[start:end] for start, end in matches(text, query)] == marked


def test_matches_without_words() -> None:
    assert matches("tea", "-tea") == []
    assert matches("tea", "") == []


def test_a_longer_term_wins_and_matches_never_overlap() -> None:
    text = "the tea house and the tea housework"
    assert [text[s:e] for s, e in matches(text, 'tea "tea house"')] == ["tea house", "tea"]


@pytest.mark.parametrize(
    ("value", "prefix"),
    [
        ("", ""),
        ("  ", ""),
        ("2023", "2023"),
        ("2019-8", "2019-08"),
        ("2019-08", "2019-08"),
        ("2023-05-26", "2023-05-26"),
        ("2023-5-6", "2023-05-06"),
        ("2023/05/26", "2023-05-26"),
        ("2023.5", "2023-05"),
        ("2023年5月", "2023-05"),
        ("2023年5月26日", "2023-05-26"),
        ("20230526", "2023-05-26"),
        (" 2023-05 ", "2023-05"),
    ],
)
def test_date_prefix(value: str, prefix: str) -> None:
    assert date_prefix(value) == prefix
    assert sql_date_prefix(value) == prefix


@pytest.mark.parametrize(
    "value", ["2023-13", "2019-02-30", "May 2023", "23", "2023-05-26x", "yesterday", "2023--05"]
)
def test_unreadable_dates_say_how_to_write_one(value: str) -> None:
    with pytest.raises(SearchDateError, match="write 2023, 2023-05 or 2023-05-26"):
        date_prefix(value)
    assert sql_date_prefix(value) is None
