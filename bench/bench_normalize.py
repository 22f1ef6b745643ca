"""Benchmark: texts per second through `pipelines.normalize.normalize`.

Reads the labelled corpus (../shared/corpus/dev.jsonl) when present, else generated pages,
and repeats it. Run: .venv/bin/python bench/bench_normalize.py [--repeat N] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import time
from datetime import date
from pathlib import Path

from pipelines.normalize import normalize

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev.jsonl"
TODAY = date(2026, 1, 1)


def generated(count: int = 100) -> list[dict[str, str]]:
    pages = []
    for i in range(count):
        day = 1 + i % 28
        en = (
            f"Home>News>Local News\n\nRiver Park Opens in Town {i}\n\n2021-03-{day:02d} Download"
            f" Print\n\n"
            + "The new riverside park opened to visitors this week, the county said. " * 6
            + f"(Photo/Li Ming{i % 3}, Hunan Daily)\n\n"
            + "Translator: Wang Fang\nChinese source: hunan.gov.cn"
        )
        zh = (
            "当前位置:首页>新闻\n\n城市公园开放\n\n"
            f"发布时间:2021年03月{day:02d}日 10:20  来源:衡阳日报\n\n"
            f"衡阳日报讯(记者 张明 通讯员 李华)"
            + "近日,城市公园正式开放,市民纷纷前来游览。" * 8
            + "\n\n责任编辑:王芳"
        )
        pages.append(
            {"url": f"http://example.gov.cn/news/202103/t202103{day:02d}_{i}.html", "text": en}
        )
        pages.append({"url": f"http://example.gov.cn/c/2021/03/{day:02d}/{i}.html", "text": zh})
    return pages


def load() -> list[dict[str, str]]:
    if CORPUS.exists():
        rows = [
            json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line
        ]
        return [{"url": row["url"], "text": row["text"]} for row in rows]
    return generated()


def run(pages: list[dict[str, str]], repeat: int) -> float:
    for page in pages[:5]:
        normalize(page, today=TODAY)  # warm-up: lazy imports, compiled patterns
    start = time.perf_counter()
    for _ in range(repeat):
        for page in pages:
            normalize(page, today=TODAY)
    return len(pages) * repeat / (time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    pages = load()
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(run, pages, args.repeat)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    rate = run(pages, args.repeat)
    print(f"{rate:,.0f} texts/s ({len(pages)} texts x {args.repeat})")


if __name__ == "__main__":
    main()
