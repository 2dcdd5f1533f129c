"""When a device is in trouble: the PVS's own state, judged with sense.

At night every inverter sleeps in "error"; SunVault records often say "error" while their
data is healthy. A problem is what an owner should look at.
"""

from __future__ import annotations

from .night import WORKING, producing, producing_count
from .pvs import Device, Inverter, PVSData


def device_problem(device: Device, _data: PVSData) -> bool | None:
    """A device is in trouble when the PVS says it is not working."""
    return None if device.state is None else device.state.lower() != WORKING


def inverter_problem(inverter: Inverter, data: PVSData) -> bool | None:
    """An inverter in error is a problem only while most of the others produce.

    At dawn and dusk they wake and sleep one by one, so a single producing neighbour (or one
    with a stale reading) proves nothing.
    """
    if inverter.state is None:
        return None
    if inverter.state.lower() == WORKING:
        return False
    others = len(data.inverters)
    producing_others = producing_count(data)
    if (itself := data.inverters.get(inverter.serial)) is not None:
        others -= 1
        producing_others -= producing(itself)
    return producing_others * 2 > others


def storage_reports_data(data: PVSData) -> bool:
    """Whether any SunVault component sends live measurements."""
    return (
        any(
            ess.state_of_charge_pct is not None or ess.power_kw is not None
            for ess in data.storage.values()
        )
        or any(battery.state_of_charge_pct is not None for battery in data.batteries.values())
        or any(unit.power_kw is not None for unit in data.storage_inverters.values())
        or any(hub.grid_voltage_l1_v is not None for hub in data.transfer_switches.values())
    )


def storage_problem(device: Device, data: PVSData) -> bool | None:
    """SunVault records often say "error" while healthy: trust the storage data instead."""
    if device.state is None:
        return None
    if device.state.lower() == WORKING:
        return False
    return not storage_reports_data(data)
