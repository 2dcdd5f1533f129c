"""Device measurements derived from the site's flows, shared by both firmware generations."""

from __future__ import annotations

from dataclasses import dataclass
import random

from .config import SimulatorConfig
from .hardware import Installation, InverterUnit
from .profiles import GROSS_CONSUMPTION_LINESIDE, SiteProfile
from .site import Reading, Site

INVERTER_EFFICIENCY = 0.965


@dataclass(frozen=True, slots=True)
class InverterValues:
    """One inverter's numbers at its last refresh."""

    unit: InverterUnit
    epoch: float
    awake: bool
    lifetime_kwh: float
    ac_kw: float
    dc_kw: float
    ac_v: float
    ac_a: float
    dc_v: float
    dc_a: float
    freq_hz: float
    heatsink_degc: float


@dataclass(frozen=True, slots=True)
class MeterValues:
    """One CT meter's numbers at its last refresh (kW, kWh, V, A)."""

    serial: str
    production: bool
    epoch: float
    ct_a: int
    p_kw: float
    q_kvar: float
    s_kva: float
    pf: float
    freq_hz: float
    v12_v: float
    v1n_v: float
    v2n_v: float
    i_a: float
    i1_a: float
    i2_a: float
    p1_kw: float
    p2_kw: float
    net_kwh: float
    pos_kwh: float
    neg_kwh: float


def _noise(*key: object) -> random.Random:
    return random.Random(repr(key))


def inverter_values(
    profile: SiteProfile, site: Site, unit: InverterUnit, index: int
) -> InverterValues:
    """An inverter as of the last 5-minute refresh; asleep keeps its last daylight numbers."""
    reading = site.device_reading
    awake = reading.flows.pv_kw > 0
    source = reading if awake else site.last_daylight
    epoch = (source.epoch if source else reading.epoch - 3600) - (index * 7) % 50
    if source is None or not awake:
        return _asleep(unit, epoch, source, index)
    rng = _noise(unit.serial, int(reading.epoch))
    ac_kw = unit.share * reading.flows.pv_kw
    dc_kw = ac_kw / INVERTER_EFFICIENCY + 0.002
    ac_v = rng.uniform(241.0, 248.0)
    dc_v = 52.0 + 4.0 * reading.flows.irradiance + rng.uniform(-1.5, 1.5)
    ambient = site.sky.ambient_degc(reading.epoch)
    return InverterValues(
        unit=unit,
        epoch=epoch,
        awake=True,
        lifetime_kwh=max(0.0, unit.base_kwh + unit.share * reading.totals.pv_kwh),
        ac_kw=ac_kw,
        dc_kw=dc_kw,
        ac_v=ac_v,
        ac_a=ac_kw * 1000 / ac_v,
        dc_v=dc_v,
        dc_a=dc_kw * 1000 / dc_v,
        freq_hz=60.0 + rng.uniform(-0.03, 0.03),
        heatsink_degc=round(ambient + 38.0 * ac_kw / profile.inverter_kw),
    )


def _asleep(unit: InverterUnit, epoch: float, source: Reading | None, index: int) -> InverterValues:
    rng = _noise(unit.serial, index, int(epoch))
    produced = source.totals.pv_kwh if source else 0.0
    return InverterValues(
        unit=unit,
        epoch=epoch,
        awake=False,
        lifetime_kwh=max(0.0, unit.base_kwh + unit.share * produced),
        ac_kw=0.0,
        dc_kw=rng.choice((0.0003, 0.0006)),
        ac_v=rng.uniform(242.0, 245.0),
        ac_a=0.0,
        dc_v=rng.uniform(20.0, 23.0),
        dc_a=0.02,
        freq_hz=60.0,
        heatsink_degc=18.0,
    )


def meter_values(
    profile: SiteProfile, installation: Installation, site: Site, config: SimulatorConfig
) -> list[MeterValues]:
    """Production and (if fitted) consumption meter as of the last 15-second refresh.

    ``config`` says whether the production CTs are installed (all zeros when not) and which
    consumption counter the installer's CT orientation made the import one.
    """
    reading = site.meter_reading
    flows, totals = reading.flows, reading.totals
    rng = _noise(installation.pvs_serial, int(reading.epoch))
    v1n = rng.uniform(120.5, 123.5)
    v2n = v1n + rng.uniform(-0.6, 0.6)
    v12 = v1n + v2n
    freq = 60.0 + rng.uniform(-0.02, 0.02)
    pv_kw = flows.pv_kw if config.production_ct else 0.0
    produced = installation.production_base_kwh + totals.pv_kwh if config.production_ct else 0.0
    # Inverters draw a little reactive power even in the dark.
    pv_q = 0.44 if pv_kw <= 0 else 0.12 * pv_kw
    meters = [
        _meter(
            serial=installation.production_meter,
            production=True,
            epoch=reading.epoch,
            ct_a=50,
            p_kw=pv_kw,
            q_kvar=pv_q if config.production_ct else 0.0,
            volts=(v12, 0.0, 0.0),
            freq=freq,
            energies=(produced, 0.0, 0.0),
        )
    ]
    if installation.consumption_meter is not None:
        if profile.consumption == GROSS_CONSUMPTION_LINESIDE:
            p_kw = flows.load_kw
            pos = installation.load_base_kwh + totals.load_kwh
            neg = 2.91
        else:
            p_kw = flows.net_kw
            pos = installation.import_base_kwh + totals.import_kwh
            neg = installation.export_base_kwh + totals.export_kwh
        if config.import_counter == "negative":
            # CTs the other way round: the energy drawn in (import, or the house's load on
            # a line-side meter) runs on the negative register
            p_kw, pos, neg = -p_kw, neg, pos
        meters.append(
            _meter(
                serial=installation.consumption_meter,
                production=False,
                epoch=reading.epoch,
                ct_a=100,
                p_kw=p_kw,
                q_kvar=-0.16 + 0.05 * flows.load_kw,
                volts=(v12, v1n, v2n),
                freq=freq,
                energies=(pos - neg, pos, neg),
            )
        )
    return meters


def _meter(
    *,
    serial: str,
    production: bool,
    epoch: float,
    ct_a: int,
    p_kw: float,
    q_kvar: float,
    volts: tuple[float, float, float],
    freq: float,
    energies: tuple[float, float, float],
) -> MeterValues:
    v12, v1n, v2n = volts
    s_kva = (p_kw**2 + q_kvar**2) ** 0.5
    # The two legs rarely carry the same load; production meters report no legs.
    p1 = 0.0 if production else p_kw * 0.45
    p2 = 0.0 if production else p_kw - p1
    return MeterValues(
        serial=serial,
        production=production,
        epoch=epoch,
        ct_a=ct_a,
        p_kw=p_kw,
        q_kvar=q_kvar,
        s_kva=s_kva,
        pf=p_kw / s_kva if s_kva > 0.001 else 0.0,
        freq_hz=freq,
        v12_v=v12,
        v1n_v=v1n,
        v2n_v=v2n,
        i_a=s_kva * 1000 / v12,
        i1_a=abs(p1) * 1000 / v1n if v1n else 0.0,
        i2_a=abs(p2) * 1000 / v2n if v2n else 0.0,
        p1_kw=p1,
        p2_kw=p2,
        net_kwh=energies[0],
        pos_kwh=energies[1],
        neg_kwh=energies[2],
    )
