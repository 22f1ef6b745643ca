"""Hostile searches against a running server: do normal pages still answer?

    .venv/bin/python -m bench.hostile ARCHIVE [--rounds 3]

serves ARCHIVE with `newsarchive serve --public` on a free port, sends the ten `HOSTILE`
searches at once, and as long as they run asks for normal pages (an article, a one-word
search); prints how long each took and what it answered. `tests/test_guard.py` runs the
same on a small archive.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

NEWSARCHIVE = str(Path(sys.executable).with_name("newsarchive"))
# The commonest words of the generated articles.
COMMON = ["the", "on", "to", "in", "from", "said", "by", "and", "of", "a"]
# (path, parameters): long, many terms, many OR, prefixes, raw FTS5, a long Chinese run, a
# long phrase, a rare word with a repeated common one (quadratic work in snippet()), and two
# searches within the caps made of the commonest words.
HOSTILE: list[tuple[str, dict[str, str]]] = [
    ("search.json", {"q": "the " * 1000}),
    ("articles.json", {"_search": " ".join(COMMON * 40)}),
    ("search.json", {"q": " OR ".join(COMMON * 40)}),
    ("search.json", {"q": " ".join(f"{c}*" for c in "abcdefghijklmnopqrstuvwxyz")}),
    (
        "articles.json",
        {"_search": " OR ".join(f"{c}*" for c in "abcdefghij"), "_searchmode": "raw"},
    ),
    ("search.json", {"q": "衡阳" * 1000}),
    ("articles.json", {"_search_body": '"' + " ".join(COMMON * 30) + '"'}),
    ("search.json", {"q": "liu" + " the" * 20}),
    ("search.json", {"q": " ".join(COMMON)}),
    ("articles.json", {"_search": " ".join(COMMON)}),
]


@dataclass(frozen=True)
class Answer:
    what: str
    status: int
    seconds: float


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _get(client: httpx.AsyncClient, what: str, url: str, params: dict[str, str]) -> Answer:
    started = time.perf_counter()
    response = await client.get(url, params=params)
    return Answer(what, response.status_code, time.perf_counter() - started)


async def attack(
    base: str, normal: list[str], *, rounds: int = 1, pause: float = 0.3
) -> tuple[list[Answer], list[Answer]]:
    """Send the hostile searches at once, `rounds` times; from `pause` seconds into each round
    until its last hostile search is answered, ask for each `normal` URL in turn, again and
    again. Returns (hostile, normal) answers."""
    hostile: list[Answer] = []
    answered: list[Answer] = []
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        for _ in range(rounds):
            tasks = [
                asyncio.create_task(_get(client, f"{path} {sorted(params)}", path, params))
                for path, params in HOSTILE
            ]
            await asyncio.sleep(pause)
            while True:
                for url in normal:
                    answered.append(await _get(client, url, url, {}))
                if all(task.done() for task in tasks):
                    break
                await asyncio.sleep(pause)
            hostile += await asyncio.gather(*tasks)
    return hostile, answered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("archive", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    port = free_port()
    server = subprocess.Popen(
        [NEWSARCHIVE, "serve", "--public", "--archive", str(args.archive), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/archive/"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                httpx.get(base, timeout=30)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        normal = ["articles/1.json", "search.json?q=river", "articles.json?_search=bridge"]
        hostile, answered = asyncio.run(attack(base, normal, rounds=args.rounds))
    finally:
        server.terminate()
        server.wait(timeout=30)
    for answer in sorted(hostile, key=lambda a: -a.seconds):
        print(f"hostile {answer.status} {answer.seconds:6.2f} s  {answer.what[:60]}")
    for answer in answered:
        print(f"normal  {answer.status} {answer.seconds:6.2f} s  {answer.what}")
    print(f"slowest normal page: {max(a.seconds for a in answered):.2f} s")


if __name__ == "__main__":
    main()
