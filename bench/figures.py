"""The benchmark figures: each function measures one thing and returns `Figure`s.

Throughputs are measured after a warm-up (imports, compiled patterns); latencies are
percentiles over a seeded set of queries; memory is the peak RSS of a child process
(`os.wait4`), so that it counts only the work itself.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx

from archive.db import Archive
from archive.search import SEARCH_TABLE, fts_query
from archive.snapshot import create_snapshot
from bench import cluster as cluster_bench
from bench import generate
from bench import ingest as ingest_bench
from bench.crawl import (
    CONCURRENCY,
    NEWSARCHIVE,
    measure,
    replay_process,
    settings,
    wait_measured,
)
from crawler.normalizing import normalize_html
from crawler.reprocess import reprocess
from crawler.samples_io import parsed_item, sample_item
from pipelines.normalize import normalize

MB = 1024 * 1024


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    size: str  # the work measured
    budget: str  # "<= 1.25", ">= 1000" ...
    detail: str = ""

    @property
    def ok(self) -> bool:
        op, limit = self.budget.split()
        return self.value <= float(limit) if op == "<=" else self.value >= float(limit)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"ok": self.ok}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def child_peak_rss(command: list[str]) -> int:
    """Run `command`; its peak RSS in bytes (RuntimeError when it fails)."""
    with tempfile.TemporaryFile("w+") as errors:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, text=True)
        returncode, peak = wait_measured(process)
        if returncode != 0:
            errors.seek(0)
            raise RuntimeError(f"{command} failed: {errors.read()}")
    return peak


def crawl(work: Path, pages: int, port: int, seed: int = 7) -> tuple[list[Figure], Path]:
    """Full crawl against the bare spider, same pages, same run; the full crawl's archive."""
    root = work / "site"
    generate.write_site(root, pages, seed)
    values = settings(CONCURRENCY, workers=1)
    runs: dict[str, list[dict[str, Any]]] = {"bare": [], "full": []}
    with replay_process(root, port) as url:
        for round_ in range(2):  # alternate, and keep each crawl's best
            for kind in ("bare", "full"):
                archive = work / f"crawl-{kind}-{round_}.db"
                runs[kind].append(measure(kind, archive, url, values))
    bare = min(run["seconds"] for run in runs["bare"])
    full = min(run["seconds"] for run in runs["full"])
    size = f"{pages:,} pages, {CONCURRENCY} per host"
    figures = [
        Figure(
            "crawl overhead (full / bare)",
            round(full / bare, 2),
            "x",
            size,
            "<= 1.25",
            f"full {full:.1f} s ({pages / full:,.0f} pages/s), bare {bare:.1f} s",
        ),
        Figure(
            "memory: crawl peak RSS",
            round(max(run["peak_rss"] for run in runs["full"]) / MB),
            "MB",
            size,
            "<= 300",
        ),
    ]
    return figures, work / "crawl-full-0.db"


def cluster_speedup(work: Path, delay: float, download_delay: float) -> Figure:
    """Wall time of a cluster crawl of the replay's sites with 1 crawler process over 3."""
    ratio, size, detail = cluster_bench.speedup(work, delay, download_delay)
    return Figure("cluster: 3 crawlers / 1", ratio, "x", size, ">= 2.5", detail)


def normalize_rate(texts: int, seed: int = 11) -> Figure:
    pages = [
        parsed_item(story.url, generate.page_html(story), encoding="utf-8")
        for story in generate.stories(texts, seed)
    ]
    for page in pages[:20]:
        normalize(page, today=generate.TODAY)
    started = time.perf_counter()
    for page in pages:
        normalize(page, today=generate.TODAY)
    rate = len(pages) / (time.perf_counter() - started)
    return Figure("normalize", round(rate), "texts/s", f"{texts:,} pages, en+zh", ">= 1000")


REAL_PAGES = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "html_dev.jsonl"


