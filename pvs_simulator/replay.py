"""Saved responses (captures, diagnostics dumps) served back as a static unit."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
import json
from pathlib import Path
import re

from .config import Firmware

# Keys that identify a dl_cgi command's response body.
COMMAND_MARKERS = (
    ("networkstatus", "Get_Comm"),
    ("active_name", "GridProfileGet"),
    ("profiles", "GridProfileRefresh"),
    ("progress", "GetDiscoveryProgress"),
    ("url", "CheckFW"),
)


class ReplayError(ValueError):
    """A file that is not a response the simulator knows how to serve."""


@dataclass(slots=True)
class ReplayData:
    """Everything loaded from replay files, by the endpoint that serves it."""

    device_list: dict[str, object] | None = None
    ess_status: dict[str, object] | None = None
    supervisor: dict[str, object] | None = None
    commands: dict[str, object] = field(default_factory=dict)
    variables: dict[str, object] = field(default_factory=dict)
    firmware: Firmware = "legacy"

    @property
    def serial(self) -> str | None:
        """The supervisor serial the files reveal, if any."""
        if self.device_list is not None:
            for record in _devices(self.device_list):
                if record.get("DEVICE_TYPE") == "PVS" and isinstance(record.get("SERIAL"), str):
                    return str(record["SERIAL"])
        if self.supervisor is not None:
            info = self.supervisor.get("supervisor")
            if isinstance(info, dict) and isinstance(info.get("SERIAL"), str):
                return str(info["SERIAL"])
        serial = self.variables.get("/sys/info/serialnum")
        return serial if isinstance(serial, str) else None

    @property
    def build(self) -> int | None:
        """The firmware build the files reveal, if any."""
        texts: list[str] = []
        if self.device_list is not None:
            texts += [
                str(record.get("SWVER", ""))
                for record in _devices(self.device_list)
                if record.get("DEVICE_TYPE") == "PVS"
            ]
        texts.append(str(self.variables.get("/sys/info/sw_rev", "")))
        for text in texts:
            match = re.search(r"Build (\d+)", text) or re.search(r"\.(\d{4,})$", text)
            if match:
                return int(match.group(1))
        return None


def _devices(body: dict[str, object]) -> list[dict[str, object]]:
    devices = body.get("devices")
    if not isinstance(devices, list):
        return []
    return [record for record in devices if isinstance(record, dict)]


def load_replay(paths: Iterable[Path | str], default_firmware: Firmware) -> ReplayData:
    """Read and classify every file; the firmware follows what the files show."""
    data = ReplayData()
    for path in paths:
        body = json.loads(Path(path).read_text(encoding="utf-8"))
        if not isinstance(body, dict):
            raise ReplayError(f"{path}: not a JSON object")
        _classify(data, body, str(path))
    has_vars, has_list = bool(data.variables), data.device_list is not None
    if has_vars != has_list:
        data.firmware = "localapi" if has_vars else "legacy"
    else:
        data.firmware = default_firmware
    return data


def _classify(data: ReplayData, body: dict[str, object], source: str) -> None:
    if isinstance(body.get("devices"), list):
        if data.device_list is None:
            data.device_list = body
        else:
            # Several lists (e.g. a capture plus ESS fragments) make one bigger list.
            data.device_list = {
                **data.device_list,
                "devices": _devices(data.device_list) + _devices(body),
            }
    elif "ess_report" in body:
        data.ess_status = body
    elif isinstance(body.get("supervisor"), dict):
        data.supervisor = body
    elif isinstance(body.get("values"), list):
        entries = body["values"]
        assert isinstance(entries, list)
        for entry in entries:
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                data.variables[entry["name"]] = entry.get("value")
    elif body and all(key.startswith("/") for key in body):
        data.variables.update(body)
    elif body == {"result": "success"}:
        data.commands["Stop"] = body
    else:
        for marker, command in COMMAND_MARKERS:
            if marker in body:
                data.commands[command] = body
                return
        raise ReplayError(f"{source}: not a response the simulator recognises")
