"""Every entity of every platform, per simulated site and per real capture (syrupy snapshots)."""

from __future__ import annotations

from collections.abc import Iterator
import itertools
from pathlib import Path
from types import SimpleNamespace
from unittest.mock import patch

from homeassistant.const import CONF_HOST, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, snapshot_platform
from syrupy.assertion import SnapshotAssertion

from custom_components.sunpower_pvs.const import DOMAIN
from pvs_simulator import Simulator, SimulatorConfig

from .conftest import AFTERNOON

FIXTURES = Path(__file__).parent.parent / "fixtures"
PROFILES = ["small", "typical", "lineside", "pvs5", "sunvault"]
FIRMWARES = ["legacy", "localapi"]
# Each a unit as owners captured it: a DeviceList alone, or the /vars answers of one firmware.
REPLAYS = {
    "krbaker-2024.2": ("devicelist-2024.2-b61640-krbaker-sample.json",),
    "smcneece-2025.06": ("devicelist-2025.06-b61839-smcneece-sample.json",),
    "sungazer-2025.06": ("devicelist-2025.06-b61839-sungazer-raw.json",),
    "varserver-flat-2025.10": (
        "varserver-2025.10-b61846-meter-1.json",
        "varserver-2025.09-b61845-inverter20-1.json",
        "varserver-2025.06-b61840-livedata-ess-1.json",
        "varserver-2025.06-b61840-values-rev-1.json",
    ),
    "varserver-nested-2025.06": (
        "varserver-2025.06-b61840-meter-data-nested-1.json",
        "varserver-2025.06-b61840-inverter-data-nested-1.json",
        "varserver-2025.06-b61840-rev-obj-1.json",
    ),
}


@pytest.fixture(autouse=True)
def steady_clock() -> Iterator[None]:
    """Poll durations of exactly one second, so snapshots do not depend on the machine."""
    ticks = itertools.count()
    # a replayed dump without live data has no PVS clock: the poll time is Home Assistant's
    clock = SimpleNamespace(utcnow=lambda: AFTERNOON)
    with (
        patch("custom_components.sunpower_pvs.coordinator.monotonic", lambda: float(next(ticks))),
        patch("custom_components.sunpower_pvs.coordinator.dt_util", clock),
    ):
        yield


async def _set_up(hass: HomeAssistant, sim: Simulator) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="SunPower PVS",
        unique_id=sim.serial,
        data={CONF_HOST: sim.host},
        entry_id="01PVSENTRY",
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize("firmware", FIRMWARES)
@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("platform", [Platform.SENSOR, Platform.BINARY_SENSOR])
async def test_simulated_sites(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    profile: str,
    firmware: str,
    platform: Platform,
) -> None:
    config = SimulatorConfig(profile=profile, firmware=firmware, speed=0.0, start=AFTERNOON, seed=1)
    async with Simulator(config) as sim:
        with pytest.MonkeyPatch.context() as patcher:
            patcher.setattr("custom_components.sunpower_pvs.PLATFORMS", [platform])
            entry = await _set_up(hass, sim)
        if platform is Platform.BINARY_SENSOR and firmware == "localapi":
            # No per-device STATE, relays, fan or network view on LocalAPI: nothing binary.
            assert er.async_entries_for_config_entry(entity_registry, entry.entry_id) == []
        else:
            await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)
        assert await hass.config_entries.async_unload(entry.entry_id)


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize("capture", REPLAYS)
@pytest.mark.parametrize("platform", [Platform.SENSOR, Platform.BINARY_SENSOR])
async def test_real_captures(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    capture: str,
    platform: Platform,
) -> None:
    files = tuple(FIXTURES / name for name in REPLAYS[capture])
    async with Simulator(SimulatorConfig(speed=0.0, replay=files)) as sim:
        with pytest.MonkeyPatch.context() as patcher:
            patcher.setattr("custom_components.sunpower_pvs.PLATFORMS", [platform])
            entry = await _set_up(hass, sim)
        if platform is Platform.BINARY_SENSOR and capture.startswith("varserver"):
            assert er.async_entries_for_config_entry(entity_registry, entry.entry_id) == []
        else:
            await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)
        assert await hass.config_entries.async_unload(entry.entry_id)


@pytest.mark.parametrize("firmware", FIRMWARES)
async def test_large_site(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    firmware: str,
) -> None:
    """300 inverters: every one has its entities with values; a compact snapshot of all."""
    config = SimulatorConfig(profile="large", firmware=firmware, speed=0.0, start=AFTERNOON, seed=1)
    async with Simulator(config) as sim:
        entry = await _set_up(hass, sim)
        inverters = entry.runtime_data.poll.data.inverters
        assert len(inverters) == 300
        for serial in inverters:
            entity_id = entity_registry.async_get_entity_id("sensor", DOMAIN, f"{serial}_power")
            assert entity_id is not None
            state = hass.states.get(entity_id)
            assert state is not None
            assert float(state.state) > 0
        # One line per entity keeps the snapshot of 3000 entities readable.
        compact = {
            item.entity_id: " | ".join(
                (
                    state.state if (state := hass.states.get(item.entity_id)) else "disabled",
                    str(item.unit_of_measurement or ""),
                    str(item.original_device_class or ""),
                )
            )
            for item in er.async_entries_for_config_entry(entity_registry, entry.entry_id)
        }
        assert dict(sorted(compact.items())) == snapshot
        assert await hass.config_entries.async_unload(entry.entry_id)
