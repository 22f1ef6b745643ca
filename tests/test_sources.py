"""pipelines.sources: labels, datelines, `This article is from`, originals and the registry."""

from __future__ import annotations

import json

import pytest

from pipelines import sources
from pipelines.text import prepare


def _find(text: str, date_line: int | None = None) -> sources.SourceInfo:
    return sources.find(prepare(text), date_line=date_line)


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("Title\nFrom:衡阳新闻网 | Date Add in:2020-01-02 10:00:00 [A  A]\nBody.", "衡阳新闻网"),
        ("Title\nFrom: | Date Add in:2020-01-02 10:00:00 [A  A]\nBody.", None),
        ("Title\nSource:Hunan gov\nUpdated:2021-01-02 10:00:00", "Hunan gov"),
        ("Title\nSource: Date:2019-01-02 10:15:41 【Fonts:Small Big", None),
        ("Title\nSource:Some City Web Date:2021-03-11 10:50:20", "Some City Web"),
        ("Ti Gong\nSome caption\nSource: SHINE   Editor: Wang Wei", "SHINE"),
        ("标题\n发布时间:2021年02月22日       来源:某某在线      阅读:12次", "某某在线"),
        ("标题\n2017-08-14 08:24 [来源:某某在线] [责编:张三]", "某某在线"),
        ("标题\n来源:未知来源\n正文", None),
        ("标题\n来源:某某客户端.某县\n正文", "某某客户端"),
        ("标题\n时间:2022-03-23 17:46:25 作者:佚名 来源 某省广播电视局 点击:", "某省广播电视局"),
        ("标题\n文章来源:某某卫视 某某日报 时间: 2026-02-06 18:47:47", "某某卫视 某某日报"),
        ("标题\n来源:某某旅游报 2024-07-16 17:06", "某某旅游报"),
        ("標題\n來源:\n某報12版\n2023-09-15 16:48:36 來源: 某報12版", "某報12版"),
        ("Translator: Guo YanSource: Some Official Web Portal", "Some Official Web Portal"),
        (
            "Title\nFrom Some University News Center\nUpdated: 2016-10-19 09:21:24.0",
            "Some University News Center",
        ),
        (
            "Body text.\nThis article is from the Hunan Provincial Government www.enghunan.gov.cn.",
            "Hunan Provincial Government",
        ),
        (
            "Body text.\nThis article is from Hunan Provincial Government.",
            "Hunan Provincial Government",
        ),
        (
            "Title\nSource:Hunan gov\nBody.\nThis article is from Hunan Provincial Government",
            "Hunan gov",
        ),
        ("Photo source: hn.example.com\nChinese source: hunan.gov.cn", None),
    ],
)
def test_labels(text: str, raw: str | None) -> None:
    assert _find(text).source_raw == raw


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        (
            " date 2023-05-26 Huasheng Online News on May 26 (Reporter Chen Hong) The city"
            " opened a "
            "new library on Friday, with more than a million books on its shelves.",
            "Huasheng Online",
        ),
        (
            "Title\nHuasheng Online, January 11 (Reporter Li Ming) On the morning of the 11th, the "
            "provincial session opened in the capital with hundreds of members attending.",
            "Huasheng Online",
        ),
        (
            "Title\nXinhua News Agency, Changsha, August 17 (Reporter Tan Wen) The marathon will"
            " return "
            "to the streets this autumn after two years online, organisers said.",
            "Xinhua News Agency",
        ),
        (
            "Title\nRednet moment Hengyang February 16 – (reporter Li Ming) The county signed ten "
            "projects worth eight billion yuan on Wednesday, officials said.",
            "Rednet moment",
        ),
        (
            "标题\n衡阳日报讯 近日,市里召开会议,部署全年重点工作,要求各部门压实责任、狠抓落实,确保"
            "各项任务完成。",
            "衡阳日报",
        ),
        (
            "标题\n华声在线2月18日讯(记者 张三)今年春节期间,全市接待游客一百多万人次,旅游收入稳步"
            "增长,位居全省前列。",
            "华声在线",
        ),
        (
            "标题\n红网时刻衡阳9月26日讯(记者 李四)今天上午,全国科普日活动在市里启动,学生们踊跃参"
            "与各项互动体验项目。",
            "红网时刻",
        ),
        (
            "标题\n本报讯(记者 王五)7月22日,采访团一行来到张家界采访交流,来自多个国家和地区的媒体"
            "代表参加了活动。",
            None,
        ),
        (
            "标题\n来源:某某新闻网\n某某新闻网讯 记者王五报道 2月4日上午,市长主持召开会议,部署疫情"
            "防控和复工复产工作,要求坚定信心。",
            "某某新闻网",
        ),
    ],
)
def test_datelines(text: str, raw: str | None) -> None:
    assert _find(text).source_raw == raw


@pytest.mark.parametrize(
    ("text", "date_line", "raw"),
    [
        ("标题\n2021年03月03日 17:28 某某日报\n正文", 1, "某某日报"),
        (
            "标题\n2024-05-06 10:20:30 某某时报网\n据某某社5月6日消息,今日从市交通局获悉,"
            "城东新建的两座桥梁已经完工,下月起通车。",
            1,
            "某某时报网",
        ),
        ("Title\n  某某日报·新某某客户端   2023-12-24 09:45:55\nBody", 1, "某某日报·新某某客户端"),
        ("Title\nhn.example | 11 07, 2022\nBody", 1, "hn.example"),
        ("Title\n2019-08-26 Download Print Comment\nBody", 1, None),
        ("Title\nNews 2019/01/28 View:649\nBody", 1, None),
    ],
)
def test_outlet_on_the_date_line(text: str, date_line: int, raw: str | None) -> None:
    assert _find(text, date_line).source_raw == raw


