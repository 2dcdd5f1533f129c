"""Night fill: sleeping inverters at 0 W with their energy, the same objects while unchanged."""

from __future__ import annotations

from dataclasses import replace

from custom_components.sunpower_pvs.night import NightFill
from custom_components.sunpower_pvs.pvs import Generation, Inverter, PVSData, Supervisor

SUPERVISOR = Supervisor(serial="ZT01", device_type="PVS")


def _poll(*inverters: Inverter) -> PVSData:
    return PVSData(
        generation=Generation.LEGACY,
        supervisor=SUPERVISOR,
        inverters={inverter.serial: inverter for inverter in inverters},
    )


def _inverter(serial: str, power_kw: float | None, energy: float | None) -> Inverter:
    return Inverter(
        serial=serial,
        device_type="Inverter",
        state="working" if power_kw else "error",
        power_kw=power_kw,
        lifetime_energy_kwh=energy,
    )


def test_sleeping_inverters_keep_their_identity_while_their_records_do_not_change() -> None:
    fill = NightFill()
    day = _poll(_inverter("E1", 0.3, 100.0), _inverter("E2", 0.3, 200.0))
    assert fill.apply(day) is day
    # After sunset: E1 still listed with a stale power and no energy, E2 gone.
    asleep = _inverter("E1", 0.002, None)
    night = fill.apply(_poll(asleep))
    assert night.inverters["E1"].power_kw == 0.0
    assert night.inverters["E1"].lifetime_energy_kwh == 100.0
    assert night.inverters["E2"].power_kw == 0.0
    assert night.inverters["E2"].lifetime_energy_kwh == 200.0
    # The next night poll brings the same (reused) record: the same filled objects.
    later = fill.apply(_poll(asleep))
    assert later.inverters["E1"] is night.inverters["E1"]
    assert later.inverters["E2"] is night.inverters["E2"]
    # A changed record is filled anew.
    changed = fill.apply(_poll(replace(asleep, state="standby")))
    assert changed.inverters["E1"] is not night.inverters["E1"]
    assert changed.inverters["E1"].state == "standby"
    assert changed.inverters["E1"].lifetime_energy_kwh == 100.0


def test_the_same_night_poll_again_is_the_same_filled_data() -> None:
    fill = NightFill()
    fill.apply(_poll(_inverter("E1", 0.3, 100.0)))
    night = _poll(_inverter("E1", None, None))
    filled = fill.apply(night)
    assert fill.apply(night) is filled
    # Sunrise forgets the night: the first night poll after the next sunset is filled anew.
    assert fill.apply(day := _poll(_inverter("E1", 0.3, 101.0))) is day
    assert fill.apply(night) is not filled
    assert fill.apply(night).inverters["E1"].lifetime_energy_kwh == 101.0
