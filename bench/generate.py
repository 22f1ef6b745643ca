# ruff: noqa: E501 (page templates are HTML as the site writes it; word lists)
"""Seeded sample data for the benchmarks: article pages and normalized articles that repeat.

Every generated article is a *story* (title, date, paragraphs, people) told the way Huasheng
Online tells it, in its English channel (english.voc.com.cn) or its Chinese Hunan channel
(hunan.voc.com.cn): navigation, a meta line, a dateline with credits, the editor's lines
and a footer, laid out so that the registered `huasheng` site parses it. From one story come

- `page_html`: the article page a crawl fetches (served by the replay, see `write_site`);
- `article`: the normalized article (the archive's input contract) with that page as its
  raw HTML, for the archive figures, without running the normalizer a million times.

The vocabulary is large enough that a query matches a realistic share of the articles:
places and people are many and unevenly used (a few often, most rarely), topics combine.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from pathlib import Path
from typing import Any

HOSTS = {"en": "english.voc.com.cn", "zh": "hunan.voc.com.cn"}
LISTING_PAGE = 50  # article links per listing page
FIRST_DAY = date(2012, 1, 1)
DAYS = 5000
TODAY = date(2026, 1, 1)  # the `today` the normalizer is given, so results repeat

PLACES = [
    "Changsha",
    "Hengyang",
    "Yueyang",
    "Zhuzhou",
    "Xiangtan",
    "Changde",
    "Shaoyang",
    "Yiyang",
    "Chenzhou",
    "Yongzhou",
    "Huaihua",
    "Loudi",
    "Zhangjiajie",
    "Xiangxi",
    "Liuyang",
    "Ningxiang",
    "Liling",
    "Leiyang",
    "Miluo",
    "Jishou",
    "Lengshuijiang",
    "Hongjiang",
    "Yuanjiang",
    "Jinshi",
    "Zixing",
    "Shaoshan",
    "Nanyue",
    "Wulingyuan",
    "Fenghuang",
    "Pingjiang",
]
PLACES_ZH = [
    "长沙",
    "衡阳",
    "岳阳",
    "株洲",
    "湘潭",
    "常德",
    "邵阳",
    "益阳",
    "郴州",
    "永州",
    "怀化",
    "娄底",
    "张家界",
    "湘西",
    "浏阳",
    "宁乡",
    "醴陵",
    "耒阳",
    "汨罗",
    "吉首",
]
TOPICS = (
    "night market",
    "rice harvest",
    "high-speed rail link",
    "trade fair",
    "smart agriculture pilot zone",
    "river clean-up campaign",
    "cultural tourism festival",
    "electronics industrial park",
    "flood prevention drill",
    "rural revitalization project",
    "health check for seniors",
    "dragon boat race",
    "tea picking season",
    "new energy vehicle plant",
    "wetland protection program",
    "college graduate job fair",
    "metro line",
    "international airport route",
    "kiwifruit export",
    "intangible cultural heritage exhibition",
    "forest fire prevention campaign",
    "poverty alleviation workshop",
    "science and technology innovation award",
    "bridge across the Xiangjiang River",
    "Dongting Lake bird census",
    "lotus seed harvest",
    "porcelain expo",
    "construction machinery fair",
    "vocational skills contest",
    "marathon",
)
ACTIONS = [
    "launches",
    "opens",
    "expands",
    "hosts",
    "upgrades",
    "celebrates",
    "promotes",
    "builds",
    "completes",
    "unveils",
]
SENTENCES = (
    "{place} {action} its {topic}, the municipal government said on {weekday}.",
    "More than {n} residents and visitors took part in the first week.",
    "Officials said the {topic} would create about {n} jobs by the end of next year.",
    "The city's commerce bureau has waived fees for the first {m} months.",
    "Farmers in the counties around {place} expect output to rise by {m} percent.",
    "Traffic police have added temporary parking areas and asked visitors to use buses.",
    "The provincial government will invest {n} million yuan in the second phase.",
    "Local schools organized visits so that students could learn about the {topic}.",
    "Experts from {other} gave advice on protecting the wetlands along the river.",
    "The event will be held every year from now on, organizers said.",
    "A delegation from {other} visited {place} on {weekday} to study its experience.",
    "The {topic} is part of a plan to make {place} a regional center by {year}.",
)
TOPICS_ZH = (
    "防汛工作",
    "早稻收割",
    "高铁建设",
    "招商引资",
    "乡村振兴",
    "文化旅游节",
    "夜间经济",
    "生态环境保护",
    "就业招聘会",
    "科技创新",
    "城市更新",
    "营商环境",
    "安全生产",
    "养老服务",
    "非遗展示",
)
SENTENCES_ZH = (
    "{m}月{d}日，{place}召开{topic}推进会，部署下一阶段重点工作。",
    "会议指出，要坚持以人民为中心，推动{topic}取得新成效。",
    "据介绍，今年以来{place}共完成项目投资{n}亿元，同比增长{m}%。",
    "市民纷纷表示，城市环境越来越好，生活越来越方便。",
    "下一步，有关部门将加强督查，确保各项措施落到实处。",
    "{other}代表团来到{place}，实地考察{topic}情况。",
    "活动吸引了{n}余名市民和游客参与。",
)
FAMILY = [
    "Wang",
    "Li",
    "Zhang",
    "Liu",
    "Chen",
    "Yang",
    "Zhao",
    "Huang",
    "Zhou",
    "Wu",
    "Xu",
    "Sun",
    "Hu",
    "Zhu",
    "Gao",
    "Lin",
    "He",
    "Guo",
    "Ma",
    "Luo",
]
GIVEN = [
    "Wei",
    "Fang",
    "Min",
    "Jing",
    "Li",
    "Qiang",
    "Lei",
    "Jun",
    "Yang",
    "Yong",
    "Yan",
    "Jie",
    "Juan",
    "Tao",
    "Ming",
    "Chao",
    "Xiu",
    "Xia",
    "Hui",
    "Ping",
    "Caihong",
    "Jiangjiang",
    "Yuehui",
    "Hongfei",
    "Shuang",
    "Ting",
    "Kai",
    "Zhi",
]
FAMILY_ZH = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN_ZH = "伟芳敏静丽强磊军洋勇艳杰娟涛明超秀霞辉平红飞双婷凯志"
MONTHS = "January February March April May June July August September October November December"


@dataclass(frozen=True)
class Story:
    number: int
    lang: str
    day: date
    time: str  # HH:MM
    title: str
    paragraphs: tuple[str, ...]
    reporter: str
    correspondent: str
    editor: str

    @property
    def url(self) -> str:
        stamp = self.day.strftime("%Y%m%d") + self.time.replace(":", "")
        return f"http://{HOSTS[self.lang]}/article/{stamp[:6]}/{stamp}{self.number:07d}.html"


def _zipf(rng: random.Random, values: tuple[str, ...] | list[str]) -> str:
    """A value, the first ones far more often than the last (as place and people names are)."""
    return values[min(int(rng.paretovariate(1.2)) - 1, len(values) - 1)]


def _person(rng: random.Random, lang: str) -> str:
    if lang == "zh":
        return _zipf(rng, FAMILY_ZH) + "".join(rng.sample(GIVEN_ZH, rng.randint(1, 2)))
    return f"{_zipf(rng, FAMILY)} {rng.choice(GIVEN)}"


def story(rng: random.Random, number: int, lang: str | None = None) -> Story:
    """One seeded story; English three times in four unless `lang` is given."""
    lang = lang or ("zh" if rng.random() < 0.25 else "en")
    day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    zh = lang == "zh"
    places, topics, sentences = (
        (PLACES_ZH, TOPICS_ZH, SENTENCES_ZH) if zh else (PLACES, TOPICS, SENTENCES)
    )
    values = {
        "place": _zipf(rng, places),
        "other": rng.choice(places),
        "topic": rng.choice(topics),
        "action": rng.choice(ACTIONS),
        "weekday": day.strftime("%A"),
        "n": rng.randrange(20, 5000),
        "m": rng.randint(1, 12),
        "d": rng.randint(1, 28),
        "year": day.year + rng.randint(2, 8),
    }
    if zh:
        title = f"{values['place']}{values['topic']}{rng.choice(('取得新进展', '全面启动', '成效明显'))}"
    else:
        title = f"{values['place']} {values['action'].title()} {values['topic'].title()}"
    joiner = "" if zh else " "
    paragraphs = tuple(
        joiner.join(rng.choice(sentences).format(**values) for _ in range(rng.randint(2, 4)))
        for _ in range(rng.randint(3, 7))
    )
    return Story(
        number=number,
        lang=lang,
        day=day,
        time=f"{rng.randint(7, 21):02d}:{rng.randrange(60):02d}",
        title=title,
        paragraphs=paragraphs,
        reporter=_person(rng, lang),
        correspondent=_person(rng, lang),
        editor=_person(rng, lang),
    )


def stories(count: int, seed: int, lang: str | None = None) -> Iterator[Story]:
    rng = random.Random(seed)
    for number in range(count):
        yield story(rng, number, lang)


_EN_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} - Huasheng Online</title></head>
<body>
<div class="topbar"><div class="wrap"><a href="http://www.voc.com.cn/">华声在线</a> | <a href="http://hunan.voc.com.cn/">湖南频道</a> | <span>Huasheng Online English</span></div></div>
<div class="nav"><ul class="wrap"><li><a href="/">Home</a></li><li><a href="/news/index.html">Hunan News</a></li><li><a href="/business/index.html">Business</a></li><li><a href="/culture/index.html">Culture</a></li><li><a href="/travel/index.html">Travel</a></li></ul></div>
<div class="wrap main">
<div class="crumb"><a href="/">Home</a> &gt; <a href="/news/index.html">Hunan News</a></div>
<div class="article">
<h1 class="article-title">{title}</h1>
<div class="article-info"><span class="label">date</span> <span class="date">{day}</span></div>
<div class="article-content" id="content">
<p>Huasheng Online News on {month} {mday} (Reporter {reporter}, Correspondent {correspondent})</p>
{paragraphs}
</div>
<div class="article-editor"><p>Editor: {editor}</p></div>
</div>
</div>
<div class="footer"><div class="wrap"><p>About Us | Contact Us | Advertise</p>
<p>Copyright &copy; Huasheng Online. All Rights Reserved. Hunan Daily Newspaper Group</p>
<p>湘ICP备05003298号</p></div></div>
</body></html>
"""
_ZH_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}_湖南频道_华声在线</title></head>
<body>
<div class="topnav"><div class="wrap"><a href="http://www.voc.com.cn/">华声在线首页</a> <a href="/">湖南</a> <a href="http://finance.voc.com.cn/">财经</a> <a href="http://english.voc.com.cn/">English</a> <a href="/news/index.html">湖南要闻</a></div></div>
<div class="wrap main"><div class="main_l">
<div class="crumbs">当前位置：<a href="/">湖南频道</a> &gt; <a href="/news/index.html">湖南要闻</a> &gt; 正文</div>
<h1 class="main_title">{title}</h1>
<div class="main_info"><span>来源：华声在线</span>&nbsp;&nbsp;<span>作者：{reporter}</span>&nbsp;&nbsp;<span>发布时间：{day} {time}</span></div>
<div class="main_tool">字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a></div>
<div class="main_content" id="content">
<p>华声在线{month_zh}月{mday}日讯（记者 {reporter} 通讯员 {correspondent}）</p>
{paragraphs}
</div>
<div class="main_editor"><p>责任编辑：{editor}</p></div>
<div class="main_share">分享到：<a href="#">微信</a> <a href="#">微博</a></div>
</div></div>
<div class="footer"><div class="wrap"><p>关于我们 | 广告服务 | 联系我们 | 网站地图</p>
<p>华声在线版权所有 未经授权禁止复制或建立镜像</p><p>湘ICP备05003298号</p></div></div>
</body></html>
"""


def page_html(item: Story) -> str:
    """The article page of `item`, as the site serves it."""
    template = _ZH_PAGE if item.lang == "zh" else _EN_PAGE
    return template.format(
        title=escape(item.title),
        day=item.day.isoformat(),
        time=item.time,
        month=MONTHS.split()[item.day.month - 1],
        month_zh=item.day.month,
        mday=item.day.day,
        reporter=escape(item.reporter),
        correspondent=escape(item.correspondent),
        editor=escape(item.editor),
        paragraphs="\n".join(f"<p>{escape(p)}</p>" for p in item.paragraphs),
    )


def article(item: Story, *, with_html: bool = True) -> dict[str, Any]:
    """The normalized article of `item` (what the normalizer makes of its page)."""
    zh = item.lang == "zh"
    credits = [
        {"role": "reporter", "name": item.reporter},
        {"role": "correspondent", "name": item.correspondent},
        {"role": "editor", "name": item.editor},
    ]
    if zh:
        credits.insert(0, {"role": "author", "name": item.reporter})
    row: dict[str, Any] = {
        "url": item.url,
        "site": "huasheng",
        "lang": item.lang,
        "title": item.title,
        "body": "\n\n".join(item.paragraphs),
        "published_date": item.day.isoformat(),
        "published_at": f"{item.day.isoformat()}T{item.time}:00+08:00" if zh else None,
        "published_raw": (
            f"来源:华声在线 作者:{item.reporter} 发布时间:{item.day} {item.time}"
            if zh
            else f"date {item.day}"
        ),
        "source": "Huasheng Online",
        "source_raw": "华声在线" if zh else "Huasheng Online",
        "credits": credits,
        "extraction": f"selectors:{'hunan-2019' if zh else 'english'}",
    }
    if with_html:
        row.update(html=page_html(item), encoding="utf-8", status=200)
    return row


def articles(count: int, seed: int, *, with_html: bool = True) -> Iterator[dict[str, Any]]:
    """`count` normalized articles, the same ones for the same seed."""
    for item in stories(count, seed):
        yield article(item, with_html=with_html)


def _listing_html(lang: str, links: list[Story], page: int, last: bool) -> str:
    css = "news_list" if lang == "zh" else "list"
    items = "\n".join(
        f'<li><a href="{s.url}">{escape(s.title)}</a><span>{s.day}</span></li>' for s in links
    )
    following = "" if last else f'<a class="next" href="index_{page + 1}.html">next</a>'
    return (
        f'<html><head><meta charset="utf-8"><title>News</title></head><body>'
        f'<div class="nav"><a href="/">Home</a></div><ul class="{css}">\n{items}\n</ul>'
        f'<div class="pagelist"><b>{page}</b> {following}</div></body></html>\n'
    )


def write_site(root: Path, count: int, seed: int) -> list[str]:
    """A replay root with `count` article pages, half in each channel, behind paged listings
    (`news/index.html`, `index_2.html`, ...); returns the article URLs."""
    urls = []
    for lang, host in HOSTS.items():
        host_dir = root / host
        (host_dir / "news").mkdir(parents=True, exist_ok=True)
        (host_dir / "robots.txt").write_text("User-agent: *\nDisallow: /search/\n")
        share = count // 2 + (count % 2 if lang == "en" else 0)
        items = list(stories(share, seed + (lang == "zh"), lang))
        for item in items:
            path = host_dir / item.url.split("/", 3)[3]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(page_html(item), encoding="utf-8")
            urls.append(item.url)
        pages = max(1, -(-len(items) // LISTING_PAGE))
        for page in range(1, pages + 1):
            links = items[(page - 1) * LISTING_PAGE : page * LISTING_PAGE]
            name = "index.html" if page == 1 else f"index_{page}.html"
            html = _listing_html(lang, links, page, last=page == pages)
            (host_dir / "news" / name).write_text(html, encoding="utf-8")
    return urls


def generate_archive(path: Path, count: int, seed: int, batch: int = 1000) -> float:
    """Write `count` generated articles (with their pages) into a new archive at `path`,
    through `Archive.upsert_articles` in batches as a crawl writes them; seconds taken.
    Written under another name and renamed at the end, so a half-made archive is never used."""
    from archive.db import Archive

    partial = path.with_name(path.name + ".partial")
    for leftover in partial.parent.glob(partial.name + "*"):
        leftover.unlink()
    started = time.perf_counter()
    with Archive.open(partial) as archive:
        pending: list[dict[str, Any]] = []
        for item in articles(count, seed):
            pending.append(item)
            if len(pending) == batch:
                archive.upsert_articles(pending)
                pending = []
        archive.upsert_articles(pending)
        archive.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    partial.rename(path)
    return time.perf_counter() - started
