"""What a unit can do is known from its detection, not from model strings at each use."""

from __future__ import annotations

import pytest

from custom_components.sunpower_pvs.pvs import (
    Capabilities,
    Generation,
    UnitInfo,
    capabilities_of,
    model_family,
)

from .conftest import Site


@pytest.mark.parametrize(
    ("model", "family"),
    [("PVS6", "PVS6"), ("PV Supervisor PVS6 ", "PVS6"), ("pvs5", "PVS5"), (None, "PVS")],
)
def test_the_family_is_read_from_the_model_name(model: str | None, family: str) -> None:
    assert model_family(model) == family


def test_legacy_firmware_has_device_state_and_the_network_view_only() -> None:
    assert capabilities_of(Generation.LEGACY, "PVS6") == Capabilities(
        device_state=True, network_view=True
    )


def test_localapi_has_live_data_and_control_and_the_pvs6_its_stream_and_flash_wear() -> None:
    pvs6 = capabilities_of(Generation.LOCALAPI, "PVS6")
    pvs5 = capabilities_of(Generation.LOCALAPI, "PVS5")
    assert pvs6 == Capabilities(
        live_data=True, telemetry_stream=True, flash_wear=True, ess_control=True
    )
    assert pvs5 == Capabilities(live_data=True, ess_control=True)
    unit = UnitInfo(generation=Generation.LOCALAPI, serial="ZT1", model="PVS6")
    assert unit.family == "PVS6"
    assert unit.capabilities == pvs6


@pytest.mark.usefixtures("loopback")
@pytest.mark.parametrize(("firmware", "profile"), [("localapi", "typical"), ("localapi", "pvs5")])
async def test_detection_and_the_first_poll_settle_the_capabilities(
    site: Site, firmware: str, profile: str
) -> None:
    async with site(firmware=firmware, profile=profile) as (_sim, client):
        await client.poll()
        unit = client.unit
        assert unit is not None
        assert unit.capabilities.telemetry_stream is (profile != "pvs5")
        assert unit.capabilities.live_data
