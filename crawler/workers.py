"""Worker processes with a deadline per job: where the crawl normalizes its pages.

A job that runs too long cannot be interrupted inside a process (a regular expression that
backtracks holds the interpreter and ignores signals), so each job runs in a worker process
that can be killed. A worker takes up to ``batch`` jobs at a time and answers one result per
job, in order, through a pipe that the event loop watches (no threads). The deadline runs
from the moment a worker starts a job (it got the batch, or answered the job before):

- a job past ``timeout`` seconds fails with `JobTimeout`; its worker is killed and replaced,
  and the jobs of its batch that had not run yet go to the front of the queue;
- a job whose worker died (killed, out of memory) fails with `JobError`, likewise;
- a job that raised fails with `JobError` naming the exception, and its worker goes on.

A worker that dies or hangs before it is ready is replaced; after three in a row, every
job fails at once (they would fail forever) instead of the crawl waiting.

Workers ignore SIGINT and SIGTERM (the crawl process decides when to stop) and exit when
the pool closes their pipe, or when the crawl process dies.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import signal
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

logger = logging.getLogger(__name__)


READY = "ready"  # what a worker says first: jobs sent before would count its start-up
MAX_FAILED_STARTS = 3
START_TIMEOUT = 60.0  # the first start imports the preloaded modules: seconds on a busy machine


class JobError(Exception):
    """A job that gave no result; the message says why (fit for a reject's reason)."""


class JobTimeout(JobError):
    """A job that ran past the deadline."""


def serve(function: Callable[[Any], Any], connection: Connection) -> None:
    """A worker's life: once ready, batches of jobs in, one ``(ok, result or reason)`` per
    job out."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    connection.send(READY)
    while True:
        try:
            jobs = connection.recv()
        except EOFError:  # the pool closed, or the crawl process died
            return
        for job in jobs:
            try:
                answer = (True, function(job))
            except Exception as exc:  # the job's own failure: sent back as its result
                answer = (False, f"{type(exc).__name__}: {exc}")
            connection.send(answer)


@dataclass(eq=False)
class _Job:
    payload: Any
    future: asyncio.Future[Any]


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    connection: Connection
    running: deque[_Job] = field(default_factory=deque)  # sent, not answered yet, in order
    timer: asyncio.TimerHandle | None = None
    ready: bool = False


class WorkerPool:
    """``size`` processes running ``function`` on jobs, ``batch`` at a time per worker,
    each job within ``timeout`` seconds (0: no deadline). Workers start with the first job,
    forked by multiprocessing's fork server (a clean process, ``preload`` imported once)."""

    def __init__(
        self,
        function: Callable[[Any], Any],
        size: int,
        *,
        timeout: float,
        batch: int = 16,
        preload: Sequence[str] = (),
    ) -> None:
        if size < 1 or batch < 1:
            raise ValueError(
                f"a pool needs a worker and a batch of one job at least: {size}, {batch}"
            )
        self.function = function
        self.size = size
        self.timeout = timeout
        self.batch = batch
        self.context = multiprocessing.get_context("forkserver")
        if preload:
            self.context.set_forkserver_preload(list(preload))
        self.queue: deque[_Job] = deque()
        self.workers: list[_Worker] = []
        self.loop: asyncio.AbstractEventLoop | None = None
        self.broken: str | None = None  # why workers cannot start: every job fails with it
        self.failed_starts = 0  # workers in a row that died or hung before they were ready

    async def run(self, payload: Any) -> Any:
        """The result of ``function(payload)``, computed in a worker; JobError if none."""
        if self.broken:
            raise JobError(self.broken)
        loop = asyncio.get_running_loop()
        if self.loop is None:
            self.loop = loop
            self.workers = [self._spawn() for _ in range(self.size)]
        job = _Job(payload, loop.create_future())
        self.queue.append(job)
        self._dispatch()
        return await job.future

    def close(self) -> None:
        """Stop the workers; jobs still waiting fail, and so do later ones."""
        self._break("the crawl stopped before the page was normalized")

    def _break(self, reason: str) -> None:
        """Stop every worker and fail every job with ``reason``, now and from now on."""
        self.broken = reason
        for worker in self.workers:
            self._retire(worker)
            while worker.running:
                _fail(worker.running.popleft(), JobError(reason))
        while self.queue:
            _fail(self.queue.popleft(), JobError(reason))
        self.workers = []

    def pids(self) -> list[int | None]:
        return [worker.process.pid for worker in self.workers]

    def _spawn(self) -> _Worker:
        assert self.loop is not None
        ours, theirs = self.context.Pipe()
        process = self.context.Process(
            target=serve, args=(self.function, theirs), name="newsarchive-normalizer", daemon=True
        )
        process.start()
        theirs.close()
        worker = _Worker(process, ours)
        self.loop.add_reader(ours.fileno(), self._answered, worker)
        worker.timer = self.loop.call_later(START_TIMEOUT, self._expired, worker)  # if it hangs
        return worker

    def _dispatch(self) -> None:
        for worker in self.workers:
            if self.queue and worker.ready and not worker.running:
                count = min(self.batch, len(self.queue))
                worker.running.extend(self.queue.popleft() for _ in range(count))
                worker.connection.send([job.payload for job in worker.running])
                self._arm(worker)

    def _arm(self, worker: _Worker) -> None:
        assert self.loop is not None
        if worker.timer is not None:
            worker.timer.cancel()
            worker.timer = None
        if worker.running and self.timeout > 0:
            worker.timer = self.loop.call_later(self.timeout, self._expired, worker)

    def _answered(self, worker: _Worker) -> None:
        try:
            if not worker.ready and worker.connection.poll():
                worker.ready = worker.connection.recv() == READY
                self.failed_starts = 0
            while worker.running and worker.connection.poll():
                ok, value = worker.connection.recv()
                job = worker.running.popleft()
                if ok:
                    if not job.future.done():
                        job.future.set_result(value)
                else:
                    _fail(job, JobError(value))
        except (EOFError, OSError):
            died = f"exit code {self._exit_code(worker)}"
            if not worker.ready:
                self._failed_start(worker, f"died as it started ({died})")
                return
            self._replace(worker, JobError(f"its worker died ({died})"))
            return
        if not worker.running and worker.connection.poll():  # EOF while idle: it died
            self._replace(worker, None)
            return
        self._arm(worker)
        self._dispatch()

    def _expired(self, worker: _Worker) -> None:
        worker.timer = None
        if worker.connection.poll():  # answered meanwhile: read it, the next job's clock starts
            self._answered(worker)
            return
        if not worker.ready:
            self._failed_start(worker, f"did not start within {START_TIMEOUT:g} s")
            return
        logger.warning("a job took over %g s: its worker is replaced", self.timeout)
        self._replace(worker, JobTimeout(f"took over {self.timeout:g} s"))

    def _failed_start(self, worker: _Worker, why: str) -> None:
        """Replace a worker that never got ready; after three in a row, give up: they would
        fail forever (a function that cannot be unpickled, say)."""
        self.failed_starts += 1
        logger.error("a worker process %s", why)
        if self.failed_starts >= MAX_FAILED_STARTS:
            self._break(f"the worker processes cannot start (the last {why})")
        else:
            self._replace(worker, None)

    def _replace(self, worker: _Worker, error: JobError | None) -> None:
        """Kill ``worker``, fail its current job with ``error``, requeue the rest."""
        self._retire(worker)
        if worker.running and error is not None:
            _fail(worker.running.popleft(), error)
        self.queue.extendleft(reversed(worker.running))
        worker.running.clear()
        self.workers[self.workers.index(worker)] = self._spawn()
        self._dispatch()

    def _retire(self, worker: _Worker) -> None:
        assert self.loop is not None
        if worker.timer is not None:
            worker.timer.cancel()
        self.loop.remove_reader(worker.connection.fileno())
        worker.connection.close()
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()

    @staticmethod
    def _exit_code(worker: _Worker) -> int | None:
        worker.process.join(1)
        return worker.process.exitcode


def _fail(job: _Job, error: JobError) -> None:
    if not job.future.done():
        job.future.set_exception(error)
