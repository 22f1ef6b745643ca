"""Benchmark: time and size of `newsarchive snapshot` (plain and gzip) and of `verify`.

Without an archive, generates one of N articles (default 100,000) shaped like the sample
sites: seeded, realistic titles, multi-paragraph bodies, credits, sources and raw HTML,
written through `Archive.upsert_articles` in batches, as a crawl writes them.

    .venv/bin/python bench/snapshot_size.py                       # generate 100,000 articles
    .venv/bin/python bench/snapshot_size.py --articles 5000 --keep /tmp/bench
    .venv/bin/python bench/snapshot_size.py --archive archive.db  # measure an existing archive
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from archive.db import Archive
from archive.snapshot import create_snapshot, verify

PLACES = (
    "Hengyang",
    "Hunan",
    "Yueyang",
    "Changsha",
    "Zhuzhou",
    "Xiangtan",
    "Changde",
    "Leiyang",
    "Nanyue District",
    "Dongting Lake",
)
ACTIONS = ("launches", "opens", "expands", "hosts", "upgrades", "celebrates", "promotes", "builds")
SUBJECTS = (
    "night markets along the Xiang River",
    "early rice harvest",
    "new high-speed rail link",
    "international trade fair",
    "smart agriculture pilot zone",
    "river clean-up campaign",
    "cultural tourism festival",
    "industrial park for electronics",
    "flood prevention drills",
    "rural revitalization projects",
    "free health checks for seniors",
    "dragon boat race",
)
SENTENCES = (
    "{place} {action} {subject}, the municipal government said on {weekday}.",
    "More than {n} residents and visitors took part in the first week.",
    "Officials said the project would create about {n} jobs by the end of next year.",
    "The city's commerce bureau has waived fees for the first {m} months.",
    "Farmers in the surrounding counties expect output to rise by {m} percent.",
    "Traffic police have added temporary parking areas and asked visitors to use buses.",
    "The provincial government will invest {n} million yuan in the second phase.",
    "Local schools organized visits so that students could learn about the work.",
    "Experts from Changsha gave advice on protecting the wetlands along the river.",
    "The event will be held every year from now on, organizers said.",
)
SENTENCES_ZH = (
    "{m}月{d}日，{place}召开工作会议，部署相关工作。",
    "会议指出，要坚持以人民为中心，推动经济社会高质量发展。",
    "据介绍，今年以来全市共完成项目投资{n}亿元。",
    "市民纷纷表示，城市环境越来越好，生活越来越方便。",
    "下一步，有关部门将加强督查，确保各项措施落到实处。",
)
PLACES_ZH = ("衡阳市", "湖南省", "岳阳市", "长沙市", "南岳区")
PEOPLE = ("Xie Caihong", "Yu Jiangjiang", "Pang Yuehui", "Zhao Chi", "Chen Hongfei", "Liu Ling")
PEOPLE += tuple(f"{family} {given}" for family in ("Wang", "Li", "Zhang") for given in "ABCDEFGH")
PEOPLE_ZH = ("陈红飞", "刘玲", "王芳", "张明", "李华", "周强")
# site, lang, source (English name, as written), credit roles, URL of article i on day d
SITES: tuple[tuple[str, str, tuple[str, str], tuple[str, ...], str], ...] = (
    (
        "hengyang",
        "en",
        ("Hengyang News Network", "衡阳新闻网"),
        ("translator",),
        "http://www.enghengyang.gov.cn/CurrentNews/HotNews/Local/{ymd}/i{i}.html",
    ),
    (
        "hunan",
        "en",
        ("Hunan Provincial Government", "Hunan Provincial Government www.enghunan.gov.cn"),
        ("photographer", "translator"),
        "https://www.enghunan.gov.cn/hneng/News/Localnews/{ym}/t{ymd}_{i}.html",
    ),
    (
        "yueyang",
        "en",
        ("Yueyang Municipal Government", "yueyang.gov.cn"),
        ("translator",),
        "http://en.yueyang.gov.cn/21730/content_{i}.html",
    ),
    (
        "rednet",
        "en",
        ("Hunan Daily", "Hunan Daily"),
        ("photographer",),
        "https://english.rednet.cn/content/{y}/{m2}/{d2}/{i}.html",
    ),
    (
        "huasheng",
        "en",
        ("Huasheng Online", "Huasheng Online News"),
        ("reporter", "correspondent"),
        "https://english.voc.com.cn/article/{ym}/{ymd}{i}.html",
    ),
    (
        "huasheng",
        "zh",
        ("Huasheng Online", "华声在线"),
        ("reporter", "correspondent"),
        "https://hunan.voc.com.cn/article/{ym}/{ymd}{i}.html",
    ),
)
FIRST_DAY = date(2015, 1, 1)


def article(rng: random.Random, i: int) -> dict[str, Any]:
    site, lang, (source, source_raw), roles, url = rng.choice(SITES)
    day = FIRST_DAY + timedelta(days=rng.randrange(3900))
    values = {"place": rng.choice(PLACES), "m": day.month, "d": day.day}
    values |= {"action": rng.choice(ACTIONS), "subject": rng.choice(SUBJECTS)}
    values |= {"weekday": day.strftime("%A"), "n": rng.randrange(20, 5000)}
    if lang == "zh":
        values["place"] = rng.choice(PLACES_ZH)
        title = f"{values['place']}{rng.choice(SENTENCES_ZH[2:]).format(**values)[:20]}"
        sentences, joiner, people = SENTENCES_ZH, "", PEOPLE_ZH
    else:
        title = f"{values['place']} {values['action'].title()} {values['subject'].title()}"
        sentences, joiner, people = SENTENCES, " ", PEOPLE
    paragraphs = [
        joiner.join(rng.choice(sentences).format(**values) for _ in range(rng.randint(2, 4)))
        for _ in range(rng.randint(3, 7))
    ]
    body = "\n\n".join(paragraphs)
    html = (
        "<html><head><meta charset='utf-8'><title>{t}</title></head><body>"
        "<div class='nav'>Home | News | Local News | Government | Investment</div>"
        "<h1>{t}</h1><div class='meta'>From:{s} | Date Add in:{d} 10:15:32 [A A]</div>"
        "<div class='content'>{p}</div><div class='footer'>Sponsored by the Municipal"
        " People's Government. ICP NO: 0000{i}</div></body></html>"
    ).format(
        t=title,
        s=source_raw,
        d=day.isoformat(),
        p="".join(f"<p>{p}</p>" for p in paragraphs),
        i=i,
    )
    link = url.format(
        i=3_000_000 + i,
        y=day.year,
        m2=f"{day.month:02d}",
        d2=f"{day.day:02d}",
        ym=day.strftime("%Y%m"),
        ymd=day.strftime("%Y%m%d"),
    )
    return {
        "url": link,
        "site": site,
        "lang": lang,
        "title": title,
        "body": body,
        "published_date": day.isoformat(),
        "published_at": f"{day.isoformat()}T10:15:32+08:00",
        "published_raw": f"Date Add in:{day.isoformat()} 10:15:32",
        "source": source,
        "source_raw": source_raw,
        "credits": [{"role": role, "name": rng.choice(people)} for role in roles],
        "extraction": "selectors",
        "html": html,
        "encoding": "utf-8",
        "status": 200,
    }


def generated(count: int, seed: int) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for i in range(count):
        yield article(rng, i)


def generate(path: Path, count: int, seed: int, batch: int) -> None:
    started = time.perf_counter()
    with Archive.open(path) as archive:
        pending: list[dict[str, Any]] = []
        for item in generated(count, seed):
            pending.append(item)
            if len(pending) == batch:
                archive.upsert_articles(pending)
                pending = []
        if pending:
            archive.upsert_articles(pending)
    seconds = time.perf_counter() - started
    print(f"generated {count} articles in {seconds:.1f} s ({count / seconds:.0f}/s)")


def measure(path: Path, out: Path) -> None:
    print(f"archive  {path}  {size_of(path):,} bytes (with -wal)")
    for compress in (False, True):
        started = time.perf_counter()
        made = create_snapshot(path, out / ("gzip" if compress else "plain"), compress=compress)
        seconds = time.perf_counter() - started
        articles = made.manifest["counts"]["articles"]
        label = "snapshot --compress" if compress else "snapshot"
        print(
            f"{label:<20} {seconds:6.2f} s  {made.path.stat().st_size:>13,} bytes"
            f"  {articles} articles  {made.path.name}"
        )
        started = time.perf_counter()
        checks = verify(made.path)
        seconds = time.perf_counter() - started
        ok = "ok" if all(check.ok for check in checks) else "FAILED"
        print(f"{'verify':<20} {seconds:6.2f} s  {ok}")


def size_of(path: Path) -> int:
    wal = path.with_name(path.name + "-wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, help="measure this archive (generated if missing)")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--batch", type=int, default=1000, help="articles per transaction")
    parser.add_argument("--keep", type=Path, help="work in this directory and keep the files")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="snapshot-bench-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        path = args.archive or work / "archive.db"
        if not path.exists():
            generate(path, args.articles, args.seed, args.batch)
        measure(path, work / "snapshots")


if __name__ == "__main__":
    main()
