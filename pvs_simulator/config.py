"""How one simulated PVS is set up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from .battery import DEFAULT_CONTROL, EssControl

Firmware = Literal["legacy", "localapi"]
# Which of the consumption meter's lifetime counters grows with imported energy (on a
# line-side meter: with the house's load): owners report both, depending on how the CTs
# were installed.
ImportCounter = Literal["positive", "negative"]

DEFAULT_START = datetime(2026, 6, 21, 18, 0, tzinfo=UTC)


@dataclass(frozen=True, slots=True, kw_only=True)
class SimulatorConfig:
    """Everything that decides how the simulated unit behaves.

    ``port=0`` binds a free port, which is what tests want; the command line passes 8080.
    ``speed=0.0`` freezes the simulated clock so only ``Simulator.advance`` moves it.
    ``latency`` switches on the realistic built-in response times; injected latency faults
    apply either way.
    """

    profile: str = "typical"
    firmware: Firmware = "legacy"
    host: str = "127.0.0.1"
    port: int = 0
    telemetry_port: int = 0
    tls: bool = False
    speed: float = 0.0
    start: datetime = DEFAULT_START
    faults: tuple[str, ...] = ()
    session_ttl_s: float = 300.0
    replay: tuple[Path | str, ...] = ()
    latency: bool = False
    seed: int = 1
    # The owner changed the ssm_owner password; None keeps the default (serial's last five).
    password: str | None = None
    import_counter: ImportCounter = "positive"
    # False: the production meter's CTs were never installed and it reads all zeros.
    production_ct: bool = True
    # The battery's settings at start (storage sites); EssControl(reserve=0.0) empties the
    # battery to 0 % customer charge every night, as the simulator did before it had settings.
    ess_control: EssControl = DEFAULT_CONTROL
