"""pipelines.names: what can be a person's name, Chinese or romanised, and what cannot."""

from __future__ import annotations

import pytest

from pipelines import names


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        ("王五", True),
        ("成俊峰", True),
        ("欧阳娜娜", True),  # a compound surname and a two-character given name
        ("司马光明", True),
        ("上官云", True),
        ("孙 超", True),  # a two-character name spaced out to two columns
        ("阿依·木拉提", True),  # a transliteration joined by ·
        ("湖南政", False),  # no surname: cut out of an organisation's name
        ("长沙", False),  # a place that begins with a surname character
        ("常委", False),  # an office
        ("书记", False),
        ("高质量", False),  # a common word
        ("王五说", False),  # a verb glued to the name
        ("王", False),
        ("王五赵六钱七", False),  # too long for one name
        ("欧阳", False),  # a surname alone
    ],
)
def test_is_zh_name(run: str, expected: bool) -> None:
    assert names.is_zh_name(run) is expected


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        ("李盼吴丽李诗华", ["李盼", "吴丽", "李诗华"]),
        ("成俊峰", ["成俊峰"]),
        ("王琼戴丽", ["王琼", "戴丽"]),
        ("欧阳娜娜", ["欧阳娜娜"]),
        ("欧阳璐王五", ["欧阳璐", "王五"]),
        ("从全国两会新闻中心获悉", []),  # prose, not names: nothing, not three-character pieces
        ("王五来到现场采访", []),
        ("某省政协新闻网", []),
    ],
)
def test_split_run(run: str, expected: list[str]) -> None:
    assert names.split_run(run) == expected


@pytest.mark.parametrize(
    ("text", "loose", "expected"),
    [
        ("Zhao Lei", False, True),
        ("ZHAO LEI", False, True),
        ("ZhaoLeiming", False, True),  # a run-together romanised name is one person
        ("Ann Marie Li", False, True),
        ("HNXY", False, False),  # an acronym names an organisation
        ("HNXY", True, True),  # an editor's initials under an editor label
        ("bluesky", False, False),
        ("bluesky", True, True),  # an editor's handle under an editor label
        ("zhao lei", False, False),
    ],
)
def test_is_en_name(text: str, loose: bool, expected: bool) -> None:
    assert names.is_en_name(text, loose=loose) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Example Daily", True),
        ("site.example.com", True),
        ("HNXY", True),
        ("The Third Lakeside Trade Fair", True),
        ("Wechat", True),
        ("Provided", True),
        ("Zhao Lei", False),
        ("ZhaoLeiming", False),
    ],
)
def test_is_org(text: str, expected: bool) -> None:
    assert names.is_org(text) is expected
