"""Every fault kind, from the in-process API, the control endpoint and the grammar."""

from __future__ import annotations

import asyncio
import json
import time

import aiohttp
import pytest

from pvs_simulator import FaultSpecError
from pvs_simulator.faults import parse_fault

from .conftest import MakeSim, device_list, devices_of, get_json, login

DEVICE_LIST = "/cgi-bin/dl_cgi?Command=DeviceList"


async def test_status_bursts_then_recovery(make_sim: MakeSim, http: aiohttp.ClientSession) -> None:
    sim = await make_sim(faults=("status=503,count=2",))
    for _ in range(2):
        async with http.get(f"http://{sim.host}{DEVICE_LIST}") as response:
            assert response.status == 503
            assert "No server is available" in await response.text()
    sim.add_fault("status=403")
    status, body = await get_json(http, f"http://{sim.host}{DEVICE_LIST}")
    assert (status, body) == (403, {"status": 403, "error": "Unauthorized", "path": ""})
    sim.add_fault("status=500,path=supervisor/info")
    assert (await get_json(http, f"http://{sim.host}{DEVICE_LIST}"))[0] == 200
    async with http.get(f"http://{sim.host}/cgi-bin/dl_cgi/supervisor/info") as response:
        assert response.status == 500
        assert response.content_type == "text/html"


async def test_truncate_and_html(make_sim: MakeSim, http: aiohttp.ClientSession) -> None:
    sim = await make_sim(faults=("truncate", "html"))
    async with http.get(f"http://{sim.host}{DEVICE_LIST}") as response:
        assert response.status == 200
        with pytest.raises(json.JSONDecodeError):
            json.loads(await response.text())
    async with http.get(f"http://{sim.host}{DEVICE_LIST}") as response:
        assert response.status == 200
        assert response.content_type == "text/html"
    await device_list(http, sim)


async def test_latency_and_hang(make_sim: MakeSim, http: aiohttp.ClientSession) -> None:
    sim = await make_sim(faults=("latency=DeviceList:0.3",))
    started = time.monotonic()
    await device_list(http, sim)
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    await get_json(http, f"http://{sim.host}/cgi-bin/dl_cgi/supervisor/info")
    assert time.monotonic() - started < 0.3
    sim.add_fault("hang")
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.3):
            await http.get(f"http://{sim.host}/cgi-bin/dl_cgi/supervisor/info")


