"""pipelines.text and pipelines.body: mojibake, language, line classes, the body and the
headline."""

from __future__ import annotations

import pytest

from pipelines import body, text
from pipelines.normalize import normalize


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ("Changsha¡¯s new bridge", "Changsha’s new bridge"),
        ("themed ¡°Our Festival¡±", "themed “Our Festival”"),
        ("Holiday¡ªDuanwu", "Holiday—Duanwu"),
        ("¡¾Review¡¿ last year", "【Review】 last year"),
        ("Français and café stay", "Français and café stay"),
    ],
)
def test_repair_mojibake(raw: str, fixed: str) -> None:
    assert text.repair_mojibake(raw) == fixed


def test_prepare_normalizes_width_and_spaces() -> None:
    assert text.prepare("来源：某报\u3000\r\nĦĦĦĦA line") == ["来源:某报", "A line"]


@pytest.mark.parametrize(
    ("sample", "lang"),
    [
        ("The city opened a new park on Friday.", "en"),
        ("市里新建的公园周五正式开放,市民纷纷前来游览。", "zh"),
        (
            "Knowing All about Hunan\n双语丨湖南长沙举行活动\nThe event was held in the capital ci"
            "ty on"
            " Monday.",
            "en",
        ),
        ("", "en"),
    ],
)
def test_detect_lang(sample: str, lang: str) -> None:
    assert text.detect_lang(sample) == lang


@pytest.mark.parametrize(
    "line",
    [
        "[A  A]",
        "[A A] |",
        "A  |  A  |  A",
        "T | T",
        "print",
        "Download Print",
        "Download Print Comment",
        "PDF View",
        "Home>News>Local News",
        "HOME> Current News >  Hot News >  Local >",
        "湖南双语网> 世界看湖南> 资讯",
        ">>English>>Today",
        "当前位置:",
        "您所在的位置首页 > 正文:",
        "• Hot News",
        "1578272344337621.png",
        "![]()",
        "33506593",
        '["china"]',
        "【查看原图】",
        "时刻新闻",
        "—分享—",
        "分享到:",
        "字号:",
        "【字体:",
        "打印 收藏",
        "原标题:某某会议召开",
        "Link: 某某新闻",
        "ALSO READ: Towns attract tourism",
        "Go to Forum >>0 Comment(s)",
        "(上接第一版)",
        "Please refer to when using the article.",
        "Click:",
        "浏览量:1 | | | |",
        "阅读:29177",
        "第02版:要闻",
        "Knowing All about Hunan",
        "-",
        "|",
    ],
)
def test_widget_lines(line: str) -> None:
    assert text.is_widget(line)


@pytest.mark.parametrize(
    "line",
    [
        "The bridge opened on Monday, the city said.",
        "市里新建的公园周五正式开放。",
        "Hunan in One Minute",
        "1,800 sqm of wetland were restored along the river.",
    ],
)
def test_article_lines_are_not_widgets(line: str) -> None:
    assert not text.is_widget(line)


@pytest.mark.parametrize(
    ("line", "prose"),
    [
        ("The new riverside park opened to visitors this week, the county said.", True),
        ("New Riverside Park Opens in the County", False),
        ("近日,城市公园正式开放,市民纷纷前来游览,感受春天的气息,公园里游人如织。", True),
        ("城市公园正式开放", False),
        ("《 某某报 》 ( 2022年07月23日   第 02 版)", False),
    ],
)
def test_is_prose(line: str, prose: bool) -> None:
    assert text.is_prose(line) is prose


def _body(page: str, anchor: int | None = None) -> str:
    return body.extract_body(text.prepare(page), anchor=anchor)


PARA1 = "The new riverside park opened to visitors this week, the county government said on Friday."
PARA2 = "Officials said the park would host concerts and markets through the summer months."


