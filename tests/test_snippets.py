"""Search snippets (`archive/snippets.py`): every match whole and highlighted, Chinese ones too,
no word split at an edge, the densest part of the text shown."""

from __future__ import annotations

import re

import pytest

from archive.snippets import ELLIPSIS, LONGEST_WORD, WIDTH, snippet

# A Chinese text longer than a snippet, the searched word near its end (invented).
ZH = (
    "本报讯（记者 林晓 通讯员 周达）今天上午，城际定制公交首发仪式在汽车站举行，乘客可以通过手机"
    "提前预约座位。该线路每天往返各六个班次，全程约五十分钟，票价与普通班车持平，车辆均为新能源"
    "客车，配备无线网络和充电接口。交通部门表示，将根据乘客需求逐步增加班次，株洲至长沙南站的"
    "班车下月开通，方便两地市民通勤出行。"
)
EN = (
    "Volunteers gathered on Saturday morning along the riverbank to collect plastic and "
    "driftwood. "
    * 6
    + "The new footbridge over the Xiang River links two parks. "
    + "Workers painted the railings and planted trees along the approach roads. " * 6
)


def marks(text: str) -> list[str]:
    return re.findall("<mark>(.*?)</mark>", text)


def plain(text: str) -> str:
    return text.replace("<mark>", "").replace("</mark>", "").strip(ELLIPSIS)


def test_a_chinese_match_is_whole() -> None:
    found = snippet(ZH, "长沙")
    assert marks(found) == ["长沙"]
    assert "株洲至<mark>长沙</mark>南站" in found
    assert len(plain(found)) <= WIDTH


def test_a_longer_chinese_phrase_is_whole() -> None:
    assert marks(snippet(ZH, "交通部门")) == ["交通部门"]


@pytest.mark.parametrize("query", ["footbridge", '"Xiang River"', "parks railings"])
def test_english_edges_never_split_a_word(query: str) -> None:
    found = snippet(EN, query)
    words = set(EN.replace(".", " ").split())
    inner = plain(found).replace(".", " ").split()
    assert inner[0] in words and inner[-1] in words, found
    assert found.startswith(ELLIPSIS) and found.endswith(ELLIPSIS)


def test_the_densest_part_is_shown() -> None:
    found = snippet(EN, "footbridge parks river")
    assert marks(found) == ["footbridge", "River", "parks"]


def test_every_match_in_the_window_is_marked() -> None:
    found = snippet("A bridge, the old bridge and the rail bridge.", "bridge")
    assert marks(found) == ["bridge", "bridge", "bridge"]
    assert not found.startswith(ELLIPSIS)


def test_without_a_match_the_beginning_is_shown() -> None:
    found = snippet(EN, "nothing")
    assert found.startswith("Volunteers gathered") and found.endswith(ELLIPSIS)
    assert marks(found) == []


def test_a_short_text_is_shown_whole() -> None:
    assert snippet("Tea  pickers\n\nreturn.", "tea") == "<mark>Tea</mark> pickers return."
    assert snippet(None, "tea") == ""


def test_a_run_of_letters_without_spaces_is_still_cut() -> None:
    found = snippet("x" * 1000, "y")
    assert len(found) <= WIDTH + LONGEST_WORD + 2


def test_the_text_is_not_escaped_here() -> None:
    # render_cell escapes it for a page; the JSON keeps the text as written.
    assert snippet("a <b> tea", "tea") == "a <b> <mark>tea</mark>"
