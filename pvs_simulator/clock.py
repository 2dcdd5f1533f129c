"""The simulated clock: wall time scaled by a speed factor plus manual jumps."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
import time


class SimClock:
    """Simulated time, moved by real time x ``speed`` and by ``advance``.

    With ``speed == 0`` the clock stands still between ``advance`` calls, which lets tests
    drive a whole day in milliseconds.
    """

    def __init__(self, start: datetime, speed: float) -> None:
        """Start the clock at ``start`` (timezone-aware)."""
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        if speed < 0:
            raise ValueError("speed must not be negative")
        self._start = start
        self._speed = speed
        self._jumped = 0.0
        self._real_origin = time.monotonic()
        self._waiters: set[asyncio.Future[None]] = set()

    @property
    def speed(self) -> float:
        """Simulated seconds per real second."""
        return self._speed

    @property
    def elapsed(self) -> float:
        """Simulated seconds since the start."""
        return self._jumped + (time.monotonic() - self._real_origin) * self._speed

    @property
    def epoch(self) -> float:
        """Simulated POSIX time."""
        return self._start.timestamp() + self.elapsed

    def now(self) -> datetime:
        """Simulated current time, in the start's timezone."""
        return self._start + timedelta(seconds=self.elapsed)

    def advance(self, seconds: float) -> None:
        """Jump forward and wake everything waiting on the clock."""
        if seconds < 0:
            raise ValueError("the simulated clock cannot go backwards")
        self._jumped += seconds
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._waiters.clear()

    async def wait_until(self, epoch: float, *, poll_s: float = 0.5) -> None:
        """Return once simulated time reaches ``epoch``.

        A running clock is polled in short real sleeps so a later ``advance`` still counts;
        a frozen clock waits for ``advance``.
        """
        while self.epoch < epoch:
            if self._speed > 0:
                await asyncio.sleep(min(poll_s, (epoch - self.epoch) / self._speed))
                continue
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiters.add(waiter)
            try:
                await waiter
            finally:
                self._waiters.discard(waiter)

    def real_seconds(self, simulated: float) -> float:
        """Real time a device delay of ``simulated`` seconds takes at this speed.

        Speeds above 1 shorten delays in proportion; a frozen or slowed clock keeps the
        device's own timing so latency stays observable.
        """
        return simulated / max(self._speed, 1.0)