@pytest.mark.parametrize(
    ("page", "keeps", "drops"),
    [
        (
            f"• Home\n    • News\nPark Opens\nFrom:某某网 | Date Add in:2020-01-02 10:00:00 [A "
            f" A]\n{PARA1}\n\n{PARA2}\n"
            "Sponsored by Some Municipal People's Government ICP NO:123",
            [PARA1, PARA2],
            ["• Home", "From:", "[A  A]", "Sponsored by", "Park Opens"],
        ),
        (
            f"Park Opens\n\n2019-02-01\nprint\nT | T\n\n{PARA1}\n\n{PARA2}\n\nTranslator: Li"
            f" Ming\nChinese source: x.gov.cn",
            [PARA1, PARA2],
            ["T | T", "Translator:", "Chinese source:", "print"],
        ),
        (
            f"{PARA1} (Photo/Zhao Lei, Some Daily)\nThis article is from Hunan Provincial"
            f" Government www.x.gov.cn.\n"
            "Translator: Li Ming\nChinese source: hunantoday",
            [PARA1],
            ["This article is from", "Translator"],
        ),
        (
            f"Park Opens\nBy Li Ming | Some Daily | Updated: 2016-04-15 06:53\n{PARA1}[Zhao"
            f" Lei/For Some Daily]",
            [PARA1],
            ["By Li Ming", "[Zhao Lei/For Some Daily]"],
        ),
        (
            f"{PARA1}\n{PARA2}\nIn pics: a city at night\nTop 10 easiest cities to do"
            f" business\nHarry and friends release photos",
            [PARA1, PARA2],
            ["In pics", "Top 10"],
        ),
        (
            "当前位置:首页>新闻\n城市公园开放\n发布时间:2021年03月05日 10:20  来源:某某日报\n"
            "某某日报讯(记者 张三)近日,城市公园正式开放,市民纷纷前来游览,感受春天的气息。\n"
            "公园管理处表示,将持续完善配套设施,为市民提供更好的休闲环境和游览体验。\n"
            "责任编辑:王芳\n相关阅读\n另一篇新闻标题",
            ["城市公园正式开放,市民纷纷前来游览", "将持续完善配套设施"],
            ["当前位置", "发布时间", "责任编辑", "相关阅读", "另一篇新闻标题"],
        ),
        (
            "标题\n来源:某某广电网 发布时间:2017-09-08 2017年全国科普日活动昨天在县里举行,两千余名"
            "中小学生走进流动科技馆体验科技魅力。",
            ["2017年全国科普日活动昨天在县里举行"],
            ["来源:", "发布时间"],
        ),
        (
            f" date 2022-03-04 We Are Here\nTitle\n{PARA1}",
            [PARA1],
            ["date 2022-03-04", "We Are Here"],
        ),
        (
            "A bridge of the past still connects the old towns\n"
            "on both banks of the river, and local people cross it\n"
            "every single day to reach the busy market on the\n"
            "other side.\n"
            "The bridge was built in the Qing dynasty and it was\n"
            "restored last year by the county, officials said at a\n"
            "small ceremony held on the bridge itself with music\n"
            "and dancing by villagers from the two nearby towns.",
            ["on both banks of the river, and local people", "restored last year by the county"],
            [],
        ),
        (
            f"Title\n{PARA1}\nCopyright Some Municipal Government All Rights Reserved. Your"
            f" feedback is welcome.",
            [PARA1],
            ["Copyright"],
        ),
        (
            "标题\n2024-05-06 10:20\n【文/某某网专栏作者 何青】\n城东新建的两座桥梁已经完工，下月起"
            "通车，市民出行将更方便。\n渡口也在今年春天重新开放了，往来的船只比去年多。（何青）",
            ["城东新建的两座桥梁已经完工", "往来的船只比去年多。"],
            ["【文/", "(何青)"],
        ),
        (
            "标题\n2024-05-06 10:20\n城东新建的两座桥梁已经完工，下月起通车，市民出行将更方便。\n"
            "（应受访者要求，文中何青为化名。）",
            ["(应受访者要求,文中何青为化名。)"],
            [],
        ),
    ],
)
def test_extract_body(page: str, keeps: list[str], drops: list[str]) -> None:
    found = _body(page)
    for fragment in keeps:
        assert fragment in found
    for fragment in drops:
        assert fragment not in found


