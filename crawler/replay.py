"""The replay server: recorded sample sites served over HTTP on 127.0.0.1, host by host.

The request's real host (the ``Host`` header, or the host of an absolute request target)
picks the folder ``ROOT/<host>/``; the path picks the file (``/`` ends in ``index.html``).
A URL with a query (``/view.php?tid=12&cid=3``) is served from the file named by path and
query, as ``wget`` saves it (``view.php?tid=12&cid=3``), when there is one, else by its path.
A host folder may hold ``_replay.json`` with faults served on purpose::

    {"faults": {"/a.html": {"status": 500}, "/b.html": {"delay": 1.5},
                "/old.html": {"redirect": "http://new.example/new.html"},
                "/c.html": {"content_type": "text/html; charset=gb2312"},
                "/d.html": {"gzip": true}}}

(``content_type`` serves the file with that header, as servers whose charset lies do.)

Faults are read on every request, so a test can change the site while the server runs.
``delay`` slows every answer down (a site's own pace, for measuring politeness), and the
server records each request with when it came and when it was answered (``visits``).
A page is served gzipped (``Content-Encoding: gzip``) when its fault says ``gzip``, or when
it is stored compressed as ``NAME.gz`` (a recorded answer; a gzip bomb, say).
"""

from __future__ import annotations

import gzip
import json
import logging
import mimetypes
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from crawler.sites import SAMPLES_DIR

logger = logging.getLogger(__name__)

FAULTS_FILE = "_replay.json"
# Pages a server writes by script or serves without an extension are HTML, whatever the
# local mimetypes table says (/etc/mime.types knows .shtml on some machines only).
SERVED_AS_HTML = frozenset({"", ".shtml", ".php", ".asp", ".aspx", ".jsp"})


class ReplayError(OSError):
    """The replay cannot start (bad root, port in use)."""


def faults(host_dir: Path) -> dict[str, dict[str, Any]]:
    """The faults a host folder serves on purpose, by path."""
    path = host_dir / FAULTS_FILE
    if not path.is_file():
        return {}
    faults: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["faults"]
    return faults


def content_type(path: str) -> str:
    """The Content-Type the replay sends for a file served at ``path`` (no charset: the page
    says it, or a fault's ``content_type`` overrides it)."""
    name = PurePosixPath(path).name
    kind = mimetypes.guess_type(name)[0]
    if kind:
        return kind
    return (
        "text/html"
        if PurePosixPath(name).suffix.lower() in SERVED_AS_HTML
        else ("application/octet-stream")
    )


def resolve(root: Path, host: str, path: str, query: str = "") -> Path | None:
    """The file serving ``path`` (and ``query``) on ``host``, or None; never a file outside the
    host folder."""
    host_dir = (root / host).resolve()
    relative = unquote(path).lstrip("/")
    if not relative or relative.endswith("/"):
        relative += "index.html"
    for name in (f"{relative}?{query}", relative) if query else (relative,):
        target = (host_dir / name).resolve()
        if target.is_relative_to(host_dir) and target.name != FAULTS_FILE and target.is_file():
            return target
    return None


class ReplayHandler(BaseHTTPRequestHandler):
    server: ReplayHTTPServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        self._visit(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._visit(with_body=False)

    def _visit(self, *, with_body: bool) -> None:
        target = urlsplit(self.path)
        host = (target.hostname or self.headers.get("Host") or "").split(":")[0].lower()
        self.server.record(host, self.path)
        started = time.monotonic()
        time.sleep(self.server.delay)
        self.server.visited(Visit(host, self.path, started, time.monotonic()))
        self._answer(host, target.path or "/", target.query, with_body=with_body)

    def _answer(self, host: str, path: str, query: str, *, with_body: bool) -> None:
        host_dir = self.server.root / host
        if not host or not host_dir.is_dir():
            self._send(HTTPStatus.NOT_FOUND, b"unknown host\n", "text/plain", with_body)
            return
        fault = faults(host_dir).get(path, {})
        if "delay" in fault:
            time.sleep(float(fault["delay"]))
        if "redirect" in fault:
            self._send(
                HTTPStatus.MOVED_PERMANENTLY,
                b"",
                "text/plain",
                with_body,
                {"Location": fault["redirect"]},
            )
            return
        if "status" in fault:
            status = HTTPStatus(int(fault["status"]))
            self._send(status, f"{status.phrase}\n".encode(), "text/plain", with_body)
            return
        file = resolve(self.server.root, host, path, query)
        stored_gzip = file is None
        if stored_gzip:
            file = resolve(self.server.root, host, path + ".gz")
        if file is None:
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain", with_body)
            return
        served = path if not path.endswith("/") else path + "index.html"
        kind = fault.get("content_type") or content_type(served)
        body = file.read_bytes()
        if fault.get("gzip") and not stored_gzip:
            body = gzip.compress(body)
        gzipped = stored_gzip or bool(fault.get("gzip"))
        extra = {"Content-Encoding": "gzip"} if gzipped else None
        self._send(HTTPStatus.OK, body, kind, with_body, extra)

    def _send(
        self,
        status: HTTPStatus,
        body: bytes,
        kind: str,
        with_body: bool,
        extra: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        try:
            self.end_headers()
            if with_body:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # as clients may: a page too large, a stop
            logger.debug("%s hung up before the end of %s", self.address_string(), self.path)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the stdlib's name)
        logger.debug("%s %s", self.address_string(), format % args)


@dataclass(frozen=True)
class Visit:
    """One request to the replay: the host, the target, when it came and when the answer
    began (after the delay; monotonic seconds). A client sends its next request on a
    connection only after the answer, so two visits of one host that overlap were sent at
    once."""

    host: str
    target: str
    started: float
    answered: float


class ReplayHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path, address: tuple[str, int], delay: float = 0.0) -> None:
        self.root = root
        self.delay = delay
        self.requests: list[tuple[str, str]] = []
        self.visits: list[Visit] = []
        self._lock = threading.Lock()
        super().__init__(address, ReplayHandler)

    def record(self, host: str, target: str) -> None:
        with self._lock:
            self.requests.append((host, target))

    def visited(self, visit: Visit) -> None:
        with self._lock:
            self.visits.append(visit)


class Replay:
    """A running replay server: ``with Replay() as replay: crawl(replay.url)``."""

    def __init__(
        self,
        root: Path | None = None,
        port: int = 0,
        host: str = "127.0.0.1",
        *,
        delay: float = 0.0,
    ) -> None:
        self.root = Path(root) if root else SAMPLES_DIR
        if not self.root.is_dir():
            raise ReplayError(f"replay root {self.root} is not a directory")
        try:
            self.server = ReplayHTTPServer(self.root, (host, port), delay)
        except OSError as exc:
            raise ReplayError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def hosts(self) -> list[str]:
        return sorted(p.name for p in self.root.iterdir() if p.is_dir())

    def serve_forever(self) -> None:
        self.server.serve_forever()

    def __enter__(self) -> Replay:
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._thread:
            self.server.shutdown()
            self._thread.join()
            self._thread = None
        self.server.server_close()
