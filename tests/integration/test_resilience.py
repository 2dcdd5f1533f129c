"""One test per simulator fault: Home Assistant keeps running, entities follow the rules,
lifetime energies never drop, the log holds one line per outage edge, polling resumes."""

from __future__ import annotations

from datetime import timedelta
import logging
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.sunpower_pvs.const import DOMAIN
from custom_components.sunpower_pvs.coordinator import GRACE_FAILURES
from custom_components.sunpower_pvs.pvs import PVSAuthError, PVSClient
from pvs_simulator import SimulatorConfig

from .conftest import AFTERNOON
from .rig import Rig

OUTAGE_START = "Error fetching"
OUTAGE_END = "recovered"


LEGACY = SimulatorConfig(profile="small", firmware="legacy", speed=0.0, start=AFTERNOON, seed=1)
LOCALAPI = SimulatorConfig(profile="small", firmware="localapi", speed=0.0, start=AFTERNOON, seed=1)


def _edges(caplog: pytest.LogCaptureFixture) -> tuple[int, int]:
    messages = [
        record.getMessage()
        for record in caplog.records
        if record.name.startswith("custom_components.sunpower_pvs")
        and record.levelno >= logging.INFO
    ]
    return (
        sum(OUTAGE_START in message for message in messages),
        sum(OUTAGE_END in message for message in messages),
    )


# (fault, firmware, polls while it lasts, whether entities turn unavailable)
OUTAGES = [
    pytest.param("latency=DeviceList:2", LEGACY, 5, True, id="latency_beyond_timeout"),
    pytest.param("hang,count=4", LEGACY, 4, True, id="hang"),
    pytest.param("status=403,count=30", LEGACY, 5, True, id="403_burst"),
    pytest.param("status=500,count=30", LEGACY, 5, True, id="500_burst"),
    pytest.param("status=503,count=30", LOCALAPI, 5, True, id="503_burst"),
    pytest.param("reboot=600", LEGACY, 5, True, id="reboot"),
    pytest.param("truncate,count=1", LEGACY, 1, False, id="truncated_json"),
    pytest.param("html=502,count=1", LOCALAPI, 1, False, id="html_page"),
    pytest.param("status=500,count=2", LEGACY, 2, False, id="short_500_burst"),
]


@pytest.mark.parametrize(("fault", "sim_config", "polls", "goes_unavailable"), OUTAGES)
async def test_a_fault_is_ridden_out_and_polling_resumes(
    rig: Rig,
    caplog: pytest.LogCaptureFixture,
    fault: str,
    polls: int,
    goes_unavailable: bool,
) -> None:
    serial = min(rig.coordinator.data.inverters)
    rig.sim.add_fault(fault)
    seen: list[str] = []
    for _ in range(polls):
        await rig.poll()
        seen.append(rig.state("sensor", f"{serial}_power"))
    assert rig.outcomes[-polls:].count(False) >= min(polls, GRACE_FAILURES)
    # a failed poll or two keep the last values; only then do entities turn unavailable
    assert STATE_UNAVAILABLE not in seen[:GRACE_FAILURES]
    assert (STATE_UNAVAILABLE in seen) is goes_unavailable

    rig.sim.clear_faults()
    await rig.poll()  # the next step after the PVS answers again brings data
    assert rig.outcomes[-1] is True
    assert rig.state("sensor", f"{serial}_power") not in (STATE_UNAVAILABLE, STATE_UNKNOWN)
    assert rig.entry.state is ConfigEntryState.LOADED
    rig.assert_energies_never_drop()
    assert _edges(caplog) == ((1, 1) if goes_unavailable else (0, 0))


@pytest.mark.parametrize("sim_config", [LEGACY])
async def test_a_slow_pvs_is_waited_for(rig: Rig, caplog: pytest.LogCaptureFixture) -> None:
    rig.sim.add_fault("latency=DeviceList:0.2")
    for _ in range(3):
        await rig.poll()
    assert rig.outcomes[-3:] == [True, True, True]
    assert _edges(caplog) == (0, 0)


@pytest.mark.parametrize("sim_config", [LEGACY])
async def test_a_vanished_inverter_is_unavailable_and_others_are_not(rig: Rig) -> None:
    missing, present = sorted(rig.coordinator.data.inverters)[:2]
    rig.sim.add_fault(f"vanish={missing},count=2")
    await rig.poll()
    assert rig.state("sensor", f"{missing}_power") == STATE_UNAVAILABLE
    assert rig.state("sensor", f"{present}_power") not in (STATE_UNAVAILABLE, STATE_UNKNOWN)
    for _ in range(2):
        await rig.poll()
    assert rig.state("sensor", f"{missing}_power") != STATE_UNAVAILABLE
    rig.assert_energies_never_drop()


