"""What the front tells the bench about each request it answered (``GET /_front/seen``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Seen:
    """One request the front answered."""

    # the simulator's endpoint name (as in its /_sim/stats)
    endpoint: str
    # a full read of every device: DeviceList, devices/list or a /sys/devices query
    heavy: bool
    status: int
    bytes: int
    # what a real unit would take for it (the simulator's latency model)
    device_s: float
    # answered from a kept answer, without asking the simulator
    kept: bool
