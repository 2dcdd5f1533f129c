"""LocalAPI ``/vars`` answers to typed devices, supervisor and live data.

Three shapes are read: the object form (``fmt=obj``: ``{"/sys/x": "value"}``), the list form
(``{"values": [{"name", "value"}], "count": n}``) and the early 61840 layout where one variable
holds a whole device as JSON (``/sys/devices/21/inverter/data``). Device variables are
``/sys/devices/<kind>/<index>/<field>``; the index is not identity, the ``sn`` field is.
Absent ESS values arrive as ``"nan"`` and become ``None``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
import dataclasses
from dataclasses import dataclass, field
import functools
import operator
from typing import Any

from .devicelist import meter_kind
from .errors import PVSProtocolError
from .models import (
    Device,
    EnergyStorage,
    GenericDevice,
    Inverter,
    LiveData,
    Meter,
    MeterKind,
    Supervisor,
    TransferSwitch,
)
from .reuse import DeviceReuse
from .values import (
    build_number,
    epoch_time,
    fraction_to_pct,
    iso_time,
    number,
    supervisor_model,
    text,
)

Fields = Mapping[str, Any]
DEVICES = "/sys/devices/"
INFO = "/sys/info/"
LIVEDATA = "/sys/livedata/"
_DEVICES_HEAD = DEVICES.rstrip("/")
_LIVEDATA_HEAD = LIVEDATA.rstrip("/")
FLASH_WEAR = "/sys/pvs/flashwear_type_b"


@dataclass(frozen=True, slots=True, kw_only=True)
class VarsContent:
    """What a set of ``/vars`` values holds; parts that were not queried are ``None``/empty."""

    supervisor: Supervisor | None = None
    devices: list[Device] = field(default_factory=list)
    live: LiveData | None = None


def is_varserver(body: Any) -> bool:
    """Whether ``body`` is a ``/vars`` answer in list or object form."""
    if not isinstance(body, Mapping) or not body:
        return False
    if isinstance(body.get("values"), list):
        return True
    # (JSON object keys are strings; the check runs over thousands of them each poll)
    try:
        return all(map(_STARTS_WITH_SLASH, body))
    except AttributeError:  # a key that is not a string
        return False


def vars_values(body: Any) -> dict[str, Any]:
    """A ``/vars`` answer as ``{name: value}`` whichever form it came in."""
    if not is_varserver(body):
        raise PVSProtocolError("/vars answer is neither the list nor the object form")
    if isinstance(body.get("values"), list):
        values: dict[str, Any] = {}
        for item in body["values"]:
            if isinstance(item, Mapping) and isinstance(item.get("name"), str):
                values[item["name"]] = item.get("value")
        return values
    return dict(body)


# What a variable's name says: (kind, index, field) of a device, (LIVE, "", field) of the live
# data, None for the rest. Names repeat every poll (thousands at 300 inverters), so each is
# worked out once.
LIVE = "livedata"
_STARTS_WITH_SLASH = operator.methodcaller("startswith", "/")


@functools.lru_cache(maxsize=32768)
def _place(name: str) -> tuple[str, str, str] | None:
    head, _, last = name.rpartition("/")
    if head == _LIVEDATA_HEAD:
        return LIVE, "", last
    parent, _, second = head.rpartition("/")
    device_head, _, first = parent.rpartition("/")
    if device_head != _DEVICES_HEAD:
        return None
    return first, second, last


def _split_vars(
    values: Mapping[str, Any],
) -> tuple[dict[tuple[str, str], dict[str, Any]], dict[str, Any]]:
    """One pass over the variables: device fields and live data fields.

    Device fields are grouped per (kind, index), in first-seen order; live data fields are
    keyed by their short names. A device's variables come one after another, so the group of
    the last one is kept at hand.
    """
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    live: dict[str, Any] = {}
    group: dict[str, Any] = {}
    first_seen = second_seen = None
    for name, value in values.items():
        place = _place(name)
        if place is None:
            continue
        first, second, last = place
        if first is LIVE and not second:
            live[last] = value
        elif last == "data" and isinstance(value, Mapping):
            kind, index = (second, first) if first.isdigit() else (first, second)
            groups.setdefault((kind, index), {}).update(value)
            first_seen = None
        else:
            if first != first_seen or second != second_seen:
                group = groups.setdefault((first, second), {})
                first_seen, second_seen = first, second
            group[last] = value
    return groups, live


def _base(fields: Fields, device_type: str) -> dict[str, Any]:
    return {
        "serial": text(fields.get("sn")) or "",
        "device_type": device_type,
        "model": text(fields.get("prodMdlNm")),
        "last_report": iso_time(fields.get("msmtEps")),
    }


def _inverter(fields: Fields) -> Device:
    return Inverter(
        **_base(fields, "Inverter"),
        power_kw=number(fields.get("p3phsumKw")),
        lifetime_energy_kwh=number(fields.get("ltea3phsumKwh")),
        voltage_v=number(fields.get("vln3phavgV")),
        current_a=number(fields.get("i3phsumA")),
        frequency_hz=number(fields.get("freqHz")),
        dc_power_kw=number(fields.get("pMppt1Kw")),
        dc_voltage_v=number(fields.get("vMppt1V")),
        dc_current_a=number(fields.get("iMppt1A")),
        heatsink_temperature_c=number(fields.get("tHtsnkDegc")),
    )


# The varserver lists every meter field for the production meter too, as zeros; the
# production CT has no per-leg or per-direction registers (DeviceList omits them), so these
# zeros are not readings.
PRODUCTION_METER_ABSENT = (
    "posLtea3phsumKwh",
    "negLtea3phsumKwh",
    "v1nV",
    "v2nV",
    "i1A",
    "i2A",
    "p1Kw",
    "p2Kw",
)


def _meter(fields: Fields) -> Device:
    kind = meter_kind(fields.get("prodMdlNm"), fields.get("sn"))
    if kind is None:
        return _generic("Power Meter", fields)
    if kind is MeterKind.PRODUCTION:
        fields = {
            name: value for name, value in fields.items() if name not in PRODUCTION_METER_ABSENT
        }
    return Meter(
        **_base(fields, "Power Meter"),
        kind=kind,
        ct_rating_a=number(fields.get("ctSclFctr")),
        power_kw=number(fields.get("p3phsumKw")),
        reactive_power_kvar=number(fields.get("q3phsumKvar")),
        apparent_power_kva=number(fields.get("s3phsumKva")),
        power_factor=number(fields.get("totPfRto")),
        frequency_hz=number(fields.get("freqHz")),
        net_energy_kwh=number(fields.get("netLtea3phsumKwh")),
        positive_energy_kwh=number(fields.get("posLtea3phsumKwh")),
        negative_energy_kwh=number(fields.get("negLtea3phsumKwh")),
        voltage_v=number(fields.get("v12V")),
        voltage_l1_v=number(fields.get("v1nV")),
        voltage_l2_v=number(fields.get("v2nV")),
        current_l1_a=number(fields.get("i1A")),
        current_l2_a=number(fields.get("i2A")),
        power_l1_kw=number(fields.get("p1Kw")),
        power_l2_kw=number(fields.get("p2Kw")),
    )


def _health_pct(value: Any) -> float | None:
    """``sohVal`` is sent like ``socVal``, as a fraction; a value above 1 is already percent."""
    result = number(value)
    return None if result is None else (result * 100.0 if result <= 1.0 else result)


def _storage(fields: Fields) -> Device:
    # The ESS meter counts like the site meters: positive power (and the positive counter)
    # is energy leaving the battery, as /sys/livedata/ess_p > 0 while discharging at night.
    return EnergyStorage(
        **_base(fields, "Energy Storage System"),
        operating_mode=text(fields.get("opMode")),
        state_of_charge_pct=fraction_to_pct(fields.get("socVal")),
        customer_state_of_charge_pct=fraction_to_pct(fields.get("customerSocVal")),
        state_of_health_pct=_health_pct(fields.get("sohVal")),
        power_kw=number(fields.get("p3phsumKw")),
        discharged_energy_kwh=number(fields.get("posLtea3phsumKwh")),
        charged_energy_kwh=number(fields.get("negLtea3phsumKwh")),
        voltage_l1_v=number(fields.get("v1nV")),
        voltage_l2_v=number(fields.get("v2nV")),
        battery_voltage_v=number(fields.get("vBattV")),
        inverter_temperature_c=number(fields.get("tInvtrDegc")),
        charge_limit_kw=number(fields.get("chrgLimitPmaxKw")),
        discharge_limit_kw=number(fields.get("dischrgLimPmaxKw")),
        max_cell_temperature_c=number(fields.get("maxTBattCellDegc")),
        min_cell_temperature_c=number(fields.get("minTBattCellDegc")),
        max_cell_voltage_v=number(fields.get("maxVBattCellV")),
        min_cell_voltage_v=number(fields.get("minVBattCellV")),
    )


def _transfer_switch(fields: Fields) -> Device:
    return TransferSwitch(
        **_base(fields, "HUB+"),
        contactor_state=text(fields.get("midStEnum")),
        pv_disconnect_state=text(fields.get("pvd1StEnum")),
        grid_voltage_l1_v=number(fields.get("v1nGridV")),
        grid_voltage_l2_v=number(fields.get("v2nGridV")),
        load_voltage_l1_v=number(fields.get("v1nV")),
        load_voltage_l2_v=number(fields.get("v2nV")),
        supply_voltage_v=number(fields.get("vSpplyV")),
        temperature_c=number(fields.get("tDegc")),
    )


def _generic(device_type: str, fields: Fields) -> GenericDevice:
    raw = {key: str(value) for key, value in fields.items() if isinstance(value, str | int | float)}
    return GenericDevice(**_base(fields, device_type), raw=raw)


_BY_KIND: dict[str, Callable[[Fields], Device]] = {
    "inverter": _inverter,
    "meter": _meter,
    "ess": _storage,
    "transfer_switch": _transfer_switch,
}


def _flash_wear_pct(value: Any) -> float | None:
    """``"0x05"`` is the eMMC wear estimate in tenths: 50 %."""
    raw = text(value)
    if raw is None:
        return None
    try:
        return float(int(raw, 16 if raw.lower().startswith("0x") else 10) * 10)
    except ValueError:
        return None


def _supervisor(values: Mapping[str, Any]) -> Supervisor | None:
    if not any(name.startswith(INFO) or name == FLASH_WEAR for name in values):
        return None
    sw_version = text(values.get(INFO + "sw_rev"))
    return Supervisor(
        serial=text(values.get(INFO + "serialnum")) or "",
        device_type="PVS",
        model=supervisor_model(values.get(INFO + "model")),
        hw_version=text(values.get(INFO + "hwrev")),
        sw_version=sw_version,
        build=build_number(sw_version),
        uptime_s=number(values.get(INFO + "uptime")),
        cpu_usage_pct=number(values.get(INFO + "cpu_usage")),
        ram_usage_pct=number(values.get(INFO + "ram_usage")),
        flash_usage_pct=number(values.get(INFO + "flash_usage")),
        flash_wear_pct=_flash_wear_pct(values.get(FLASH_WEAR)),
        system_type=text(values.get(INFO + "sys_type")),
    )


def parse_live(fields: Mapping[str, Any]) -> LiveData:
    """Live site data from its field names (``pv_p``, ``net_p``, ...): /vars or telemetry."""
    return LiveData(
        time=epoch_time(fields.get("time")),
        production_power_kw=number(fields.get("pv_p")),
        production_energy_kwh=number(fields.get("pv_en")),
        grid_power_kw=number(fields.get("net_p")),
        grid_energy_kwh=number(fields.get("net_en")),
        consumption_power_kw=number(fields.get("site_load_p")),
        consumption_energy_kwh=number(fields.get("site_load_en")),
        battery_power_kw=number(fields.get("ess_p")),
        battery_energy_kwh=number(fields.get("ess_en")),
        state_of_charge_pct=fraction_to_pct(fields.get("soc")),
        backup_time_remaining_min=number(fields.get("backupTimeRemaining")),
        midstate=text(fields.get("midstate")),
    )


def merge_live(previous: LiveData | None, fields: Mapping[str, Any]) -> LiveData:
    """A telemetry frame carries only the fields that changed: lay them over the last data."""
    update = parse_live(fields)
    if previous is None:
        return update
    changed = {
        item.name: getattr(update, item.name)
        for item in dataclasses.fields(update)
        if getattr(update, item.name) is not None
    }
    return dataclasses.replace(previous, **changed)


def _device(key: tuple[str, str], fields: Fields) -> Device:
    kind = key[0]
    parser = _BY_KIND.get(kind)
    return parser(fields) if parser else _generic(kind, fields)


def parse_vars(
    values: Mapping[str, Any], reuse: DeviceReuse[tuple[str, str]] | None = None
) -> VarsContent:
    """Everything ``values`` (merged ``/vars`` answers) says about the site.

    With ``reuse``, a device whose variables are unchanged since the previous answer it saw
    is the same object.
    """
    grouped, live = _split_vars(values)
    groups = grouped.items()
    if reuse is None:
        devices = [_device(key, fields) for key, fields in groups]
    else:
        devices = reuse.parse(groups, _device)
    return VarsContent(
        supervisor=_supervisor(values), devices=devices, live=parse_live(live) if live else None
    )
