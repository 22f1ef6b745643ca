"""pipelines.normalize: the article contract end to end."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines import limits
from pipelines.credits import ROLES
from pipelines.normalize import FIELDS, normalize
from tests.scaling import growth

TODAY = date(2025, 6, 30)

EN_PAGE = """• Hot News
    • Local
Bridge Opens to Traffic in Hengyang¡¯s South
From:衡阳新闻网 | Date Add in:2021-04-05 20:00:02 [A  A]
The new bridge over the river opened to traffic on Monday, cutting the trip across town.
Officials said the bridge would also carry a bus line from next month. (Photo/Zhao Lei, Hunan Daily)
Translated by Li Ming
Sponsored by Some Municipal People's Government ICP NO:12345"""

ZH_PAGE = """当前位置:首页>新闻
城市公园开放
发布时间:2021年03月05日 10:20  来源:衡阳日报  作者:张三 李四
衡阳日报讯(记者 张三 通讯员 王五)近日,城市公园正式开放,市民纷纷前来游览,感受春天的气息。
公园管理处表示,将持续完善配套设施,为市民提供更好的休闲环境。记者张三 摄
责任编辑:赵六
相关阅读"""


def test_english_page() -> None:
    out = normalize(
        {"url": "http://eng.hengyang.gov.cn/news/202104/t20210405_1.html", "text": EN_PAGE},
        today=TODAY,
    )
    assert list(out) == list(FIELDS)
    assert out["lang"] == "en"
    assert out["title"] == "Bridge Opens to Traffic in Hengyang’s South"
    assert out["published_date"] == "2021-04-05"
    assert out["published_at"] == "2021-04-05T20:00:02+08:00"
    assert out["source_raw"] == "衡阳新闻网"
    assert out["source"] == "Hengyang News Network"
    assert out["credits"] == [
        {"role": "photographer", "name": "Zhao Lei"},
        {"role": "translator", "name": "Li Ming"},
    ]
    assert out["body"].startswith("The new bridge over the river")
    assert "\n\nOfficials said" in out["body"]
    for noise in ("From:", "Date Add in", "[A  A]", "Translated by", "Sponsored by", "Hot News"):
        assert noise not in out["body"]
    assert out["problems"] == []


def test_chinese_page() -> None:
    out = normalize({"url": "http://www.example.gov.cn/a/1.html", "text": ZH_PAGE}, today=TODAY)
    assert out["lang"] == "zh"
    assert out["title"] == "城市公园开放"
    assert (out["published_date"], out["published_at"]) == (
        "2021-03-05",
        "2021-03-05T10:20:00+08:00",
    )
    assert (out["source_raw"], out["source"]) == ("衡阳日报", "Hengyang Daily")
    assert [(c["role"], c["name"]) for c in out["credits"]] == [
        ("author", "张三"),
        ("author", "李四"),
        ("reporter", "张三"),
        ("correspondent", "王五"),
        ("photographer", "张三"),
        ("editor", "赵六"),
    ]
    assert "城市公园正式开放" in out["body"] and "责任编辑" not in out["body"]


@pytest.mark.parametrize(
    ("page", "field", "value"),
    [
        ({"url": "http://x.cn/a", "text": "Some text.", "lang": "zh"}, "lang", "zh"),
        (
            {"url": "http://x.cn/a", "text": "Some text.", "title": "  Given   Title "},
            "title",
            "Given Title",
        ),
        (
            {"url": "http://x.cn/c/2020/01/02/1.html", "text": "Title\n\nBody text."},
            "published_date",
            "2020-01-02",
        ),
        (
            {"url": "http://x.cn/a", "text": "Title\nUpdated:2020-01-02 00:00:00\nBody."},
            "published_at",
            None,
        ),
        ({"url": "http://x.cn/a", "text": "Title\n来源:未知来源\n正文"}, "source_raw", None),
        (
            {"url": "http://x.cn/a", "text": "Body.\nChinese source: Yueyang Daily"},
            "original_source",
            "Yueyang Daily",
        ),
        (
            {"url": "http://x.cn/a", "text": "Title\nSource:Some Weekly\nBody."},
            "source",
            "Some Weekly",
        ),
        ({"url": "http://x.cn/a"}, "body", ""),
        ({"text": "Body."}, "site", None),
        # A source label's value ends before a widget in brackets or the next label.
        (
            {
                "url": "http://x.cn/a",
                "text": "标题\n发布时间:2023-04-12 08:30 来源:湖南日报 【字体:大 中 小】\n正文。",
            },
            "source_raw",
            "湖南日报",
        ),
        (
            {
                "url": "http://x.cn/a",
                "text": "标题\n日期:2022-01-05 来源:某某县融媒体中心 浏览次数:\n正文。",
            },
            "source_raw",
            "某某县融媒体中心",
        ),
        (
            {"url": "http://x.cn/a", "text": "标题\n日期:2022-01-05 作者:赵刚 浏览次数:\n正文。"},
            "credits",
            [{"role": "author", "name": "赵刚"}],
        ),
    ],
)
def test_fields(page: dict[str, str], field: str, value: object) -> None:
    assert normalize(page, today=TODAY)[field] == value


