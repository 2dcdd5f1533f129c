"""SunVault settings on LocalAPI: reading and writing them, and the battery following them."""

from __future__ import annotations

import asyncio
import itertools
import time

import aiohttp
import pytest

from pvs_simulator import EssControl, Simulator
from pvs_simulator.battery import customer_soc
from pvs_simulator.site import Reading, Totals
from pvs_simulator.sun import local_hour

from .conftest import MIDNIGHT_UTC, MakeSim, get_json, login

MODE = "/ess/config/dcm/mode_param/control_mode"
RESERVE = "/ess/config/dcm/control_param/min_customer_soc"
OP_MODE = "/sys/devices/ess/0/opMode"
BAD_REQUEST = {"status": 400, "description": "Bad Request"}
POLL_S = 300
DAY_S = 24 * 3600


async def _storage_site(
    make_sim: MakeSim, http: aiohttp.ClientSession, **config: object
) -> Simulator:
    sim = await make_sim(profile="sunvault", firmware="localapi", session_ttl_s=1e9, **config)
    await login(http, sim)
    return sim


async def _set(
    http: aiohttp.ClientSession, sim: Simulator, name: str, value: str
) -> tuple[int, object]:
    return await get_json(http, f"http://{sim.host}/vars?set={name}={value}")


async def _read(http: aiohttp.ClientSession, sim: Simulator, name: str) -> object:
    """One variable's value, read the way clients read device data."""
    status, body = await get_json(http, f"http://{sim.host}/vars?name={name}&fmt=obj")
    assert status == 200
    assert isinstance(body, dict)
    return body[name]


def _values(*pairs: tuple[str, str]) -> dict[str, object]:
    """The varserver's list form."""
    return {
        "values": [{"name": name, "value": value} for name, value in pairs],
        "count": len(pairs),
    }


