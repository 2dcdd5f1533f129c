"""The simulator and Home Assistant as child processes, on 127.0.0.1, and their folder."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from datetime import datetime
import os
from pathlib import Path
import signal
import socket
import subprocess
import sys
import time
from typing import Any

import aiohttp

from .common import LOCALHOST, REPO
from .config_dir import prepare_config

# The integration opens the PVS6 telemetry stream on this port of the PVS's address, as on a
# real unit; on any other port the demo falls back to reading live data every 15 s.
TELEMETRY_PORT = 9002
STOP_TIMEOUT_S = 20.0


def free_port() -> int:
    """A TCP port nobody listens on at the moment, on the loopback address."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOCALHOST, 0))
        return int(sock.getsockname()[1])


def port_free(port: int) -> bool:
    """True when nothing listens on port (loopback); closed connections may linger."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((LOCALHOST, port))
        except OSError:
            return False
        return True


def telemetry_port() -> int:
    """9002 when free, where the integration looks for the stream; else any free port."""
    return TELEMETRY_PORT if port_free(TELEMETRY_PORT) else free_port()


@dataclass(frozen=True, slots=True, kw_only=True)
class SimulatorSpec:
    """How the simulated PVS runs."""

    profile: str = "typical"
    firmware: str = "localapi"
    speed: float = 1.0
    start: datetime
    port: int
    telemetry_port: int
    latency: bool = True
    # Which consumption-meter counter the simulated installer's CTs made the import one; the
    # grid import register scripts/develop picks (integration.grid_values).
    import_counter: str = "positive"

    def arguments(self) -> list[str]:
        """``python -m pvs_simulator`` with these settings."""
        args = [
            "--host", LOCALHOST,
            "--port", str(self.port),
            "--telemetry-port", str(self.telemetry_port),
            "--profile", self.profile,
            "--firmware", self.firmware,
            "--speed", f"{self.speed:g}",
            "--start", self.start.isoformat(),
            "--import-counter", self.import_counter,
        ]  # fmt: skip
        return [*args, "--no-latency"] if not self.latency else args

    @property
    def address(self) -> str:
        """What to type into the config flow."""
        return f"{LOCALHOST}:{self.port}"


@dataclass
class Stack:
    """The simulator and Home Assistant, each in its own process group."""

    config_dir: Path
    log_dir: Path
    simulator: SimulatorSpec
    ha_port: int = 8123
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        """Home Assistant's address."""
        return f"http://{LOCALHOST}:{self.ha_port}"

    @property
    def pvs_url(self) -> str:
        """The simulator's address as a URL (its /_sim/ control endpoints live there too)."""
        return f"http://{self.simulator.address}"

    def _spawn(self, name: str, args: list[str]) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        # The children find their packages from the repository root, as `python -m` does;
        # what PYTHONPATH gave this process (scripts/) is not theirs.
        child_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        with (self.log_dir / f"{name}.log").open("wb") as log:
            self.procs[name] = subprocess.Popen(
                [sys.executable, "-m", *args],
                cwd=REPO,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=child_env,
                start_new_session=True,
            )

    def start_simulator(self) -> None:
        """Start the simulated PVS."""
        self._spawn("simulator", ["pvs_simulator", *self.simulator.arguments()])

    def start_home_assistant(self) -> None:
        """Start Home Assistant on the configuration folder, made ready for this tree first."""
        prepare_config(self.config_dir, self.ha_port)
        self._spawn("homeassistant", ["homeassistant", "-c", str(self.config_dir), "--skip-pip"])

    def check_alive(self) -> None:
        """Raise when a child has exited."""
        for name, proc in self.procs.items():
            if proc.poll() is not None:
                log = self.log_dir / f"{name}.log"
                tail = log.read_text(errors="replace").splitlines()[-15:] if log.exists() else []
                raise RuntimeError(
                    f"{name} exited with {proc.returncode}; last lines of {log}:\n"
                    + "\n".join(tail)
                )

    def stop(self) -> None:
        """SIGTERM each process group, SIGKILL after 20 s; bounded."""
        for proc in self.procs.values():
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for proc in self.procs.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        self.procs.clear()

    async def wait_until_answering(
        self, session: aiohttp.ClientSession, url: str, limit_s: float = 120
    ) -> None:
        """Wait (bounded) until url answers, raising when a child exits meanwhile."""
        deadline = time.monotonic() + limit_s
        while True:
            self.check_alive()
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                async with session.get(url, timeout=aiohttp.ClientTimeout(total=5)) as resp:
                    if resp.status < 500:
                        return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not answer within {limit_s:.0f} s")
            await asyncio.sleep(0.5)

    async def simulator_stats(self, session: aiohttp.ClientSession) -> dict[str, Any]:
        """``GET /_sim/stats``."""
        async with session.get(f"{self.pvs_url}/_sim/stats") as resp:
            resp.raise_for_status()
            return dict(await resp.json())
