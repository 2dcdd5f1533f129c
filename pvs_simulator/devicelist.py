"""The legacy ``Command=DeviceList`` body, built from the simulated site."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from .glitches import apply_glitches
from .profiles import SiteProfile
from .readings import InverterValues, MeterValues, inverter_values, meter_values
from .values import dl_number, dl_time

if TYPE_CHECKING:
    from .unit import PvsUnit

Record = dict[str, object]

INVERTER_MEASUREMENTS = (
    "ltea_3phsum_kwh",
    "p_3phsum_kw",
    "vln_3phavg_v",
    "i_3phsum_a",
    "p_mppt1_kw",
    "v_mppt1_v",
    "i_mppt1_a",
    "t_htsnk_degc",
    "freq_hz",
    "stat_ind",
)


def device_list(unit: PvsUnit) -> dict[str, object]:
    """All devices, as the supervisor lists them, with glitches in force applied."""
    now = unit.clock.epoch
    records: list[Record] = [supervisor_record(unit)]
    records += [
        _meter_record(unit, meter) for meter in meter_values(*unit.site_parts(), unit.config)
    ]
    records += [
        _inverter_record(unit.profile, inverter_values(unit.profile, unit.site, inverter, index))
        for index, inverter in enumerate(unit.installation.inverters)
    ]
    if unit.profile.ess:
        records += ess_records(unit)
    for index, record in enumerate(records):
        # Building the list takes time; later records carry later CURTIMEs.
        record["CURTIME"] = dl_time(now + index // 12)
    tagged = apply_glitches(
        [(None, record) for record in records],
        unit.faults,
        serial_key="SERIAL",
        counter_mark="ltea",
        parent_of=lambda record: record.get("PARENT"),
    )
    return {"devices": [record for _, record in tagged], "result": "succeed"}


def supervisor_record(unit: PvsUnit) -> Record:
    """The PVS itself."""
    rng = random.Random(int(unit.clock.epoch))
    return {
        "DETAIL": "detail",
        "STATE": "working",
        "STATEDESCR": "Working",
        "SERIAL": unit.serial,
        "MODEL": f"PV Supervisor {unit.profile.model}",
        "HWVER": "6.02" if unit.profile.model == "PVS6" else "3.3",
        "SWVER": unit.build.swver,
        "DEVICE_TYPE": "PVS",
        "DATATIME": dl_time(unit.site.device_reading.epoch),
        "dl_err_count": "0",
        "dl_comm_err": str(400 + int(unit.uptime_s) // 600),
        "dl_skipped_scans": "0",
        "dl_scan_time": str(rng.randint(1, 24)),
        "dl_untransmitted": str(unit.untransmitted),
        "dl_uptime": str(int(unit.uptime_s)),
        "dl_cpu_load": f"{rng.uniform(0.2, 0.9):.2f}",
        "dl_mem_used": str(78000 + rng.randrange(0, 9000)),
        "dl_flash_avail": str(int(unit.flash_avail_kib)),
        "panid": unit.installation.panid,
    }


def _meter_record(unit: PvsUnit, meter: MeterValues) -> Record:
    suffix = "p" if meter.production else "c"
    record: Record = {
        "ISDETAIL": True,
        "SERIAL": meter.serial,
        "TYPE": f"PVS5-METER-{suffix.upper()}",
        "STATE": "working",
        "STATEDESCR": "Working",
        "MODEL": f"{unit.profile.meter_prefix}0400{suffix}",
        "DESCR": f"Power Meter {meter.serial}",
        "DEVICE_TYPE": "Power Meter",
        "interface": "mime",
    }
    subtype = "GROSS_PRODUCTION_SITE" if meter.production else unit.profile.consumption
    if unit.profile.model == "PVS6":
        kind = "production" if meter.production else "consumption"
        record[f"{kind}_subtype_enum"] = subtype
        record["subtype"] = subtype
    record |= {
        "SWVER": "3000",
        "PORT": "",
        "DATATIME": dl_time(meter.epoch),
        "ct_scl_fctr": str(meter.ct_a),
        "net_ltea_3phsum_kwh": dl_number(meter.net_kwh, 2),
        "p_3phsum_kw": dl_number(meter.p_kw),
        "q_3phsum_kvar": dl_number(meter.q_kvar),
        "s_3phsum_kva": dl_number(meter.s_kva),
        "tot_pf_rto": dl_number(meter.pf),
        "freq_hz": dl_number(meter.freq_hz),
    }
    if meter.production:
        record |= {"i_a": dl_number(meter.i_a), "v12_v": dl_number(meter.v12_v)}
    else:
        record |= {
            "i1_a": dl_number(meter.i1_a),
            "i2_a": dl_number(meter.i2_a),
            "v1n_v": dl_number(meter.v1n_v),
            "v2n_v": dl_number(meter.v2n_v),
            "v12_v": dl_number(meter.v12_v),
            "p1_kw": dl_number(meter.p1_kw),
            "p2_kw": dl_number(meter.p2_kw),
            "neg_ltea_3phsum_kwh": dl_number(meter.neg_kwh, 2),
        }
        if unit.profile.pos_ltea:
            record["pos_ltea_3phsum_kwh"] = dl_number(meter.pos_kwh, 2)
    return record | {"CAL0": str(meter.ct_a), "origin": "data_logger", "OPERATION": "noop"}


def _inverter_record(profile: SiteProfile, values: InverterValues) -> Record:
    unit = values.unit
    record: Record = {
        "ISDETAIL": True,
        "SERIAL": unit.serial,
        "TYPE": "SOLARBRIDGE",
        "STATE": "working" if values.awake else "error",
        "STATEDESCR": "Working" if values.awake else "Error",
        "MODEL": profile.inverter_model,
        "DESCR": f"Inverter {unit.serial}",
        "DEVICE_TYPE": "Inverter",
        "hw_version": unit.hw_version,
        "interface": "mime",
        "module_serial": "",
        "PANEL": profile.panel,
        "slave": 0,
        "SWVER": unit.swver,
        "PORT": "",
        "MOD_SN": "",
        "NMPLT_SKU": "",
        "DATATIME": dl_time(values.epoch),
    }
    if values.awake or not unit.sleeps_bare:
        record |= {
            "ltea_3phsum_kwh": dl_number(values.lifetime_kwh),
            "p_3phsum_kw": dl_number(values.ac_kw),
            "vln_3phavg_v": dl_number(values.ac_v, 2),
            "i_3phsum_a": dl_number(values.ac_a, 2),
            "p_mppt1_kw": dl_number(values.dc_kw),
            "v_mppt1_v": dl_number(values.dc_v, 2),
            "i_mppt1_a": dl_number(values.dc_a, 2),
            "t_htsnk_degc": dl_number(values.heatsink_degc, 0),
            "freq_hz": dl_number(values.freq_hz, 2),
            "stat_ind": "0",
        }
    return record | {"origin": "data_logger", "OPERATION": "noop"}


def ess_records(unit: PvsUnit) -> list[Record]:
    """SunVault components: little telemetry, often STATE error even when healthy."""
    ess = unit.installation.ess_serial or ""
    hub = f"SY{unit.serial[-10:]}ABCDEF01"
    datatime = dl_time(unit.site.device_reading.epoch)
    rng = random.Random(int(unit.site.device_reading.epoch))

    def component(serial: str, kind: str, model: str, device_type: str, **extra: object) -> Record:
        working = device_type in {"ESS Hub", "PV Disconnect"}
        return {
            "ISDETAIL": True,
            "SERIAL": serial,
            "TYPE": kind,
            "STATE": "working" if working else "error",
            "STATEDESCR": "Working" if working else "Error",
            "MODEL": model,
            "DESCR": f"{device_type} {serial}"[:64],
            "DEVICE_TYPE": device_type,
            **extra,
            "origin": "data_logger",
            "OPERATION": "noop",
        }

    parent = {"parent": 11, "PARENT": ess}
    records = [
        component(hub, "HUB+", "SunPower MIDC", "HUB+", hw_version="1.5.0", SWVER="0.7.22"),
        component(
            f"SY{unit.serial[-10:]}ABCDEF02",
            "EQUINOX-MIO",
            "SunPower MIO",
            "ESS Hub",
            DATATIME=datatime,
            t_degc=dl_number(unit.site.sky.ambient_degc(unit.clock.epoch) + 6, 0),
            humidity=str(rng.randint(30, 45)),
            v_dcdc_spply_v=dl_number(rng.uniform(11.3, 11.5), 3),
            v_spply_v=dl_number(rng.uniform(11.3, 11.4), 3),
            v_gateway_v=dl_number(rng.uniform(11.4, 11.5), 3),
            fan_actv_fl="0",
            fw_error="0",
            event_history="2112",
            **parent,
        ),
        component(
            f"SY{unit.serial[-10:]}ABCDEF03",
            "PV-DISCONNECT",
            "SunPower PV Disconnect Relay",
            "PV Disconnect",
            DATATIME=datatime,
            relay_mode="0",
            relay1_state="1",
            relay2_state="1",
            relay1_error="0",
            relay2_error="0",
            v1n_grid_v=dl_number(rng.uniform(121, 124), 1),
            v2n_grid_v=dl_number(rng.uniform(121, 124), 1),
            v1n_pv_v=dl_number(rng.uniform(121, 124), 1),
            v2n_pv_v=dl_number(rng.uniform(121, 124), 1),
        ),
        component(
            f"BC{unit.serial[-10:]}", "GATEWAY", "SchneiderElectric-ConextGateway", "Gateway"
        ),
        component(
            ess.partition("_")[0],
            "SCHNEIDER-XWPRO",
            "SchneiderElectric-XW6848-21",
            "Storage Inverter",
            **parent,
        ),
        component(
            f"BC{unit.serial[-10:]}33751040",
            "EQUINOX-BMS",
            "SchneiderElectric-SP1",
            "ESS BMS",
            **parent,
        ),
    ]
    records += [
        component(battery.serial, "BATTERY", "POWERAMP-Komodo 1.2", "Battery", **parent)
        for battery in unit.installation.batteries
    ]
    records.append(component(ess, "EQUINOX-ESS", "SPWR-Equinox-model", "Energy Storage System"))
    return records