def test_paragraphs_are_separated_by_a_blank_line() -> None:
    assert (
        _body(f"Title\nUpdated:2020-01-02 10:00:00\n{PARA1}\n\n\n{PARA2}") == f"{PARA1}\n\n{PARA2}"
    )


@pytest.mark.parametrize(
    ("page", "anchor", "title"),
    [
        (f"Home>News\nPark Opens\n2019-02-01 Download Print\n{PARA1}", 2, "Park Opens"),
        (f"Park Opens\n\nT | T\n\n{PARA1}", None, "Park Opens"),
        (PARA1, None, None),
    ],
)
def test_find_title(page: str, anchor: int | None, title: str | None) -> None:
    assert body.find_title(text.prepare(page), anchor=anchor)[0] == title


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("会议通知\n\n会议还研究了其他事项。", "会议还研究了其他事项。"),
        (
            "Short Note\n\nUpdated:2020-01-02 10:00:00\n\nThe office is closed today.",
            "The office is closed today.",
        ),
        ("Only a title", ""),
    ],
)
def test_short_pages_keep_their_text(page: str, expected: str) -> None:
    assert _body(page) == expected


def body_of(page: str) -> str:
    return normalize({"url": "http://news.example.cn/a.html", "text": page})["body"]


@pytest.mark.parametrize(
    "paragraph",
    [
        "3月5日，长沙市开福区新建的社区食堂正式开业，为周边老人提供每餐十元的午饭。",
        "（图片由受访者提供）市民在湘江边的步道上散步，享受春日的好天气与美景。",
        "The mayor said: “We will finish the bridge by June,” adding that work goes on.",
    ],
)
def test_body_keeps_full_width_punctuation_as_written(paragraph: str) -> None:
    page = f"首页 > 新闻\n标题\n2024-03-05 10:00\n{paragraph}\n责任编辑：王芳"
    assert body_of(page) == paragraph


@pytest.mark.parametrize(
    "line",
    [
        "Reporter Liu Fang",
        "Reporter Zhou Min, Correspondent Xu Kai",
        "(Reporter Chen Li and Correspondent Wang Bo)",
        "Huasheng Online News on March 12 (Reporter Zhang Hui)",
        "Huasheng Online News on June 30",
        "湖南日报·华声在线记者成俊峰通讯员李靓",
        "记者 王明 通讯员 李华",
        "■某都市报全媒体评论员 王明 视频 李华",
        "●记者 王明 通讯员 李华",
        "文/图 本报记者 王明 李华",
        "某日报特别报道组 王明 李华",
        "(Web editor: Zhao Lei, Qian Yu)",
        "[ Editor: ZLY ]",
        "Photography by Zhao Lei",
        "Edit: Qian Yu",
        "Responsible editor: Qian Yu",
    ],
)
def test_lines_of_credits_only_leave_the_body(line: str) -> None:
    prose = "The new ferry line across the lake opened on Monday with four sailings a day."
    assert body_of(f"Ferry opens\n2024-05-06\n{line}\n{prose}") == prose


@pytest.mark.parametrize(
    "line",
    [
        "Reporters said the bridge would open next week, weeks earlier than planned.",
        "记者从市交通局获悉，今年全市将新开通公交线路十二条，方便群众出行。",
    ],
)
def test_prose_about_reporters_stays(line: str) -> None:
    assert body_of(f"Title\n2024-05-06\n{line}") == line


def test_caption_ending_in_a_photo_credit_stays_in_the_body() -> None:
    first = "近日，岳麓山景区完成了登山步道的改造，新铺设的石板路让市民登山更加安全舒适。"
    caption = "9月20日，市民在新修缮的步道上登山。记者 田超 摄"
    assert body_of(f"标题\n2024-09-21 08:00\n{first}\n{caption}") == f"{first}\n\n{caption}"