TITLE_AFTER_DATE = [
    "2016-11-02 14:35 某某日报\n村寨迎来游客高峰\n"
    "秋季以来，多个传统村寨迎来游客高峰，当地村民开办民宿和餐馆，收入明显增加。",
    "Source: Some Daily  |  Date: 2017-10-12\nBridge Repair Completed\nRepairs to the old stone"
    " bridge over the river were completed on Wednesday, and it reopened to pedestrians.",
]


@pytest.mark.parametrize("text", TITLE_AFTER_DATE)
def test_page_that_opens_with_its_date_line_has_its_title_next(text: str) -> None:
    lines = text.split("\n")
    article = normalize({"url": "http://x.cn/a", "text": text}, today=TODAY)
    assert (article["title"], article["body"]) == (lines[1], lines[2])


def test_a_date_is_never_the_title() -> None:
    text = "Village Road Finished\n01-09-2020\nWorkers finished paving the road to the village."
    assert normalize({"url": "http://x.cn/a", "text": text}, today=TODAY)["title"] == (
        "Village Road Finished"
    )


def test_implausible_date_becomes_a_problem() -> None:
    out = normalize(
        {"url": "http://x.cn/a", "text": "Title\nUpdated:2031-01-01 10:00:00\nBody."}, today=TODAY
    )
    assert out["published_date"] is None
    assert out["problems"][0]["field"] == "published_date"


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LINES = st.sampled_from(
    [
        "From:衡阳新闻网 | Date Add in:2018-12-06 23:00:02 [A  A]",
        "2019-02-01",
        "T | T",
        "15 July 2015",
        "Translator: Li Ming",
        "(Photo/Zhao Lei, Hunan Daily)",
        "来源:未知来源",
        "发布时间:2021年02月22日",
        "(记者 张三 通讯员 李四)",
        "责任编辑:",
        "By ",
        "Updated:2031-01-01",
        "(文/ 图/)",
        "作者:",
        "摄",
        "This article is from the",
        "Chinese source:",
        "Copyright 2011",
        "¡¯¡°",
        "",
        "\u3000",
        "Editor:",
    ]
)


def _check_contract(out: dict[str, object]) -> None:
    assert list(out) == list(FIELDS)
    assert out["lang"] in ("en", "zh")
    assert isinstance(out["body"], str)
    day = out["published_date"]
    assert day is None or (isinstance(day, str) and ISO_DATE.match(day) and day <= "2025-07-01")
    at = out["published_at"]
    assert at is None or (
        isinstance(at, str)
        and isinstance(day, str)
        and at.startswith(day)
        and at.endswith("+08:00")
    )
    for credit in out["credits"]:  # type: ignore[attr-defined]
        assert credit["role"] in ROLES and credit["name"].strip()
    for field in ("source_raw", "original_source_raw", "source", "original_source", "title"):
        assert out[field] is None or (isinstance(out[field], str) and out[field].strip())


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=400), url=st.text(max_size=80))
def test_never_raises_on_arbitrary_text(text: str, url: str) -> None:
    _check_contract(normalize({"url": url, "text": text}, today=TODAY))


@settings(max_examples=150, deadline=None)
@given(
    lines=st.lists(st.one_of(LINES, st.text(max_size=60)), max_size=25),
    url=st.sampled_from(["http://x.cn/t20990101_1.html", "http://x.cn/c/2020/02/30/1", "", "::"]),
)
def test_contract_on_page_like_text(lines: list[str], url: str) -> None:
    _check_contract(normalize({"url": url, "text": "\n".join(lines)}, today=TODAY))


# Pages of many lines, one shape each: the work to normalize them grows with their size.
MANY_LINES = {
    "list": lambda n: "Index\n" + "\n".join(f"item {i}" for i in range(n)),
    "long lines": lambda n: "Index\n" + "\n".join(f"The lake road {i} " * 3 for i in range(n)),
    "prose": lambda n: (
        "Title\n"
        + "\n".join(
            f"The ferry {i} crossed the lake at dawn, and the market opened." for i in range(n)
        )
    ),
    "Chinese prose": lambda n: (
        "标题\n"
        + "\n".join(
            f"第{i}天,城市公园正式开放,市民纷纷前来游览,感受春天的气息与美好。" for i in range(n)
        )
    ),
    "labels dateparser cannot read": lambda n: (
        "T\n" + "\n".join(f"Time: soon {i}" for i in range(n))
    ),
    "date lines": lambda n: "T\n" + "\n".join(f"2020-01-{i % 28 + 1:02d} 10:00" for i in range(n)),
    "credit lines": lambda n: "T\n" + "\n".join(f"记者 张{i % 10}明 通讯员 李华" for i in range(n)),
    "source lines": lambda n: "T\n" + "\n".join(f"来源:某某网{i}" for i in range(n)),
    "closing lines": lambda n: (
        "T\nThe ferry crossed the lake at dawn, and the market opened.\n"
        + "\n".join(f"Editor: Li {i}" for i in range(n))
    ),
}


