"""pipelines.credits: every phrasing family in English and Chinese, and the traps."""

from __future__ import annotations

import pytest

from pipelines import credits
from pipelines.text import prepare


def _find(text: str) -> list[list[str]]:
    return [[c.role, c.name] for c in credits.find(prepare(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Translator: Li Ming", [["translator", "Li Ming"]]),
        (
            "Translator: Li Ming and Wang Fang",
            [["translator", "Li Ming"], ["translator", "Wang Fang"]],
        ),
        (
            "Translator: Li Ming, Wang Fang",
            [["translator", "Li Ming"], ["translator", "Wang Fang"]],
        ),
        ("Translator: Zhao LeiSource: Some Portal", [["translator", "Zhao Lei"]]),
        ("Translated by Sun Yue", [["translator", "Sun Yue"]]),
        (
            "Translated by Sun Yue from Foreign Affairs Office of the City",
            [["translator", "Sun Yue"]],
        ),
        ("Translated by Example International Communication Center", []),
        ("Editor:Sharon Lee", [["editor", "Sharon Lee"]]),
        ("Editor: 王芳", [["editor", "王芳"]]),
        ("编辑:bluesky", [["editor", "bluesky"]]),
        ("Source: SHINE   Editor: Wang Wei", [["editor", "Wang Wei"]]),
        ("By Li Ming", [["author", "Li Ming"]]),
        ("Write: Maggie [2012-07-09]", [["author", "Maggie"]]),
        ("Write: Zhang Wei [2013-02-01]", [["author", "Zhang Wei"]]),
        ("Author: Li Na | 2014-03-02", [["author", "Li Na"]]),
        ("Writer: Chen Hao", [["author", "Chen Hao"]]),
        ("Author: Some Daily News Center", []),
        ("By Li Ming | Some Daily | Updated: 2016-04-15 06:53", [["author", "Li Ming"]]),
        (
            "By Li Ming and Wang Fang  (Some Daily) 10:03, March 19, 2013",
            [["author", "Li Ming"], ["author", "Wang Fang"]],
        ),
        ("2022-05-12 0 By", []),
        ("A view of the lake. (Photo/Zhao Lei, Hunan Daily)", [["photographer", "Zhao Lei"]]),
        ("A view of the lake. (Photo/Zhao Lei)", [["photographer", "Zhao Lei"]]),
        (
            "A view. (Photo/Zhao Lei, Qian Yu)",
            [["photographer", "Zhao Lei"], ["photographer", "Qian Yu"]],
        ),
        (
            "A view. (Photo/Zhao Lei and Qian Yu)",
            [["photographer", "Zhao Lei"], ["photographer", "Qian Yu"]],
        ),
        (
            "(Photo by Zhao Lei and Qian Yu)",
            [["photographer", "Zhao Lei"], ["photographer", "Qian Yu"]],
        ),
        ("(Photo by Correspondent Zhao Lei)", [["photographer", "Zhao Lei"]]),
        ("Photo by Hunan Daily", []),
        ("A view. (Photo source: hn.example.com)", []),
        ("A view. (PHOTO / XINHUA)", []),
        ("Photos taken by Zhao Lei", [["photographer", "Zhao Lei"]]),
        ("A view of the hall. (Xinhua/Zhao Lei)", [["photographer", "Zhao Lei"]]),
        ("A view of the hall. (site.example.com/ Zhao Lei)", [["photographer", "Zhao Lei"]]),
        ("A job fair in March.[Zhao Lei/For China Daily]", [["photographer", "Zhao Lei"]]),
        ("A signing ceremony.(Zhao Lei/Photo)", [["photographer", "Zhao Lei"]]),
        (
            "Some Outlet, May 3 (Reporter Zhao Lei, Qian Yu Yu, photo Sun Bo) The fair opened.",
            [["reporter", "Zhao Lei"], ["reporter", "Qian Yu Yu"], ["photographer", "Sun Bo"]],
        ),
        (
            "(reporter Zhao Lei intern Li Ming correspondent Qian Yu Sun Bo)",
            [["reporter", "Zhao Lei"], ["correspondent", "Qian Yu"], ["correspondent", "Sun Bo"]],
        ),
        ("Some News Network reporter Zhao Lei reported.", [["reporter", "Zhao Lei"]]),
        ("example.news, May 6. (Zhao Lei) On May 5, the forum opened.", [["author", "Zhao Lei"]]),
        ("Reporters visited the lake and talked with fishermen.", []),
    ],
)
def test_english(text: str, expected: list[list[str]]) -> None:
    assert _find(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("翻译:张三", [["translator", "张三"]]),
        ("责任编辑:李四", [["editor", "李四"]]),
        ("责编:李四", [["editor", "李四"]]),
        ("编辑:李四", [["editor", "李四"]]),
        ("编审:李四", [["editor", "李四"]]),
        ("责任编辑:林秋_NB1234", [["editor", "林秋"]]),
        ("(责任编辑: AB123)", [["editor", "AB123"]]),
        ("2024-05-06 08:30来源:某某时报网作者:李在川", [["author", "李在川"]]),
        ("编辑 周明远 校对 吴小北", [["editor", "周明远"]]),
        ("【文/某某网专栏作者 何青】", [["author", "何青"]]),
        ("渡口今年春天重新开放了。(唐一帆)", [["author", "唐一帆"]]),
        ("图为新渡口的码头。(唐一帆摄)", [["photographer", "唐一帆"]]),
        ("(资料图)", []),
        (
            "一审:王五\n二审:赵六\n三审:钱七",
            [["editor", "王五"], ["editor", "赵六"], ["editor", "钱七"]],
        ),
        (
            "(一审:王五二审:赵六 三审:钱七)",
            [["editor", "王五"], ["editor", "赵六"], ["editor", "钱七"]],
        ),
        ("三 审:王五 赵六", [["editor", "王五"], ["editor", "赵六"]]),
        ("[責任編輯:王五]", [["editor", "王五"]]),
        ("(责编: 王五)", [["editor", "王五"]]),
        ("作者:王五 赵六", [["author", "王五"], ["author", "赵六"]]),
        ("作者:王五、赵六", [["author", "王五"], ["author", "赵六"]]),
        ("作者:佚名", []),
        ("作者:王五 摄影 赵六", [["author", "王五"], ["photographer", "赵六"]]),
        ("作者:王五   摄像记者:   特约记者:", [["author", "王五"]]),
        (
            "来源:某网 作者:王五 赵六 编辑:钱七 2017-07-23 10:10:56",
            [["author", "王五"], ["author", "赵六"], ["editor", "钱七"]],
        ),
        (
            "某网讯(记者 王五 通讯员 赵六)今天上午,会议召开。",
            [["reporter", "王五"], ["correspondent", "赵六"]],
        ),
        (
            "某网讯(记者 王五 赵六 通讯员 钱七 孙八 )今天上午,会议召开。",
            [
                ["reporter", "王五"],
                ["reporter", "赵六"],
                ["correspondent", "钱七"],
                ["correspondent", "孙八"],
            ],
        ),
        (
            "某某在线2月18日讯(某日报·某某在线记者成俊峰通讯员李靓)春回大地。",
            [["reporter", "成俊峰"], ["correspondent", "李靓"]],
        ),
        (
            "红网时刻6月22日讯(某某分站记者 王五 赵六)6月21日,作家们前往采风。",
            [["reporter", "王五"], ["reporter", "赵六"]],
        ),
        ("(全媒体记者 王五)", [["reporter", "王五"]]),
        ("红网时刻新闻记者 王五 株洲报道", [["reporter", "王五"]]),
        ("某某新闻网讯 记者王五报道 2月4日上午,会议召开。", [["reporter", "王五"]]),
        (
            "本报讯(通讯员李盼吴丽李诗华)近日,活动举行。",
            [["correspondent", "李盼"], ["correspondent", "吴丽"], ["correspondent", "李诗华"]],
        ),
        ("王五 见习记者 赵六", [["author", "王五"], ["reporter", "赵六"]]),
        (
            "某报记者王五 赵六 钱七",
            [["reporter", "王五"], ["reporter", "赵六"], ["reporter", "钱七"]],
        ),
        ("地下通道成为宣传地方文化的新平台。记者王五 摄", [["photographer", "王五"]]),
        ("活动正式开启。赵六摄", [["photographer", "赵六"]]),
        ("▲游客在古街游玩。新華社記者謝小攝", [["photographer", "謝小"]]),
        ("(王五 摄)", [["photographer", "王五"]]),
        ("(记者 王五 摄影 赵六)", [["reporter", "王五"], ["photographer", "赵六"]]),
        ("(文/王五 图/赵六)", [["author", "王五"], ["photographer", "赵六"]]),
        ("图/赵六", [["photographer", "赵六"]]),
        (
            "(文/徐德榮 王衛全 李英姿)",
            [["author", "徐德榮"], ["author", "王衛全"], ["author", "李英姿"]],
        ),
        (
            "人民网株洲6月3日电 (王五 实习生 赵六)今天上午,活动启动。",
            [["author", "王五"], ["author", "赵六"]],
        ),
        ("新华社客户端长沙10月25日电(王五)10月21至24日,文化节举行。", [["author", "王五"]]),
        ("记者从会上获悉,今年新增绿地三百公顷。", []),
        ("市委宣传部长赴某报驻地记者站调研座谈", []),
        ("两岸记者联合采访启幕", []),
        ("(投资促进中心 王五)", []),
        ("正在拍摄的游客", []),
    ],
)
def test_chinese(text: str, expected: list[list[str]]) -> None:
    assert _find(text) == expected


