"""The devices of one installation: serials, ratings and lifetime counters at the start."""

from __future__ import annotations

from dataclasses import dataclass, replace
import random

from .profiles import SiteProfile


@dataclass(frozen=True, slots=True)
class InverterUnit:
    """One microinverter behind one panel."""

    serial: str
    share: float
    base_kwh: float
    swver: str
    hw_version: str
    sleeps_bare: bool


def successor(old: InverterUnit, produced_kwh: float) -> InverterUnit:
    """A new inverter in ``old``'s place: a fresh serial, its lifetime counter at 0 now.

    Lifetimes are ``base + share * site production``, so a base of minus the share of what
    the site has produced so far starts the new counter at 0.
    """
    number = int(old.serial[-9:]) + 1
    return replace(
        old, serial=f"{old.serial[:-9]}{number % 10**9:09d}", base_kwh=-old.share * produced_kwh
    )


@dataclass(frozen=True, slots=True)
class BatteryUnit:
    """One SunVault battery module."""

    serial: str


@dataclass(frozen=True, slots=True)
class Installation:
    """Identities of everything the supervisor reports, fixed for a run."""

    pvs_serial: str
    production_meter: str
    consumption_meter: str | None
    inverters: tuple[InverterUnit, ...]
    production_base_kwh: float
    import_base_kwh: float
    export_base_kwh: float
    load_base_kwh: float
    ess_serial: str | None
    batteries: tuple[BatteryUnit, ...]
    panid: int
    lmac: str


def build_installation(profile: SiteProfile, seed: int) -> Installation:
    """Derive serials and counters from the profile and seed, the same on every run."""
    rng = random.Random(f"{profile.name}:{seed}")
    tail = profile.serial[-8:]
    meter_number = f"{rng.randrange(10**7, 10**8)}"
    weights = [rng.uniform(0.9, 1.05) for _ in range(profile.inverters)]
    total_weight = sum(weights)
    inverters = tuple(
        InverterUnit(
            serial=f"E00{122 + rng.randrange(0, 3)}{rng.randrange(10**8, 10**9)}",
            share=weight / total_weight,
            base_kwh=rng.uniform(900.0, 2400.0),
            swver="4.40.1" if profile.inverter_model == "AC_Module_Type_E" else "4.21.3",
            hw_version="4405" if profile.inverter_model == "AC_Module_Type_E" else "4400",
            # Some inverters report nothing at all at night, others keep stale values.
            sleeps_bare=rng.random() < 0.35,
        )
        for weight in weights
    )
    production_base = sum(inverter.base_kwh for inverter in inverters) * 0.99
    return Installation(
        pvs_serial=profile.serial,
        production_meter=f"{profile.meter_prefix}{meter_number}p",
        consumption_meter=f"{profile.meter_prefix}{meter_number}c" if profile.consumption else None,
        inverters=inverters,
        production_base_kwh=production_base,
        import_base_kwh=rng.uniform(12000.0, 26000.0),
        export_base_kwh=rng.uniform(9000.0, 20000.0),
        load_base_kwh=rng.uniform(30000.0, 50000.0),
        ess_serial=f"00001ABC{tail[:4]}_01234567890ABCDEF" if profile.ess else None,
        batteries=(
            tuple(BatteryUnit(f"M00122109A{rng.randrange(1000, 9999)}") for _ in range(2))
            if profile.ess
            else ()
        ),
        panid=rng.randrange(10**8, 2**32),
        lmac="00:22:F2:" + ":".join(f"{rng.randrange(256):02X}" for _ in range(3)),
    )
