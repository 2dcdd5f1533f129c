"""A small Chrome DevTools Protocol driver for headless Debian chromium (scripts/browser-test).

No browser download and no extra packages: chromium is started with a remote-debugging port
and driven over one websocket with aiohttp. Home Assistant's frontend is built from web
components, so the helpers injected into the page look through shadow roots.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
from pathlib import Path
import shutil
import subprocess
import tempfile
import time
from typing import Any

import aiohttp

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
    "--remote-debugging-address=127.0.0.1",
]

# Injected once per document: text and element queries that descend into shadow roots.
DEEP_JS = r"""
window.__deep = {
  all(root, pred, out) {
    out = out || [];
    const visit = (node) => {
      if (!node) return;
      if (node.nodeType === 1) {
        if (pred(node)) out.push(node);
        if (node.shadowRoot) visit(node.shadowRoot);
      }
      for (const child of node.children || []) visit(child);
    };
    visit(root || document.documentElement);
    return out;
  },
  text(root) {
    const parts = [];
    const visit = (node) => {
      if (node.nodeType === 3) { parts.push(node.textContent); return; }
      if (node.nodeType !== 1 && node.nodeType !== 11) return;
      if (node.nodeType === 1) {
        const style = node.tagName === 'STYLE' || node.tagName === 'SCRIPT';
        if (style) return;
        if (node.shadowRoot) visit(node.shadowRoot);
      }
      for (const child of node.childNodes) visit(child);
    };
    visit(root || document.documentElement);
    return parts.join(' ').replace(/\s+/g, ' ');
  },
  visible(el) {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  },
  byText(selector, text, exact) {
    const want = text.toLowerCase();
    const found = this.all(null, (el) => el.matches(selector) && this.visible(el) && (
      exact ? this.text(el).trim().toLowerCase() === want
            : this.text(el).toLowerCase().includes(want)));
    return found;
  },
  click(selector, text, exact) {
    const found = this.byText(selector, text, exact);
    if (!found.length) return false;
    const el = found[found.length - 1];
    el.scrollIntoView({block: 'center'});
    el.click();
    return true;
  },
  parent(el) {
    return el.parentElement || (el.parentNode && el.parentNode.host) || null;
  },
  clickItem(text) {
    // The innermost visible element showing text, then the nearest list item, link or button
    // around it: whatever the frontend calls its list items this release.
    const want = text.toLowerCase();
    const found = this.all(null, (el) => this.visible(el)
      && !['STYLE', 'SCRIPT'].includes(el.tagName) && this.text(el).toLowerCase().includes(want));
    if (!found.length) return false;
    let el = found[found.length - 1];
    for (let up = el; up; up = this.parent(up)) {
      const role = up.getAttribute && up.getAttribute('role');
      if (/ITEM|^A$|BUTTON/.test(up.tagName) || role === 'button' || role === 'link') {
        el = up;
        break;
      }
    }
    el.scrollIntoView({block: 'center'});
    el.click();
    return true;
  },
  fill(selector, value, index) {
    const inputs = this.all(null, (el) => el.matches(selector) && this.visible(el));
    const input = index < 0 ? inputs[inputs.length + index] : inputs[index || 0];
    if (!input) return false;
    input.focus();
    input.value = value;
    input.dispatchEvent(new Event('input', {bubbles: true, composed: true}));
    input.dispatchEvent(new Event('change', {bubbles: true, composed: true}));
    return true;
  },
};
true;
"""


def find_chromium() -> str | None:
    """Path of Debian's chromium (or another Chromium-family executable on PATH)."""
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        if path := shutil.which(name):
            return path
    return None


class CDPError(RuntimeError):
    """A DevTools command failed or a page condition was not met in time."""


