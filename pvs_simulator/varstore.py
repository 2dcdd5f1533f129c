"""The varserver variables of the simulated unit (LocalAPI firmware)."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from .battery import BATTERY_KWH, BATTERY_MAX_KW, SOC_FLOOR, customer_soc, op_mode
from .essconfig import ess_config_variables
from .glitches import apply_glitches
from .readings import InverterValues, MeterValues, inverter_values, meter_values
from .values import iso_time, var_number

if TYPE_CHECKING:
    from .unit import PvsUnit

# Readable without a session.
PUBLIC_VARIABLES = frozenset({"/sys/info/serialnum", "/sys/info/lmac", "/sys/info/ssid"})
TELEMETRY_ENABLE = "/sys/telemetryws/enable"
NAN = "nan"
ESS_ENERGY_BASE_KWH = -490.0


def variables(
    unit: PvsUnit, *, glitches: bool = True, consume_glitches: bool = True
) -> dict[str, str]:
    """Every variable the unit holds right now, in varserver order.

    A glitch lasts a number of polls; only a query that reads device variables uses one.
    ``glitches=False`` shows the devices as they really are.
    """
    found = gateway_variables(unit)
    devices: list[tuple[str, dict[str, object]]] = []
    inverters = [
        inverter_values(unit.profile, unit.site, inverter, index)
        for index, inverter in enumerate(unit.installation.inverters)
    ]
    # Asleep inverters leave the varserver: a match on them at night is empty (HTTP 400).
    model = unit.profile.inverter_model
    devices += [("inverter", _inverter(values, model)) for values in inverters if values.awake]
    devices += [
        ("meter", _meter(unit, meter)) for meter in meter_values(*unit.site_parts(), unit.config)
    ]
    if unit.profile.ess:
        devices += [("ess", _ess(unit)), ("transfer_switch", _transfer_switch(unit))]
    if glitches:
        devices = apply_glitches(
            devices, unit.faults, serial_key="sn", counter_mark="Ltea", consume=consume_glitches
        )
    indexes: dict[str, int] = {}
    for kind, record in devices:
        index = indexes.get(kind, 0)
        indexes[kind] = index + 1
        for field in sorted(record):
            found[f"/sys/devices/{kind}/{index}/{field}"] = str(record[field])
    found |= livedata(unit)
    return found | ess_config_variables(unit)


def gateway_variables(unit: PvsUnit) -> dict[str, str]:
    """The supervisor's own variables."""
    rng = random.Random(int(unit.clock.epoch))
    found = {
        "/sys/info/serialnum": unit.serial,
        "/sys/info/model": f"{unit.profile.model} ",
        "/sys/info/hwrev": "6.03" if unit.profile.model == "PVS6" else "3.3",
        "/sys/info/fwrev": " Major 2, Revision 0x00000001, Build 3",
        "/sys/info/sw_rev": unit.build.sw_rev,
        "/sys/info/uptime": f"{unit.uptime_s:.2f}",
        "/sys/info/cpu_usage": var_number(rng.uniform(8.0, 35.0)),
        "/sys/info/ram_usage": var_number(rng.uniform(38.0, 46.0)),
        "/sys/info/flash_usage": var_number(100.0 * (1 - unit.flash_avail_kib / 262144)),
        "/sys/info/lmac": unit.installation.lmac,
        "/sys/info/ssid": "Starfield",
        "/sys/info/sys_type": "Storage" if unit.profile.ess else "PV-only",
    }
    if unit.profile.model == "PVS6":
        found["/sys/pvs/flashwear_type_b"] = "0x02"
    found[TELEMETRY_ENABLE] = "1" if unit.telemetry_enabled else "0"
    return found


def _inverter(values: InverterValues, model: str) -> dict[str, object]:
    return {
        "freqHz": var_number(values.freq_hz),
        "i3phsumA": var_number(values.ac_a),
        "iMppt1A": var_number(values.dc_a),
        "ltea3phsumKwh": var_number(values.lifetime_kwh),
        "msmtEps": iso_time(values.epoch),
        "p3phsumKw": var_number(values.ac_kw),
        "pMppt1Kw": var_number(values.dc_kw),
        "prodMdlNm": model,
        "sn": values.unit.serial,
        "tHtsnkDegc": str(int(values.heatsink_degc)),
        "vMppt1V": var_number(values.dc_v),
        "vln3phavgV": var_number(values.ac_v),
    }


def _meter(unit: PvsUnit, meter: MeterValues) -> dict[str, object]:
    suffix = "p" if meter.production else "c"
    record: dict[str, object] = {
        "ctSclFctr": str(meter.ct_a),
        "freqHz": var_number(meter.freq_hz),
        "i1A": var_number(meter.i1_a),
        "i2A": var_number(meter.i2_a),
        "msmtEps": iso_time(meter.epoch - meter.epoch % 300),
        "negLtea3phsumKwh": var_number(meter.neg_kwh),
        "netLtea3phsumKwh": var_number(meter.net_kwh),
        "p1Kw": var_number(meter.p1_kw),
        "p2Kw": var_number(meter.p2_kw),
        "p3phsumKw": var_number(meter.p_kw),
        "posLtea3phsumKwh": var_number(meter.pos_kwh),
        "prodMdlNm": f"{unit.profile.meter_prefix}0400{suffix}",
        "q3phsumKvar": var_number(meter.q_kvar),
        "s3phsumKva": var_number(meter.s_kva),
        "sn": meter.serial,
        "totPfRto": var_number(meter.pf),
        "v12V": var_number(meter.v12_v),
        "v1nV": var_number(meter.v1n_v),
        "v2nV": var_number(meter.v2n_v),
    }
    if not meter.production and not unit.profile.pos_ltea:
        del record["posLtea3phsumKwh"]
    return record