@pytest.mark.parametrize("shape", sorted(MANY_LINES))
def test_normalization_is_linear_in_lines(shape: str) -> None:
    """1,500 and 6,000 lines: linear work grows 4 times, quadratic 16 (issue 10)."""
    small, large = ({"url": "http://x.cn/a", "text": MANY_LINES[shape](n)} for n in (1500, 6000))
    normalize(small, today=TODAY)  # imports and compiles what this shape needs, once
    ratio = growth(
        lambda: normalize(small, today=TODAY),
        lambda: normalize(large, today=TODAY),
        limit=8,
        floor=1e-3,
    )
    assert ratio < 8


def test_a_list_page_keeps_every_line() -> None:
    """Issue 10: 12,000 short lines lost all but the first, and the last became the title."""
    items = [f"item {i}" for i in range(12_000)]
    article = normalize({"url": "http://x/", "text": "\n".join(["T", *items])}, today=TODAY)
    assert article["title"] == "T"
    assert article["body"].split("\n\n") == items
    assert article["problems"] == []


@pytest.mark.parametrize(
    ("limit", "value", "text", "reason"),
    [
        ("MAX_TEXT_CHARS", 60, "Title\n" + "The ferry crossed the lake. " * 5, "characters cut"),
        ("MAX_LINES", 3, "Title\nFirst line.\nSecond line.\nThird line.", "lines cut"),
        ("MAX_LINE_CHARS", 40, "Title\n" + "The ferry crossed the lake. " * 5, "characters cut"),
    ],
)
def test_text_past_a_limit_is_cut_and_recorded(
    limit: str, value: int, text: str, reason: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, limit, value)
    article = normalize({"url": "http://x.cn/a", "text": text}, today=TODAY)
    [problem] = article["problems"]
    assert problem["field"] == "text" and problem["reason"].endswith(reason)
    assert article["body"] and article["body"] in text.replace("\n", "\n\n")
    assert len(article["body"]) < len(text)


def _nested(depth: int) -> list[object]:
    value: list[object] = []
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    ("page", "url", "problems"),
    [
        (
            {"url": "http://host:99999/a.html", "text": "Title\nBody."},
            "http://host:99999/a.html",
            [("url", "bad URL: Port out of range 0-65535")],
        ),
        ({"url": "http://[/a.html", "text": "Body."}, "http://[/a.html", [("url", "bad URL")]),
        (
            {"url": 42, "text": ["Body."]},
            "",
            [("url", "not a string: int"), ("text", "not a string: list")],
        ),
        ({"url": _nested(10_000), "text": None}, "", [("url", "not a string: list")]),
        ({"url": "http://x.cn/a", "text": "Title\n\ud800 lone surrogate."}, "http://x.cn/a", []),
    ],
)
def test_bad_page_fields_are_problems_not_exceptions(
    page: dict[str, object], url: str, problems: list[tuple[str, str]]
) -> None:
    """Issue 10: a bad URL or a field of the wrong type is recorded; normalize never raises."""
    article = normalize(page, today=TODAY)
    assert article["url"] == url
    found = [(p["field"], f"{p['reason']}: {p['value']}") for p in article["problems"]]
    assert len(found) == len(problems)
    for (field, text), (want_field, want) in zip(found, problems, strict=True):
        assert field == want_field and text.startswith(want)


@pytest.mark.parametrize(
    ("url", "text", "expected"),
    [
        ("http://eng.hengyang.gov.cn/news/202104/t20210405_1.html", EN_PAGE, "page"),
        (
            "http://eng.hengyang.gov.cn/news/202104/t20210405_1.html",
            "Bridge Opens\nThe new bridge over the river opened to traffic on Monday morning.",
            "url",
        ),
        (
            "http://en.yueyang.gov.cn/21730/content_1.html",
            "Bridge Opens\nThe new bridge over the river opened to traffic on Monday morning.",
            None,
        ),
    ],
)
def test_published_from_says_where_the_date_came_from(
    url: str, text: str, expected: str | None
) -> None:
    out = normalize({"url": url, "text": text}, today=TODAY)
    assert out["published_from"] == expected
    assert (out["published_date"] is None) == (expected is None)