def real_pages() -> tuple[list[tuple[str, str]], str]:
    """The real dev pages (``../shared/corpus/html_dev.jsonl``) as (url, html), and what they
    are; without them, the bundled sample article pages stand in, and the figure says so."""
    if REAL_PAGES.is_file():
        cases = [json.loads(line) for line in REAL_PAGES.read_text(encoding="utf-8").splitlines()]
        pages = [(case["url"], case["html"]) for case in cases if "html" in case]
        return pages, f"{len(pages)} real pages"
    items = [sample_item(url) for url, _ in sample_articles()]
    return [(item["url"], item["html"]) for item in items], f"{len(items)} sample pages"


def sample_articles() -> list[tuple[str, Path]]:
    """The bundled sample article pages, by URL (those with a golden file)."""
    golden = Path(__file__).resolve().parents[1] / "tests" / "golden"
    found = []
    for path in sorted(golden.rglob("*.json")):
        url = json.loads(path.read_text(encoding="utf-8"))["url"]
        found.append((url, path))
    return found


def reading_rate(repeat: int) -> Figure:
    """Page reading plus normalization (`newsarchive normalize` with html, the crawler's path)
    against trafilatura's `extract` on the same pages, in the same run, as a ratio."""
    import trafilatura  # a test extra: the peer measured, never used by the project

    pages, what = real_pages()
    work = pages * repeat

    def rate(read: Callable[[str, str], object]) -> float:
        for url, html in pages[:4]:
            read(url, html)
        started = time.perf_counter()
        for url, html in work:
            read(url, html)
        return len(work) / (time.perf_counter() - started)

    ours = rate(lambda url, html: normalize_html(url, html, today=generate.TODAY))
    theirs = rate(lambda url, html: trafilatura.extract(html, url=url, with_metadata=True))
    return Figure(
        "page reading vs trafilatura",
        round(ours / theirs, 2),
        "x",
        f"{what} x {repeat}",
        ">= 1.5",
        f"reader + normalize {ours:,.1f} pages/s, trafilatura.extract {theirs:,.1f} pages/s",
    )


def reprocess_rate(archive: Path) -> Figure:
    done = reprocess(archive, today=generate.TODAY)
    detail = f"{done.unchanged} unchanged, {done.updated} updated, {done.rejects} rejects"
    rate = done.pages / done.seconds
    size = f"{done.pages:,} stored pages, {os.cpu_count()} workers"
    return Figure("reprocess", round(rate), "pages/s", size, ">= 1000", detail)


def ingest(work: Path, count: int, batch: int = 1000) -> list[Figure]:
    """The project's ingest and a bare sqlite-utils writer of the same rows, same run."""
    items = list(generate.articles(count, seed=13))
    project = bare = 0.0
    for round_ in range(2):  # alternate, and keep each writer's best
        project = max(
            project, ingest_bench.project_rate(work / f"ingest-{round_}.db", items, batch)
        )
        bare = max(bare, ingest_bench.bare_rate(work / f"bare-{round_}.db", items, batch))
    size = f"{count - batch:,} articles with pages, batches of {batch}"
    detail = f"newsarchive {project:,.0f}/s, bare sqlite-utils insert_all {bare:,.0f}/s"
    return [
        Figure("ingest", round(project), "articles/s", size, ">= 6000", detail),
        Figure("ingest / bare sqlite-utils", round(project / bare, 2), "x", size, ">= 0.7", detail),
    ]


def queries(count: int, seed: int = 17) -> list[str]:
    """What researchers type: a place, a topic, a person, in English or Chinese, some with
    a second word; places and people drawn as unevenly as the articles use them."""
    rng = random.Random(seed)
    result = []
    for _ in range(count):
        kind = rng.random()
        if kind < 0.25:
            query = generate._zipf(rng, generate.PLACES)
        elif kind < 0.45:
            query = rng.choice(generate.TOPICS)
        elif kind < 0.6:
            query = f'"{generate._person(rng, "en")}"'
        elif kind < 0.8:
            query = (
                f"{generate._zipf(rng, generate.PLACES)} {rng.choice(generate.TOPICS).split()[0]}"
            )
        else:
            query = rng.choice((*generate.PLACES_ZH, *generate.TOPICS_ZH))
        result.append(query)
    return result


