"""Benchmark: time and size of `newsarchive snapshot` (plain and gzip) and of `verify`.

Without an archive, generates one of N articles (default 100,000) with the benchmarks'
seeded generator (`bench.generate`: pages shaped like the sample sites, credits, sources and
raw HTML, written through `Archive.upsert_articles` in batches, as a crawl writes them).

    .venv/bin/python -m bench.snapshot_size                       # generate 100,000 articles
    .venv/bin/python -m bench.snapshot_size --articles 5000 --keep /tmp/bench
    .venv/bin/python -m bench.snapshot_size --archive archive.db  # measure an existing archive
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from archive.snapshot import create_snapshot
from archive.verify import verify
from bench.generate import generate_archive


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
            seconds = generate_archive(path, args.articles, args.seed, args.batch)
            print(f"generated {args.articles} articles in {seconds:.1f} s")
        measure(path, work / "snapshots")


if __name__ == "__main__":
    main()
