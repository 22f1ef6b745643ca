"""A small headless-Chromium driver over the Chrome DevTools Protocol (for the browser test
and `scripts/screenshots.py`): open a page, run JavaScript, type, press Enter, click,
screenshot, and every URL the browser asked for (`requested`, from the Network events: the
test checks that none leaves 127.0.0.1). Frames stay in the page's process (no site
isolation), so that their requests are seen too.

Uses Debian's `chromium` (`make browser` installs it); never downloads a browser.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx
from websockets.sync.client import ClientConnection, connect

CHROMIUM = "chromium"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--disable-site-isolation-trials",
    "--disable-features=IsolateOrigins,site-per-process,IsolateSandboxedIframes",
    "--remote-debugging-port=0",
)


def chromium_path() -> str | None:
    return shutil.which(CHROMIUM)


class Chromium:
    """One headless Chromium with one tab. Use as a context manager."""

    def __init__(self, width: int = 1280, height: int = 900, timeout: float = 30) -> None:
        executable = chromium_path()
        if executable is None:
            raise FileNotFoundError("chromium is not installed (make browser)")
        self.timeout = timeout
        self._profile = tempfile.TemporaryDirectory(prefix="newsarchive-chromium-")
        self._process = subprocess.Popen(
            [
                executable,
                *FLAGS,
                f"--user-data-dir={self._profile.name}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its helper processes too are stopped with it (close)
        )
        self._stack = contextlib.ExitStack()
        self._ids = itertools.count(1)
        self._events: list[dict[str, Any]] = []
        self.requested: list[str] = []  # every URL requested, in order (Network events)
        self._ws = self._connect_to_tab()
        self.send("Page.enable")
        self.send("Runtime.enable")
        self.send("Network.enable")

    def _connect_to_tab(self) -> ClientConnection:
        # Chromium writes the port it chose to DevToolsActivePort in its profile.
        port_file = Path(self._profile.name) / "DevToolsActivePort"
        deadline = time.monotonic() + self.timeout
        while not port_file.is_file() or not port_file.read_text().strip():
            if self._process.poll() is not None:
                raise RuntimeError(f"chromium exited with {self._process.returncode}")
            if time.monotonic() > deadline:
                raise TimeoutError("chromium did not start")
            time.sleep(0.05)
        port = int(port_file.read_text().split()[0])
        tabs = httpx.get(f"http://127.0.0.1:{port}/json/list", timeout=5).json()
        page = next(tab for tab in tabs if tab["type"] == "page")
        return self._stack.enter_context(connect(page["webSocketDebuggerUrl"], max_size=None))

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Call a DevTools method; returns its result (events on the way are kept)."""
        message_id = next(self._ids)
        self._ws.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            message = self._receive()
            if message.get("id") == message_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return dict(message.get("result", {}))
            self._events.append(message)

    def _receive(self) -> dict[str, Any]:
        message: dict[str, Any] = json.loads(self._ws.recv(timeout=self.timeout))
        if message.get("method") == "Network.requestWillBeSent":
            self.requested.append(message["params"]["request"]["url"])
        return message

    def wait_for_event(self, method: str) -> dict[str, Any]:
        for index, event in enumerate(self._events):
            if event.get("method") == method:
                return self._events.pop(index)
        while True:
            message = self._receive()
            if message.get("method") == method:
                return message
            self._events.append(message)

    def goto(self, url: str) -> None:
        self._events.clear()
        self.send("Page.navigate", url=url)
        self.wait_for_event("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_until(self, expression: str) -> None:
        """Poll a JavaScript condition until it holds (rendering that follows the load)."""
        deadline = time.monotonic() + self.timeout
        while not self.evaluate(expression):
            if time.monotonic() > deadline:
                raise TimeoutError(f"never true: {expression}")
            time.sleep(0.1)

    def type_into(self, selector: str, text: str) -> None:
        self.evaluate(f"document.querySelector({json.dumps(selector)}).focus()")
        self.send("Input.insertText", text=text)

    def click(self, selector: str) -> None:
        """Click the element `selector` finds (a link) and wait for the page it leads to."""
        self._events.clear()
        self.evaluate(f"document.querySelector({json.dumps(selector)}).click()")
        self.wait_for_event("Page.loadEventFired")

    def frame_html(self, selector: str) -> str:
        """The HTML of the document in the frame `selector` finds, as the browser holds it
        (read through the DOM domain: a sandboxed frame runs no script, not even ours)."""
        root = self.send("DOM.getDocument", depth=-1, pierce=True)["root"]
        frames = self.send("DOM.querySelectorAll", nodeId=root["nodeId"], selector=selector)
        (frame_id,) = frames["nodeIds"]
        frame = self.send("DOM.describeNode", nodeId=frame_id, depth=1, pierce=True)["node"]
        document = frame["contentDocument"]["backendNodeId"]
        return str(self.send("DOM.getOuterHTML", backendNodeId=document)["outerHTML"])

    def press_enter(self) -> None:
        """Press Enter and wait for the page it leads to."""
        self._events.clear()
        key = {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13}
        self.send("Input.dispatchKeyEvent", type="keyDown", text="\r", **key)
        self.send("Input.dispatchKeyEvent", type="keyUp", **key)
        self.wait_for_event("Page.loadEventFired")

    def screenshot(self, path: Path, height: int | None = None) -> Path:
        """A PNG of the whole page, or of its top `height` pixels."""
        page_height = self.evaluate("document.documentElement.scrollHeight")
        height = min(page_height, height or page_height)
        width = self.evaluate("document.documentElement.clientWidth")
        clip = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
        data = self.send(
            "Page.captureScreenshot", format="png", clip=clip, captureBeyondViewport=True
        )["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        """Stop Chromium and every process it started (they write to the profile until they
        exit), then remove the profile."""
        self._stack.close()
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._process.pid, signal.SIGKILL)
        for _ in range(50):  # a helper process may still be writing as it dies
            try:
                self._profile.cleanup()
                return
            except OSError:
                time.sleep(0.1)
        self._profile.cleanup()

    def __enter__(self) -> Chromium:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


# The archive's pages, as a user reaches them.


def texts(browser: Chromium, selector: str) -> list[str]:
    """The text a reader sees in each element `selector` finds."""
    return list(
        browser.evaluate(
            f"Array.from(document.querySelectorAll({json.dumps(selector)}))"
            ".map(e => e.innerText.trim())"
        )
    )


def search(browser: Chromium, base_url: str, query: str, **fields: str) -> list[str]:
    """Open the search page, type `query` (and the other `fields`: date_from, ...), press
    Enter; returns the titles of the results."""
    browser.goto(f"{base_url}/archive/search")
    for name, value in fields.items():
        browser.type_into(f"[name={name}]", value)
    browser.type_into("input[name=q]", query)
    browser.press_enter()
    return texts(browser, ".hit-title")


def open_chart(browser: Chromium, base_url: str, chart_path: str) -> None:
    """Open the chart of articles per month (drawn on the server: there once loaded)."""
    browser.goto(base_url + chart_path)
    browser.wait_until("document.querySelector('svg.chart rect.bar') !== null")
