"""Building one ``PVSData`` from the devices that a poll's answers produced.

Serial rule (deterministic, the same for both generations):

1. A device without a serial is named ``"<device-type>-noserial-<n>"`` (``n`` counts the
   serial-less devices of that type in the order the PVS listed them, from 1).
2. Two records of the same class and model with the same serial are one device listed twice:
   the one reporting the newest ``last_report`` wins, the earlier-listed one on a tie.
3. Any other reuse of a serial (another class, or another model such as a production and a
   consumption meter) gets ``"_2"``, ``"_3"``, … appended in listing order (the SunVault Hub+,
   ESS Hub and PV Disconnect were seen sharing one serial; redacted captures share one too).

ESS status devices are merged into the DeviceList device of the same class and serial; when
the serial matches none and the site has exactly one device of that class in each source,
they are the same device (ESS status serials need not match DeviceList ones). Merging keeps
the DeviceList identity and attributes and fills in the ESS status measurements.
"""

from __future__ import annotations

from collections.abc import Iterable
import dataclasses
from datetime import datetime
import re
from typing import Any

from .models import (
    Battery,
    Device,
    EnergyStorage,
    EssHub,
    Generation,
    GenericDevice,
    GridProfile,
    Inverter,
    LiveData,
    Meter,
    NetworkStatus,
    PVDisconnect,
    PVSData,
    StorageInverter,
    Supervisor,
    TransferSwitch,
)


def _slug(device_type: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", device_type.lower()).strip("-") or "device"


def merge_device[D: Device](base: D, extra: Device) -> D:
    """``base`` with every field ``extra`` knows (not ``None``) filled in; identity kept."""
    updates: dict[str, Any] = {}
    for item in dataclasses.fields(extra):
        if item.name in {"serial", "device_type"} or not hasattr(base, item.name):
            continue
        value = getattr(extra, item.name)
        if value is not None:
            updates[item.name] = value
    return dataclasses.replace(base, **updates)


def merge_devices(base: list[Device], extras: list[Device]) -> list[Device]:
    """``base`` with ``extras`` merged in by class and serial (see the module docstring)."""
    result = list(base)
    for extra in extras:
        same_class = [i for i, device in enumerate(result) if type(device) is type(extra)]
        match = [i for i in same_class if extra.serial and result[i].serial == extra.serial]
        alone = sum(type(other) is type(extra) for other in extras) == 1
        if not match and alone and len(same_class) == 1:
            match = same_class
        if match:
            result[match[0]] = merge_device(result[match[0]], extra)
        else:
            result.append(extra)
    return result


def _newer(candidate: Device, kept: Device) -> bool:
    if candidate.last_report is None:
        return False
    return kept.last_report is None or candidate.last_report > kept.last_report


def unique_serials(devices: Iterable[Device]) -> list[Device]:
    """Apply the serial rule of the module docstring, keeping the PVS's order."""
    missing: dict[str, int] = {}
    uses: dict[str, int] = {}
    kept: dict[tuple[type[Device], str | None, str], int] = {}
    result: list[Device] = []
    for device in devices:
        current = device
        if not current.serial:
            slug = _slug(current.device_type)
            missing[slug] = missing.get(slug, 0) + 1
            current = dataclasses.replace(
                current, serial=f"{slug}-noserial-{missing[slug]}", serial_assigned=True
            )
        key = (type(current), current.model, current.serial)
        if key in kept:
            if _newer(current, result[kept[key]]):
                result[kept[key]] = current
            continue
        uses[current.serial] = uses.get(current.serial, 0) + 1
        if uses[current.serial] > 1:
            current = dataclasses.replace(
                current, serial=f"{current.serial}_{uses[current.serial]}", serial_assigned=True
            )
        kept[key] = len(result)
        result.append(current)
    return result


def _of[D: Device](devices: list[Device], cls: type[D]) -> dict[str, D]:
    return {device.serial: device for device in devices if type(device) is cls}


def build_data(
    generation: Generation,
    devices: Iterable[Device],
    *,
    supervisor: Supervisor | None = None,
    network: NetworkStatus | None = None,
    grid_profile: GridProfile | None = None,
    live: LiveData | None = None,
    firmware_update_url: str | None = None,
    device_time: datetime | None = None,
) -> PVSData:
    """One ``PVSData``. ``supervisor`` fills in what the device list's PVS record lacks.

    When nothing identifies the supervisor (a saved answer without it), its serial is ``""``.
    """
    listed = unique_serials(device for device in devices if not isinstance(device, Supervisor))
    pvs_records = [device for device in devices if isinstance(device, Supervisor)]
    main = pvs_records[0] if pvs_records else None
    if main is None:
        main = supervisor or Supervisor(serial="", device_type="PVS")
    elif supervisor is not None:
        main = merge_device(main, supervisor)
        if not main.serial:
            main = dataclasses.replace(main, serial=supervisor.serial)
    return PVSData(
        generation=generation,
        supervisor=main,
        meters=_of(listed, Meter),
        inverters=_of(listed, Inverter),
        storage=_of(listed, EnergyStorage),
        batteries=_of(listed, Battery),
        storage_inverters=_of(listed, StorageInverter),
        transfer_switches=_of(listed, TransferSwitch),
        ess_hubs=_of(listed, EssHub),
        pv_disconnects=_of(listed, PVDisconnect),
        other_devices=_of(listed, GenericDevice),
        network=network,
        grid_profile=grid_profile,
        live=live,
        firmware_update_url=firmware_update_url,
        device_time=device_time or (live.time if live else None),
    )
