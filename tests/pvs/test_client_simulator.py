"""The client against the in-process PVS simulator: both generations, faults, firmware change."""

from __future__ import annotations

import logging

import aiohttp
import pytest

from custom_components.sunpower_pvs.pvs import (
    Generation,
    MeterKind,
    PVSAuthError,
    PVSClient,
    PVSConnectionError,
    PVSProtocolError,
    PVSTimeoutError,
    derive_password,
)
from pvs_simulator import Simulator, SimulatorConfig
from pvs_simulator.sessions import SessionStore

from .conftest import FIXTURES, Site

pytestmark = pytest.mark.usefixtures("loopback")


def _library_log(caplog: pytest.LogCaptureFixture) -> str:
    """What the library itself logged (the simulator logs its own serial)."""
    return "\n".join(
        record.getMessage()
        for record in caplog.records
        if record.name.startswith("custom_components.sunpower_pvs.pvs")
    )


def _requests(sim: Simulator, endpoint: str) -> int:
    endpoints = sim.stats["endpoints"]
    assert isinstance(endpoints, dict)
    return int(endpoints.get(endpoint, {}).get("requests", 0))


async def test_legacy_unit_is_detected_and_polled(site: Site) -> None:
    async with site("legacy") as (sim, client):
        unit = await client.detect()
        assert unit.generation is Generation.LEGACY
        assert unit.serial == sim.serial
        assert unit.model == "PVS6"
        assert unit.build is not None
        assert unit.build < 61840

        data = await client.poll()
        assert data.generation is Generation.LEGACY
        assert data.supervisor.serial == sim.serial
        assert data.inverters
        assert {meter.kind for meter in data.meters.values()} == {
            MeterKind.PRODUCTION,
            MeterKind.CONSUMPTION,
        }
        assert all(i.state is not None for i in data.inverters.values())
        assert data.network is not None
        assert data.grid_profile is not None
        assert {"DeviceList", "Get_Comm", "GridProfileGet", "CheckFW"} <= set(
            client.last_raw_responses
        )
        # No ESS on this site, so no ESS status read.
        assert _requests(sim, "energy-storage-system/status") == 0


async def test_localapi_unit_logs_in_with_the_derived_password(site: Site) -> None:
    async with site("localapi") as (sim, client):
        unit = await client.detect()
        assert unit.generation is Generation.LOCALAPI
        assert unit.serial == sim.serial

        data = await client.poll()
        assert data.generation is Generation.LOCALAPI
        assert data.supervisor.serial == sim.serial
        assert data.inverters
        assert all(i.state is None for i in data.inverters.values())
        assert data.live is not None
        assert data.live.production_power_kw is not None
        assert _requests(sim, "auth?login") == 1
    # close() logged out.
    assert _requests(sim, "auth?logout") == 1


async def test_both_generations_yield_the_same_devices(site: Site) -> None:
    async with site("legacy", profile="typical") as (_sim, legacy_client):
        legacy = await legacy_client.poll()
    async with site("localapi", profile="typical") as (_sim, local_client):
        local = await local_client.poll()
    assert set(legacy.inverters) == set(local.inverters)
    assert set(legacy.meters) == set(local.meters)
    assert legacy.supervisor.serial == local.supervisor.serial


async def test_sunvault_site_reads_ess_status(site: Site) -> None:
    async with site("legacy", profile="sunvault") as (sim, client):
        data = await client.poll()
        assert _requests(sim, "energy-storage-system/status") == 1
        (storage,) = data.storage.values()
        assert storage.power_kw is not None
        assert data.batteries
        assert all(b.state_of_charge_pct is not None for b in data.batteries.values())


