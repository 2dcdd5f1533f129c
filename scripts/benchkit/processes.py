"""Child processes of a run (the simulator, the front) on 127.0.0.1: start, wait, stop."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
import os
from pathlib import Path
import socket
import subprocess
import sys
import time

import aiohttp

LOCALHOST = "127.0.0.1"
READY_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0


def free_port() -> int:
    """A loopback TCP port nobody listens on at the moment."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOCALHOST, 0))
        return int(sock.getsockname()[1])


@dataclass(slots=True)
class Child:
    """One child process, its output going to a log file."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path

    @classmethod
    def start(cls, name: str, args: list[str], python_path: list[Path], log: Path) -> Child:
        """``python -m ...`` with this interpreter and only ``python_path`` to import from."""
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(str(path) for path in python_path))
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, *args], stdout=out, stderr=subprocess.STDOUT, env=env
            )
        return cls(name, process, log)

    def tail(self, lines: int = 20) -> str:
        """The end of its output, for an error message."""
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    async def wait_ready(self, session: aiohttp.ClientSession, url: str) -> None:
        """Until ``url`` answers 200; raises with its output if it exits or takes too long."""
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.tail()}")
            try:
                async with session.get(url) as reply:
                    if reply.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)
        raise RuntimeError(f"{self.name} did not answer {url}:\n{self.tail()}")

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it does not exit in time (this child only)."""
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(STOP_TIMEOUT_S)