async def test_reboot_refuses_then_restarts_uptime(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await make_sim()
    await device_list(http, sim)
    sim.add_fault("reboot=600")
    with pytest.raises(aiohttp.ClientConnectionError):
        await http.get(f"http://{sim.host}{DEVICE_LIST}")
    sim.advance(599)
    with pytest.raises(aiohttp.ClientConnectionError):
        await http.get(f"http://{sim.host}{DEVICE_LIST}")
    sim.advance(1)
    pvs = devices_of(await device_list(http, sim), "PVS")[0]
    assert int(str(pvs["dl_uptime"])) < 5


async def test_vanish_and_counter_glitches(make_sim: MakeSim, http: aiohttp.ClientSession) -> None:
    sim = await make_sim()
    inverter = devices_of(await device_list(http, sim), "Inverter")[0]
    serial, lifetime = str(inverter["SERIAL"]), float(str(inverter["ltea_3phsum_kwh"]))
    sim.add_fault(f"counter_zero={serial}")
    assert _inverter(await device_list(http, sim), serial)["ltea_3phsum_kwh"] == "0"
    assert float(str(_inverter(await device_list(http, sim), serial)["ltea_3phsum_kwh"])) == (
        pytest.approx(lifetime)
    )
    sim.add_fault(f"counter_drop={serial},kwh=10")
    dropped = float(str(_inverter(await device_list(http, sim), serial)["ltea_3phsum_kwh"]))
    assert dropped == pytest.approx(lifetime - 10, abs=0.01)
    sim.add_fault(f"vanish={serial},count=2")
    for _ in range(2):
        assert serial not in json.dumps(await device_list(http, sim))
    assert _inverter(await device_list(http, sim), serial)
    meter = devices_of(await device_list(http, sim), "Power Meter")[1]["SERIAL"]
    sim.add_fault(f"vanish={meter}")
    for _ in range(3):
        assert len(devices_of(await device_list(http, sim), "Power Meter")) == 1
    sim.add_fault("clear")
    assert len(devices_of(await device_list(http, sim), "Power Meter")) == 2


async def test_glitches_on_varserver(make_sim: MakeSim, http: aiohttp.ClientSession) -> None:
    sim = await make_sim(firmware="localapi")
    await login(http, sim)
    _, body = await get_json(http, f"http://{sim.host}/vars?match=/meter/0/&fmt=obj")
    assert isinstance(body, dict)
    sim.add_fault(f"counter_zero={body['/sys/devices/meter/0/sn']}")
    _, body = await get_json(http, f"http://{sim.host}/vars?match=/meter/0/&fmt=obj")
    assert body["/sys/devices/meter/0/netLtea3phsumKwh"] == "0.000000"  # type: ignore[index]


async def test_varserver_glitch_hits_inverters_and_waits_for_a_device_query(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await make_sim(firmware="localapi")
    await login(http, sim)
    inverter = f"http://{sim.host}/vars?match=/inverter/0/&fmt=obj"
    _, body = await get_json(http, inverter)
    assert isinstance(body, dict)
    sim.add_fault(f"counter_zero={body['/sys/devices/inverter/0/sn']},count=1")
    await get_json(http, f"http://{sim.host}/vars?match=/sys/info/&fmt=obj")  # not a device read
    _, body = await get_json(http, inverter)
    assert body["/sys/devices/inverter/0/ltea3phsumKwh"] == "0.000000"  # type: ignore[index]
    _, body = await get_json(http, inverter)
    assert body["/sys/devices/inverter/0/ltea3phsumKwh"] != "0.000000"  # type: ignore[index]


async def test_upgrade_while_running(make_sim: MakeSim, http: aiohttp.ClientSession) -> None:
    sim = await make_sim()
    await device_list(http, sim)
    sim.add_fault("upgrade=600")
    with pytest.raises(aiohttp.ClientConnectionError):
        await http.get(f"http://{sim.host}{DEVICE_LIST}")
    sim.advance(600)
    assert (await get_json(http, f"http://{sim.host}{DEVICE_LIST}"))[0] == 403
    await login(http, sim)
    sim.add_fault("expire")
    assert (await get_json(http, f"http://{sim.host}/vars?match=livedata"))[0] == 401


async def test_uploads_down_grows_untransmitted(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await make_sim(faults=("uploads_down",))
    before = int(str(devices_of(await device_list(http, sim), "PVS")[0]["dl_untransmitted"]))
    sim.advance(3600)
    after = int(str(devices_of(await device_list(http, sim), "PVS")[0]["dl_untransmitted"]))
    assert after > before


async def test_control_endpoint(make_sim: MakeSim, http: aiohttp.ClientSession) -> None:
    sim = await make_sim()
    async with http.post(f"http://{sim.host}/_sim/fault", params={"spec": "status=500"}) as reply:
        assert reply.status == 200
        assert (await reply.json())["faults"] == ["status=500,count=1"]
    async with http.post(f"http://{sim.host}/_sim/fault", data="bogus") as reply:
        assert reply.status == 400
    async with http.get(f"http://{sim.host}{DEVICE_LIST}") as response:
        assert response.status == 500
    async with http.post(f"http://{sim.host}/_sim/advance?seconds=60") as reply:
        assert (await reply.json())["simulated_time"] == sim.now.isoformat()
    async with http.post(f"http://{sim.host}/_sim/firmware?to=localapi") as reply:
        assert reply.status == 200
    assert (await get_json(http, f"http://{sim.host}{DEVICE_LIST}"))[0] == 403


@pytest.mark.parametrize(
    "spec", ["nonsense", "status=200", "status=503,count=0", "latency=x", "vanish", "hang,bad=1"]
)
def test_grammar_rejects(spec: str) -> None:
    with pytest.raises(FaultSpecError):
        parse_fault(spec)


def _inverter(body: dict[str, object], serial: str) -> dict[str, object]:
    return next(d for d in devices_of(body, "Inverter") if d["SERIAL"] == serial)


async def test_replaced_inverter_starts_a_new_counter(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await make_sim()
    before = {str(d["SERIAL"]) for d in devices_of(await device_list(http, sim), "Inverter")}
    serial = min(before)
    sim.add_fault(f"replace={serial}")
    sim.advance(3600)
    after = {str(d["SERIAL"]): d for d in devices_of(await device_list(http, sim), "Inverter")}
    (new,) = set(after) - before
    assert serial not in after
    assert len(after) == len(before)
    # An hour of afternoon sun on one of 24 panels: a fraction of a kWh since it was fitted.
    assert 0 < float(str(after[new]["ltea_3phsum_kwh"])) < 1.0
    with pytest.raises(FaultSpecError):
        sim.add_fault("replace")


async def test_import_counter_and_missing_production_ct(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    normal = devices_of(await device_list(http, await make_sim()), "Power Meter")
    swapped = devices_of(
        await device_list(http, await make_sim(import_counter="negative", production_ct=False)),
        "Power Meter",
    )
    assert normal[1]["pos_ltea_3phsum_kwh"] == swapped[1]["neg_ltea_3phsum_kwh"]
    assert normal[1]["neg_ltea_3phsum_kwh"] == swapped[1]["pos_ltea_3phsum_kwh"]
    assert float(str(normal[1]["p_3phsum_kw"])) == -float(str(swapped[1]["p_3phsum_kw"]))
    assert float(str(normal[0]["net_ltea_3phsum_kwh"])) > 1000
    assert float(str(swapped[0]["net_ltea_3phsum_kwh"])) == 0
    assert float(str(swapped[0]["p_3phsum_kw"])) == 0