async def test_wrong_password_is_an_auth_error(
    site: Site, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with site("localapi", password="wrong-secret") as (_sim, client):
        await client.detect()
        with pytest.raises(PVSAuthError) as caught:
            await client.login()
        with pytest.raises(PVSAuthError):
            await client.poll()
    assert "wrong-secret" not in str(caught.value)
    assert "wrong-secret" not in _library_log(caplog)


async def test_session_expiry_mid_run_logs_in_again(
    site: Site, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with site("localapi") as (sim, client):
        await client.poll()
        sim.expire_sessions()
        data = await client.poll()
        assert data.inverters
        assert _requests(sim, "auth?login") == 2
        sim.advance(600)  # past the session lifetime
        await client.poll()
        assert _requests(sim, "auth?login") == 3
        password = derive_password(sim.serial)
    logged = _library_log(caplog)
    assert "login" in logged
    assert password not in logged
    assert "Cookie" not in logged
    assert "session=" not in logged


async def test_device_list_hang_times_out(site: Site) -> None:
    async with site("legacy", device_list_timeout=0.2) as (sim, client):
        await client.detect()
        sim.add_fault("hang,path=DeviceList")
        with pytest.raises(PVSTimeoutError, match="DeviceList"):
            await client.poll()
        assert (await client.poll()).inverters


async def test_a_hanging_auxiliary_read_costs_only_its_data(site: Site) -> None:
    async with site("legacy", request_timeout=0.2) as (sim, client):
        sim.add_fault("hang,path=Get_Comm")
        sim.add_fault("status=404,path=GridProfileGet")
        sim.add_fault("html,path=CheckFW")
        data = await client.poll()
        assert data.inverters
        assert data.network is None
        assert data.grid_profile is None
        assert data.firmware_update_url is None
        assert "Get_Comm" not in client.last_raw_responses


@pytest.mark.parametrize("status", [500, 503])
async def test_server_error_bursts_fail_polls_until_they_pass(site: Site, status: int) -> None:
    async with site("legacy") as (sim, client):
        await client.detect()
        sim.add_fault(f"status={status},count=3,path=DeviceList")
        for _ in range(3):
            with pytest.raises(PVSConnectionError, match=f"HTTP {status}"):
                await client.poll()
        assert (await client.poll()).inverters
        assert client.unit is not None
        assert client.unit.generation is Generation.LEGACY


@pytest.mark.parametrize(
    ("fault", "message"), [("truncate", "truncated or not JSON"), ("html", "HTML page")]
)
@pytest.mark.parametrize(("firmware", "endpoint"), [("legacy", "DeviceList"), ("localapi", "vars")])
async def test_broken_bodies_are_protocol_errors(
    site: Site, fault: str, message: str, firmware: str, endpoint: str
) -> None:
    async with site(firmware) as (sim, client):
        await client.login()
        sim.add_fault(f"{fault},path={endpoint}")
        with pytest.raises(PVSProtocolError, match=message):
            await client.poll()
        assert (await client.poll()).inverters


async def test_wedged_dl_cgi_403_is_not_mistaken_for_new_firmware(site: Site) -> None:
    async with site("legacy") as (sim, client):
        await client.detect()
        sim.add_fault("status=403,path=DeviceList")
        with pytest.raises(PVSConnectionError, match="HTTP 403"):
            await client.poll()
        assert client.unit is not None
        assert client.unit.generation is Generation.LEGACY


async def test_firmware_switch_from_legacy_to_localapi_between_polls(
    site: Site, caplog: pytest.LogCaptureFixture
) -> None:
    async with site("legacy") as (sim, client):
        first = await client.poll()
        assert first.generation is Generation.LEGACY
        sim.set_firmware("localapi")
        second = await client.poll()
        assert second.generation is Generation.LOCALAPI
        assert client.unit is not None
        assert client.unit.generation is Generation.LOCALAPI
        assert client.unit.build is not None
        assert client.unit.build >= 61840
        assert set(second.inverters) == set(first.inverters)
        assert "changed firmware generation" in caplog.text


async def test_https_with_a_self_signed_certificate() -> None:
    config = SimulatorConfig(profile="small", firmware="localapi", tls=True, speed=0.0)
    async with Simulator(config) as sim, aiohttp.ClientSession() as session:
        client = PVSClient(sim.host, session, request_timeout=2.0, min_query_interval=0.0)
        unit = await client.detect()
        assert unit.generation is Generation.LOCALAPI
        assert (await client.poll()).inverters
        await client.close()


async def test_a_localapi_poll_costs_at_most_three_requests_with_the_stream_live(
    site: Site,
) -> None:
    clock: list[float] = [0.0]
    async with site("localapi", clock=lambda: clock[0]) as (sim, client):
        await client.poll()  # detection, first login, flash wear
        live = (await client.poll()).live
        assert live is not None
        per_poll = []
        for _ in range(24):  # two hours on the PVS's 5-minute refresh
            sim.advance(300)
            clock[0] += 300
            before = client.request_count
            data = await client.poll(live=live)
            per_poll.append(client.request_count - before)
            assert data.live is live  # the stream's data, not read again
            assert "livedata" not in client.last_raw_responses
        # a new session before the old one runs out (one login each poll), never a 401
        assert max(per_poll) <= 3, per_poll
        endpoints = sim.stats["endpoints"]
        assert isinstance(endpoints, dict)
        assert all("401" not in entry["statuses"] for entry in endpoints.values())


async def test_a_session_shorter_than_assumed_is_learnt_after_one_refusal(site: Site) -> None:
    clock: list[float] = [0.0]
    async with site("localapi", clock=lambda: clock[0]) as (sim, client):
        await client.poll()
        await client.poll()
        sim.unit.sessions = SessionStore(sim.unit.clock, 150.0)
        await client.login()  # a session of the new, shorter kind
        logins = _requests(sim, "auth?login")
        sim.advance(200)
        clock[0] += 200
        assert (await client.poll()).inverters  # refused, logged in again: same poll
        assert _requests(sim, "auth?login") == logins + 1
        for _ in range(3):
            sim.advance(200)
            clock[0] += 200
            await client.poll()
        # from then on a new session comes first: no more refusals
        endpoints = sim.stats["endpoints"]
        assert isinstance(endpoints, dict)
        assert endpoints["vars"]["statuses"].get("401", 0) == 1


async def test_an_answer_repeated_byte_for_byte_gives_the_same_poll_data() -> None:
    # A published DeviceList served back unchanged (the simulator's own DeviceList changes
    # with every read: each leaves a trace in flash, dl_flash_avail).
    capture = FIXTURES / "devicelist-2025.06-b61839-smcneece-sample.json"
    config = SimulatorConfig(firmware="legacy", speed=0.0, latency=False, replay=(capture,))
    async with Simulator(config) as sim, aiohttp.ClientSession() as session:
        client = PVSClient(sim.host, session, min_query_interval=0.0)
        first = await client.poll()
        assert await client.poll() is first


@pytest.mark.parametrize("firmware", ["legacy", "localapi"])
async def test_a_new_answer_is_new_poll_data_with_unchanged_records_kept(
    site: Site, firmware: str
) -> None:
    async with site(firmware) as (sim, client):
        first = await client.poll()
        if firmware == "localapi":  # its answers repeat while the clock stands still
            assert await client.poll() is first
        # A moved clock is a new answer (DeviceList CURTIME, the gateway's uptime): new poll
        # data, but the records that did not change are the same objects.
        sim.advance(1)
        moved = await client.poll()
        assert moved is not first
        assert moved.inverters == first.inverters
        assert all(moved.inverters[s] is record for s, record in first.inverters.items())


async def test_a_broken_answer_after_a_good_one_is_still_an_error(site: Site) -> None:
    # What was kept from the last answer never stands in for a broken one.
    async with site("legacy") as (sim, client):
        first = await client.poll()
        sim.add_fault("truncate,path=DeviceList")
        with pytest.raises(PVSProtocolError):
            await client.poll()
        after = await client.poll()
        assert after.inverters == first.inverters
