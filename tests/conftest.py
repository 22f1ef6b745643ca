"""Shared helpers: run the real `newsarchive` console script, find free ports, wait for HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlite_utils import Database

from archive.migrations import migrations

NEWSARCHIVE = str(Path(sys.executable).with_name("newsarchive"))


def migrations_from(first: str) -> list[str]:
    """The names of the schema's migrations from ``first`` on, in order: what an archive
    migrated up to just before ``first`` has pending."""
    names = [migration.name for migration in migrations.pending(Database(memory=True))]
    return names[names.index(first) :]


def run_cli(
    *args: str, cwd: Path | None = None, timeout: float = 300, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `newsarchive ARGS` as a process, the way a user or cron does."""
    return subprocess.run(
        [NEWSARCHIVE, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        check=False,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_http(url: str, process: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stderr.read() if process.stderr else ""
            raise RuntimeError(f"server exited with {process.returncode}: {output}")
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer in {timeout} s")


@contextmanager
def serving(*args: str) -> Iterator[str]:
    """Run `newsarchive serve ARGS` on a free port; its base URL while it runs. Its log goes
    to a file (a pipe nobody reads would fill and stop the server)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(
            [NEWSARCHIVE, "serve", "--port", str(port), *args],
            stdout=subprocess.DEVNULL,
            stderr=log,
            text=True,
        )
        try:
            try:
                wait_for_http(base + "/-/settings.json", process)
            except RuntimeError as exc:
                log.seek(0)
                raise RuntimeError(f"{exc}{log.read()[-3000:]}") from None
            yield base
        finally:
            stop(process)


def stop(process: subprocess.Popen[str]) -> None:
    """Stop a server process (SIGTERM, then SIGKILL) and close its pipes."""
    process.terminate()
    try:
        process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()


@pytest.fixture
def served_archive() -> Iterator[Callable[..., str]]:
    """Start `newsarchive serve` on an archive; returns the base URL; stopped afterwards."""
    with ExitStack() as stack:
        yield lambda archive, *extra: stack.enter_context(
            serving("--archive", str(archive), *extra)
        )


# A real redis-server for the cluster's tests, one per test module, and a cluster in it
# emptied for each test (tests/redisserver.py starts and stops it).
@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    from tests.redisserver import redis_server

    with redis_server() as url:
        yield url


@pytest.fixture
def cluster(redis_url: str) -> Any:
    from crawler.cluster import Cluster

    cluster = Cluster(redis_url, lease_seconds=5)
    cluster.redis.flushdb()
    return cluster