@pytest.mark.parametrize("sim_config", [LEGACY, LOCALAPI])
@pytest.mark.parametrize("glitch", ["counter_zero", "counter_drop", "counter_jump"])
async def test_a_counter_glitch_never_reaches_the_statistics(rig: Rig, glitch: str) -> None:
    serial = min(rig.coordinator.data.inverters)
    before = float(rig.state("sensor", f"{serial}_lifetime_energy"))
    solar = float(rig.state("sensor", f"{rig.sim.serial}_site_solar_energy"))
    rig.sim.add_fault(f"{glitch}={serial},count=1")
    await rig.poll()
    read = rig.coordinator.data.inverters[serial].lifetime_energy_kwh
    assert read is not None
    assert abs(read - before) > 1  # the PVS did send the glitch
    assert float(rig.state("sensor", f"{serial}_lifetime_energy")) == before
    # a 5 kWh jump of one panel does not reach the site's solar energy either
    assert float(rig.state("sensor", f"{rig.sim.serial}_site_solar_energy")) - solar < 1
    await rig.poll()
    assert float(rig.state("sensor", f"{serial}_lifetime_energy")) >= before
    rig.assert_energies_never_drop()


@pytest.mark.parametrize("sim_config", [LOCALAPI])
async def test_session_expiry_is_invisible(rig: Rig, caplog: pytest.LogCaptureFixture) -> None:
    logins = rig.sim.stats["endpoints"]["auth?login"]["requests"]  # type: ignore[index]
    rig.sim.add_fault("expire")
    await rig.poll()
    assert rig.outcomes[-1] is True
    assert rig.sim.stats["endpoints"]["auth?login"]["requests"] == logins + 1  # type: ignore[index]
    assert _edges(caplog) == (0, 0)


@pytest.mark.parametrize("sim_config", [LEGACY])
async def test_a_firmware_upgrade_mid_run_switches_and_tells_the_owner(
    hass: HomeAssistant, rig: Rig, issue_registry: ir.IssueRegistry
) -> None:
    rig.sim.add_fault("upgrade")
    await rig.poll()
    issue = issue_registry.async_get_issue(DOMAIN, f"{rig.entry.entry_id}_firmware_changed")
    assert issue is not None
    assert issue.translation_placeholders == {
        "old": "legacy",
        "new": "localapi",
        "title": rig.entry.title,
    }
    assert rig.entry.state is ConfigEntryState.LOADED
    assert rig.coordinator.generation is not None
    assert rig.coordinator.generation.value == "localapi"
    await rig.poll()
    assert rig.outcomes[-1] is True
    rig.assert_energies_never_drop()


@pytest.mark.parametrize("sim_config", [LEGACY])
async def test_a_long_outage_raises_a_repair_issue_that_clears(
    rig: Rig, issue_registry: ir.IssueRegistry
) -> None:
    issue_id = f"{rig.entry.entry_id}_unreachable"
    rig.sim.add_fault("reboot=3600")
    for _ in range(40):  # bounded: about 45 minutes of back-off
        await rig.poll()
        since = rig.coordinator.health.failing_since
        if since is not None and rig.clock.now - since > timedelta(minutes=31):
            break
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None, (rig.outcomes, rig.clock.now, rig.coordinator.health)
    assert issue.translation_key == "unreachable"
    for _ in range(40):
        if rig.outcomes[-1]:
            break
        await rig.poll()
    assert rig.outcomes[-1]
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
    rig.assert_energies_never_drop()


@pytest.mark.parametrize("sim_config", [LEGACY])
async def test_the_firmware_notice_is_dismissed_by_its_fix_flow(
    hass: HomeAssistant,
    rig: Rig,
    hass_client: ClientSessionGenerator,
    issue_registry: ir.IssueRegistry,
) -> None:
    assert await async_setup_component(hass, "repairs", {})
    rig.sim.add_fault("upgrade")
    await rig.poll()
    issue_id = f"{rig.entry.entry_id}_firmware_changed"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None
    client = await hass_client()
    response = await client.post(
        "/api/repairs/issues/fix", json={"handler": DOMAIN, "issue_id": issue_id}
    )
    flow = await response.json()
    assert flow["step_id"] == "confirm"
    response = await client.post(f"/api/repairs/issues/fix/{flow['flow_id']}")
    assert (await response.json())["type"] == "create_entry"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


@pytest.mark.parametrize("sim_config", [LOCALAPI])
async def test_a_password_refused_while_running_starts_reauth(
    hass: HomeAssistant, rig: Rig
) -> None:
    with patch.object(PVSClient, "poll", side_effect=PVSAuthError("login refused")):
        await rig.poll()
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert rig.coordinator.health.last_error == "auth"
