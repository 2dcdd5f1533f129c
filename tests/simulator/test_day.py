"""A simulated day: energies integrate the powers, meters agree, night looks like night."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import itertools
import re

import aiohttp
import pytest

from .conftest import MIDNIGHT_UTC, MakeSim, device_list, devices_of, get_json, login

DAY_S = 24 * 3600
POLL_S = 300


async def test_energy_deltas_match_integral_of_power_over_a_day(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await make_sim(start=MIDNIGHT_UTC)
    samples: list[tuple[float, float, float, float]] = []
    for _ in range(DAY_S // POLL_S + 1):
        body = await device_list(http, sim)
        meter = devices_of(body, "Power Meter")[0]
        inverters = devices_of(body, "Inverter")
        samples.append(
            (
                float(str(meter["net_ltea_3phsum_kwh"])),
                float(str(meter["p_3phsum_kw"])),
                sum(float(str(i.get("ltea_3phsum_kwh", "nan"))) for i in inverters[:1]),
                sum(float(str(i.get("p_3phsum_kw", 0))) for i in inverters[:1]),
            )
        )
        sim.advance(POLL_S)
    hours = POLL_S / 3600
    for energy_index, power_index in ((0, 1), (2, 3)):
        delta_sum = samples[-1][energy_index] - samples[0][energy_index]
        integral = sum(
            (a[power_index] + b[power_index]) / 2 * hours for a, b in itertools.pairwise(samples)
        )
        assert delta_sum > 1.0
        assert abs(delta_sum - integral) / integral < 0.01, (delta_sum, integral)


async def test_meters_agree_with_inverters_load_and_battery(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await make_sim(firmware="localapi", profile="sunvault", session_ttl_s=1e9)
    await login(http, sim)
    for _ in range(8):
        sim.advance(POLL_S)
        _, live = await get_json(http, f"http://{sim.host}/vars?match=livedata&fmt=obj")
        assert isinstance(live, dict)
        value = {key.rpartition("/")[2]: float(v) for key, v in live.items()}
        assert value["net_p"] == _close(value["site_load_p"] - value["pv_p"] - value["ess_p"])
        assert value["site_load_en"] == _close(value["pv_en"] + value["net_en"] + value["ess_en"])
        assert 0 <= value["soc"] <= 1
        _, meters = await get_json(http, f"http://{sim.host}/vars?match=/meter/&fmt=obj")
        _, inverters = await get_json(http, f"http://{sim.host}/vars?match=p3phsumKw&fmt=obj")
        assert isinstance(meters, dict)
        assert isinstance(inverters, dict)
        inverter_sum = sum(float(v) for k, v in inverters.items() if "/inverter/" in k)
        production = float(meters["/sys/devices/meter/0/p3phsumKw"])
        assert production == _close(inverter_sum, 0.01)
        pos = float(meters["/sys/devices/meter/1/posLtea3phsumKwh"])
        neg = float(meters["/sys/devices/meter/1/negLtea3phsumKwh"])
        net = float(meters["/sys/devices/meter/1/netLtea3phsumKwh"])
        assert net == _close(pos - neg, 0.001)


async def test_import_counter_grows_at_night_and_export_does_not(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await make_sim(start=MIDNIGHT_UTC)
    before = devices_of(await device_list(http, sim), "Power Meter")[1]
    sim.advance(3 * 3600)
    after = devices_of(await device_list(http, sim), "Power Meter")[1]
    assert float(str(after["pos_ltea_3phsum_kwh"])) > float(str(before["pos_ltea_3phsum_kwh"]))
    assert after["neg_ltea_3phsum_kwh"] == before["neg_ltea_3phsum_kwh"]


async def test_night_inverters_in_error_some_without_measurements(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await make_sim(start=MIDNIGHT_UTC)
    inverters = devices_of(await device_list(http, sim), "Inverter")
    assert {i["STATE"] for i in inverters} == {"error"}
    bare = [i for i in inverters if "ltea_3phsum_kwh" not in i]
    stale = [i for i in inverters if "ltea_3phsum_kwh" in i]
    assert bare
    assert stale
    assert all(i["p_3phsum_kw"] == "0" for i in stale)
    # DATATIME stays at the last daylight refresh, hours before CURTIME.
    for inverter in inverters:
        age = _dl_time(inverter["CURTIME"]) - _dl_time(inverter["DATATIME"])
        assert age > timedelta(hours=1)


async def test_night_inverters_leave_the_varserver(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await make_sim(start=MIDNIGHT_UTC, firmware="localapi")
    await login(http, sim)
    status, body = await get_json(http, f"http://{sim.host}/vars?match=/sys/devices/inverter/")
    assert status == 400
    assert body == {"status": 400, "description": "Bad Request"}
    sim.advance(10 * 3600)  # mid-morning; the session has long expired
    http.cookie_jar.clear()
    await login(http, sim)
    status, _ = await get_json(http, f"http://{sim.host}/vars?match=/sys/devices/inverter/")
    assert status == 200


async def test_device_values_refresh_every_five_minutes(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await make_sim()
    first = devices_of(await device_list(http, sim), "Inverter")[0]
    sim.advance(120)
    second = devices_of(await device_list(http, sim), "Inverter")[0]
    sim.advance(180)
    third = devices_of(await device_list(http, sim), "Inverter")[0]
    assert first["DATATIME"] == second["DATATIME"]
    assert first["p_3phsum_kw"] == second["p_3phsum_kw"]
    assert third["DATATIME"] != second["DATATIME"]
    assert third["ltea_3phsum_kwh"] != second["ltea_3phsum_kwh"]
    assert re.fullmatch(r"\d{4},\d\d,\d\d,\d\d,\d\d,\d\d", str(third["CURTIME"]))


async def test_uptime_counts_and_flash_shrinks_with_device_lists(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await make_sim()
    first = devices_of(await device_list(http, sim), "PVS")[0]
    for _ in range(4):
        await device_list(http, sim)
    sim.advance(600)
    last = devices_of(await device_list(http, sim), "PVS")[0]
    assert int(str(last["dl_uptime"])) == int(str(first["dl_uptime"])) + 600
    assert int(str(last["dl_flash_avail"])) < int(str(first["dl_flash_avail"]))
    assert last["SWVER"] == "2025.06, Build 61839"


def _close(expected: float, tolerance: float = 1e-5) -> object:
    return pytest.approx(expected, abs=tolerance)


def _dl_time(text: object) -> datetime:
    return datetime.strptime(str(text), "%Y,%m,%d,%H,%M,%S").replace(tzinfo=UTC)
