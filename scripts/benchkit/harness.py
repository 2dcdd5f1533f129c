"""A real Home Assistant core for one run, with the integration's entry set up in it.

The core is the test harness's ``async_test_home_assistant`` (custom integrations enabled) on
a config folder of its own, so the integration's store is really written. Its timers run on
the event loop's clock; between refreshes the bench moves them the way Home Assistant's tests
do, with ``async_fire_time_changed``; each refresh is started by running the poll
coordinator's own timer.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest.mock import patch

from aiohttp import ThreadedResolver
from homeassistant import loader
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped]
    MockConfigEntry,
    async_fire_time_changed,
    async_test_home_assistant,
)

from .adapter import DOMAIN, Integration


def _plain_resolver(_hass: HomeAssistant) -> ThreadedResolver:
    """A resolver Home Assistant can close at stop (it calls ``real_close`` on its own)."""
    resolver = ThreadedResolver()
    resolver.real_close = resolver.close  # type: ignore[attr-defined]
    return resolver


@asynccontextmanager
async def home_assistant(config_dir: Path) -> AsyncIterator[HomeAssistant]:
    """A running core with custom integrations enabled, its config folder ``config_dir``."""
    # No zeroconf (nor network integration) in this bare core: a plain resolver will do,
    # the PVS is addressed by IP.
    with patch(
        "homeassistant.helpers.aiohttp_client._async_make_resolver", side_effect=_plain_resolver
    ):
        async with async_test_home_assistant(config_dir=str(config_dir)) as hass:
            hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
            try:
                yield hass
            finally:
                await hass.async_stop(force=True)


@contextmanager
def utcnow_from(clock: Callable[[], datetime]) -> Iterator[None]:
    """Home Assistant's ``dt_util.utcnow`` reads ``clock`` (the run's simulated time).

    As Home Assistant's test plugin does before freezegun moves it; freezegun itself would
    also fake ``time.time`` and ``time.monotonic``, which the state machine and the event
    loop call on every write, and add its own cost to every measured refresh.
    """
    with patch("homeassistant.util.dt.utcnow", clock):
        yield


async def settle(hass: HomeAssistant) -> None:
    """Until every task Home Assistant has (background tasks and executor jobs too) is done."""
    await hass.async_block_till_done(wait_background_tasks=True)


def fire_timers(hass: HomeAssistant, seconds: float) -> None:
    """Run every timer due within ``seconds`` from now, as if that much time had passed."""
    async_fire_time_changed(hass, datetime.now(UTC) + timedelta(seconds=seconds))


def run_refresh_timer(poll: DataUpdateCoordinator[Any]) -> None:
    """Run the poll coordinator's own refresh timer now, as the event loop does when it is due.

    Only this timer: ``async_fire_time_changed`` would run every timer due by then, each
    under two ``unittest.mock`` patches (about 2 ms a refresh here, none of it the
    integration's); the others run between refreshes.
    """
    cancel = poll._unsub_refresh
    handle = getattr(cancel, "__self__", None)
    if not isinstance(handle, asyncio.TimerHandle) or handle.cancelled():
        raise RuntimeError("the poll coordinator has no refresh scheduled")
    handle._run()
    handle.cancel()


async def add_entry(
    hass: HomeAssistant, integration: Integration, host: str, serial: str
) -> ConfigEntry:
    """Add and set up an entry for the PVS at ``host``, the live feed off."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="PVS",
        unique_id=serial,
        data={CONF_HOST: host},
        options={integration.live_feed_option: False},
    )
    entry.add_to_hass(hass)
    if not await hass.config_entries.async_setup(entry.entry_id):
        raise RuntimeError(f"setup failed: {entry.state}")
    await settle(hass)
    added: ConfigEntry = entry
    return added


def entity_entries(hass: HomeAssistant, entry: ConfigEntry) -> list[er.RegistryEntry]:
    """The entry's entities, as registered."""
    return er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)


async def remove_entry(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Unload the entry (its unload saves the store once more)."""
    await hass.config_entries.async_unload(entry.entry_id)
    await settle(hass)
