"""The description type of each platform: what an entity shows and when it exists."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from homeassistant.components.binary_sensor import BinarySensorEntityDescription
from homeassistant.components.sensor import SensorDeviceClass, SensorEntityDescription
from homeassistant.helpers.typing import StateType

from .pvs import PVSData

# How often a fast value's small changes reach the state machine (and the recorder).
WRITE_INTERVAL = timedelta(seconds=5)


class Guard(StrEnum):
    """The counter rules a device's energy register is shown by (``site_energy.track``).

    ``LIFETIME``: it only grows (``Track``); ``NET``: it runs both ways (``NetTrack``).
    """

    LIFETIME = "lifetime"
    NET = "net"


def always(_source: Any, _data: PVSData) -> bool:
    """For an ``exists_fn``: the entity exists from the first poll, with or without a value."""
    return True


@dataclass(frozen=True, kw_only=True)
class PVSSensorEntityDescription[T](SensorEntityDescription):
    """A sensor of a family; ``value_fn`` reads it from what the family reads (``T``).

    ``exists_fn`` decides when the sensor is created; by default once its value has been
    seen, so values a unit never sends create no entities.
    """

    value_fn: Callable[[T], StateType | datetime]
    exists_fn: Callable[[T, PVSData], bool] | None = None
    # a timestamp that moves by less than this keeps its previous state
    jitter_tolerance: timedelta | None = None
    # for values that come several times a second (the live feed): a change smaller than
    # this is written at most once per ``WRITE_INTERVAL`` of the source's own clock
    significant_change: float | None = None
    # a device's energy register: the rules it is shown by (every one has them)
    guard: Callable[[T], Guard] | None = None
    # a time stamp by the PVS's clock: shown by Home Assistant's, never in the future
    pvs_clock: bool = False
    # the device class where it depends on what the device reports (set when created)
    device_class_fn: Callable[[T], SensorDeviceClass | None] | None = None

    def exists(self, source: T | None, data: PVSData) -> bool:
        """Whether the sensor exists for a member whose data is ``source``."""
        if source is None:
            return False
        if self.exists_fn is not None:
            return self.exists_fn(source, data)
        return self.value_fn(source) is not None


@dataclass(frozen=True, kw_only=True)
class PVSBinarySensorEntityDescription[T](BinarySensorEntityDescription):
    """A binary sensor of a family; its value may look at the whole poll."""

    is_on_fn: Callable[[T, PVSData], bool | None]

    def exists(self, source: T | None, data: PVSData) -> bool:
        """Created once it can be judged."""
        return source is not None and self.is_on_fn(source, data) is not None
