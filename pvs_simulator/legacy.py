"""dl_cgi endpoints: the whole API of legacy firmware, and what LocalAPI firmware keeps of it."""

from __future__ import annotations

import re

from aiohttp import web

from .appkeys import UNIT
from .devicelist import device_list
from .ess import ess_status
from .responses import FORBIDDEN, error_page, json_response
from .unit import PvsUnit

READ_ONLY_COMMANDS = frozenset(
    {"DeviceList", "Get_Comm", "GridProfileGet", "CheckFW", "GetDiscoveryProgress"}
)


def is_config_request(request: web.Request) -> bool:
    """Whether a real unit would treat this as a configuration change."""
    if request.method not in {"GET", "HEAD"}:
        return True
    return request.path == "/cgi-bin/dl_cgi" and (
        request.query.get("Command", "") not in READ_ONLY_COMMANDS
    )


async def dl_cgi_command(request: web.Request) -> web.StreamResponse:
    """``/cgi-bin/dl_cgi?Command=NAME``."""
    unit = request.app[UNIT]
    command = request.query.get("Command", "")
    if unit.firmware == "localapi":
        return json_response(FORBIDDEN, 403)
    if command == "DeviceList":
        unit.note_device_list()
        replayed = unit.replay.device_list if unit.replay else None
        return json_response(replayed or device_list(unit))
    if unit.replay and command in unit.replay.commands:
        return json_response(unit.replay.commands[command])
    answer = _command_answer(unit, command)
    if answer is None:
        return json_response({"result": "error", "error": f"Unknown command {command}"})
    return json_response(answer)


def _command_answer(unit: PvsUnit, command: str) -> dict[str, object] | None:
    if command == "Get_Comm":
        return get_comm(unit)
    if command == "GridProfileGet":
        return {
            "result": "succeed",
            "active_name": "IEEE-1547a-2014 + 2020 CA Rule21",
            "active_id": "816bf3302d337a42680b996227ddbc46abf9cd05",
            "pending_name": "IEEE-1547a-2014 + 2020 CA Rule21",
            "pending_id": "816bf3302d337a42680b996227ddbc46abf9cd05",
            "percent": 100,
            "supported_by": "ALL",
            "status": "success",
        }
    if command == "CheckFW":
        return {"url": "none"}
    if command == "GetDiscoveryProgress":
        return {
            "progress": [{"TYPE": "MicroInverters", "PROGR": "100", "NFOUND": "0"}],
            "complete": True,
            "result": "succeed",
        }
    if command == "Start":
        return supervisor_info(unit)
    if command == "Stop":
        return {"result": "success"}
    if command == "GridProfileRefresh":
        return {"result": "succeed", "success": True, "creation": 1600704253, "profiles": []}
    if command == "SetCellPurchased":
        return {"cell_purchased": "null", "result": "succeed"}
    if command.startswith("Set"):
        return {"result": "succeed"}
    return None


def get_comm(unit: PvsUnit) -> dict[str, object]:
    """Network interfaces; the PVS reaches the cloud over Wi-Fi."""
    down = {"internet": "down", "ipaddr": "", "sms": "unreachable"}
    return {
        "result": "succeed",
        "networkstatus": {
            "interfaces": [
                {
                    "interface": "wan",
                    **down,
                    "link": "disconnected",
                    "mode": "wan",
                    "state": "down",
                },
                {
                    "interface": "plc",
                    **down,
                    "link": "disconnected",
                    "pairing": "unpaired",
                    "speed": 0,
                    "state": "down",
                },
                {
                    "interface": "sta0",
                    "internet": "up",
                    "ipaddr": "192.168.10.239",
                    "signal": "-48",
                    "sms": "reachable",
                    "ssid": "Starfield",
                    "status": "connected",
                },
                {
                    "interface": "cell",
                    **down,
                    "is_alwayson": False,
                    "is_primary": False,
                    "link": "connected",
                    "modem": "MODEM_OK",
                    "provider": "UNKNOWN",
                    "signal": 0,
                    "sim": "SIM_READY",
                    "state": "DOWN",
                    "status": "NOT_REGISTERED",
                },
            ],
            "system": {"interface": "sta0", "internet": "up", "sms": "reachable"},
            "ts": str(int(unit.clock.epoch)),
        },
    }


def supervisor_info(unit: PvsUnit) -> dict[str, object]:
    """``supervisor/info``: open on both generations; PVS5 has no BUILD key."""
    if unit.replay and unit.replay.supervisor:
        return unit.replay.supervisor
    build = unit.build
    swver, number = build.swver, build.build
    if unit.replay and unit.replay.build is not None:
        number = unit.replay.build
        swver = re.sub(r"\d+$", str(number), swver)
    info: dict[str, object] = {
        "SWVER": swver,
        "SERIAL": unit.serial,
        "MODEL": unit.profile.model,
        "FWVER": "1.0.0",
        "SCVER": 1630652920,
        "EASICVER": 131329,
        "SCBUILD": 1188,
        "WNSERIAL": 16,
        "WNMODEL": 400,
        "WNVER": 3000,
    }
    if unit.profile.model == "PVS6":
        info["BUILD"] = number
    return {"result": "succeed", "supervisor": info}


async def supervisor_info_handler(request: web.Request) -> web.StreamResponse:
    """``GET /cgi-bin/dl_cgi/supervisor/info``."""
    return json_response(supervisor_info(request.app[UNIT]))


async def ess_status_handler(request: web.Request) -> web.StreamResponse:
    """``GET /cgi-bin/dl_cgi/energy-storage-system/status`` (ESS sites, legacy firmware)."""
    unit = request.app[UNIT]
    if unit.firmware == "localapi":
        return json_response(FORBIDDEN, 403)
    if unit.replay and unit.replay.ess_status:
        return json_response(unit.replay.ess_status)
    if unit.replay or not unit.profile.ess:
        return error_page(404)
    return json_response(ess_status(unit))


async def devices_list_handler(request: web.Request) -> web.StreamResponse:
    """``GET /cgi-bin/dl_cgi/devices/list``: DeviceList-shaped, needs a session on LocalAPI."""
    unit = request.app[UNIT]
    if unit.firmware == "localapi":
        session = request.cookies.get("session", "")
        if not unit.sessions.is_valid(session):
            return json_response(FORBIDDEN, 403)
    if unit.replay and unit.replay.device_list:
        return json_response(unit.replay.device_list)
    return json_response(device_list(unit))


async def other_dl_cgi(request: web.Request) -> web.StreamResponse:
    """Any other dl_cgi path: writes are configuration changes; unknown reads are 404."""
    unit = request.app[UNIT]
    if is_config_request(request):
        if unit.firmware == "localapi":
            return json_response(FORBIDDEN, 403)
        return json_response({"result": "succeed"})
    return error_page(404)
