"""LocalAPI: login, sessions, the varserver query rules, telemetry."""

from __future__ import annotations

import aiohttp

from .conftest import MakeSim, basic_auth, get_json, login

SERIAL_VAR = "/sys/info/serialnum"


async def test_login_logout_and_bad_password(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await make_sim(firmware="localapi")
    url = f"http://{sim.host}/auth?login"
    async with http.get(url, headers=basic_auth(sim.serial, "wrong")) as response:
        assert response.status == 401
        assert await response.json() == {"status": 401, "description": "Unauthorized"}
    session = await login(http, sim)
    assert len(session) == 64
    status, _ = await get_json(http, f"http://{sim.host}/vars?match=livedata")
    assert status == 200
    async with http.get(f"http://{sim.host}/auth?logout") as response:
        assert response.status == 204
    status, _ = await get_json(http, f"http://{sim.host}/vars?match=livedata")
    assert status == 401


async def test_session_expires_on_simulated_clock_and_stale_cookie_fails_public_reads(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await make_sim(firmware="localapi", session_ttl_s=300.0)
    public = f"http://{sim.host}/vars?name={SERIAL_VAR}"
    assert (await get_json(http, public))[0] == 200  # no cookie: public read is fine
    await login(http, sim)
    sim.advance(299)
    assert (await get_json(http, f"http://{sim.host}/vars?match=livedata"))[0] == 200
    sim.advance(2)
    assert (await get_json(http, f"http://{sim.host}/vars?match=livedata"))[0] == 401
    status, body = await get_json(http, public)
    assert (status, body) == (401, {"status": 401, "description": "Unauthorized"})
    http.cookie_jar.clear()
    assert (await get_json(http, public))[0] == 200
    await login(http, sim)
    sim.expire_sessions()
    assert (await get_json(http, public))[0] == 401


async def test_empty_result_is_400_and_queries_are_literal(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await make_sim(firmware="localapi")
    await login(http, sim)
    status, body = await get_json(http, f"http://{sim.host}/vars?match=/sys/devices/ess/")
    assert (status, body) == (400, {"status": 400, "description": "Bad Request"})
    url = aiohttp.client.URL(f"http://{sim.host}/vars?name=%2Fsys%2Finfo%2Fserialnum", encoded=True)
    async with http.get(url) as response:
        assert response.status == 400
    status, body = await get_json(http, f"http://{sim.host}/vars?match=LIVEDATA/PV_P&fmt=obj")
    assert status == 200
    assert list(body) == ["/sys/livedata/pv_p"]  # type: ignore[call-overload]


async def test_list_and_object_forms_names_and_post(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await make_sim(firmware="localapi")
    await login(http, sim)
    names = "/sys/info/sw_rev,/sys/info/lmac,/sys/info/nothing"
    status, body = await get_json(http, f"http://{sim.host}/vars?name={names}")
    assert status == 200
    assert isinstance(body, dict)
    assert body["count"] == 2
    assert [v["name"] for v in body["values"]] == ["/sys/info/sw_rev", "/sys/info/lmac"]
    assert body["values"][0]["value"] == "2025.09.04.61845"
    async with http.post(
        f"http://{sim.host}/vars", data="name=/sys/info/model&fmt=obj"
    ) as response:
        assert await response.json() == {"/sys/info/model": "PVS6 "}


async def test_cache_alone_returns_the_membership_it_was_filled_with(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await make_sim(firmware="localapi")
    await login(http, sim)
    _, first = await get_json(http, f"http://{sim.host}/vars?match=/sys/info/ss&cache=a&fmt=obj")
    _, again = await get_json(http, f"http://{sim.host}/vars?cache=a&fmt=obj")
    assert first == again == {"/sys/info/ssid": "Starfield"}
    status, _ = await get_json(http, f"http://{sim.host}/vars?cache=unknown")
    assert status == 400


async def test_dl_cgi_on_localapi(make_sim: MakeSim, http: aiohttp.ClientSession) -> None:
    sim = await make_sim(firmware="localapi")
    await login(http, sim)
    status, body = await get_json(http, f"http://{sim.host}/cgi-bin/dl_cgi?Command=DeviceList")
    assert (status, body) == (403, {"status": 403, "error": "Unauthorized", "path": ""})
    http.cookie_jar.clear()
    status, body = await get_json(http, f"http://{sim.host}/cgi-bin/dl_cgi/supervisor/info")
    assert status == 200
    assert body["supervisor"]["BUILD"] >= 61840  # type: ignore[index]


async def test_legacy_has_no_varserver(make_sim: MakeSim, http: aiohttp.ClientSession) -> None:
    sim = await make_sim(firmware="legacy")
    assert (await get_json(http, f"http://{sim.host}/vars?name={SERIAL_VAR}"))[0] == 404
    assert sim.telemetry_port is None


async def test_telemetry_frames_follow_the_simulated_clock(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await make_sim(firmware="localapi", session_ttl_s=1e9)
    assert sim.telemetry_port is not None
    ws_url = f"http://127.0.0.1:{sim.telemetry_port}/"
    async with http.get(ws_url) as response:
        assert response.status == 403  # not enabled yet
    await login(http, sim)
    status, body = await get_json(http, f"http://{sim.host}/vars?set=/sys/telemetryws/enable=1")
    assert status == 200
    assert body == {"values": [{"name": "/sys/telemetryws/enable", "value": "1"}], "count": 1}
    async with http.ws_connect(ws_url) as socket:
        first = await socket.receive_json(timeout=5)
        assert first["notification"] == "power"
        assert {"time", "pv_p", "net_p", "site_load_p"} <= set(first["params"])
        for _ in range(3):
            sim.advance(1)
            frame = await socket.receive_json(timeout=5)
            assert frame["params"]["time"] > first["params"]["time"]
            assert set(frame["params"]) <= set(first["params"])
        sim.advance(600)
        frames = 0
        while (message := await socket.receive(timeout=5)).type == aiohttp.WSMsgType.TEXT:
            frames += 1
            assert frames < 100
        assert message.type in {aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED}
    assert sim.stats["config_commands"] == []


async def test_an_owner_chosen_password_replaces_the_derived_one(
    make_sim: MakeSim, http: aiohttp.ClientSession
) -> None:
    sim = await make_sim(firmware="localapi", password="s3cret")
    url = f"http://{sim.host}/auth?login"
    async with http.get(url, headers=basic_auth(sim.serial)) as response:
        assert response.status == 401
    async with http.get(url, headers=basic_auth(sim.serial, "s3cret")) as response:
        assert response.status == 200