class Browser:
    """One headless chromium with one page, driven over its DevTools websocket."""

    def __init__(self, executable: str, port: int, width: int = 1280, height: int = 900) -> None:
        """Remember how to start it."""
        self.executable = executable
        self.port = port
        self.width = width
        self.height = height
        self._profile = tempfile.mkdtemp(prefix="browser-test-profile-")
        self._proc: asyncio.subprocess.Process | None = None
        self._session: aiohttp.ClientSession | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._reader: asyncio.Task[None] | None = None
        self.console: list[str] = []
        self._closed = False

    async def __aenter__(self) -> Browser:
        """Start chromium, attach to its first page."""
        args = [
            self.executable,
            *CHROMIUM_FLAGS,
            f"--remote-debugging-port={self.port}",
            f"--user-data-dir={self._profile}",
            f"--window-size={self.width},{self.height}",
            "about:blank",
        ]
        self._proc = await asyncio.create_subprocess_exec(
            *args,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
        )
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        deadline = time.monotonic() + 30
        targets: list[dict[str, Any]] = []
        while True:
            if self._proc.returncode is not None:
                raise CDPError(f"chromium exited with {self._proc.returncode}")
            with contextlib.suppress(aiohttp.ClientError, TimeoutError, json.JSONDecodeError):
                async with self._session.get(f"http://127.0.0.1:{self.port}/json/list") as resp:
                    targets = [t for t in await resp.json() if t.get("type") == "page"]
                if targets:
                    break
            if time.monotonic() > deadline:
                raise CDPError("chromium's DevTools port did not answer within 30 s")
            await asyncio.sleep(0.3)
        self._ws = await self._session.ws_connect(
            targets[0]["webSocketDebuggerUrl"], max_msg_size=0, timeout=aiohttp.ClientWSTimeout()
        )
        self._reader = asyncio.create_task(self._read())
        await self.send("Page.enable")
        await self.send("Runtime.enable")
        await self.resize(self.width, self.height)
        await self.send("Page.addScriptToEvaluateOnNewDocument", {"source": DEEP_JS})
        return self

    async def resize(self, width: int, height: int) -> None:
        """Change the page's viewport (for a taller screenshot of a page that scrolls inside)."""
        await self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )

    async def __aexit__(self, *exc: object) -> None:
        """Close the connection and stop chromium (its whole process group)."""
        if self._reader is not None:
            self._reader.cancel()
        if self._ws is not None:
            await self._ws.close()
        if self._session is not None:
            await self._session.close()
        if self._proc is not None and self._proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self._proc.terminate()
            try:
                await asyncio.wait_for(self._proc.wait(), 10)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    self._proc.kill()
                await asyncio.wait_for(self._proc.wait(), 5)
        shutil.rmtree(self._profile, ignore_errors=True)

    async def _read(self) -> None:
        assert self._ws is not None
        try:
            async for message in self._ws:
                self._dispatch(json.loads(message.data))
        finally:
            self._closed = True
            for future in self._pending.values():
                if not future.done():
                    future.set_exception(CDPError("chromium closed the DevTools connection"))
            self._pending.clear()

    def _dispatch(self, data: dict[str, Any]) -> None:
        if "id" in data and data["id"] in self._pending:
            future = self._pending.pop(data["id"])
            if not future.done():
                future.set_result(data)
        elif data.get("method") == "Runtime.consoleAPICalled":
            params = data["params"]
            if params.get("type") in ("error", "warning"):
                text = " ".join(
                    str(a.get("value", a.get("description", ""))) for a in params["args"]
                )
                self.console.append(f"{params['type']}: {text}"[:500])
        elif data.get("method") == "Runtime.exceptionThrown":
            details = data["params"]["exceptionDetails"]
            error = details.get("exception", {}).get("description", details.get("text"))
            self.console.append(f"exception: {error}"[:500])

    async def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Send a DevTools command and return its result."""
        assert self._ws is not None
        if self._closed:
            raise CDPError("chromium closed the DevTools connection")
        call_id = next(self._ids)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[call_id] = future
        await self._ws.send_json({"id": call_id, "method": method, "params": params or {}})
        try:
            reply = await asyncio.wait_for(future, 30)
        except TimeoutError as err:
            raise CDPError(f"{method} got no answer within 30 s") from err
        if "error" in reply:
            raise CDPError(f"{method}: {reply['error']}")
        return dict(reply.get("result", {}))

    async def evaluate(self, expression: str) -> Any:
        """Evaluate JavaScript in the page (promises awaited) and return its value."""
        result = await self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in result:
            raise CDPError(f"script failed: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    async def goto(self, url: str) -> None:
        """Load url (a full page load)."""
        await self.send("Page.navigate", {"url": url})
        await asyncio.sleep(0.5)
        await self.wait_for("document.readyState === 'complete' && !!window.__deep", 30, url)

    async def route(self, path: str) -> None:
        """Move Home Assistant's single-page app to path without reloading it."""
        await self.evaluate(
            f"history.pushState(null, '', {json.dumps(path)});"
            "window.dispatchEvent(new CustomEvent('location-changed', {detail: {replace: false}}));"
        )

    async def wait_for(self, predicate: str, timeout_s: float, what: str) -> Any:
        """Poll a JavaScript expression until it is truthy; return its value."""
        deadline = time.monotonic() + timeout_s
        while True:
            with contextlib.suppress(CDPError):
                value = await self.evaluate(predicate)
                if value:
                    return value
            if time.monotonic() > deadline:
                raise CDPError(f"timed out after {timeout_s:.0f} s waiting for {what}")
            await asyncio.sleep(0.4)

    async def text(self) -> str:
        """All text of the page, shadow roots included."""
        return str(await self.evaluate("window.__deep ? __deep.text() : ''"))

    async def wait_text(self, needles: list[str], timeout_s: float = 30) -> str:
        """Wait until every needle appears in the page's text; return that text."""
        js = json.dumps([n.lower() for n in needles])
        await self.wait_for(
            f"(() => {{ const t = __deep.text().toLowerCase(); "
            f"return {js}.every((n) => t.includes(n)); }})()",
            timeout_s,
            f"text {needles}",
        )
        return await self.text()

    async def click(
        self, selector: str, text: str, timeout_s: float = 20, exact: bool = False
    ) -> None:
        """Click the last visible element matching selector whose text contains text."""
        await self.wait_for(
            f"__deep.click({json.dumps(selector)}, {json.dumps(text)}, {json.dumps(exact)})",
            timeout_s,
            f"{selector} with text {text!r}",
        )

    async def click_item(self, text: str, timeout_s: float = 20) -> None:
        """Click the list item, link or button around the innermost element showing text."""
        await self.wait_for(
            f"__deep.clickItem({json.dumps(text)})", timeout_s, f"an item showing {text!r}"
        )

    async def fill(self, selector: str, value: str, index: int = 0, timeout_s: float = 20) -> None:
        """Type value into the index-th visible element matching selector."""
        await self.wait_for(
            f"__deep.fill({json.dumps(selector)}, {json.dumps(value)}, {index})",
            timeout_s,
            f"input {selector}[{index}]",
        )

    async def type_text(self, text: str) -> None:
        """Type text into the focused element as key presses."""
        await self.send("Input.insertText", {"text": text})

    async def press_enter(self) -> None:
        """Press Enter on the focused element."""
        for kind in ("keyDown", "keyUp"):
            await self.send(
                "Input.dispatchKeyEvent",
                {"type": kind, "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13},
            )

    async def screenshot(self, path: Path, full_page: bool = False) -> Path:
        """Save a PNG of the viewport (or the whole page)."""
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            params["captureBeyondViewport"] = True
        data = await self.send("Page.captureScreenshot", params)
        png = base64.b64decode(data["data"])
        await asyncio.to_thread(path.parent.mkdir, parents=True, exist_ok=True)
        await asyncio.to_thread(path.write_bytes, png)
        return path
