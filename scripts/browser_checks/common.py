"""Where the test's output goes, its check results, its progress lines."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import contextlib
from dataclasses import dataclass, field
import re
import time

from browser_cdp import Browser, CDPError
from devstack.common import REPO

OUT = REPO / "out" / "browser"


class CheckError(AssertionError):
    """A check on what the browser shows failed."""


@dataclass(frozen=True)
class Progress:
    """Progress lines with the time since the start."""

    started: float = field(default_factory=time.monotonic)

    def step(self, message: str) -> None:
        """One progress line."""
        print(f"[{time.monotonic() - self.started:6.1f} s] {message}", flush=True)


@dataclass
class Checks:
    """The owner-visible checks: each runs, passes or fails, and the rest go on."""

    browser: Browser
    progress: Progress
    results: list[tuple[str, str]] = field(default_factory=list)

    async def run(self, name: str, check: Callable[[], Awaitable[str | None]]) -> None:
        """Run one check; a failure is recorded (with a screenshot), not raised."""
        try:
            detail = await check()
        except (CheckError, CDPError, TimeoutError) as err:
            self.results.append((name, f"FAILED: {err}"))
            self.progress.step(f"FAILED {name}: {err}")
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            with contextlib.suppress(CDPError, OSError):
                await self.browser.screenshot(OUT / f"failed-{slug}.png")
            return
        self.results.append((name, f"passed{f': {detail}' if detail else ''}"))
        self.progress.step(f"passed {name}{f': {detail}' if detail else ''}")

    @property
    def failed(self) -> list[str]:
        """Names of the checks that failed."""
        return [name for name, result in self.results if result.startswith("FAILED")]
