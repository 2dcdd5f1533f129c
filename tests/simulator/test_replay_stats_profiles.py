"""Replay of every published capture, statistics, site profiles, TLS and the command line."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
import json
from pathlib import Path
import re
import ssl
import sys

import aiohttp
from cryptography import x509
import pytest

from pvs_simulator.__main__ import parse_args
from pvs_simulator.latency import device_seconds
from pvs_simulator.profiles import PROFILES

from .conftest import FIXTURES, MakeSim, basic_auth, device_list, devices_of, get_json, login

CAPTURES = sorted(
    path
    for path in FIXTURES.glob("*.json")
    if path.name.startswith(("devicelist-", "device-fragments-", "sungazer-", "varserver-"))
)
SAVED = {path.name: json.loads(path.read_text()) for path in CAPTURES}
COMMAND_OF = {
    "sungazer-CheckFW.json": "CheckFW",
    "sungazer-Get_Comm.json": "Get_Comm",
    "sungazer-GridProfileGet.json": "GridProfileGet",
    "sungazer-GridProfileRefresh.json": "GridProfileRefresh",
    "sungazer-Stop.json": "Stop",
}


def test_all_published_captures_are_fixtures() -> None:
    assert len(CAPTURES) == 20


@pytest.mark.parametrize("capture", CAPTURES, ids=lambda path: path.name)
async def test_replay_serves_capture_unchanged(
    capture: Path, make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    saved = SAVED[capture.name]
    sim = await make_sim(replay=(capture,))
    base = f"http://{sim.host}"
    if capture.name.startswith("varserver-"):
        await login(http, sim)
        as_object = "values" not in saved
        names = list(saved) if as_object else [entry["name"] for entry in saved["values"]]
        query = f"name={','.join(names)}{'&fmt=obj' if as_object else ''}"
        status, body = await get_json(http, f"{base}/vars?{query}")
    elif capture.name == "sungazer-Start.json":
        status, body = await get_json(http, f"{base}/cgi-bin/dl_cgi/supervisor/info")
    elif capture.name in COMMAND_OF:
        command = COMMAND_OF[capture.name]
        status, body = await get_json(http, f"{base}/cgi-bin/dl_cgi?Command={command}")
    else:
        status, body = await get_json(http, f"{base}/cgi-bin/dl_cgi?Command=DeviceList")
    assert status == 200
    assert body == saved


async def test_replayed_varserver_dump_answers_an_identity_it_lacks(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    capture = FIXTURES / "varserver-2025.10-b61846-meter-1.json"
    sim = await make_sim(replay=(capture,), firmware="localapi")
    status, body = await get_json(http, f"http://{sim.host}/vars?name=/sys/info/serialnum&fmt=obj")
    assert (status, body) == (200, {"/sys/info/serialnum": sim.serial})
    await login(http, sim)
    _, meters = await get_json(http, f"http://{sim.host}/vars?match=meter/1/sn&fmt=obj")
    assert meters == {"/sys/devices/meter/1/sn": "SERIAL_REDACTED"}


async def test_replayed_device_list_keeps_its_serial_and_build(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    capture = FIXTURES / "devicelist-2024.2-b61640-krbaker-sample.json"
    sim = await make_sim(replay=(capture,))
    assert sim.serial == "ZT204485000549A0321"
    _, info = await get_json(http, f"http://{sim.host}/cgi-bin/dl_cgi/supervisor/info")
    assert info["supervisor"]["BUILD"] == 61640  # type: ignore[index]


async def test_stats_count_requests_bytes_and_config_commands(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await make_sim()
    body = await device_list(http, sim)
    await device_list(http, sim)
    await get_json(http, f"http://{sim.host}/cgi-bin/dl_cgi?Command=Get_Comm")
    assert sim.stats["config_commands"] == []
    status, start = await get_json(http, f"http://{sim.host}/cgi-bin/dl_cgi?Command=Start")
    assert start["result"] == "succeed"  # type: ignore[index]
    async with http.post(f"http://{sim.host}/cgi-bin/dl_cgi/network/settings", json={}) as reply:
        assert reply.status == 200
    status, stats = await get_json(http, f"http://{sim.host}/_sim/stats")
    assert status == 200
    assert isinstance(stats, dict)
    endpoints = stats["endpoints"]
    assert endpoints["DeviceList"]["requests"] == 2
    assert endpoints["DeviceList"]["bytes"] >= 2 * len(json.dumps(body))
    assert endpoints["Get_Comm"] == {
        "requests": 1,
        "bytes": pytest.approx(1500, rel=0.5),
        "statuses": {"200": 1},
    }
    assert stats["config_commands"] == [
        "GET Command=Start",
        "POST /cgi-bin/dl_cgi/network/settings",
    ]
    assert "_sim/stats" not in endpoints
    assert sim.stats["requests"] == stats["requests"] == 5


@pytest.mark.parametrize("name", sorted(PROFILES))
async def test_profiles(name: str, make_sim: MakeSim, http: aiohttp.ClientSession) -> None:
    sim = await make_sim(profile=name)
    profile = PROFILES[name]
    body = await device_list(http, sim)
    assert body["result"] == "succeed"
    assert len(devices_of(body, "Inverter")) == profile.inverters
    meters = devices_of(body, "Power Meter")
    assert meters[0]["TYPE"] == "PVS5-METER-P"
    assert len(meters) == (2 if profile.consumption else 1)
    if profile.consumption and profile.model == "PVS6":
        assert meters[1]["subtype"] == profile.consumption
    assert ("pos_ltea_3phsum_kwh" in meters[-1]) == bool(profile.consumption and profile.pos_ltea)
    _, info = await get_json(http, f"http://{sim.host}/cgi-bin/dl_cgi/supervisor/info")
    supervisor = info["supervisor"]  # type: ignore[index]
    assert ("BUILD" in supervisor) == (profile.model == "PVS6")
    assert re.search(r"Build \d+", supervisor["SWVER"])
    types = {d["DEVICE_TYPE"] for d in body["devices"]}  # type: ignore[attr-defined]
    ess_types = {
        "HUB+",
        "ESS Hub",
        "PV Disconnect",
        "Gateway",
        "Storage Inverter",
        "ESS BMS",
        "Battery",
        "Energy Storage System",
    }
    assert (ess_types <= types) == profile.ess
    async with http.get(f"http://{sim.host}/cgi-bin/dl_cgi/energy-storage-system/status") as reply:
        assert (reply.status == 200) == profile.ess
    if profile.ess:
        _, ess = await get_json(
            http, f"http://{sim.host}/cgi-bin/dl_cgi/energy-storage-system/status"
        )
        assert len(devices_of(body, "Battery")) == 2
        report = ess["ess_report"]  # type: ignore[index]
        assert report["battery_status"][0]["battery_voltage"]["unit"] == "V"


async def test_sunvault_localapi_has_ess_and_transfer_switch(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await make_sim(profile="sunvault", firmware="localapi")
    await login(http, sim)
    for kind in ("ess", "transfer_switch"):
        status, body = await get_json(http, f"http://{sim.host}/vars?match=/{kind}/0/&fmt=obj")
        assert status == 200
        assert f"/sys/devices/{kind}/0/sn" in body  # type: ignore[operator]


async def test_pvs5_localapi_has_no_telemetry(make_sim: MakeSim) -> None:
    sim = await make_sim(profile="pvs5", firmware="localapi")
    assert sim.telemetry_port is None


def test_large_site_device_list_is_slower() -> None:
    import random

    typical = device_seconds("DeviceList", PROFILES["typical"], match=False, rng=random.Random(1))
    large = device_seconds("DeviceList", PROFILES["large"], match=False, rng=random.Random(1))
    assert 6 <= typical <= 10
    assert large > 2 * typical


async def test_built_in_latency_scales_with_speed(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await make_sim(latency=True, speed=100.0)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await device_list(http, sim)
    assert 0.05 <= loop.time() - started < 2


async def test_tls_self_signed(make_sim: MakeSim, http: aiohttp.ClientSession) -> None:
    sim = await make_sim(tls=True, firmware="localapi")
    async with http.get(
        f"https://{sim.host}/auth?login",
        ssl=False,
        headers=basic_auth(sim.serial),
    ) as response:
        assert response.status == 200
        assert "Secure" in response.headers["Set-Cookie"]
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    host, port = sim.host.split(":")
    _, writer = await asyncio.open_connection(host, int(port), ssl=context)
    der = writer.get_extra_info("ssl_object").getpeercert(binary_form=True)
    writer.close()
    await writer.wait_closed()
    certificate = x509.load_der_x509_certificate(der)
    # Self-signed, like a real PVS: a client must accept it rather than verify it.
    assert certificate.issuer == certificate.subject


def test_command_line_arguments() -> None:
    config = parse_args(
        [
            "--profile",
            "sunvault",
            "--firmware",
            "localapi",
            "--speed",
            "60",
            "--start",
            "2026-06-21T12:00:00",
            "--fault",
            "status=503,count=3",
            "--port",
            "0",
        ]
    )
    assert (config.profile, config.firmware, config.speed, config.port) == (
        "sunvault",
        "localapi",
        60.0,
        0,
    )
    assert config.start.isoformat() == "2026-06-21T12:00:00+00:00"
    assert config.faults == ("status=503,count=3",)
    assert config.latency
    with pytest.raises(SystemExit):
        parse_args(["--fault", "explode"])


def test_command_line_starts_now_or_at_an_iso_time() -> None:
    before = datetime.now(UTC)
    start = parse_args(["--start", "now"]).start
    assert start.tzinfo == UTC
    assert before <= start <= datetime.now(UTC)
    offset = parse_args(["--start", "2026-06-21T12:00:00-07:00"]).start
    assert offset.astimezone(UTC).isoformat() == "2026-06-21T19:00:00+00:00"
    with pytest.raises(SystemExit):
        parse_args(["--start", "tomorrow"])


def test_command_line_help_shows_the_fault_grammar(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parse_args(["--help"])
    shown = capsys.readouterr().out
    assert "ISO-TIME|now" in shown
    assert all(term in shown for term in ("for=S", "write_ignored", "vars?set", "vanish=SERIAL"))


async def test_command_line_serves_and_stops_on_sigterm() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "pvs_simulator",
        "--port",
        "0",
        "--telemetry-port",
        "0",
        "--no-latency",
        stderr=asyncio.subprocess.PIPE,
        cwd=Path(__file__).parents[2],
    )
    try:
        assert process.stderr is not None
        async with asyncio.timeout(15):
            while True:
                line = await process.stderr.readline()
                # at end of output readline returns at once: fail instead of spinning
                assert line, "the simulator exited before it served"
                if match := re.search(rb"http://(\S+)", line):
                    break
        async with aiohttp.ClientSession() as http:
            url = f"http://{match.group(1).decode()}/cgi-bin/dl_cgi?Command=DeviceList"
            async with http.get(url) as response:
                assert response.status == 200
        process.terminate()
        async with asyncio.timeout(10):
            assert await process.wait() == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def test_medium_site_has_100_inverters_on_both_generations(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    """The 100-inverter site the benchmark measures between typical (24) and large (300)."""
    assert PROFILES["medium"].inverters == 100
    sim = await make_sim(profile="medium", firmware="localapi")
    await login(http, sim)
    status, body = await get_json(
        http, f"http://{sim.host}/vars?match=/sys/devices/inverter/&fmt=obj"
    )
    assert status == 200
    serials = {v for k, v in body.items() if k.endswith("/sn")}  # type: ignore[union-attr]
    assert len(serials) == 100