WARM_UP = 50


def search_latency(archive: Path, articles: int, port: int, count: int) -> list[Figure]:
    wanted = queries(count)
    size = f"{count} queries, {articles:,} articles"
    with Archive.open(archive, create=False) as opened:
        # Steady state of a search server whose archive fits in memory: the file read once
        # into the page cache, and other queries (another seed) answered, not the very same
        # questions twice. From a cold cache, disk reads of article rows dominate instead.
        with archive.open("rb") as data:
            while data.read(1 << 24):
                pass
        for query in queries(WARM_UP, seed=99):
            opened.search(query)
        times = []
        for query in wanted:
            started = time.perf_counter()
            opened.search(query)
            times.append((time.perf_counter() - started) * 1000)
        slowest = wanted[times.index(max(times))]
        sql = f"select count(*) from {SEARCH_TABLE} where {SEARCH_TABLE} match ?"
        matches = opened.db.execute(sql, [fts_query(slowest)]).fetchone()[0]
    figures = [_latency("search: ranked SQL", times, size, "<= 50")]
    figures[
        0
    ].detail += f"; slowest {slowest!r}, {matches:,} matching articles; archive in the page cache"
    command = [NEWSARCHIVE, "serve", "--archive", str(archive), "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            _wait_for(client, server)
            times = []
            for query in wanted:
                started = time.perf_counter()
                client.get("/archive/search", params={"q": query}).raise_for_status()
                times.append((time.perf_counter() - started) * 1000)
    finally:
        server.terminate()
        server.wait(timeout=30)
    figures.append(_latency("search: Datasette page over HTTP", times, size, "<= 200"))
    return figures


def _latency(name: str, times: list[float], size: str, budget: str) -> Figure:
    p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
    detail = f"p50 {p50:.1f} ms, max {max(times):.0f} ms"
    return Figure(f"{name} p95", round(p95, 1), "ms", size, budget, detail)


def _wait_for(client: httpx.Client, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120  # opening a large archive the first time takes a while
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"newsarchive serve exited with {server.returncode}")
        try:
            client.get("/-/versions.json")
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise TimeoutError("newsarchive serve did not answer")


def snapshot(archive: Path, articles: int) -> Figure:
    with tempfile.TemporaryDirectory(dir=archive.parent) as out:
        started = time.perf_counter()
        made = create_snapshot(archive, out)
        seconds = time.perf_counter() - started
        size = made.path.stat().st_size
    detail = f"{size / MB:,.0f} MB, {size / MB / seconds:,.0f} MB/s"
    return Figure("snapshot", round(seconds, 1), "s", f"{articles:,} articles", "<= 60", detail)


def export_memory(archives: dict[int, Path], work: Path) -> Figure:
    """Peak RSS of `newsarchive snapshot --format jsonl` on archives of several sizes."""
    peaks = {}
    for articles, archive in sorted(archives.items()):
        command = [NEWSARCHIVE, "snapshot", "--archive", str(archive), "--format", "jsonl"]
        out = work / f"export-{articles}"
        peaks[articles] = child_peak_rss([*command, "--out", str(out), "-o", "articles.jsonl"])
        (out / "articles.jsonl").unlink()
    detail = ", ".join(f"{n:,}: {rss / MB:.0f} MB" for n, rss in peaks.items())
    largest = max(peaks)
    size = f"{largest:,} articles to JSON Lines"
    return Figure(
        "memory: export peak RSS", round(peaks[largest] / MB), "MB", size, "<= 300", detail
    )


def machine() -> dict[str, Any]:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(memory / 1024**3, 1),
        "cpu": model,
        "python": sys.version.split()[0],
        "sqlite": __import__("sqlite3").sqlite_version,
    }
