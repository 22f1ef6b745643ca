"""pywb, the web-archive replay tool, for the replay test: in a venv of its own.

pywb 2.9's dependencies fight the project's: its `brotlipy` installs a `brotli` module over
the Brotli package Scrapy decodes with. So pywb lives in a separate venv, made once from
the pins in `tests/pywb-requirements.txt` under the cache directory
(``$NEWSARCHIVE_CACHE``, default ``~/.cache/newsarchive``) and reused; making it is the
only time the suite asks the package index for anything.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .conftest import free_port, stop, wait_for_http

REQUIREMENTS = Path(__file__).with_name("pywb-requirements.txt")
MARKER = ".installed"


def cache_dir() -> Path:
    default = Path.home() / ".cache" / "newsarchive"
    return Path(os.environ.get("NEWSARCHIVE_CACHE") or default)


def pywb_venv() -> Path:
    """The bin directory of the pywb venv, made when missing (under a lock, so two test
    runs never build it at once; a half-made one is made again)."""
    pins = REQUIREMENTS.read_bytes()
    venv = cache_dir() / f"pywb-{hashlib.sha256(pins).hexdigest()[:12]}"
    venv.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{venv}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (venv / MARKER).exists():
            shutil.rmtree(venv, ignore_errors=True)
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            install = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
            done = subprocess.run(
                [*install, "--no-deps", "-r", str(REQUIREMENTS)],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                raise RuntimeError(f"cannot install pywb into {venv}: {done.stderr[-2000:]}")
            (venv / MARKER).write_text("ok\n")
    return venv / "bin"


@contextlib.contextmanager
def wayback(warc: Path, collection: str = "news") -> Iterator[str]:
    """pywb serving `warc` as `collection` on 127.0.0.1 (`wb-manager init` and `add`, then
    `wayback`); its base URL while it runs."""
    bin_dir = pywb_venv()
    with tempfile.TemporaryDirectory(prefix="pywb-") as root:
        for args in (("init", collection), ("add", collection, str(warc))):
            done = subprocess.run(
                [str(bin_dir / "wb-manager"), *args],
                cwd=root,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                raise RuntimeError(f"wb-manager {' '.join(args)}: {done.stderr[-2000:]}")
        port = free_port()
        with tempfile.TemporaryFile("w+") as log:
            process = subprocess.Popen(
                [str(bin_dir / "wayback"), "--port", str(port), "--bind", "127.0.0.1"],
                cwd=root,
                stdout=log,
                stderr=log,
                text=True,
            )
            base = f"http://127.0.0.1:{port}"
            try:
                wait_for_http(f"{base}/{collection}/", process)
                yield base
            finally:
                stop(process)
