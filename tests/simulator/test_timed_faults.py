"""Faults bounded in simulated time (``for=S``), vanished meters and batteries, meter glitches."""

from __future__ import annotations

import aiohttp
import pytest

from pvs_simulator import FaultSpecError, Simulator
from pvs_simulator.faults import parse_fault

from .conftest import MIDNIGHT_UTC, MakeSim, device_list, devices_of, get_json, login

HOUR_S = 3600
POLL_S = 300
POLLS_IN_AN_HOUR = HOUR_S // POLL_S
ESS_STATUS = "/cgi-bin/dl_cgi/energy-storage-system/status"
# What each firmware calls the meters' lifetime counters.
IMPORT_COUNTER = {"legacy": "pos_ltea_3phsum_kwh", "localapi": "posLtea3phsumKwh"}
NET_COUNTER = {"legacy": "net_ltea_3phsum_kwh", "localapi": "netLtea3phsumKwh"}


async def _meter(http: aiohttp.ClientSession, sim: Simulator, serial: str) -> dict[str, str] | None:
    """One meter's fields as this firmware reports them; None while it is missing."""
    if sim.unit.firmware == "legacy":
        meters = devices_of(await device_list(http, sim), "Power Meter")
        found = [meter for meter in meters if meter["SERIAL"] == serial]
        return {key: str(value) for key, value in found[0].items()} if found else None
    status, body = await get_json(http, f"http://{sim.host}/vars?match=/sys/devices/meter/&fmt=obj")
    assert status == 200
    assert isinstance(body, dict)
    by_index: dict[str, dict[str, str]] = {}
    for name, value in body.items():
        index, _, field = name.removeprefix("/sys/devices/meter/").partition("/")
        by_index.setdefault(index, {})[field] = str(value)
    return next((fields for fields in by_index.values() if fields["sn"] == serial), None)


@pytest.mark.parametrize("firmware", ["legacy", "localapi"])
async def test_a_meter_gone_for_an_hour_comes_back_with_the_energy_it_missed(
    make_sim: MakeSim, http: aiohttp.ClientSession, firmware: str
) -> None:
    sim = await make_sim(firmware=firmware, start=MIDNIGHT_UTC, session_ttl_s=1e9)
    if firmware == "localapi":
        await login(http, sim)
    serial = sim.unit.installation.consumption_meter
    assert serial is not None
    before = await _meter(http, sim, serial)
    assert before is not None
    sim.add_fault(f"vanish={serial},for={HOUR_S}")
    for _ in range(POLLS_IN_AN_HOUR):
        assert await _meter(http, sim, serial) is None
        sim.advance(POLL_S)
    after = await _meter(http, sim, serial)
    assert after is not None
    counter = IMPORT_COUNTER[firmware]
    truth = sim.unit.installation.import_base_kwh + sim.unit.site.meter_reading.totals.import_kwh
    assert float(after[counter]) == pytest.approx(truth, abs=0.01)
    assert float(after[counter]) - float(before[counter]) > 0.3  # an hour of night-time import
    assert sim.stats["faults"] == []


async def test_a_time_bounded_fault_shows_the_time_it_has_left_then_ends(
    make_sim: MakeSim,
) -> None:
    sim = await make_sim()
    sim.add_fault("status=500,path=DeviceList,for=3600")
    sim.add_fault("counter_zero=X,for=60")
    assert sim.stats["faults"] == ["status=500,path=DeviceList,for=3600", "counter_zero=X,for=60"]
    sim.advance(600)
    assert sim.stats["faults"] == ["status=500,path=DeviceList,for=3000"]


