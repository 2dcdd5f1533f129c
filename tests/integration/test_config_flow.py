"""Config flow: every step and error, against the simulated PVS."""

from __future__ import annotations

from collections.abc import AsyncIterator
from ipaddress import ip_address
import socket
from unittest.mock import patch

from aiohttp import web
from aiohttp.test_utils import TestServer
from homeassistant.config_entries import SOURCE_USER, SOURCE_ZEROCONF
from homeassistant.const import CONF_HOST, CONF_PASSWORD
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.service_info.zeroconf import ZeroconfServiceInfo
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sunpower_pvs.const import (
    DOMAIN,
    OPTION_GRID_IMPORT_REGISTER,
    OPTION_LIVE_FEED,
    OPTION_RAW_DIAGNOSTICS,
    OPTION_SCAN_INTERVAL,
)
from custom_components.sunpower_pvs.pvs import PVSClient
from custom_components.sunpower_pvs.site_energy import Orientation
from pvs_simulator import Simulator, SimulatorConfig

from .conftest import AFTERNOON


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def not_a_pvs() -> AsyncIterator[str]:
    """A web server that answers every path with an HTML page, like a router's admin page."""

    async def page(_request: web.Request) -> web.Response:
        return web.Response(text="<html><body>Router login</body></html>", content_type="text/html")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", page)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    yield f"127.0.0.1:{server.port}"
    await server.close()


async def _start_user_flow(hass: HomeAssistant, host: str) -> dict:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    return await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_HOST: host})


@pytest.mark.parametrize("firmware", ["legacy", "localapi"])
async def test_user_flow_detects_either_firmware(hass: HomeAssistant, firmware: str) -> None:
    config = SimulatorConfig(profile="small", firmware=firmware, speed=0.0, start=AFTERNOON)
    async with Simulator(config) as sim:
        result = await _start_user_flow(hass, sim.host)
        await hass.async_block_till_done()
        assert result["type"] is FlowResultType.CREATE_ENTRY
        assert result["title"] == "SunPower PVS6"
        assert result["data"] == {CONF_HOST: sim.host}  # derived password: nothing stored
        assert result["result"].unique_id == sim.serial
        assert sim.stats["config_commands"] == []


@pytest.mark.parametrize(
    "host", ["http://192.168.1.5", "192.168.1.5/cgi-bin", "my pvs", "", "host:notaport"]
)
async def test_user_flow_refuses_what_is_not_an_address(hass: HomeAssistant, host: str) -> None:
    result = await _start_user_flow(hass, host)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_host"}


async def test_user_flow_reports_an_unreachable_host_and_recovers(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    result = await _start_user_flow(hass, f"127.0.0.1:{_free_port()}")
    assert result["errors"] == {"base": "cannot_connect"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: simulator.host}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_flow_recognises_a_device_that_is_not_a_pvs(
    hass: HomeAssistant, not_a_pvs: str
) -> None:
    result = await _start_user_flow(hass, not_a_pvs)
    assert result["errors"] == {"base": "not_a_pvs"}


async def test_user_flow_asks_for_the_password_only_when_the_derived_one_fails(
    hass: HomeAssistant,
) -> None:
    config = SimulatorConfig(
        profile="small", firmware="localapi", speed=0.0, start=AFTERNOON, password="s3cret"
    )
    async with Simulator(config) as sim:
        result = await _start_user_flow(hass, sim.host)
        assert result["type"] is FlowResultType.FORM
        assert result["step_id"] == "password"
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_PASSWORD: "wrong"}
        )
        assert result["errors"] == {"base": "invalid_auth"}
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_PASSWORD: "s3cret"}
        )
        await hass.async_block_till_done()
        assert result["type"] is FlowResultType.CREATE_ENTRY
        assert result["data"] == {CONF_HOST: sim.host, CONF_PASSWORD: "s3cret"}


async def test_adding_the_same_pvs_again_updates_its_address(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    entry = MockConfigEntry(domain=DOMAIN, unique_id=simulator.serial, data={CONF_HOST: "10.0.0.9"})
    entry.add_to_hass(hass)
    result = await _start_user_flow(hass, simulator.host)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data[CONF_HOST] == simulator.host


def _zeroconf(host: str, serial: str | None) -> ZeroconfServiceInfo:
    name, port = host.split(":")
    properties = {"serialnum": serial} if serial else {}
    return ZeroconfServiceInfo(
        ip_address=ip_address(name),
        ip_addresses=[ip_address(name)],
        hostname="pvs6.local.",
        name="PVS6._pvs6._tcp.local.",
        port=int(port),
        type="_pvs6._tcp.local.",
        properties=properties,
    )


async def test_zeroconf_discovery_is_confirmed_then_added(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    info = _zeroconf(simulator.host, simulator.serial)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_ZEROCONF}, data=info
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "zeroconf_confirm"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == simulator.serial


@pytest.mark.parametrize(
    ("stored", "expected"), [("127.0.0.9", "127.0.0.2"), ("127.0.0.9:8080", "127.0.0.9:8080")]
)
async def test_zeroconf_updates_the_address_of_a_known_unit_but_not_of_a_bridge(
    hass: HomeAssistant, stored: str, expected: str
) -> None:
    entry = MockConfigEntry(domain=DOMAIN, unique_id="ZT01", data={CONF_HOST: stored})
    entry.add_to_hass(hass)
    info = _zeroconf("127.0.0.2:443", "zt01")
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_ZEROCONF}, data=info
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data[CONF_HOST] == expected


