"""`make bench` / `make bench-quick`: every figure, one table, `bench/results.json`.

    .venv/bin/python -m bench            # full sizes (the 1,000,000-article archive is
                                         # generated once into bench/.cache/ and reused)
    .venv/bin/python -m bench --quick    # every figure at a small size, in under two minutes

Each figure says the size of the work; the table and the JSON say the machine. Ratios (the
crawl overhead) are measured side by side in the same run.
"""

from __future__ import annotations

import argparse
import json
import logging
import socket
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from archive.db import Archive
from bench import figures, generate, warc
from bench.figures import Figure

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
RESULTS = HERE / "results.json"
ARCHIVE_SEED = 5


@dataclass(frozen=True)
class Sizes:
    crawl_pages: int
    normalize_texts: int
    ingest_articles: int
    archive_articles: int
    small_archive_articles: int
    queries: int
    reading_repeat: int
    cluster_delay: tuple[float, float]  # the replay's answer time, DOWNLOAD_DELAY


FULL = Sizes(5_000, 5_000, 50_000, 1_000_000, 20_000, 200, 5, (0.5, 0.25))
QUICK = Sizes(300, 500, 3_000, 5_000, 1_000, 30, 1, (0.05, 0.02))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cached_archive(articles: int) -> Path:
    """The generated archive of this size, made once into bench/.cache/ and reused."""
    path = CACHE / f"archive-{articles}-{ARCHIVE_SEED}.db"
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        print(f"generating {articles:,} articles into {path} (once) ...", flush=True)
        seconds = generate.generate_archive(path, articles, ARCHIVE_SEED)
        print(f"  done in {seconds:,.0f} s", flush=True)
    with Archive.open(path) as archive:  # one made by an older version is brought up to date
        if archive.migrated:
            print(f"  {path.name}: applied {', '.join(archive.migrated)}", flush=True)
    return path


def run(sizes: Sizes, work: Path) -> list[Figure]:
    results: list[Figure] = []

    def step(label: str) -> None:
        print(f"{time.strftime('%H:%M:%S')} {label} ...", flush=True)

    step(f"crawl: {sizes.crawl_pages:,} pages, bare and full")
    crawl_figures, crawled = figures.crawl(work, sizes.crawl_pages, free_port())
    results += crawl_figures
    step("cluster crawl: 1 and 3 crawler processes")
    results.append(figures.cluster_speedup(work, *sizes.cluster_delay))
    step("normalize")
    results.append(figures.normalize_rate(sizes.normalize_texts))
    step("page reading, and trafilatura on the same pages")
    results.append(figures.reading_rate(sizes.reading_repeat))
    step("reprocess the crawled archive")
    results.append(figures.reprocess_rate(crawled))
    step("ingest")
    results += figures.ingest(work, sizes.ingest_articles)
    big = cached_archive(sizes.archive_articles)
    small = cached_archive(sizes.small_archive_articles)
    step("search")
    results += figures.search_latency(big, sizes.archive_articles, free_port(), sizes.queries)
    step("snapshot")
    results.append(figures.snapshot(big, sizes.archive_articles))
    step("export")
    archives = {sizes.small_archive_articles: small, sizes.archive_articles: big}
    results.append(figures.export_memory(archives, work))
    step("WARC export")
    results += warc.export(big, sizes.archive_articles, work)
    return results


def table(results: list[Figure], machine: dict[str, object], seconds: float) -> str:
    rows = [("figure", "result", "budget", "work", "")]
    for figure in results:
        mark = "ok" if figure.ok else "MISSED"
        value = f"{figure.value:,} {figure.unit}"
        rows.append((figure.name, value, f"{figure.budget} {figure.unit}", figure.size, mark))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    for figure in results:
        if figure.detail:
            lines.append(f"  {figure.name}: {figure.detail}")
    lines.append(
        f"machine: {machine['cores']} cores, {machine['memory_gb']} GB, {machine['cpu']}, "
        f"Python {machine['python']}, SQLite {machine['sqlite']}; {seconds:.0f} s in all"
    )
    return "\n".join(line.rstrip() for line in lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="newsarchive benchmarks: one table of figures")
    parser.add_argument("--quick", action="store_true", help="every figure at a small size")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write the JSON")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    sizes = QUICK if args.quick else FULL
    machine = figures.machine()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="newsarchive-bench-") as tmp:
        results = run(sizes, Path(tmp))
    seconds = time.perf_counter() - started
    print()
    print(table(results, machine, seconds))
    report = {
        "mode": "quick" if args.quick else "full",
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": machine,
        "seconds": round(seconds, 1),
        "figures": [figure.as_dict() | {"machine": machine} for figure in results],
    }
    args.results.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"written to {args.results}")


if __name__ == "__main__":
    main()
