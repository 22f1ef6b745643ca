"""A real `redis-server` for the cluster tests and the benchmark: on a free loopback port,
in a temporary folder, nothing saved; stopped afterwards."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

import redis

REDIS_SERVER = "redis-server"
MISSING = (
    "redis-server is not installed: `make redis` installs it (Debian, as root), or"
    " `apt-get install redis-server`"
)


def available() -> bool:
    return shutil.which(REDIS_SERVER) is not None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def redis_server(timeout: float = 10) -> Iterator[str]:
    """Run a redis-server on 127.0.0.1; its URL while it runs."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="newsarchive-redis-") as folder:
        command = [
            REDIS_SERVER,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            folder,
        ]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        url = f"redis://127.0.0.1:{port}/0"
        try:
            deadline = time.monotonic() + timeout
            client = redis.Redis.from_url(url)
            while True:
                try:
                    client.ping()
                    break
                except redis.ConnectionError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("redis-server did not start") from None
                    time.sleep(0.05)
            client.close()
            yield url
        finally:
            process.terminate()
            process.communicate(timeout=10)
