"""crawler.workers: real worker processes, a deadline per job, nothing lost when one hangs."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import time
from collections.abc import Callable
from typing import Any

import pytest

from crawler.workers import JobError, JobTimeout, WorkerPool

DEADLINE = 0.5
BACKTRACKS = re.compile(r"(a+)+$")  # nested quantifiers: a C loop no signal interrupts


def job(name: str) -> str:
    """What a worker runs: named behaviours, otherwise the name upper-cased."""
    if name == "hang":
        BACKTRACKS.match("a" * 40 + "!")
    elif name == "raise":
        raise ValueError("cannot read this page")
    elif name == "die":
        os._exit(3)
    elif name == "slow":
        time.sleep(DEADLINE / 2)
    return name.upper()


def run_pool(body: Callable[[WorkerPool], Any], **options: Any) -> Any:
    async def main() -> Any:
        pool = WorkerPool(job, options.pop("size", 1), timeout=DEADLINE, **options)
        try:
            return await body(pool)
        finally:
            pool.close()

    return asyncio.run(main())


async def run_all(pool: WorkerPool, names: list[str]) -> list[Any]:
    results = await asyncio.gather(*(pool.run(name) for name in names), return_exceptions=True)
    return list(results)


def test_every_job_gets_its_own_result_in_batches() -> None:
    names = [f"page {n}" for n in range(40)]
    results = run_pool(lambda pool: run_all(pool, names), batch=4, size=2)
    assert results == [name.upper() for name in names]


def test_a_job_past_the_deadline_fails_alone_and_its_batch_is_resubmitted() -> None:
    async def body(pool: WorkerPool) -> tuple[list[Any], list[int | None], list[int | None]]:
        first = await pool.run("warm up")
        before = pool.pids()
        results = await run_all(pool, ["a", "b", "hang", "c", "d"])
        return [first, *results], before, pool.pids()

    started = time.monotonic()
    results, before, after = run_pool(body, batch=8)
    assert time.monotonic() - started < 10
    assert results[:3] == ["WARM UP", "A", "B"]
    assert isinstance(results[3], JobTimeout)
    assert str(results[3]) == f"took over {DEADLINE:g} s"
    assert results[4:] == ["C", "D"]  # after the hang in its batch: run by the new worker
    assert before != after  # the hung worker was killed and replaced


def test_a_job_within_the_deadline_is_not_cut_short() -> None:
    results = run_pool(lambda pool: run_all(pool, ["slow", "slow", "slow"]), batch=8)
    assert results == ["SLOW"] * 3  # each within the deadline, together past it


@pytest.mark.parametrize(
    ("name", "reason"),
    [("raise", "ValueError: cannot read this page"), ("die", "its worker died (exit code 3)")],
)
def test_a_job_that_fails_fails_alone(name: str, reason: str) -> None:
    results = run_pool(lambda pool: run_all(pool, ["a", name, "b"]), batch=8)
    assert results[0] == "A" and results[2] == "B"
    assert type(results[1]) is JobError and str(results[1]) == reason


def test_workers_ignore_ctrl_c_and_the_crawl_decides() -> None:
    async def body(pool: WorkerPool) -> str:
        await pool.run("warm up")
        for pid in pool.pids():
            assert pid is not None
            os.kill(pid, signal.SIGINT)
            os.kill(pid, signal.SIGTERM)
        await asyncio.sleep(0.2)
        return str(await pool.run("still here"))

    assert run_pool(body) == "STILL HERE"


def refuse_to_load() -> None:
    raise RuntimeError("this function cannot be loaded in a worker")


class Unloadable:
    """A job function that a worker cannot unpickle: every worker dies as it starts."""

    def __reduce__(self) -> tuple[Callable[[], None], tuple[()]]:
        return refuse_to_load, ()

    def __call__(self, payload: Any) -> Any:
        return payload


def test_workers_that_cannot_start_fail_every_job_instead_of_hanging() -> None:
    async def main() -> list[Any]:
        pool = WorkerPool(Unloadable(), 1, timeout=DEADLINE)
        try:
            return await run_all(pool, ["a", "b"]) + await run_all(pool, ["c"])
        finally:
            pool.close()

    results = asyncio.run(main())
    assert all(type(result) is JobError for result in results)
    assert str(results[0]).startswith("the worker processes cannot start (the last died as")