def _run(sim: Simulator, seconds: int) -> list[Reading]:
    """The site every five simulated minutes."""
    readings = []
    for _ in range(seconds // POLL_S):
        sim.advance(POLL_S)
        readings.append(sim.unit.site.live)
    return readings


async def _day_in_mode(
    make_sim: MakeSim, http: aiohttp.ClientSession, mode: str
) -> tuple[Simulator, Totals, list[Reading]]:
    """A storage site whose mode was written at noon, the totals then, and the day after."""
    sim = await _storage_site(make_sim, http)
    assert (await _set(http, sim, MODE, mode))[0] == 200
    return sim, sim.unit.site.live.totals, _run(sim, DAY_S)


def _balance_kwh(totals: Totals) -> float:
    """What comes in minus what goes out: solar + import + discharge - home - export - charge."""
    sources = totals.pv_kwh + totals.import_kwh + totals.discharge_kwh
    return sources - totals.load_kwh - totals.export_kwh - totals.charge_kwh


async def test_both_settings_read_in_list_and_object_form_and_by_match(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await _storage_site(make_sim, http)
    defaults = _values((MODE, "SELF_CONSUMPTION"), (RESERVE, "0.30"))
    assert await get_json(http, f"http://{sim.host}/vars?name={MODE},{RESERVE}") == (200, defaults)
    both = {MODE: "SELF_CONSUMPTION", RESERVE: "0.30"}
    assert await get_json(http, f"http://{sim.host}/vars?name={MODE},{RESERVE}&fmt=obj") == (
        200,
        both,
    )
    assert await get_json(http, f"http://{sim.host}/vars?match=/ess/config/&fmt=obj") == (200, both)
    http.cookie_jar.clear()
    assert (await get_json(http, f"http://{sim.host}/vars?name={MODE}"))[0] == 401


async def test_a_write_answers_the_new_value_and_the_battery_takes_it(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await _storage_site(make_sim, http)
    assert await _set(http, sim, MODE, "BACKUP_ONLY") == (200, _values((MODE, "BACKUP_ONLY")))
    assert await _set(http, sim, RESERVE, "0.5") == (200, _values((RESERVE, "0.50")))
    assert sim.ess_control == EssControl("BACKUP_ONLY", 0.5)
    _, both = await get_json(http, f"http://{sim.host}/vars?name={MODE},{RESERVE}&fmt=obj")
    assert both == {MODE: "BACKUP_ONLY", RESERVE: "0.50"}
    async with http.post(f"http://{sim.host}/vars", data=f"set={MODE}=STANDBY") as reply:
        assert await reply.json() == _values((MODE, "STANDBY"))
    endpoints = sim.stats["endpoints"]
    assert isinstance(endpoints, dict)
    assert (endpoints["vars?set"]["requests"], endpoints["vars"]["requests"]) == (3, 1)
    assert sim.stats["config_commands"] == [
        f"set {MODE}=BACKUP_ONLY",
        f"set {RESERVE}=0.5",
        f"set {MODE}=STANDBY",
    ]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        (MODE, "TURBO"),
        (MODE, "backup_only"),
        (RESERVE, "1.5"),
        (RESERVE, "-0.1"),
        (RESERVE, "lots"),
        (RESERVE, "nan"),
        ("/ess/config/dcm/control_param/max_customer_soc", "0.9"),
    ],
)
async def test_a_refused_write_answers_400_and_changes_nothing(
    make_sim: MakeSim, http: aiohttp.ClientSession, name: str, value: str
) -> None:
    sim = await _storage_site(make_sim, http)
    assert await _set(http, sim, name, value) == (400, BAD_REQUEST)
    assert sim.ess_control == EssControl("SELF_CONSUMPTION", 0.30)


async def test_a_write_needs_a_valid_session(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await make_sim(profile="sunvault", firmware="localapi", session_ttl_s=300.0)
    assert (await _set(http, sim, MODE, "STANDBY"))[0] == 401
    await login(http, sim)
    sim.advance(301)
    assert (await _set(http, sim, MODE, "STANDBY"))[0] == 401
    assert sim.ess_control == EssControl()


async def test_write_ignored_answers_the_old_value_once(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await _storage_site(make_sim, http)
    sim.add_fault("write_ignored")
    assert await _set(http, sim, MODE, "STANDBY") == (200, _values((MODE, "SELF_CONSUMPTION")))
    assert sim.ess_control == EssControl()
    assert await _set(http, sim, MODE, "STANDBY") == (200, _values((MODE, "STANDBY")))


async def test_write_ignored_for_one_variable_lets_the_others_through(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await _storage_site(make_sim, http)
    sim.add_fault(f"write_ignored={RESERVE},count=2")
    assert await _set(http, sim, "/sys/telemetryws/enable", "1") == (
        200,
        _values(("/sys/telemetryws/enable", "1")),
    )
    assert await _set(http, sim, RESERVE, "0.8") == (200, _values((RESERVE, "0.30")))
    assert sim.ess_control == EssControl()


async def test_slow_failed_and_hung_writes_leave_reads_alone(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await _storage_site(make_sim, http, faults=("latency=vars?set:0.3",))
    started = time.monotonic()
    await _set(http, sim, MODE, "STANDBY")
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    await get_json(http, f"http://{sim.host}/vars?name={MODE}")
    assert time.monotonic() - started < 0.3
    sim.add_fault("clear")
    sim.add_fault("status=500,path=vars?set")
    async with http.get(f"http://{sim.host}/vars?set={MODE}=BACKUP_ONLY") as response:
        assert response.status == 500
    sim.add_fault("hang,path=vars?set")
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.3):
            await http.get(f"http://{sim.host}/vars?set={MODE}=BACKUP_ONLY")
    assert await _read(http, sim, MODE) == "STANDBY"


async def test_legacy_and_pv_only_sites_have_no_settings_to_read_or_write(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    legacy = await make_sim(profile="sunvault", firmware="legacy")
    assert (await get_json(http, f"http://{legacy.host}/vars?name={MODE},{RESERVE}"))[0] == 404
    pv_only = await make_sim(profile="typical", firmware="localapi")
    await login(http, pv_only)
    assert await get_json(http, f"http://{pv_only.host}/vars?match=/ess/config/") == (
        400,
        BAD_REQUEST,
    )
    assert await _set(http, pv_only, MODE, "STANDBY") == (400, BAD_REQUEST)
    assert pv_only.ess_control is None
    with pytest.raises(ValueError, match="no battery"):
        pv_only.set_ess_control(mode="STANDBY")


async def test_the_app_changes_the_mode_on_legacy_too(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await make_sim(profile="sunvault", firmware="legacy")
    sim.set_ess_control(mode="BACKUP_ONLY", reserve=0.5)
    sim.advance(POLL_S)
    _, body = await get_json(http, f"http://{sim.host}/cgi-bin/dl_cgi/energy-storage-system/status")
    assert body["ess_report"]["ess_state"][0]["operational_mode"] == "BACKUP_ONLY"  # type: ignore[index]
    with pytest.raises(ValueError, match="reserve"):
        sim.set_ess_control(reserve=1.2)
    assert sim.ess_control == EssControl("BACKUP_ONLY", 0.5)


async def test_the_control_endpoint_reads_and_changes_the_settings(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await make_sim(profile="sunvault")
    url = f"http://{sim.host}/_sim/ess"
    async with http.post(url, params={"mode": "STANDBY", "reserve": "0.4"}) as reply:
        assert (reply.status, await reply.json()) == (200, {"mode": "STANDBY", "reserve": 0.4})
    assert await get_json(http, url) == (200, {"mode": "STANDBY", "reserve": 0.4})
    async with http.post(url, params={"mode": "TURBO"}) as reply:
        assert reply.status == 400
        assert "unknown mode" in (await reply.json())["error"]
    pv_only = await make_sim(profile="typical")
    assert (await get_json(http, f"http://{pv_only.host}/_sim/ess"))[0] == 404


@pytest.mark.parametrize("mode", ["SELF_CONSUMPTION", "BACKUP_ONLY", "STANDBY", "ENERGY_ARBITRAGE"])
async def test_every_mode_keeps_the_energy_balance_and_the_charge_in_bounds(
    make_sim: MakeSim, mode: str
) -> None:
    sim = await make_sim(profile="sunvault")
    sim.set_ess_control(mode=mode, reserve=0.4)
    readings = _run(sim, DAY_S)
    for before, after in itertools.pairwise(readings):
        assert _balance_kwh(after.totals) == pytest.approx(0.0, abs=1e-6)
        assert 0.0 <= after.totals.soc <= 1.0
        if after.totals.discharge_kwh > before.totals.discharge_kwh + 1e-9:
            assert customer_soc(after.totals.soc) >= 0.4 - 1e-9  # never below the reserve


async def test_backup_only_holds_its_charge_and_charges_from_surplus(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim, start, readings = await _day_in_mode(make_sim, http, "BACKUP_ONLY")
    assert all(reading.flows.ess_kw <= 0 for reading in readings)
    assert readings[-1].totals.discharge_kwh == start.discharge_kwh
    assert readings[-1].totals.charge_kwh > start.charge_kwh + 1.0
    assert await _read(http, sim, OP_MODE) == "BACKUP_ONLY"


async def test_standby_neither_charges_nor_discharges(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim, start, readings = await _day_in_mode(make_sim, http, "STANDBY")
    assert {reading.flows.ess_kw for reading in readings} == {0.0}
    end = readings[-1].totals
    assert (end.charge_kwh, end.discharge_kwh, end.soc) == (
        start.charge_kwh,
        start.discharge_kwh,
        start.soc,
    )
    assert await _read(http, sim, "/sys/livedata/ess_p") == "0.000000"


async def test_self_consumption_covers_the_night_down_to_the_reserve_and_not_below(
    make_sim: MakeSim,
) -> None:
    sim = await make_sim(profile="sunvault", start=MIDNIGHT_UTC)
    night = _run(sim, 3 * 3600)
    assert night[0].flows.ess_kw > 0  # the house runs on the battery
    assert min(customer_soc(reading.totals.soc) for reading in night) >= 0.30 - 1e-9
    assert customer_soc(night[-1].totals.soc) == pytest.approx(0.30, abs=0.005)
    assert night[-1].flows.ess_kw == pytest.approx(0.0, abs=0.05)


async def test_a_reserve_of_zero_from_the_start_empties_the_battery_every_night(
    make_sim: MakeSim,
) -> None:
    sim = await make_sim(profile="sunvault", start=MIDNIGHT_UTC, ess_control=EssControl(reserve=0))
    night = _run(sim, 5 * 3600)
    assert min(customer_soc(reading.totals.soc) for reading in night) < 0.02


async def test_a_lower_reserve_lets_the_discharge_go_on_and_a_higher_one_stops_it(
    make_sim: MakeSim,
) -> None:
    sim = await make_sim(profile="sunvault", start=MIDNIGHT_UTC)
    _run(sim, 3 * 3600)  # down to the default 30 %
    sim.set_ess_control(reserve=0.10)
    later = _run(sim, 2 * 3600)
    socs = [customer_soc(reading.totals.soc) for reading in later]
    assert min(socs) < 0.2
    assert min(socs) >= 0.10 - 1e-9
    sim.set_ess_control(reserve=0.9)
    assert sim.unit.site.live.flows.ess_kw == 0.0  # at once, not at the next refresh
    assert all(reading.flows.ess_kw <= 0 for reading in _run(sim, 3600))


async def test_energy_arbitrage_covers_the_house_only_in_the_evening_peak(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await _storage_site(make_sim, http)
    await _set(http, sim, MODE, "ENERGY_ARBITRAGE")
    op_modes: set[object] = set()
    readings = []
    for _ in range(DAY_S // POLL_S):
        sim.advance(POLL_S)
        readings.append(sim.unit.site.live)
        op_modes.add(await _read(http, sim, OP_MODE))
    discharging = [reading for reading in readings if reading.flows.ess_kw > 0]
    assert len(discharging) > 12  # more than an hour of it
    assert all(16 <= local_hour(reading.epoch) < 21 for reading in discharging)
    assert op_modes == {"ENERGY_ARBITRAGE", "TARIFF_OPTIMIZER"}  # full in the afternoon
