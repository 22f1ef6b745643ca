"""pipelines.dates: date lines, URL dates, traps (banner, body dates, placeholders, implausible)."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines import dates
from pipelines.normalize import zone
from pipelines.text import prepare

TODAY = date(2025, 6, 30)


@pytest.mark.parametrize(
    ("line", "day", "clock"),
    [
        ("From:衡阳日报 | Date Add in:2020-03-04 21:05:09 [A  A]", "2020-03-04", (21, 5, 9)),
        ("2018-04-02 Download Print Comment", "2018-04-02", None),
        ("Updated:2023-01-15 08:30:00", "2023-01-15", (8, 30, 0)),
        ("Updated: 2015-11-03 10:11:12.0", "2015-11-03", (10, 11, 12)),
        ("Updated:2010/3/9 07:05:01", "2010-03-09", (7, 5, 1)),
        ("date 2024-02-29 Some Outlet", "2024-02-29", None),
        ("发布时间:2022年05月06日", "2022-05-06", None),
        ("发布时间:2022-05-06 16:40", "2022-05-06", (16, 40, 0)),
        ("日期:2016-12-01 09:15", "2016-12-01", (9, 15, 0)),
        ("2019-10-08 12:01 [来源:某某在线] [责编:张三]", "2019-10-08", (12, 1, 0)),
        ("2020年07月08日 18:45 某某日报", "2020-07-08", (18, 45, 0)),
        ("来源:某网 2021年09月10日11:12", "2021-09-10", (11, 12, 0)),
        ("2014年02月03日 10时05分 来源:某报", "2014-02-03", (10, 5, 0)),
        ("某某客户端   2022-12-01 07:08:09", "2022-12-01", (7, 8, 9)),
        ("Pub Date:21-04-05 09:30 Source:example.com", "2021-04-05", (9, 30, 0)),
        ("Published: 09:45, March 3, 2021 | Updated: 10:00, May 1, 2022", "2021-03-03", (9, 45, 0)),
        ("Updated 08:20, 05-Jan-2019", "2019-01-05", (8, 20, 0)),
        ("Some Outlet) 11:30, October 2, 2020", "2020-10-02", (11, 30, 0)),
        ("By Li Lei and Han Mei  (China Daily) 07:15, June 9, 2014", "2014-06-09", (7, 15, 0)),
        ("Write: Tom [2012-03-04]", "2012-03-04", None),
        ("News 2018/02/03 View:120", "2018-02-03", None),
        ("某网 | 04 05, 2021", "2021-04-05", None),
        ("(Updated on August 2, 2022)", "2022-08-02", None),
        ("Updated: June 25, 2022 07:13 Some Agency", "2022-06-25", (7, 13, 0)),
        ("10-31-2006 10:00", "2006-10-31", (10, 0, 0)),
        ("(Some News Agency, October 13, 2005)", "2005-10-13", None),
        ("Time:2020-01-02     Click:", "2020-01-02", None),
        ("Source:Some Daily Date:2016-05-06 07:08:09 【Fonts:Small Big", "2016-05-06", (7, 8, 9)),
        ("2020-05-06 00:00:00", "2020-05-06", None),
        ("發布時間: 2023-03-04 05:06", "2023-03-04", (5, 6, 0)),
        ("當前報章2024年01月02日", "2024-01-02", None),
    ],
)
def test_parse_line(line: str, day: str, clock: tuple[int, int, int] | None) -> None:
    parsed = dates.parse_line(line)
    assert parsed is not None
    assert parsed[0].isoformat() == day
    assert parsed[1] == clock


@pytest.mark.parametrize(
    "line", ["No date here", "Hunan in One Minute", "On March 3 the mayor spoke", "2023年5月"]
)
def test_parse_line_none(line: str) -> None:
    assert dates.parse_line(line) is None


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("http://eng.example.gov.cn/news/202001/t20200102_123.html", "2020-01-02"),
        ("http://www.example.gov.cn/a/b/20240506/i123.html", "2024-05-06"),
        ("https://english.example.cn/content/2021/07/08/123.html", "2021-07-08"),
        ("https://epaper.example.cn/html/2019-03/04/content_1.htm", "2019-03-04"),
        ("https://english.example.cn/c/2017/09/10/1.htm", "2017-09-10"),
        ("http://en.example.cn/n3/2020/0115/c90000-1.html", "2020-01-15"),
        ("http://finance.example.com/x/2021-04-05/doc-abc.shtml", "2021-04-05"),
        ("http://www.example.com/content/201806/07/c1.html", "2018-06-07"),
        ("http://www.example.gov.cn/news/201708/t_abc.html", None),
        ("http://www.example.gov.cn/c123/202210/abcdef.shtml", None),
        ("http://en.example.gov.cn/21730/content_895180.html", None),
        ("http://www.example.gov.cn/news/20201345/i1.html", None),
        ("http://e.example.cn/news/2019-1218/news-1-3.html", "2019-12-18"),
        ("https://paper.example.cn/article/202106/202106130719094038.html", "2021-06-13"),
        ("https://paper.example.cn/article/202106/202107130719094038.html", None),
        ("https://local.example.com/city/25/0209/18/ABCDEF.html", "2025-02-09"),
        ("https://local.example.com/city/25/0209/ABCDEF.html", None),
    ],
)
def test_from_url(url: str, day: str | None) -> None:
    found = dates.from_url(url)
    assert (found.isoformat() if found else None) == day


def _find(text: str, url: str = "http://example.com/a.html") -> dates.Found:
    return dates.find(prepare(text), url, today=TODAY)


BANNER_PAGE = (
    "The Official Website of the People’s Government of Hunan Province Mobile 中文\n\n"
    "15 July 2015\n\nHome>News>Local News\n\nA Bridge Opens\n\n2019-04-05 Download Print\n\n"
    "The bridge opened to traffic on April 3, 2019, the county government said in a statement."
)


@pytest.mark.parametrize(
    ("text", "url", "day", "at"),
    [
        (BANNER_PAGE, "http://www.enghunan.gov.cn/x/201904/t20190406_1.html", "2019-04-05", None),
        (
            "15 July 2015\n\nHome>News\n\nTitle\n\n"
            "The museum reopened on May 2, 2021 after a long renovation, officials said on Sunday.",
            "http://www.enghunan.gov.cn/x/202105/t20210503_1.html",
            "2021-05-03",
            None,
        ),
        (
            "Title\n\nT | T\n\nOn January 18, 2020, the city held a meeting on rural roads and "
            "announced a plan for the coming year.",
            "http://en.example.gov.cn/21732/content_1.html",
            None,
            None,
        ),
        (
            "Title\n\nUpdated:2020-02-03 00:00:00\n\nThe festival drew many visitors to the old"
            " town "
            "this weekend, organisers said.",
            "http://x.example.cn/a.html",
            "2020-02-03",
            None,
        ),
        (
            "Title\n\n2020-02-03 11:22 [来源:某网]\n\n正文第一段,记者从会上获悉,今年全市新增绿地面"
            "积超过三百公顷,市民出行更方便。",
            "http://x.example.cn/a.html",
            "2020-02-03",
            "2020-02-03T11:22:00+08:00",
        ),
        (
            "Copyright © 1998 - 2011 Example Daily. All Rights Reserved",
            "http://x.example.cn/a.html",
            None,
            None,
        ),
        (
            " date 2022-03-04 We Are Here\n\nSome Outlet) 10:12, March 4, 2022\n\n"
            "Farmers planted seedlings in the valley as spring arrived in the province this week.",
            "http://x.example.cn/a.html",
            "2022-03-04",
            "2022-03-04T10:12:00+08:00",
        ),
    ],
)
def test_find(text: str, url: str, day: str | None, at: str | None) -> None:
    found = _find(text, url)
    assert found.published_date == day
    assert found.published_at(zone("Asia/Shanghai")) == at


@pytest.mark.parametrize(
    ("text", "url"),
    [
        (
            "Title\n\nUpdated:2031-01-01 10:00:00\n\nBody text here that is long enough to read.",
            "http://x.cn/a",
        ),
        ("Title\n\n发布时间:1985-05-06\n\n正文", "http://x.cn/a"),
        ("Title only", "http://x.cn/news/t20990101_1.html"),
    ],
)
def test_implausible_dates_are_recorded_not_stored(text: str, url: str) -> None:
    found = _find(text, url)
    assert found.published_date is None
    assert found.problems and found.problems[0]["field"] == "published_date"


def test_implausible_line_falls_back_to_url() -> None:
    found = _find("Title\n\nUpdated:2031-01-01\n\nBody.", "http://x.cn/c/2020/01/02/1.html")
    assert found.published_date == "2020-01-02"
    assert len(found.problems) == 1


@pytest.mark.parametrize(
    ("day", "policy", "result"),
    [
        (date(2025, 7, 1), "null", date(2025, 7, 1)),  # today + 1 day is allowed
        (date(2025, 7, 2), "null", None),
        (date(1989, 12, 31), "record", None),
        (date(1990, 1, 1), "raise", date(1990, 1, 1)),
    ],
)
def test_check_policies(day: date, policy: dates.Errors, result: date | None) -> None:
    assert dates.check(day, TODAY, errors=policy) == result


def test_check_raises() -> None:
    with pytest.raises(dates.ImplausibleDate):
        dates.check(date(2030, 1, 1), TODAY)


@pytest.mark.parametrize(
    ("text", "url", "day", "at"),
    [
        # A periodical's issue line is not the article's date; the byline's date is.
        (
            "NO. 12 MAR 3, 2022\nTitle\n"
            "By Zhao Lei  ·  2022-02-27  ·   Source: NO. 12 MARCH 3, 2022\n"
            "The lake has become an ecological icon of the city after years of careful work.",
            "http://x.example.cn/a.html",
            "2022-02-27",
            None,
        ),
        # A sentence that opens with a date range is text, not a date line.
        (
            "某地举行龙舟赛\n2010年6月14日至15日,第六届龙舟节将在某地举行,来自各地的队伍将同江竞渡。\n"
            "正文第二段,龙舟竞渡是当地人民的伟大发明,在漫长的传承中形成了独特的风俗。",
            "http://epaper.example.cn/html/2010-06/11/content_1.htm",
            "2010-06-11",
            None,
        ),
        # A labelled date line under the article gives the time the URL lacks.
        (
            "The guests visited the old town and its museum, which opened to the public in May.\n"
            "More guests are expected to come in the autumn, the organisers said on Monday.\n"
            "Third paragraph: the visit ended with a dinner at the county hall on Monday night.\n"
            "Guests Visit the Old Town\nUpdated:2015-06-15 10:11:30",
            "http://english.example.cn/c/2015/06/15/1.htm",
            "2015-06-15",
            "2015-06-15T10:11:30+08:00",
        ),
        # ... and a closing (Outlet, date) line gives the date when nothing else does.
        (
            "Menu\nTitle\nAn expo opened on Wednesday in the city, drawing ten thousand guests.\n"
            "The fair is organised jointly by several ministries and business councils.\n"
            "Last year the city marked a thousand years under its present name.\n"
            "(Some News Agency, October 13, 2005)",
            "http://english.example.org/culture/144972.htm",
            "2005-10-13",
            None,
        ),
        # A trailer that contradicts the URL's date loses to it.
        (
            "One.\nTwo paragraphs of text that go on for a while to read as prose, they said.\n"
            "Three paragraphs of text that go on for a while to read as prose, said the office.\n"
            "Four paragraphs of text that go on for a while to read as prose, said the office.\n"
            "Updated:2015-07-01 10:11:30",
            "http://english.example.cn/c/2015/06/15/1.htm",
            "2015-06-15",
            None,
        ),
    ],
)
def test_find_more(text: str, url: str, day: str | None, at: str | None) -> None:
    found = _find(text, url)
    assert (found.published_date, found.published_at(zone("Asia/Shanghai"))) == (day, at)