def test_page_order_and_each_pair_once() -> None:
    text = "作者:王五\n正文(记者 王五)\n(Photo/Zhao Lei)\nTranslator: Li Ming\nTranslator: Li Ming"
    assert _find(text) == [
        ["author", "王五"],
        ["reporter", "王五"],
        ["photographer", "Zhao Lei"],
        ["translator", "Li Ming"],
    ]


@pytest.mark.parametrize(
    ("run", "names"),
    [
        ("李盼吴丽李诗华", ["李盼", "吴丽", "李诗华"]),
        ("成俊峰", ["成俊峰"]),
        ("王琼戴丽", ["王琼", "戴丽"]),
        ("欧阳娜娜", ["欧阳娜娜"]),
    ],
)
def test_split_run(run: str, names: list[str]) -> None:
    assert credits.split_run(run) == names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("By Monday, the city had repaired most of the damaged roads.", []),
        ("By 2025 the county plans to plant a million trees.", []),
        ("Reporter Zhao Lei", [["reporter", "Zhao Lei"]]),
        ("Correspondent Qian Yu", [["correspondent", "Qian Yu"]]),
        ("Reporter Zhao Lei visited the flooded village on Monday.", []),
    ],
)
def test_byline_traps(text: str, expected: list[list[str]]) -> None:
    assert _find(text) == expected
