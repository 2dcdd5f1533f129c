"""The SunPower PVS integration: set up, unload and clean up a config entry."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryNotReady, HomeAssistantError
from homeassistant.helpers import device_registry as dr

from .const import DOMAIN, OPTION_LIVE_FEED
from .coordinator import PVSConfigEntry, PVSCoordinator
from .energy_book import async_remove_energy_book
from .entity import current_identities, register_devices, site_identity
from .live import LiveFeed
from .pvs import Generation
from .repairs import async_remove_energy_offer, async_start_energy_offer

PLATFORMS = [Platform.BINARY_SENSOR, Platform.SENSOR]


async def async_setup_entry(hass: HomeAssistant, entry: PVSConfigEntry) -> bool:
    """Connect to the PVS, fetch the first data and set up the platforms."""
    coordinator = PVSCoordinator(hass, entry)
    await coordinator.energy.async_load()
    try:
        await coordinator.async_config_entry_first_refresh()
    except ConfigEntryNotReady as err:
        await coordinator.async_shutdown()
        cause = err.__cause__
        if isinstance(cause, HomeAssistantError) and cause.translation_key:
            # Show the owner why (away, timeout, another unit) instead of a bare "not ready".
            raise ConfigEntryNotReady(
                translation_domain=DOMAIN,
                translation_key=cause.translation_key,
                translation_placeholders=cause.translation_placeholders,
            ) from cause
        raise
    except Exception:
        await coordinator.async_shutdown()
        raise
    entry.runtime_data = coordinator
    registered: dict[str, str] = {}

    @callback
    def register_new_devices() -> None:
        register_devices(hass, entry.entry_id, coordinator.data, registered)

    register_new_devices()
    entry.async_on_unload(coordinator.async_add_listener(register_new_devices))
    if entry.options.get(OPTION_LIVE_FEED, True) and coordinator.generation is Generation.LOCALAPI:
        coordinator.live_feed = LiveFeed(hass, coordinator)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    if coordinator.live_feed is not None:
        coordinator.live_feed.start(entry)
    await async_start_energy_offer(hass, entry)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: PVSConfigEntry) -> bool:
    """Unload the platforms; the coordinator then logs out and closes its session."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: PVSConfigEntry) -> None:
    """Delete the entry's Energy dashboard offer and its energy ledger with it."""
    await async_remove_energy_offer(hass, entry.entry_id)
    await async_remove_energy_book(hass, entry.entry_id)


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: PVSConfigEntry, device_entry: dr.DeviceEntry
) -> bool:
    """Allow removing a device only when the PVS no longer reports it (e.g. a replaced inverter)."""
    if entry.state is not ConfigEntryState.LOADED:
        return False  # without data nothing tells current devices from stale ones
    data = entry.runtime_data.data
    serials = current_identities(data) | {site_identity(data)}
    return not any(
        domain == DOMAIN and identifier in serials
        for domain, identifier in device_entry.identifiers
    )