async def test_a_status_fault_for_an_hour_fails_every_battery_poll_in_it(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await make_sim(profile="sunvault")
    sim.add_fault(f"status=500,path=energy-storage-system/status,for={HOUR_S}")
    for _ in range(POLLS_IN_AN_HOUR):
        async with http.get(f"http://{sim.host}{ESS_STATUS}") as response:
            assert response.status == 500
        await device_list(http, sim)  # other endpoints answer as usual
        sim.advance(POLL_S)
    status, body = await get_json(http, f"http://{sim.host}{ESS_STATUS}")
    assert status == 200
    assert len(body["ess_report"]["battery_status"]) == 2  # type: ignore[index]


async def test_a_vanished_ess_on_legacy_leaves_the_battery_data_out_for_an_hour(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await make_sim(profile="sunvault")
    sim.add_fault(f"vanish={sim.unit.installation.ess_serial},for={HOUR_S}")
    storage = {"Energy Storage System", "Battery", "Storage Inverter", "ESS BMS", "ESS Hub"}
    for _ in range(POLLS_IN_AN_HOUR):
        status, body = await get_json(http, f"http://{sim.host}{ESS_STATUS}")
        assert status == 200
        report = body["ess_report"]  # type: ignore[index]
        parts = ("battery_status", "ess_status", "ess_state", "inverter_status")
        assert all(report[part] == [] for part in parts)
        assert report["hub_plus_status"]["contactor_position"] == "CLOSED"
        types = {device["DEVICE_TYPE"] for device in (await device_list(http, sim))["devices"]}  # type: ignore[attr-defined]
        assert not types & storage
        assert "HUB+" in types
        sim.advance(POLL_S)
    _, body = await get_json(http, f"http://{sim.host}{ESS_STATUS}")
    assert len(body["ess_report"]["battery_status"]) == 2  # type: ignore[index]
    assert len(devices_of(await device_list(http, sim), "Battery")) == 2


async def test_a_vanished_ess_on_localapi_takes_its_variables_and_live_battery_data(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await make_sim(
        profile="sunvault", firmware="localapi", start=MIDNIGHT_UTC, session_ttl_s=1e9
    )
    await login(http, sim)
    ess = f"http://{sim.host}/vars?match=/sys/devices/ess/&fmt=obj"
    live = f"http://{sim.host}/vars?match=/sys/livedata/&fmt=obj"
    _, first = await get_json(http, ess)
    assert isinstance(first, dict)
    sim.add_fault(f"vanish={sim.unit.installation.ess_serial},for={HOUR_S}")
    for _ in range(POLLS_IN_AN_HOUR):
        assert (await get_json(http, ess))[0] == 400  # nothing there
        _, values = await get_json(http, live)
        assert isinstance(values, dict)
        battery = ("ess_p", "ess_en", "soc", "backupTimeRemaining")
        assert {values[f"/sys/livedata/{key}"] for key in battery} == {"nan"}
        assert values["/sys/livedata/site_load_p"] != "nan"
        match = f"http://{sim.host}/vars?match=/sys/devices/transfer_switch/"
        assert (await get_json(http, match))[0] == 200
        sim.advance(POLL_S)
    _, after = await get_json(http, ess)
    assert isinstance(after, dict)
    discharged = "/sys/devices/ess/0/posLtea3phsumKwh"
    truth = 1200.0 + sim.unit.site.device_reading.totals.discharge_kwh
    assert float(after[discharged]) == pytest.approx(truth, abs=1e-5)
    assert float(after[discharged]) > float(first[discharged]) + 0.3  # the night went on


async def test_a_counted_vanish_is_used_up_by_a_query_for_that_device_alone(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await make_sim(profile="sunvault", firmware="localapi")
    await login(http, sim)
    sim.add_fault(f"vanish={sim.unit.installation.ess_serial},count=1")
    ess = f"http://{sim.host}/vars?match=/sys/devices/ess/"
    assert (await get_json(http, ess))[0] == 400
    assert (await get_json(http, ess))[0] == 200


@pytest.mark.parametrize("firmware", ["legacy", "localapi"])
async def test_production_meter_counter_jumps_and_zeros(
    make_sim: MakeSim, http: aiohttp.ClientSession, firmware: str
) -> None:
    sim = await make_sim(firmware=firmware)
    if firmware == "localapi":
        await login(http, sim)
    serial = sim.unit.installation.production_meter
    counter = NET_COUNTER[firmware]

    async def lifetime() -> float:
        meter = await _meter(http, sim, serial)
        assert meter is not None
        return float(meter[counter])

    normal = await lifetime()
    assert normal > 1000
    sim.add_fault(f"counter_jump={serial},kwh=1000000,count=1")
    assert await lifetime() == pytest.approx(normal + 1_000_000, abs=0.01)
    assert await lifetime() == pytest.approx(normal, abs=0.01)
    sim.add_fault(f"counter_zero={serial}")
    assert await lifetime() == 0
    assert await lifetime() == pytest.approx(normal, abs=0.01)


def test_time_bounded_faults_are_not_counted_unless_asked() -> None:
    assert parse_fault("status=503,for=60").remaining is None
    assert parse_fault("counter_zero=X,for=60").remaining is None
    assert parse_fault("hang,for=60,count=2").remaining == 2
    assert parse_fault("write_ignored,for=60").duration_s == 60


@pytest.mark.parametrize(
    "spec", ["vanish=X,for=0", "vanish=X,for=soon", "uploads_down,for=60", "reboot,for=5"]
)
def test_grammar_rejects_bad_durations(spec: str) -> None:
    with pytest.raises(FaultSpecError):
        parse_fault(spec)
