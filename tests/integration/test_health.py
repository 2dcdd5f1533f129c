"""Conditions worth a repair issue: when they are raised and when they clear."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest

from custom_components.sunpower_pvs.const import DOMAIN
from custom_components.sunpower_pvs.health import HealthWatch, PollHealth
from custom_components.sunpower_pvs.pvs import Generation, Inverter, PVSData, Supervisor
from pvs_simulator import SimulatorConfig

from .rig import AFTERNOON, Rig

NOON = datetime(2026, 6, 21, 19, 0, tzinfo=UTC)


def _data(now: datetime, *, inverters: dict[str, float | None], **supervisor: object) -> PVSData:
    return PVSData(
        generation=Generation.LEGACY,
        supervisor=Supervisor(serial="ZT1", device_type="PVS", **supervisor),  # type: ignore[arg-type]
        inverters={
            serial: Inverter(serial=serial, device_type="Inverter", state="working", power_kw=power)
            for serial, power in inverters.items()
        },
        device_time=now,
    )


def test_flash_low_and_worn_are_findings_while_true() -> None:
    watch = HealthWatch()
    watch.observe(_data(NOON, inverters={}, flash_available_kib=4096.0, flash_wear_pct=72.0))
    assert set(watch.findings(PollHealth(), NOON)) == {"flash_low", "flash_wear"}
    watch.observe(_data(NOON, inverters={}, flash_available_kib=60000.0, flash_wear_pct=50.0))
    assert watch.findings(PollHealth(), NOON) == {}


def test_an_upload_backlog_counts_only_after_a_day_of_growth() -> None:
    watch = HealthWatch()
    for hour in range(25):
        now = NOON + timedelta(hours=hour)
        watch.observe(_data(now, inverters={}, untransmitted_records=100 + hour))
        found = "upload_backlog" in watch.findings(PollHealth(), now)
        assert found is (hour >= 24)
    watch.observe(_data(NOON + timedelta(hours=25), inverters={}, untransmitted_records=3))
    assert watch.findings(PollHealth(), NOON) == {}


def test_a_microinverter_silent_in_daylight_for_a_day_is_named() -> None:
    watch = HealthWatch()
    for hour in range(25):
        now = NOON + timedelta(hours=hour)
        daylight = hour % 24 < 8
        watch.observe(
            _data(
                now,
                inverters={
                    "E1": 0.3 if daylight else 0.0,
                    "E2": 0.0,
                    "E3": 0.3 if daylight else 0.0,
                },
            )
        )
    findings = watch.findings(PollHealth(), NOON)
    assert set(findings) == {"inverter_silent_E2"}
    assert findings["inverter_silent_E2"].placeholders == {"serial": "E2"}
    watch.observe(_data(NOON + timedelta(hours=25), inverters={"E1": 0.3, "E2": 0.2, "E3": 0.3}))
    assert watch.findings(PollHealth(), NOON) == {}


def test_an_unreachable_pvs_is_a_finding_after_thirty_minutes() -> None:
    health = PollHealth()
    health.failed(NOON, "timeout")
    assert HealthWatch().findings(health, NOON + timedelta(minutes=29)) == {}
    assert "unreachable" in HealthWatch().findings(health, NOON + timedelta(minutes=30))
    health.succeeded(NOON + timedelta(minutes=31), 1.0)
    assert HealthWatch().findings(health, NOON + timedelta(minutes=31)) == {}


@pytest.mark.parametrize(
    "sim_config",
    [SimulatorConfig(profile="small", firmware="legacy", speed=0.0, start=AFTERNOON, seed=1)],
)
async def test_uploads_down_for_a_day_raises_the_backlog_issue(
    hass: HomeAssistant, rig: Rig, issue_registry: ir.IssueRegistry
) -> None:
    issue_id = f"{rig.entry.entry_id}_upload_backlog"
    rig.sim.add_fault("uploads_down")
    started = rig.sim.now
    while rig.sim.now - started < timedelta(hours=23):
        await rig.poll()
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
    while rig.sim.now - started < timedelta(hours=25):
        await rig.poll()
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "upload_backlog"


def test_an_inverter_missing_in_daylight_for_a_day_is_named_gone_until_its_device_goes() -> None:
    """A replaced unit drops out of the list for good: it is gone, not silent."""
    watch = HealthWatch()
    for hour in range(26):  # gone from hour 1: a day later at hour 25
        now = NOON + timedelta(hours=hour)
        daylight = hour % 24 < 8
        inverters = {"E1": 0.3 if daylight else 0.0, "E3": 0.3 if daylight else 0.0}
        if hour == 0:
            inverters["E2"] = 0.3
        elif daylight:
            inverters["E4"] = 0.3  # its replacement
        watch.observe(_data(now, inverters=inverters))
    findings = watch.findings(PollHealth(), NOON)
    assert set(findings) == {"inverter_gone_E2"}
    assert findings["inverter_gone_E2"].translation_key == "inverter_gone"
    watch.forget("E2")  # the owner deleted its device
    assert watch.findings(PollHealth(), NOON) == {}
