"""Site power sensors: production, home, grid and battery, following the live feed.

The live feed can bring a value every second; the recorder gets at most one state every
five seconds per sensor (by the PVS's clock), sooner only for a large change, and never an
unchanged value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import PERCENTAGE, UnitOfPower, UnitOfTime
from homeassistant.core import callback

from .coordinator import PVSCoordinator
from .energy_track import Orientation
from .entity import SiteEntity
from .live import LiveFeed
from .site import SitePower, site_power

MIN_WRITE_INTERVAL = timedelta(seconds=5)


@dataclass(frozen=True, kw_only=True)
class SiteSensorEntityDescription(SensorEntityDescription):
    """A site flow; ``jump`` is the change that is written at once, in native units."""

    value_fn: Callable[[SitePower], float | None]
    jump: float


def _power(key: str, fn: Callable[[SitePower], float | None]) -> SiteSensorEntityDescription:
    return SiteSensorEntityDescription(
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.KILO_WATT,
        suggested_unit_of_measurement=UnitOfPower.WATT,
        suggested_display_precision=0,
        value_fn=fn,
        jump=0.5,
    )


SITE_POWER_SENSORS: tuple[SiteSensorEntityDescription, ...] = (
    _power("site_production_power", lambda site: site.production_kw),
    _power("site_consumption_power", lambda site: site.consumption_kw),
    _power("site_grid_power", lambda site: site.grid_kw),
    _power("site_battery_power", lambda site: site.battery_kw),
    SiteSensorEntityDescription(
        key="site_state_of_charge",
        translation_key="site_state_of_charge",
        device_class=SensorDeviceClass.BATTERY,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        value_fn=lambda site: site.state_of_charge_pct,
        jump=1.0,
    ),
    SiteSensorEntityDescription(
        key="backup_time_remaining",
        translation_key="backup_time_remaining",
        device_class=SensorDeviceClass.DURATION,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTime.MINUTES,
        suggested_display_precision=0,
        value_fn=lambda site: site.backup_time_remaining_min,
        jump=30.0,
    ),
)


def _ct_sign(coordinator: PVSCoordinator) -> float:
    """-1 when the consumption meter's negative register was found to count import."""
    return -1.0 if coordinator.energy.ledger.grid_orientation is Orientation.NEGATIVE else 1.0


def site_sensors(coordinator: PVSCoordinator, feed: LiveFeed | None) -> list[SiteSensor]:
    """The site sensors this site has data for."""
    live = feed.live if feed else coordinator.data.live
    site = site_power(coordinator.data, live, _ct_sign(coordinator))
    return [
        SiteSensor(coordinator, feed, description)
        for description in SITE_POWER_SENSORS
        if description.value_fn(site) is not None
    ]


class SiteSensor(SiteEntity, SensorEntity):
    """A site flow, updated from the live feed when there is one, else from each poll."""

    entity_description: SiteSensorEntityDescription

    def __init__(
        self,
        coordinator: PVSCoordinator,
        feed: LiveFeed | None,
        description: SiteSensorEntityDescription,
    ) -> None:
        """Follow the live feed where there is one."""
        self._feed = feed  # before the base class: reading the site needs it
        super().__init__(coordinator, description)
        site = self._site()
        self._attr_native_value = description.value_fn(site)
        self._written_at: datetime | None = site.time

    def _site(self) -> SitePower:
        live = self._feed.live if self._feed else self.coordinator.data.live
        return site_power(self.coordinator.data, live, _ct_sign(self.coordinator))

    async def async_added_to_hass(self) -> None:
        """Follow the live feed too."""
        await super().async_added_to_hass()
        if self._feed is not None:
            self.async_on_remove(self._feed.async_add_listener(self._refresh))

    @callback
    def _handle_coordinator_update(self) -> None:
        self._refresh()

    @callback
    def _refresh(self) -> None:
        """Write a new value at most every 5 s (PVS clock), at once for a large change."""
        site = self._site()
        value = self.entity_description.value_fn(site)
        shown = self._attr_native_value
        if value == shown:
            return
        if (
            isinstance(value, float)
            and isinstance(shown, float)
            and abs(value - shown) < self.entity_description.jump
            and site.time is not None
            and self._written_at is not None
            and site.time - self._written_at < MIN_WRITE_INTERVAL
        ):
            return  # the next frame at least 5 s on writes the newest value
        self._attr_native_value = value
        self._written_at = site.time
        self.async_write_ha_state()
