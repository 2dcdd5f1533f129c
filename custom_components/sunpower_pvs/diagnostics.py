"""Diagnostics: the entry, the detected unit and the normalised data, with identities removed."""

from __future__ import annotations

from collections.abc import Iterable
import dataclasses
from datetime import datetime
from enum import Enum
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PASSWORD
from homeassistant.core import HomeAssistant

from .const import OPTION_RAW_DIAGNOSTICS
from .memory import entry_memory
from .runtime import PVSConfigEntry
from .site_energy.state import dump

REDACTED = "**REDACTED**"
# Keys whose values identify the owner, the unit or a session, in entries and raw responses.
TO_REDACT = {
    CONF_HOST,
    CONF_PASSWORD,
    "title",
    "unique_id",
    "serial",
    "SERIAL",
    "sn",
    "MOD_SN",
    "serial_number",
    "PARENT",
    "parent",
    "mac_address",
    "lmac",
    "ssid",
    "ipaddr",
    "session",
    "cookie",
    "/sys/info/serialnum",
    "/sys/info/lmac",
    "/sys/info/ssid",
}


def _plain(value: Any) -> Any:
    """Turn model objects into JSON-friendly values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)
        }
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def _scrub_serials(value: Any, serials: Iterable[str], host: str | None = None) -> Any:
    """Replace serials (and the host) wherever they appear, in keys and values.

    Device maps are keyed by serial, and error messages name the address they could not reach.
    """
    aliases = {
        serial: f"**SERIAL_{index}**" for index, serial in enumerate(sorted(serials)) if serial
    }
    if host:
        aliases[host] = REDACTED

    def scrub(item: Any) -> Any:
        if isinstance(item, dict):
            return {scrub(key): scrub(inner) for key, inner in item.items()}
        if isinstance(item, list):
            return [scrub(inner) for inner in item]
        if isinstance(item, str):
            for serial, alias in aliases.items():
                item = item.replace(serial, alias)
        return item

    return scrub(value)


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: PVSConfigEntry
) -> dict[str, Any]:
    """Return what a bug report needs, with serials, addresses and secrets removed.

    Whatever the entry's state: not loaded (setup retry, a refused password, a reload in
    progress) it says what is known: the entry, its state and why, the last polling health.
    """
    memory = entry_memory(hass, entry.entry_id)
    known: dict[str, Any] = {
        "entry": async_redact_data(entry.as_dict(), TO_REDACT),
        "state": entry.state.value,
        "reason": entry.reason,
        "setup_error": memory.setup_error,
        "health": _plain(memory.health),
        "unit": async_redact_data(_plain(memory.unit), TO_REDACT) if memory.unit else None,
    }
    serials = {entry.unique_id or ""} | ({memory.unit.serial} if memory.unit else set())
    host = entry.data.get(CONF_HOST)
    if entry.state is not ConfigEntryState.LOADED:
        return async_redact_data(_scrub_serials(known, serials, host), TO_REDACT)
    runtime = entry.runtime_data
    data = runtime.poll.data
    client = runtime.client
    unit = client.unit
    serials |= {device.serial for device in data.devices()}
    serials |= {unit.serial} if unit else set()
    ledger = runtime.energy.ledger
    serials |= set(ledger.state.solar.inverters)  # replaced inverters the PVS no longer lists too
    diagnostics: dict[str, Any] = known | {
        "unit": async_redact_data(_plain(unit), TO_REDACT) if unit else None,
        "data": _plain(data),
        # the site energy counters in full (the store leaves out fields at their defaults),
        # and which register was learnt or chosen as import
        "energy": dump(ledger.state, defaults=True)
        | {"grid_orientation": _plain(ledger.grid_orientation)},
    }
    if entry.options.get(OPTION_RAW_DIAGNOSTICS, False):
        diagnostics["raw_responses"] = async_redact_data(
            _plain(dict(client.last_raw_responses)), TO_REDACT
        )
    return async_redact_data(_scrub_serials(diagnostics, serials, host), TO_REDACT)
