"""What one run collects: its setup, every refresh, the store's writes, memory."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Literal

from .measure import StoreWrite

type Kind = Literal["new", "late", "identical"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Refresh:
    """One refresh of the poll coordinator, as measured."""

    # new: a new 5-minute data set since the previous refresh; late: none; identical: every
    # answer the byte-for-byte repeat of the previous one
    kind: Kind
    delay_s: float
    cpu_ms: float
    wall_ms: float
    state_changes: int
    unchanged_writes: int
    requests: int
    bytes: int
    heavy: int
    endpoints: dict[str, int]
    # how long its requests take on a real unit
    on_unit_s: float
    # answered from kept answers, without asking the simulator
    repeated: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Setup:
    """Setting up the entry, its first poll included."""

    cpu_ms: float
    wall_ms: float
    requests: int
    on_unit_s: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Memory:
    """KiB held by objects the integration's files allocated."""

    after_setup: float
    after_run: float


@dataclass(frozen=True, slots=True, kw_only=True)
class RunInfo:
    """Which run: the site, its firmware, the server Home Assistant talked to, its size."""

    profile: str
    firmware: str
    server: str
    inverters: int
    # registered, and enabled (the others have no state)
    entities: int
    enabled: int
    simulated_hours: float

    def info(self) -> dict[str, Any]:
        """These fields alone, to describe another record of the same run."""
        return {item.name: getattr(self, item.name) for item in fields(RunInfo)}


@dataclass(frozen=True, slots=True, kw_only=True)
class RawRun(RunInfo):
    """Everything one run collected."""

    setup: Setup
    refreshes: list[Refresh]
    steady_writes: list[StoreWrite]
    identical_writes: list[StoreWrite]
    # entities the identical-answers refreshes changed
    identical_changed: list[str]
    # entities written without a change (state_reported) at least once, after setup
    unchanged_written: list[str]
    freshness_s: list[float]
    memory_kib: Memory | None