async def test_zeroconf_ignores_ipv6_announcements(hass: HomeAssistant) -> None:
    info = _zeroconf("127.0.0.2:443", "ZT01")
    info.ip_address = ip_address("fe80::1")
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_ZEROCONF}, data=info
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "not_ipv4_address"


async def test_zeroconf_without_serial_is_not_a_pvs(hass: HomeAssistant) -> None:
    info = _zeroconf("127.0.0.2:443", None)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_ZEROCONF}, data=info
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "not_a_pvs"


async def test_reauth_stores_the_new_password(hass: HomeAssistant) -> None:
    config = SimulatorConfig(
        profile="small", firmware="localapi", speed=0.0, start=AFTERNOON, password="n3w"
    )
    async with Simulator(config) as sim:
        entry = MockConfigEntry(
            domain=DOMAIN, unique_id=sim.serial, data={CONF_HOST: sim.host, CONF_PASSWORD: "old"}
        )
        entry.add_to_hass(hass)
        result = await entry.start_reauth_flow(hass)
        assert result["step_id"] == "reauth_confirm"
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_PASSWORD: "bad"}
        )
        assert result["errors"] == {"base": "invalid_auth"}
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_PASSWORD: "n3w"}
        )
        await hass.async_block_till_done()
        assert result["type"] is FlowResultType.ABORT
        assert result["reason"] == "reauth_successful"
        assert entry.data[CONF_PASSWORD] == "n3w"


async def test_reconfigure_moves_to_a_new_address_of_the_same_unit(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN, unique_id=simulator.serial, data={CONF_HOST: "127.0.0.1:1"}
    )
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: f"127.0.0.1:{_free_port()}"}
    )
    assert result["errors"] == {"base": "cannot_connect"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: simulator.host}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_HOST] == simulator.host


async def test_reconfigure_refuses_a_different_unit(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN, unique_id="ZTSOMEOTHERUNIT", data={CONF_HOST: "127.0.0.1:1"}
    )
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: simulator.host}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_device"
    assert entry.data[CONF_HOST] == "127.0.0.1:1"


async def test_options_flow_sets_interval_grid_register_and_raw_diagnostics(
    hass: HomeAssistant, setup_entry: MockConfigEntry
) -> None:
    assert setup_entry.runtime_data.energy.ledger.grid_override is None
    result = await hass.config_entries.options.async_init(setup_entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            OPTION_SCAN_INTERVAL: 600,
            OPTION_RAW_DIAGNOSTICS: True,
            OPTION_GRID_IMPORT_REGISTER: "negative",
        },
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert setup_entry.options == {
        OPTION_SCAN_INTERVAL: 600,
        OPTION_RAW_DIAGNOSTICS: True,
        OPTION_LIVE_FEED: True,
        OPTION_GRID_IMPORT_REGISTER: "negative",
    }
    runtime = setup_entry.runtime_data
    # reloaded with the owner's choice: no learning needed
    assert runtime.energy.ledger.grid_orientation is Orientation.NEGATIVE
    assert runtime.poll.interval.total_seconds() == 600
    # aligned to the PVS's refresh: the second refresh after the data set just read
    assert runtime.poll.update_interval is not None
    assert 540 <= runtime.poll.update_interval.total_seconds() <= 620


async def test_an_unexpected_error_is_reported_as_unknown(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    with patch.object(PVSClient, "detect", side_effect=RuntimeError("boom")):
        result = await _start_user_flow(hass, simulator.host)
    assert result["errors"] == {"base": "unknown"}


async def test_zeroconf_confirm_asks_for_a_changed_password(hass: HomeAssistant) -> None:
    config = SimulatorConfig(
        profile="small", firmware="localapi", speed=0.0, start=AFTERNOON, password="s3cret"
    )
    async with Simulator(config) as sim:
        info = _zeroconf(sim.host, sim.serial)
        result = await hass.config_entries.flow.async_init(
            DOMAIN, context={"source": SOURCE_ZEROCONF}, data=info
        )
        result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
        assert result["step_id"] == "password"
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_PASSWORD: "s3cret"}
        )
        await hass.async_block_till_done()
        assert result["type"] is FlowResultType.CREATE_ENTRY
        assert result["data"] == {CONF_HOST: sim.host, CONF_PASSWORD: "s3cret"}


async def test_zeroconf_confirm_aborts_when_the_unit_is_gone(hass: HomeAssistant) -> None:
    info = _zeroconf(f"127.0.0.1:{_free_port()}", "ZT01")
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_ZEROCONF}, data=info
    )
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "cannot_connect"


async def test_reauth_refuses_a_different_unit(hass: HomeAssistant, simulator: Simulator) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN, unique_id="ZTSOMEOTHERUNIT", data={CONF_HOST: simulator.host}
    )
    entry.add_to_hass(hass)
    result = await entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: simulator.serial[-5:]}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_device"
    assert CONF_PASSWORD not in entry.data


async def test_reconfigure_to_a_unit_with_its_own_password(hass: HomeAssistant) -> None:
    config = SimulatorConfig(
        profile="small", firmware="localapi", speed=0.0, start=AFTERNOON, password="s3cret"
    )
    async with Simulator(config) as sim:
        entry = MockConfigEntry(
            domain=DOMAIN, unique_id=sim.serial, data={CONF_HOST: "127.0.0.1:1"}
        )
        entry.add_to_hass(hass)
        result = await entry.start_reconfigure_flow(hass)
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_HOST: sim.host}
        )
        assert result["step_id"] == "password"
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_PASSWORD: "s3cret"}
        )
        await hass.async_block_till_done()
        assert result["reason"] == "reconfigure_successful"
        assert entry.data == {CONF_HOST: sim.host, CONF_PASSWORD: "s3cret"}
