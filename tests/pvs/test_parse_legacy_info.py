"""Small dl_cgi answers: Get_Comm, GridProfileGet, CheckFW, supervisor/info."""

from __future__ import annotations

import pytest

from custom_components.sunpower_pvs.pvs import PVSProtocolError, parse_responses
from custom_components.sunpower_pvs.pvs.legacy_info import parse_supervisor_info

from .conftest import load


def test_get_comm() -> None:
    network = parse_responses([load("sungazer-Get_Comm.json")]).network

    assert network is not None
    assert network.active_interface == "sta0"
    assert network.internet is True
    assert network.cloud_reachable is True
    by_name = {interface.name: interface for interface in network.interfaces}
    assert list(by_name) == ["wan", "plc", "sta0", "cell"]
    assert by_name["sta0"].signal_dbm == -48
    assert by_name["sta0"].state == "connected"
    assert by_name["cell"].signal_dbm is None  # "signal": 0 means no reading
    assert by_name["cell"].state == "DOWN"
    assert by_name["wan"].internet is False
    assert by_name["wan"].cloud_reachable is False


def test_grid_profile() -> None:
    profile = parse_responses([load("sungazer-GridProfileGet.json")]).grid_profile

    assert profile is not None
    assert profile.active_name == "IEEE-1547a-2014 + 2020 CA Rule21"
    assert profile.active_id == "816bf3302d337a42680b996227ddbc46abf9cd05"
    assert profile.pending_id == profile.active_id


def test_check_fw_without_update() -> None:
    assert parse_responses([load("sungazer-CheckFW.json")]).firmware_update_url is None
    pending = parse_responses([{"url": "https://example.invalid/fw.tgz"}])
    assert pending.firmware_update_url == "https://example.invalid/fw.tgz"


def test_supervisor_info_shape() -> None:
    # The Start capture answers with the supervisor/info shape; it is read, never requested.
    info = parse_supervisor_info(load("sungazer-Start.json"))
    assert info.serial == "ZT214285000549A0621"
    assert info.model == "PVS6"
    assert info.build == 61839
    data = parse_responses([load("sungazer-Start.json")])
    assert data.supervisor.serial == "ZT214285000549A0621"


def test_pvs5_build_comes_from_swver() -> None:
    body = {
        "result": "succeed",
        "supervisor": {"SERIAL": "ZT5", "MODEL": "PVS5", "SWVER": "2025.11, Build 5412"},
    }
    info = parse_supervisor_info(body)
    assert (info.model, info.build) == ("PVS5", 5412)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("sungazer-GridProfileRefresh.json", "GridProfileRefresh"),
        ("sungazer-Stop.json", "only a command result"),
    ],
)
def test_configuration_command_answers_are_refused(name: str, message: str) -> None:
    with pytest.raises(PVSProtocolError, match=message):
        parse_responses([load(name)])


def test_supervisor_info_merges_into_the_device_list() -> None:
    data = parse_responses(
        [load("sungazer-Start.json"), load("devicelist-2025.06-b61839-sungazer-raw.json")]
    )
    # The DeviceList's PVS record is identity; supervisor/info adds nothing contradictory.
    assert data.supervisor.serial == "ZT21234123451234123"
    assert data.supervisor.build == 61839
    assert data.supervisor.uptime_s == 8003