def test_a_page_without_prose_keeps_every_line() -> None:
    """No sentence to end the article with: nothing is trimmed, and the title comes first."""
    lines = ["Opening Hours", "Monday 9 to 5", "Tuesday 9 to 5", "Wednesday closed"]
    prepared = text.prepare("\n".join(lines))
    assert body.find_title(prepared) == ("Opening Hours", 0)
    assert body.extract_body(prepared, skip={0}) == "\n\n".join(lines[1:])


@pytest.mark.parametrize(
    "line",
    [
        # Font-size, print and share widgets, in any spelling run together.
        "Font size: defaultLargeSuper Large|",
        "fontLarger fontSmaller",
        "【Fonts: A+ A A- Print",
        "Large Medium Small Print",
        "Print Print",
        "Share - WeChat",
        "Weibo Weixin Qzone Facebook Twitter More",
        "Read in Chinese",
        "字体:大 中 小",
        # E-paper navigation.
        "上一篇 放大 缩小 默认",
        "返回目录  放大缩小全文复制   下一篇",
        "放大+  缩小-   默认o",
        # Share prompts, follow-us lines, notices, addresses, file paths.
        "转发此文至微博",
        "For the latest China news, Please follow Some Daily on Facebook",
        "Facebook page : Some Daily",
        "敬请关注“某某商务”",
        "微信公众号",
        "Special statement: This article is reprinted from another outlet for information only.",
        "(版权声明:本稿件为某某网专稿,未经授权,不得转载、摘编或利用其他方式使用。)",
        "版权所有,未经授权禁止转载、摘编、复制或建立镜像。如有违反,追究法律责任。",
        "Powered By Some CMS",
        "Contact Us",
        "Add: No.8, Lakeside Rd, Some County",
        "地址:某市某区某路8号",
        "index_main3.html",
        "../../static/tpl/font2.html",
        "![]() |",
        "首页某某视点 → 某市的山水有多美?游客爱去哪些地方?",
    ],
)
def test_page_furniture_is_not_text(line: str) -> None:
    prose = "The new ferry line across the lake opened on Monday with four sailings a day."
    assert body_of(f"Ferry opens\n2024-05-06\n{prose}\n{line}\n{prose} Again.") == (
        f"{prose}\n\n{prose} Again."
    )


@pytest.mark.parametrize(
    ("paragraph", "clean"),
    [
        ("(上接第一版)全市上下要奋发有为,推进各项工作。", "全市上下要奋发有为,推进各项工作。"),
        (
            "Autumn colours in the park. (Photo provided to example.com.cn) Visitors came.",
            "Autumn colours in the park. Visitors came.",
        ),
        ("[Bilingual reading] The lake is full of birds.", "The lake is full of birds."),
        (
            "The guests paid a visit to the old town. Translated by Zhao Lei. Link: 某地迎来外宾",
            "The guests paid a visit to the old town.",
        ),
    ],
)
def test_inline_residue_is_cut(paragraph: str, clean: str) -> None:
    assert body_of(f"Title\n2024-05-06\n{paragraph}") == clean


def test_short_sentences_before_the_first_paragraph_open_the_article() -> None:
    lead = ["一座城市的山;", "一条城市的河;", "这就是某江。"]
    first = "“你们在这里工作,最重要的是呵护好这里的山水。”某年某月,一位老人这样嘱托护林员们。"
    page = "\n".join(["某江的故事", *lead, first])
    assert body_of(page) == "\n\n".join([*lead, first])


def test_a_bulleted_sentence_is_text() -> None:
    first = "为深入做好安全生产工作,切实保障人民群众生命财产安全,区里组织开展了一次全面的督导检查。"
    page = f"区里开展督导检查\n  • 2025-06-16 11:54\n  • 来源:区应急管理局\n  • {first}"
    assert first in body_of(page)
