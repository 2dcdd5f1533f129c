"""The counter rules and the site ledger, fed readings directly."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from itertools import pairwise

import pytest

from custom_components.sunpower_pvs.pvs import (
    EnergyStorage,
    Generation,
    Inverter,
    Meter,
    MeterKind,
    PVSData,
    Supervisor,
)
from custom_components.sunpower_pvs.site_energy import SiteEnergy, SiteLedger
from custom_components.sunpower_pvs.site_energy.store import _from_version_1
from custom_components.sunpower_pvs.site_energy.track import (
    CONFIRM_DROP_POLLS,
    Direction,
    NetTrack,
    Orientation,
    Track,
)

POLL_S = 300.0
T0 = 1_780_000_000.0


def _feed(track: Track, readings: list[float | None], max_kw: float = 0.5) -> list[float]:
    return [track.step(value, T0 + i * POLL_S, max_kw) for i, value in enumerate(readings)]


def test_normal_growth_is_added_and_unchanged_readings_add_nothing() -> None:
    assert _feed(Track(), [100.0, 100.02, 100.02, 100.05]) == pytest.approx([0, 0.02, 0, 0.03])


@pytest.mark.parametrize("glitch", [0.0, 80.0, None])
def test_a_glitch_low_or_missing_adds_nothing_and_the_return_adds_only_growth(
    glitch: float | None,
) -> None:
    added = _feed(Track(), [100.0, 100.02, glitch, 100.06])
    assert added == pytest.approx([0, 0.02, 0, 0.04])


def test_a_reset_that_persists_is_accepted_once_without_a_spike() -> None:
    readings = [100.0, 100.02] + [0.0 + 0.01 * i for i in range(CONFIRM_DROP_POLLS)] + [0.05]
    added = _feed(Track(), readings)
    # the low run's own growth counts when it is confirmed, then normal growth again
    assert sum(added) == pytest.approx(0.02 + 0.01 * (CONFIRM_DROP_POLLS - 1) + 0.03)
    assert max(added) < 0.05


def test_a_small_sag_is_waited_out_however_long_it_lasts() -> None:
    # rounding noise of a derived register: never a reset, so never counted twice
    added = _feed(Track(), [100.0, 100.02] + [99.99] * (CONFIRM_DROP_POLLS + 2) + [100.03])
    assert sum(added) == pytest.approx(0.03)


def test_an_implausible_jump_is_held_then_dropped_or_confirmed() -> None:
    glitch = _feed(Track(), [100.0, 100.02, 150.0, 100.05])
    assert glitch == pytest.approx([0, 0.02, 0, 0.03])
    # a replacement reading higher: the next poll continues from it, so it is the new start
    replaced = _feed(Track(), [100.0, 100.02, 150.0, 150.03, 150.05])
    assert replaced == pytest.approx([0, 0.02, 0, 0.03, 0.02])


def test_a_long_gap_allows_the_growth_of_its_time() -> None:
    track = Track()
    track.step(100.0, T0, 0.5)
    # two hours unpolled (Home Assistant was down): 0.8 kWh is within 0.5 kW x 2 h
    assert track.step(100.8, T0 + 7200, 0.5) == pytest.approx(0.8)


def test_a_restored_value_is_kept_over_a_lower_reading_and_any_rise_counts() -> None:
    track = Track()
    track.step(95.0, T0, 0.5)
    track.restore(100.0)  # shown before the restart
    assert track.step(99.0, T0 + 300, 0.5) == 0.0
    assert track.base == 100.0  # a sag is not shown
    # hours unknown since the restart: the rise counts, not held as a jump
    assert track.step(103.0, T0 + 600, 0.5) == pytest.approx(3.0)
    assert track.base == 103.0


def test_a_new_device_counts_from_zero_only_when_fresh() -> None:
    fresh = Track()
    assert fresh.step(0.01, T0, 0.5, new=True) == pytest.approx(0.01)
    woke = Track()
    assert woke.step(1500.0, T0, 0.5, new=True) == 0.0
    assert woke.base == 1500.0


@pytest.mark.parametrize(
    ("positive", "negative", "expected"),
    [(0.1, 0.0, Orientation.POSITIVE), (0.0, 0.1, Orientation.NEGATIVE)],
)
def test_direction_is_learnt_from_evidence_only(
    positive: float, negative: float, expected: Orientation
) -> None:
    direction = Direction()
    for _ in range(10):
        direction.observe(negative, positive, evidence=False)  # daytime: says nothing
    assert direction.decided is None
    direction.observe(positive, negative, evidence=True)
    assert direction.decided is None  # not enough yet
    for _ in range(3):
        direction.observe(positive, negative, evidence=True)
    assert direction.decided is expected
    direction.observe(negative * 10, positive * 10, evidence=True)
    assert direction.decided is expected  # kept once decided


def test_direction_waits_while_both_grow() -> None:
    direction = Direction()
    for _ in range(20):
        direction.observe(0.1, 0.08, evidence=True)
    assert direction.decided is None


def _data(
    when: float,
    *,
    inverters: dict[str, float] | None = None,
    production: float | None = None,
    consumption: tuple[float | None, float | None, float | None] | None = None,
    subtype: str | None = None,
    battery: EnergyStorage | None = None,
    producing_kw: float = 0.0,
) -> PVSData:
    stamp = datetime.fromtimestamp(when, UTC)
    meters: dict[str, Meter] = {}
    if production is not None:
        meters["p"] = Meter(
            serial="p",
            device_type="Power Meter",
            kind=MeterKind.PRODUCTION,
            net_energy_kwh=production,
            power_kw=producing_kw,
            last_report=stamp,
        )
    if consumption is not None:
        pos, neg, net = consumption
        meters["c"] = Meter(
            serial="c",
            device_type="Power Meter",
            kind=MeterKind.CONSUMPTION,
            subtype=subtype,
            positive_energy_kwh=pos,
            negative_energy_kwh=neg,
            net_energy_kwh=net,
            last_report=stamp,
        )
    return PVSData(
        generation=Generation.LEGACY,
        supervisor=Supervisor(serial="PVS", device_type="PVS", last_report=stamp),
        meters=meters,
        inverters={
            serial: Inverter(
                serial=serial,
                device_type="Inverter",
                lifetime_energy_kwh=energy,
                power_kw=producing_kw / max(len(inverters or {}), 1),
                last_report=stamp,
            )
            for serial, energy in (inverters or {}).items()
        },
        storage={"ess": battery} if battery else {},
    )


def test_solar_from_inverters_carries_missing_ones_and_counts_a_replacement_from_zero() -> None:
    ledger = SiteLedger()
    ledger.update(_data(T0, inverters={"a": 1000.0, "b": 2000.0}, producing_kw=0.6), T0)
    assert ledger.energy.solar == pytest.approx(3000.0)
    ledger.update(_data(T0 + 300, inverters={"a": 1000.02}, producing_kw=0.6), T0 + 300)
    assert ledger.energy.solar == pytest.approx(3000.02)  # b missing: no sag
    ledger.update(
        _data(T0 + 600, inverters={"a": 1000.04, "b": 2000.04}, producing_kw=0.6), T0 + 600
    )
    assert ledger.energy.solar == pytest.approx(3000.08)  # b back: only its growth
    # b replaced by c, fresh from the factory; d is an old inverter first seen now (sunrise)
    ledger.update(
        _data(T0 + 900, inverters={"a": 1000.06, "c": 0.01, "d": 1800.0}, producing_kw=0.6),
        T0 + 900,
    )
    assert ledger.energy.solar == pytest.approx(3000.11)


def test_production_meter_reading_zeros_falls_back_to_the_inverters() -> None:
    ledger = SiteLedger()
    for i in range(3):
        when = T0 + i * POLL_S
        ledger.update(
            _data(when, production=0.0, inverters={"a": 10.0 + 0.02 * i}, producing_kw=0.3), when
        )
    assert ledger.energy.solar == pytest.approx(10.04)


def _night_then_day(ledger: SiteLedger, *, import_positive: bool, subtype: str | None) -> None:
    """Two night hours importing 0.5 kW, then a day hour exporting 1 kW."""
    imported, exported, when = 5000.0, 3000.0, T0
    for hour in range(3):
        night = hour < 2
        for _ in range(12):
            when += POLL_S
            if night:
                imported += 0.5 / 12
            else:
                exported += 1.0 / 12
            pos, neg = (imported, exported) if import_positive else (exported, imported)
            ledger.update(
                _data(
                    when,
                    production=100.0 + max(0.0, (when - T0) / 3600 - 2) * 2,
                    consumption=(pos, neg, pos - neg),
                    subtype=subtype,
                    producing_kw=0.0 if night else 2.0,
                ),
                when,
            )


@pytest.mark.parametrize("import_positive", [True, False])
def test_grid_direction_is_learnt_at_night_on_both_conventions(import_positive: bool) -> None:
    ledger = SiteLedger()
    _night_then_day(ledger, import_positive=import_positive, subtype="NET_CONSUMPTION_LOADSIDE")
    expected = Orientation.POSITIVE if import_positive else Orientation.NEGATIVE
    assert ledger.grid_orientation is expected
    energy = ledger.energy
    assert energy.grid_import is not None
    assert energy.grid_export is not None
    # the import register's lifetime, then the day's export on the other one
    assert energy.grid_import == pytest.approx(5000.0 + 1.0)
    assert energy.grid_export == pytest.approx(3000.0 + 1.0)


def test_the_owner_override_wins_over_the_data() -> None:
    ledger = SiteLedger(grid_override=Orientation.NEGATIVE)
    _night_then_day(ledger, import_positive=True, subtype=None)
    assert ledger.grid_orientation is Orientation.NEGATIVE
    assert ledger.state.grid.direction.decided is Orientation.POSITIVE  # learnt, not used
    assert ledger.energy.grid_import == pytest.approx(3000.0 + 1.0)


def test_grid_counters_stay_unknown_until_the_direction_is_known() -> None:
    ledger = SiteLedger()
    ledger.update(_data(T0, consumption=(1.0, 2.0, -1.0), producing_kw=1.0), T0)
    assert ledger.energy.grid_import is None
    assert ledger.energy.home is None


def test_a_pvs5_meter_without_pos_ltea_derives_it_from_net() -> None:
    ledger = SiteLedger()
    _night_then_day(ledger, import_positive=True, subtype=None)
    reference = ledger.energy
    pvs5 = SiteLedger()
    imported, exported = 5000.0, 3000.0
    # same flows, positive register absent: net = pos - neg gives it back
    ledger_steps = []
    when = T0
    for hour in range(3):
        for _ in range(12):
            when += POLL_S
            if hour < 2:
                imported += 0.5 / 12
            else:
                exported += 1.0 / 12
            ledger_steps.append((when, imported, exported, hour < 2))
    for when, imp, exp, night in ledger_steps:
        pvs5.update(
            _data(
                when,
                production=100.0 + max(0.0, (when - T0) / 3600 - 2) * 2,
                consumption=(None, exp, imp - exp),
                producing_kw=0.0 if night else 2.0,
            ),
            when,
        )
    assert pvs5.energy.grid_import == pytest.approx(reference.grid_import)
    assert pvs5.energy.grid_export == pytest.approx(reference.grid_export)


def test_lineside_grid_is_load_minus_production_per_poll() -> None:
    ledger = SiteLedger()
    load, produced, when = 40000.0, 100.0, T0
    for step in range(48):
        when += POLL_S
        night = step < 24
        load += 1.0 / 12  # 1 kW house
        produced += 0.0 if night else 3.0 / 12  # 3 kW of sun by day
        ledger.update(
            _data(
                when,
                production=produced,
                consumption=(load, 2.91, load - 2.91),
                subtype="GROSS_CONSUMPTION_LINESIDE",
                producing_kw=0.0 if night else 3.0,
            ),
            when,
        )
    energy = ledger.energy
    assert ledger.grid_orientation is Orientation.POSITIVE
    # home follows the load register; grid import and export start at 0 when the direction
    # is known (the 4th night poll: the first only sets the start, then 3 of 1/12 kWh), then
    # the rest of the night is import and two day hours of 2 kW surplus are export
    assert energy.home == pytest.approx(load)
    assert energy.grid_import == pytest.approx(20 / 12)
    assert energy.grid_export == pytest.approx(4.0)


def test_battery_power_is_integrated_split_at_zero_and_survives_a_restore() -> None:
    ledger = SiteLedger()
    battery = EnergyStorage(serial="ess", device_type="Energy Storage System")
    powers = [2.0, 2.0, -2.0, -2.0]  # kW, + discharge
    for i, power in enumerate(powers[:2]):
        when = T0 + i * 3600
        ledger.update(_data(when, battery=replace(battery, power_kw=power)), when)
    saved = ledger.as_dict()
    restored = SiteLedger()
    restored.restore(saved)
    for i, power in enumerate(powers[2:], start=2):
        when = T0 + i * 3600
        restored.update(_data(when, battery=replace(battery, power_kw=power)), when)
    energy = restored.energy
    # 1 h at 2 kW, then a linear swing through 0 (0.5 kWh each way), then 1 h at -2 kW
    assert energy.battery_discharged == pytest.approx(2.5)
    assert energy.battery_charged == pytest.approx(2.5)


@pytest.mark.parametrize("charging", [True, False])
def test_battery_registers_are_oriented_by_the_state_of_charge(charging: bool) -> None:
    ledger = SiteLedger()
    # registers mapped "discharged" / "charged" but installed the other way round
    charged_reg, discharged_reg, soc = 100.0, 200.0, 80.0
    for i in range(12):
        when = T0 + i * POLL_S
        if charging:  # filling up: the charge register grows
            charged_reg += 0.1
            soc += 0.5
        else:
            discharged_reg += 0.1
            soc -= 0.5
        ledger.update(
            _data(
                when,
                battery=EnergyStorage(
                    serial="ess",
                    device_type="Energy Storage System",
                    discharged_energy_kwh=charged_reg,
                    charged_energy_kwh=discharged_reg,
                    state_of_charge_pct=soc,
                ),
            ),
            when,
        )
    assert ledger.state.battery.direction.decided is Orientation.NEGATIVE
    energy = ledger.energy
    assert energy.battery_discharged is not None
    assert energy.battery_charged is not None
    # each follows its own register: discharge the one the PVS names "charged"
    assert energy.battery_discharged >= 200.0
    assert energy.battery_charged < 200.0


def _net(readings: list[float | None], max_kw: float = 5.0) -> list[float | None]:
    track = NetTrack()
    shown: list[float | None] = []
    for i, value in enumerate(readings):
        track.step(value, T0 + i * POLL_S, max_kw)
        shown.append(track.base)
    return shown


def test_a_net_register_falls_while_exporting_but_never_faster_than_the_meter() -> None:
    assert _net([100.0, 99.7, 99.4]) == pytest.approx([100.0, 99.7, 99.4])


def test_a_net_register_holds_a_glitch_to_zero_and_a_spike() -> None:
    assert _net([100.0, 0.0, 100.1, 1e6, 100.2]) == pytest.approx(
        [100.0, 100.0, 100.1, 100.1, 100.2]
    )


def test_a_net_register_takes_a_real_reset_after_three_polls_and_a_jump_after_two() -> None:
    assert _net([100.0, 0.0, 0.01, 0.02, 0.03]) == pytest.approx([100.0, 100.0, 100.0, 0.02, 0.03])
    assert _net([100.0, 500.0, 500.1]) == pytest.approx([100.0, 100.0, 500.1])


def test_a_register_missing_from_one_poll_is_held_not_rebuilt_from_net() -> None:
    """Real captures' pos and net + neg differ by ~0.15 kWh: rebuilding makes false import."""
    ledger = SiteLedger(Orientation.POSITIVE)
    pos, neg, when = 5000.0, 3000.0, T0
    imports = []
    for step in range(6):
        when += POLL_S
        pos += 0.05
        reading = None if step == 3 else pos
        net = pos - neg + 0.15  # the net register disagrees with pos - neg, as seen
        ledger.update(_data(when, production=100.0, consumption=(reading, neg, net)), when)
        imports.append(ledger.energy.grid_import)
    assert imports[-1] == pytest.approx(imports[0] + 5 * 0.05)
    assert all(b - a >= 0 for a, b in pairwise(imports))


