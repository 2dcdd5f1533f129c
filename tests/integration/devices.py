"""Looking devices up the way every supported Home Assistant release allows.

``DeviceRegistry.async_get_device`` is deprecated from 2026.8 on (identifiers are unique per
config entry only); the config entry's own device list works on every release.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr

from custom_components.sunpower_pvs.const import DOMAIN


def entry_device(hass: HomeAssistant, entry_id: str, identifier: str) -> dr.DeviceEntry | None:
    """The device of the config entry that carries ``(DOMAIN, identifier)``."""
    registry = dr.async_get(hass)
    return next(
        (
            device
            for device in dr.async_entries_for_config_entry(registry, entry_id)
            if (DOMAIN, identifier) in device.identifiers
        ),
        None,
    )
