"""The SunPower PVS integration: set up, unload and clean up a config entry."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PASSWORD, EVENT_HOMEASSISTANT_CLOSE, Platform
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryNotReady, HomeAssistantError
from homeassistant.helpers import device_registry as dr

from .connection import create_client, create_session
from .const import CONF_NAME_TAG, DOMAIN, OPTION_LIVE_FEED
from .coordinator import PollCoordinator
from .devices import DeviceRegistrar
from .energy_offer_issue import async_remove_energy_offer, async_start_energy_offer
from .health_monitor import HealthMonitor
from .identity import current_identities, site_identity
from .live import LiveFeed
from .memory import entry_memory, forget_entry
from .runtime import PVSConfigEntry, PVSRuntime
from .site_energy import EnergyCoordinator, async_remove_energy_store
from .site_power import SitePowerCoordinator

PLATFORMS = [Platform.BINARY_SENSOR, Platform.NUMBER, Platform.SELECT, Platform.SENSOR]


async def async_setup_entry(hass: HomeAssistant, entry: PVSConfigEntry) -> bool:
    """Connect to the PVS, fetch the first data and set up the platforms."""
    session = create_session(hass)
    client = create_client(session, entry.data[CONF_HOST], entry.data.get(CONF_PASSWORD))

    async def release() -> None:
        await client.close()
        session.detach()

    @callback
    def detach_on_close(_event: Event) -> None:
        # Config entries stay loaded when Home Assistant stops: close the session then too.
        session.detach()

    entry.async_on_unload(hass.bus.async_listen_once(EVENT_HOMEASSISTANT_CLOSE, detach_on_close))
    poll = PollCoordinator(hass, entry, client)
    energy = EnergyCoordinator(hass, entry, poll)
    health = HealthMonitor(hass, entry, poll)
    memory = entry_memory(hass, entry.entry_id)
    memory.health, memory.setup_error = poll.health, None
    await energy.async_load()
    try:
        await poll.async_config_entry_first_refresh()
    except ConfigEntryNotReady as err:
        memory.unit, memory.setup_error = client.unit, str(err.__cause__ or err)
        health.clear()
        await release()
        cause = err.__cause__
        if isinstance(cause, HomeAssistantError) and cause.translation_key:
            # Show the owner why (away, timeout, another unit) instead of a bare "not ready".
            raise ConfigEntryNotReady(
                translation_domain=DOMAIN,
                translation_key=cause.translation_key,
                translation_placeholders=cause.translation_placeholders,
            ) from cause
        raise
    except Exception as err:
        memory.unit, memory.setup_error = client.unit, str(err)
        health.clear()
        await release()
        raise
    memory.unit = client.unit
    site_power = SitePowerCoordinator(hass, entry, poll, lambda: energy.ledger.grid_orientation)
    runtime = PVSRuntime(
        client=client,
        session=session,
        poll=poll,
        energy=energy,
        site_power=site_power,
        health=health,
    )
    unit = client.unit
    if entry.options.get(OPTION_LIVE_FEED, True) and unit and unit.capabilities.live_data:
        runtime.live_feed = LiveFeed(
            client,
            session,
            publish=site_power.push_live,
            latest=lambda: site_power.live,
            struggling=lambda: poll.health.consecutive_failures > 0,
        )
        poll.stream_live = runtime.live_feed.stream_live
    entry.runtime_data = runtime

    async def shutdown() -> None:
        health.clear()
        await energy.async_save()
        await release()

    entry.async_on_unload(shutdown)
    registrar = DeviceRegistrar(hass, entry.entry_id, entry.data.get(CONF_NAME_TAG))
    registrar.register(poll.data)
    entry.async_on_unload(poll.async_add_listener(lambda: registrar.register(poll.data)))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    if runtime.live_feed is not None:
        runtime.live_feed.start(hass, entry)
    await async_start_energy_offer(hass, entry, poll.data.supervisor.serial)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: PVSConfigEntry) -> bool:
    """Unload the platforms; the entry's unload callbacks then save, log out and close."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: PVSConfigEntry) -> None:
    """Delete the entry's Energy dashboard offer and its energy store with it."""
    await async_remove_energy_offer(hass, entry.entry_id)
    await async_remove_energy_store(hass, entry.entry_id)
    forget_entry(hass, entry.entry_id)


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: PVSConfigEntry, device_entry: dr.DeviceEntry
) -> bool:
    """Allow removing a device only when the PVS no longer reports it (e.g. a replaced inverter)."""
    if entry.state is not ConfigEntryState.LOADED:
        return False  # without data nothing tells current devices from stale ones
    runtime = entry.runtime_data
    data = runtime.poll.data
    current = current_identities(data) | {site_identity(data.supervisor.serial)}
    ours = {identifier for domain, identifier in device_entry.identifiers if domain == DOMAIN}
    if ours & current:
        return False
    for identifier in ours:  # a replaced inverter's repair goes with its device
        runtime.health.forget(identifier)
    return True