@pytest.mark.parametrize(
    ("text", "original"),
    [
        ("Translator: Li Ming\nChinese source: hunan.gov.cn", "hunan.gov.cn"),
        ("Translator: Li Ming\nChinese source: Yueyang Daily", "Yueyang Daily"),
        ("Translator: Li Ming\nChinese source:", None),
        (
            "Translator: Li Ming\nChinese sources: example.gov.cn; exampletoday",
            "example.gov.cn; exampletoday",
        ),
        ("Translator: Li Ming", None),
    ],
)
def test_original_source(text: str, original: str | None) -> None:
    assert _find(text).original_source_raw == original


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        # A source value ends where the outlet's name ends ...
        ("Title\nSource: Lakeside Daily, Feb 3, 2021\nBody", "Lakeside Daily"),
        ("Title\nSource: Lakeside Daily Large Medium Small Print\nBody", "Lakeside Daily"),
        ("Title\nSource: Lakeside Daily Print Share\nBody", "Lakeside Daily"),
        ("Title\nSource: Lakeside Daily Published: 2021/02/03 10:00:00\nBody", "Lakeside Daily"),
        ("标题\n来源:某某日报字体:大 中 小\n正文", "某某日报"),
        ("标题\n2021-02-03 10:00 来源:某某新闻网 发表评论\n正文", "某某新闻网"),
        ("标题\n2021-02-03 10:00 来源:某某新闻网 参与互动\n正文", "某某新闻网"),
        (
            "标题\n新闻|来源:某某广播电视台综合广播2024-06-11 08:15:36|编辑:王五\n正文",
            "某某广播电视台综合广播",
        ),
        # ... but does not stop short: an issue number belongs to a periodical's name.
        (
            "Title\n2021-05-03 10:00:00Source: Some Review VOL. 031 May 2021Author: Zhao Lei",
            "Some Review VOL. 031 May 2021",
        ),
        (
            "Body text.\nThis article is from Some Provincial Office. www.example.gov.cn.",
            "Some Provincial Office",
        ),
    ],
)
def test_label_values_end_with_the_name(text: str, raw: str | None) -> None:
    assert _find(text).source_raw == raw


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        (
            "某某日报全媒体讯 近日,全市召开会议,部署全年重点工作,要求各部门压实责任、狠抓落实。",
            "某某日报全媒体",
        ),
        (
            "某县融媒体中心6月18日讯(记者 王五)今天,副县长带队督导防汛工作,检查了沿江堤段的情况。",
            "某县融媒体中心",
        ),
        (
            "某东融媒2月8日讯(融媒体记者 王五 赵六)2月8日,县里组织开展企业家接待日活动,走访企业。",
            "某东融媒",
        ),
        (
            "某网/某某头条客户端讯 通讯员王五、赵六报道:11月19日上午,博览会在县城启动,吸引客商。",
            "某网/某某头条客户端",
        ),
        (
            "某某时刻5月23日综合(某日报记者 王五)5月21日至22日,考察团一行来到市里开展考察活动。",
            "某某时刻",
        ),
        (
            "某经周刊讯(记者 王五)“快过年了,我们专程过来看望你们。”日前,管委会主任率队慰问群众。",
            "某经周刊",
        ),
        (
            "云上某州报道:今天(6月5日)下午,市长对中心城区高考准备工作进行督办检查,要求通力配合。",
            "云上某州",
        ),
        ("王五报道:今天下午,市长对中心城区高考准备工作进行督办检查,要求相关部门通力配合。", None),
        (
            "据某某社报道:今天下午,市长对中心城区高考准备工作进行督办检查,要求相关部门通力配合。",
            None,
        ),
        (
            "LAKESIDE, Aug. 6 (Some Agency) -- The airport of the lakeside city has recorded more "
            "than 300,000 passengers so far this year, local authorities said.",
            "Some Agency",
        ),
        (
            "(A caption.) Lakenet(Lakeside/May 14) On June 13, forty guests from abroad paid a "
            "visit to the old town and its museum, which was opened to the public last year.",
            "Lakenet",
        ),
    ],
)
def test_more_datelines(text: str, raw: str | None) -> None:
    assert _find("Title\n" + text).source_raw == raw


@pytest.mark.parametrize(
    ("raw", "name", "known"),
    [
        ("衡阳新闻网", "Hengyang News Network", True),
        ("hynews.net", "Hengyang News Network", True),
        ("www.hynews.net", "Hengyang News Network", True),
        ("新华网", "Xinhua Net", True),
        ("Hunan gov", "Hunan Provincial Government", True),
        ("hunan.gov.cn", "Hunan Provincial Government", True),
        ("wjw.hunan.gov.cn", "Hunan Provincial Government", True),
        ("hunantoday", "New Hunan", True),
        ("红网时刻", "Rednet", True),
        ("HUASHENG  ONLINE", "Huasheng Online", True),
        ("Some  Unknown Weekly", "Some Unknown Weekly", False),
        ("", None, False),
        (None, None, False),
    ],
)
def test_canonical(raw: str | None, name: str | None, known: bool) -> None:
    assert sources.canonical(raw) == (name, known)


def test_unknown_lists_names_for_curation() -> None:
    names = ["新华网", "Some Weekly", None, "Some  Weekly", "Another Daily"]
    assert sources.unknown(names) == ["Another Daily", "Some Weekly"]


def test_registry_format() -> None:
    data = json.loads(sources.REGISTRY_PATH.read_text(encoding="utf-8"))
    seen = set()
    for entry in data["sources"]:
        assert set(entry) == {"name", "zh", "hosts", "aliases"}
        assert entry["name"] not in seen
        seen.add(entry["name"])
