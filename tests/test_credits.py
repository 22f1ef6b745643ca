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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Photo credits in their English phrasings.
        ("[Photos by Zhao Lei]", [["photographer", "Zhao Lei"]]),
        ("The town stands by its plan. Photo by Zhao Lei", [["photographer", "Zhao Lei"]]),
        (
            "A view of the lake at dawn. Photos taken by Zhao Lei and Qian Yu.",
            [["photographer", "Zhao Lei"], ["photographer", "Qian Yu"]],
        ),
        ("The town stands by its plan and Photo by Zhao Lei", []),
        ("Photo/NiChengRan", [["photographer", "NiChengRan"]]),
        ("Photo: VCG", []),
        ("Translated by CGTN", []),
        ("By examplehandle", []),
        ("Photography by Zhao Lei", [["photographer", "Zhao Lei"]]),
        ("Photography: Zhao Lei", [["photographer", "Zhao Lei"]]),
        ("Photos: Zhao Lei, Qian Yu", [["photographer", "Zhao Lei"], ["photographer", "Qian Yu"]]),
        ("Photo/王五 赵六", [["photographer", "王五"], ["photographer", "赵六"]]),
        ("Photo/Zhao Lei Qian Yu", [["photographer", "Zhao Lei"], ["photographer", "Qian Yu"]]),
        ("A hall. (Photo/ Zhao Lei)", [["photographer", "Zhao Lei"]]),
        (
            "Photos taken by Zhao Lei and Sun Bo",
            [["photographer", "Zhao Lei"], ["photographer", "Sun Bo"]],
        ),
        ("The river at dusk. [Photo by Zhao Lei/Example Daily]", [["photographer", "Zhao Lei"]]),
        ("The river at dusk. [Photo by Zhao Lei/]", [["photographer", "Zhao Lei"]]),
        ("The river at dusk. (Photo by Zhao Lei/Xinhua)", [["photographer", "Zhao Lei"]]),
        ("The river at dusk. ZHAO LEI/FOR EXAMPLE DAILY", [["photographer", "ZHAO LEI"]]),
        (
            "Photo shows the river at dusk in a small county. ( Zhao Leiming)",
            [["photographer", "Zhao Leiming"]],
        ),
        (
            "Photos by Ann Li, Bo Wu, Cai Xu, Dan Ye, Eli Ma, Fu Na, Gu Yi, Hu Jun, Ivy Ke",
            [
                ["photographer", name]
                for name in (
                    "Ann Li",
                    "Bo Wu",
                    "Cai Xu",
                    "Dan Ye",
                    "Eli Ma",
                    "Fu Na",
                    "Gu Yi",
                    "Hu Jun",
                    "Ivy Ke",
                )
            ],
        ),
        # Editors.
        ("Edit:Zhao Lei", [["editor", "Zhao Lei"]]),
        ("Edited by Zhao Lei", [["editor", "Zhao Lei"]]),
        ("Responsible editor:Zhao Lei", [["editor", "Zhao Lei"]]),
        ("(Web editor: Zhao Lei, Qian Yu)", [["editor", "Zhao Lei"], ["editor", "Qian Yu"]]),
        ("[ Editor: ZLY ]", [["editor", "ZLY"]]),
        # A run-together romanised name is one person.
        ("Reporter: ZhaoLeiMing", [["reporter", "ZhaoLeiMing"]]),
        ("By ZhaoLeiMing | Updated: 2020-01-02", [["author", "ZhaoLeiMing"]]),
        # Bylines in a dateline's brackets, on any host.
        (
            "Lakeside Online, May 3 (Reporter Zhao Lei, Correspondent Qian Yu, Sun Bo) It opened.",
            [["reporter", "Zhao Lei"], ["correspondent", "Qian Yu"], ["correspondent", "Sun Bo"]],
        ),
        # Bylines that do not open their line.
        (
            "Updated: May 3, 2021 By Zhao Lei in Lakeside and Qian Yu   example.com.cn Print",
            [["author", "Zhao Lei"], ["author", "Qian Yu"]],
        ),
        ("By Zhao Lei  ·  2019-08-26  ·   Source: Some Weekly", [["author", "Zhao Lei"]]),
        (
            "Author: Text by Zhao Lei  Editor: Qian Yu",
            [["author", "Zhao Lei"], ["editor", "Qian Yu"]],
        ),
        (
            "2021-05-03 10:00:00Source: Some ReviewAuthor: Zhao Lei & Qian Yu",
            [["author", "Zhao Lei"], ["author", "Qian Yu"]],
        ),
        ("(example.gov.cn by Sun Bo)", [["author", "Sun Bo"]]),
        # Organisations, platforms and handles are not people.
        ("Translated by HNXY", []),
        ("Translated by examplenews", []),
        ("(Photo/examplenews)", []),
        ("Photography: Provided by Example Agency", []),
        ("Photo: provided by the county", []),
        ("The river at dusk. [Photo/Wechat]", []),
        ("A hall (Photo/The Third Example Expo and Trade Fair Committee)", []),
        ("Photo taken on May 3 shows the river. (Xinhua)", []),
        (
            "(Photo by Zhao Lei and Qian Yu)",
            [["photographer", "Zhao Lei"], ["photographer", "Qian Yu"]],
        ),
    ],
)
def test_english_phrasings(text: str, expected: list[list[str]]) -> None:
    assert _find(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A role after a bullet or a symbol.
        ("■通讯员 王五", [["correspondent", "王五"]]),
        ("●记者 王五 赵六", [["reporter", "王五"], ["reporter", "赵六"]]),
        (
            "▲全媒体记者 王五 通讯员 赵六 钱七",
            [["reporter", "王五"], ["correspondent", "赵六"], ["correspondent", "钱七"]],
        ),
        # 文/图: each person is author and photographer (reporter and photographer after 记者).
        (
            "文/图 王五 赵六",
            [
                ["author", "王五"],
                ["photographer", "王五"],
                ["author", "赵六"],
                ["photographer", "赵六"],
            ],
        ),
        (
            "文/图 本报记者 王五 赵六",
            [
                ["reporter", "王五"],
                ["photographer", "王五"],
                ["reporter", "赵六"],
                ["photographer", "赵六"],
            ],
        ),
        (
            "(某某日报记者 王五 文/图)今天上午,会议召开。",
            [["reporter", "王五"], ["author", "王五"], ["photographer", "王五"]],
        ),
        ("(记者 王五/文 赵六/图)", [["reporter", "王五"], ["photographer", "赵六"]]),
        # One person in several roles: each role kept.
        (
            "作者:王五 编辑:王五 摄影:王五",
            [["author", "王五"], ["editor", "王五"], ["photographer", "王五"]],
        ),
        # A long list: the ninth name counts as much as the first.
        (
            "(记者 王甲 王乙 王丙 王丁 王戊 王己 王庚 王辛 王壬 摄)",
            [["photographer", f"王{c}"] for c in "甲乙丙丁戊己庚辛壬"],
        ),
        (
            "摄影:王甲 王乙 王丙 王丁 王戊 王己 王庚 王辛 王壬",
            [["photographer", f"王{c}"] for c in "甲乙丙丁戊己庚辛壬"],
        ),
        (
            "某某时刻新闻记者 王甲 王乙 王丙 王丁 王戊  王己 欧阳庚 湘西报道",
            [["reporter", n] for n in ("王甲", "王乙", "王丙", "王丁", "王戊", "王己", "欧阳庚")],
        ),
        # Bylines after a dateline, inside the first sentence.
        ("本报讯 记者 王五 3月3日,全县召开大会。", [["reporter", "王五"]]),
        (
            "本报长沙3月3日电 记者王五、通讯员赵六报道:会议召开。",
            [["reporter", "王五"], ["correspondent", "赵六"]],
        ),
        (
            "某网/某某客户端讯 通讯员王五、赵六、钱七报道:今天,活动启动。",
            [["correspondent", "王五"], ["correspondent", "赵六"], ["correspondent", "钱七"]],
        ),
        (
            "新华社长沙3月4日电 题:春耕正当时 新华社记者 王五、赵六 记者从省农业厅获悉,春耕加快。",
            [["reporter", "王五"], ["reporter", "赵六"]],
        ),
        (
            "某某新闻网讯(王五 赵六 报道)3月3日,会议召开。",
            [["reporter", "王五"], ["reporter", "赵六"]],
        ),
        # Other roles and placements.
        ("某日报全媒体评论员 王五 视频 赵六", [["author", "王五"]]),
        ("某日报特别报道组 王五 赵六", [["author", "王五"], ["author", "赵六"]]),
        (
            "游客在古镇游玩。 王五 赵六 摄影报道",
            [["photographer", "王五"], ["photographer", "赵六"]],
        ),
        ("新建成的车间 摄影 王五", [["photographer", "王五"]]),
        ("本报记者 孙 超 《 某某日报 》( 2022年05月21日 第 07 版)", [["reporter", "孙 超"]]),
        ("李 健摄(某某视觉)", [["photographer", "李 健"]]),
        (
            "记者 欧阳娜娜 司马光明 诸葛亮亮",
            [["reporter", "欧阳娜娜"], ["reporter", "司马光明"], ["reporter", "诸葛亮亮"]],
        ),
        # After a reporter label, a place is not a name.
        ("记者 王五 发自长沙", [["reporter", "王五"]]),
        ("记者 王五 长沙报道", [["reporter", "王五"]]),
    ],
)
def test_chinese_phrasings(text: str, expected: list[list[str]]) -> None:
    assert _find(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # A label counts only where labels stand, not inside a word or a quoted title.
        "省委常委、宣传部部长王五出席",
        "会上,市委常委、秘书长王五作了讲话。",
        "他说:“编辑:要认真负责。”",
        "《编辑:一个岗位的故事》首映",
        "总编辑:王五 社长:赵六",
        # Prose after a role word: no names cut out of the sentence.
        "本报讯 记者从市教育局获悉,今年新增学位三千个。",
        "本报讯 记者王五说,今年的情况很好。",
        "记者在现场看到,工人们正在加紧施工。",
        "记者王五来到现场采访",
        "他编辑的书籍《山水》获奖,作者王五表示感谢。",
        "摄影爱好者王五拍下了这一幕。",
        # Organisations under a person's label.
        "编辑:某某政协新闻网",
        "作者:某县新闻网",
    ],
)
def test_chinese_not_credits(text: str) -> None:
    assert _find(text) == []