def test_the_flat_version_1_store_is_read_into_the_flows() -> None:
    old = {
        "started": True,
        "solar": 1234.5,
        "meter_counts": True,
        "production": {"base": 1300.0, "base_time": T0},
        "inverters": {"E1": {"base": 10.0, "base_time": T0}},
        "grid_positive": {"base": 5000.0, "base_time": T0},
        "grid_negative": {"base": 3000.0, "base_time": T0},
        "grid_direction": {"decided": "negative"},
        "grid_import": 70.0,
        "grid_export": 20.0,
        "home": 90.0,
        "home_sum": 89.5,
        "charged": 4.0,
        "discharged": 3.0,
        "battery_soc": 55.0,
        "battery_sample": [T0, -1.5],
    }
    ledger = SiteLedger()
    ledger.restore(_from_version_1(old))
    assert ledger.energy == SiteEnergy(
        solar=1234.5,
        grid_import=70.0,
        grid_export=20.0,
        home=90.0,
        battery_charged=4.0,
        battery_discharged=3.0,
    )
    assert ledger.grid_orientation is Orientation.NEGATIVE
    assert ledger.state.solar.inverters["E1"].base == 10.0
    assert ledger.state.battery.sample == (T0, -1.5)
    # and what it saves now reads back the same
    again = SiteLedger()
    again.restore(ledger.as_dict())
    assert again.as_dict() == ledger.as_dict()
