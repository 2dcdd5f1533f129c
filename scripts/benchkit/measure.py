"""What a run measures in its own process: CPU, state changes, store writes, memory.

Nothing of the integration is patched: state changes are Home Assistant's own events, store
writes are observed where Home Assistant's storage layer writes a file, memory is what
``tracemalloc`` attributes to the integration's files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
import gc
import os
from pathlib import Path
import threading
import time
import tracemalloc
from typing import Any
from unittest.mock import patch

from homeassistant.const import EVENT_STATE_CHANGED, EVENT_STATE_REPORTED
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers.storage import Store


@dataclass(slots=True)
class Window:
    """Process CPU (every thread) and wall time of one measured stretch, in ms."""

    cpu_ms: float = 0.0
    wall_ms: float = 0.0


@contextmanager
def timed() -> Iterator[Window]:
    """Measure the stretch inside the ``with``."""
    window = Window()
    cpu, wall = time.process_time(), time.perf_counter()
    try:
        yield window
    finally:
        window.cpu_ms = (time.process_time() - cpu) * 1000
        window.wall_ms = (time.perf_counter() - wall) * 1000


@dataclass(slots=True)
class StateCount:
    """State writes of the entities followed, since the last ``take``."""

    changed: int = 0
    # a write that changed neither state nor attributes (Home Assistant's state_reported)
    unchanged: int = 0
    changed_ids: list[str] = field(default_factory=list)
    unchanged_ids: list[str] = field(default_factory=list)


class StateMeter:
    """Counts the state_changed and state_reported events of some entities."""

    def __init__(self, hass: HomeAssistant, entity_ids: frozenset[str]) -> None:
        """Follow ``entity_ids`` from now until ``close``."""
        self._count = StateCount()
        ids = entity_ids

        @callback
        def ours(data: Mapping[str, Any]) -> bool:
            return data["entity_id"] in ids

        @callback
        def changed(event: Event[Any]) -> None:
            self._count.changed += 1
            self._count.changed_ids.append(event.data["entity_id"])

        @callback
        def reported(event: Event[Any]) -> None:
            self._count.unchanged += 1
            self._count.unchanged_ids.append(event.data["entity_id"])

        self._unsubscribe: list[CALLBACK_TYPE] = [
            hass.bus.async_listen(EVENT_STATE_CHANGED, changed, event_filter=ours),
            hass.bus.async_listen(EVENT_STATE_REPORTED, reported, event_filter=ours),
        ]

    def take(self) -> StateCount:
        """The count since the last take, and start again."""
        count, self._count = self._count, StateCount()
        return count

    def close(self) -> None:
        """Stop listening."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()


@dataclass(frozen=True, slots=True)
class StoreWrite:
    """One file Home Assistant's storage layer wrote."""

    key: str
    bytes: int


class StorageMeter:
    """Observes the files ``Store`` writes under ``.storage`` for keys starting ``prefix``.

    Every store write ends in ``Store._write_prepared_data`` (whether it serialised in the
    event loop or in the executor); the observer calls it unchanged and then reads the size
    of the file it wrote.
    """

    def __init__(self, prefix: str) -> None:
        """Count the stores whose key starts with ``prefix``."""
        self._prefix = prefix
        self._lock = threading.Lock()
        self.writes: list[StoreWrite] = []

    @contextmanager
    def observing(self) -> Iterator[None]:
        """While inside, every store write of a matching key is noted."""
        meter = self
        # Home Assistant 2025.4 writes in _write_data; later releases split out the last step.
        name = "_write_prepared_data" if hasattr(Store, "_write_prepared_data") else "_write_data"
        original = getattr(Store, name)

        def write(store: Store[Any], *args: Any) -> None:
            original(store, *args)
            if store.key.startswith(meter._prefix):
                size = os.path.getsize(store.path)
                with meter._lock:
                    meter.writes.append(StoreWrite(store.key, size))

        with patch.object(Store, name, write):
            yield

    def count(self) -> int:
        """Writes so far."""
        with self._lock:
            return len(self.writes)

    def since(self, start: int) -> list[StoreWrite]:
        """Writes after the first ``start``."""
        with self._lock:
            return self.writes[start:]


class Freshness:
    """From each inverter data time stamp to the poll that first brought it into Home Assistant.

    The stamps are read from the poll coordinator's data between refreshes (the inverters'
    last-report sensors are not always enabled).
    """

    def __init__(self, stamps: Callable[[], Mapping[str, datetime | None]]) -> None:
        """``stamps``: each inverter's data time stamp, as the poll coordinator holds it."""
        self._stamps = stamps
        self._newest: dict[str, float] = {}
        self.samples: list[float] = []
        self._take(None)

    def _take(self, visible_at: float | None) -> None:
        for serial, stamp in self._stamps().items():
            if stamp is None:
                continue
            when = stamp.timestamp()
            if when <= self._newest.get(serial, float("-inf")):
                continue
            self._newest[serial] = when
            if visible_at is not None:
                self.samples.append(visible_at - when)

    def update(self, visible_at: float) -> None:
        """Note stamps newer than any seen before; they became visible at ``visible_at``."""
        self._take(visible_at)


def traced_kib(directory: Path) -> float:
    """KiB that live objects allocated in ``directory``'s files hold (tracemalloc, 1 frame)."""
    gc.collect()
    snapshot = tracemalloc.take_snapshot()
    pattern = str(directory / "*")
    filtered = snapshot.filter_traces([tracemalloc.Filter(True, pattern)])
    return sum(stat.size for stat in filtered.statistics("filename")) / 1024