def _ess(unit: PvsUnit) -> dict[str, object]:
    reading = unit.site.device_reading
    totals = reading.totals
    rng = random.Random(int(reading.epoch))
    cell_t = unit.site.sky.ambient_degc(reading.epoch) + 4
    return {
        "sn": unit.installation.ess_serial or "",
        "prodMdlNm": "SPWR-Equinox-model",
        "msmtEps": iso_time(reading.epoch),
        "opMode": op_mode(reading.control, totals.soc),
        "socVal": var_number(totals.soc),
        "customerSocVal": var_number(customer_soc(totals.soc)),
        "sohVal": var_number(0.97),
        "p3phsumKw": var_number(reading.flows.ess_kw),
        "posLtea3phsumKwh": var_number(1200.0 + totals.discharge_kwh),
        "negLtea3phsumKwh": var_number(1690.0 + totals.charge_kwh),
        "v1nV": var_number(rng.uniform(121.0, 123.0)),
        "v2nV": var_number(rng.uniform(121.0, 123.0)),
        "vBattV": var_number(51.0 + 3.0 * totals.soc),
        "tInvtrDegc": var_number(cell_t + 8 * abs(reading.flows.ess_kw) / BATTERY_MAX_KW),
        "chrgLimitPmaxKw": var_number(BATTERY_MAX_KW if totals.soc < 1 else 0.0),
        "dischrgLimPmaxKw": var_number(BATTERY_MAX_KW if totals.soc > SOC_FLOOR else 0.0),
        "maxTBattCellDegc": var_number(cell_t + 1),
        "minTBattCellDegc": var_number(cell_t - 1),
        "maxVBattCellV": var_number(3.2 + 0.2 * totals.soc + 0.01),
        "minVBattCellV": var_number(3.2 + 0.2 * totals.soc - 0.01),
    }


def _transfer_switch(unit: PvsUnit) -> dict[str, object]:
    reading = unit.site.device_reading
    rng = random.Random(int(reading.epoch) + 1)
    v1n, v2n = rng.uniform(121.0, 123.5), rng.uniform(121.0, 123.5)
    return {
        "sn": f"SY{unit.serial[-10:]}ABCDEF01",
        "prodMdlNm": "SunPower MIDC",
        "msmtEps": iso_time(reading.epoch),
        "midStEnum": "MID_STATE_CLOSED",
        "pvd1StEnum": "PVD_STATE_CLOSED",
        "tDegc": var_number(unit.site.sky.ambient_degc(reading.epoch) + 9),
        "v1nGridV": var_number(v1n),
        "v2nGridV": var_number(v2n),
        "v1nV": var_number(v1n - 0.2),
        "v2nV": var_number(v2n - 0.2),
        "vSpplyV": var_number(rng.uniform(11.3, 11.5)),
    }


def livedata(unit: PvsUnit) -> dict[str, str]:
    """Whole-site powers and energies, refreshed every second."""
    values = live_values(unit)
    return {
        f"/sys/livedata/{key}": (NAN if value is None else _live_text(key, value))
        for key, value in values.items()
    }


def live_values(unit: PvsUnit) -> dict[str, float | None]:
    """Livedata as numbers (None where there is no battery data: PV-only, or the ESS vanished)."""
    reading = unit.site.live
    flows, totals = reading.flows, reading.totals
    installation = unit.installation
    pv_en = installation.production_base_kwh + totals.pv_kwh
    net_en = (
        installation.import_base_kwh
        - installation.export_base_kwh
        + totals.import_kwh
        - totals.export_kwh
    )
    ess = unit.profile.ess
    ess_en = ESS_ENERGY_BASE_KWH + totals.discharge_kwh - totals.charge_kwh if ess else 0.0
    backup_min = (totals.soc - SOC_FLOOR) * BATTERY_KWH / max(flows.load_kw, 0.3) * 60
    # The house still uses what it uses while the ESS is missing; only the battery goes quiet.
    battery = ess and not unit.faults.vanished(installation.ess_serial or "")
    return {
        "time": float(int(reading.epoch)),
        "pv_p": flows.pv_kw,
        "pv_en": pv_en,
        "net_p": flows.net_kw,
        "net_en": net_en,
        "site_load_p": flows.load_kw,
        "site_load_en": pv_en + net_en + ess_en,
        "ess_en": ess_en if battery else None,
        "ess_p": flows.ess_kw if battery else None,
        "soc": totals.soc if battery else None,
        "backupTimeRemaining": float(max(0, int(backup_min))) if battery else None,
        "midstate": 2.0 if ess else None,
    }


def _live_text(key: str, value: float) -> str:
    if key in {"time", "backupTimeRemaining", "midstate"}:
        return str(int(value))
    return var_number(value)
