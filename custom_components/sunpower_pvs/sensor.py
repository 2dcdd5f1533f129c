"""Sensors: one per description of each family member, created from what the data holds."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from homeassistant.components.sensor import RestoreSensor, SensorEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType
from homeassistant.util import dt as dt_util

from .descriptions import Guard, PVSSensorEntityDescription
from .entity import Family, PVSEntity, add_entities_as_data_appears
from .kinds import SENSORS
from .pvs import Device
from .runtime import PVSConfigEntry, PVSRuntime
from .site_energy import NetTrack, Track, max_power_kw

# Entities only read the coordinators' data; the client serialises requests to the PVS.
PARALLEL_UPDATES = 0
# A difference between the PVS's clock and Home Assistant's this large is corrected.
CLOCK_SKEW_S = 30.0


async def async_setup_entry(
    hass: HomeAssistant, entry: PVSConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add sensors for what the PVS reports now, and for devices and values that appear later."""
    runtime = entry.runtime_data

    def create(
        family: Family[Any], member: Device, description: PVSSensorEntityDescription[Any]
    ) -> Entity:
        if description.guard is not None:
            return PVSCounterSensor(runtime, family, member, description)
        return PVSSensor(runtime, family, member, description)

    add_entities_as_data_appears(
        runtime,
        SENSORS,
        lambda description, source, data: description.exists(source, data),
        create,
        async_add_entities,
    )


def _by_our_clock(stamp: datetime, offset_s: float | None) -> datetime:
    """A PVS time stamp by Home Assistant's clock, and never later than now.

    A skew of seconds (the poll's own duration) is left alone, so the stamp stays the PVS's.
    """
    if offset_s is not None and abs(offset_s) >= CLOCK_SKEW_S:
        stamp -= timedelta(seconds=round(offset_s))
    return min(stamp, dt_util.utcnow())


class PVSSensor[T](PVSEntity[T], SensorEntity):
    """A sensor reading one value of a family member."""

    entity_description: PVSSensorEntityDescription[T]

    def __init__(
        self,
        runtime: PVSRuntime,
        family: Family[T],
        member: Device,
        description: PVSSensorEntityDescription[T],
    ) -> None:
        """A sensor of ``member``; its device class may follow what the member reports."""
        super().__init__(runtime, family, member, description)
        source = family.read(runtime, member.serial)
        if description.device_class_fn is not None and source is not None:
            self._attr_device_class = description.device_class_fn(source)

    @property
    def native_value(self) -> StateType | datetime:
        """The latest value; None (unknown) when the PVS did not send it."""
        value: StateType | datetime = self._current
        return value

    @property
    def _significant_change(self) -> float | None:
        return self.entity_description.significant_change

    @property
    def _value_follows_source(self) -> bool:
        # A PVS time stamp is moved by the clock offset, which other reads update.
        return not self.entity_description.pvs_clock

    def _value(self, source: T) -> StateType | datetime:
        value = self.entity_description.value_fn(source)
        if self.entity_description.pvs_clock and isinstance(value, datetime):
            value = _by_our_clock(value, self._runtime.poll.health.clock_offset_s)
        tolerance = self.entity_description.jitter_tolerance
        previous = self._current
        if (
            tolerance is not None
            and isinstance(value, datetime)
            and isinstance(previous, datetime)
            and abs(value - previous) <= tolerance
        ):
            return previous
        return value


class PVSCounterSensor[T](PVSSensor[T], RestoreSensor):
    """A device's energy register, restored across restarts.

    It shows the register as accepted by the rules of ``site_energy.track`` (a drop, a sag,
    a glitch to 0 or a one-poll spike is never shown: the recorder would read a drop as a
    new meter and the next reading as a spike); a net register may fall, never faster than
    the meter can move energy. A confirmed jump (a replaced meter counting higher) is shown
    as it is; the site energy sensors count only growth and absorb it.
    """

    def __init__(
        self,
        runtime: PVSRuntime,
        family: Family[T],
        member: Device,
        description: PVSSensorEntityDescription[T],
    ) -> None:
        """Guard the register from its first reading on, by the rules its kind follows."""
        super().__init__(runtime, family, member, description)
        source = family.read(runtime, member.serial)
        guard = description.guard(source) if description.guard and source else Guard.LIFETIME
        self._track: Track | NetTrack = NetTrack() if guard is Guard.NET else Track()

    def _value(self, source: T) -> StateType | datetime:
        reading = self.entity_description.value_fn(source)
        if not isinstance(reading, int | float) or not isinstance(source, Device):
            return None
        data = self._runtime.poll.data
        stamp = source.last_report or data.device_time
        when = stamp.timestamp() if stamp else dt_util.utcnow().timestamp()
        self._track.step(reading, when, max_power_kw(source, data))
        return self._track.base

    async def async_added_to_hass(self) -> None:
        """Continue from the value shown before the restart if the PVS now reads lower."""
        await super().async_added_to_hass()
        last = await self.async_get_last_sensor_data()
        if last is None or not isinstance(last.native_value, int | float | Decimal):
            return
        self._track.restore(float(last.native_value))
        if self._current is not None:
            self._current = self._track.base
            self._shown = (self.available, self._current)
