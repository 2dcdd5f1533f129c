"""Site energy sensors against the simulator: the grid direction on both conventions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from custom_components.sunpower_pvs.site_energy import Orientation
from pvs_simulator import SimulatorConfig

from .rig import Rig

# 21:00 in California: the house imports, the panels sleep.
EVENING = datetime(2026, 6, 21, 4, 0, tzinfo=UTC)
IMPORT = "site_grid_import_energy"
EXPORT = "site_grid_export_energy"


@pytest.fixture(params=["positive", "negative"])
def sim_config(request: pytest.FixtureRequest) -> SimulatorConfig:
    return SimulatorConfig(
        profile="typical",
        firmware="legacy",
        speed=0.0,
        start=EVENING,
        seed=1,
        import_counter=request.param,
    )


async def test_grid_direction_is_learnt_at_night_whichever_register_imports(rig: Rig) -> None:
    serial = rig.sim.serial
    ledger = rig.entry.runtime_data.energy.ledger
    for _ in range(24):  # bounded: two night hours
        if ledger.grid_orientation is not None:
            break
        assert rig.state("sensor", f"{serial}_{IMPORT}") == "unknown"
        await rig.poll()
    expected = (
        Orientation.POSITIVE
        if rig.sim.unit.config.import_counter == "positive"
        else Orientation.NEGATIVE
    )
    assert ledger.grid_orientation is expected
    await rig.poll()
    # night: the grid supplies the house, shown as + import whichever way the CTs sit
    assert float(rig.state("sensor", f"{serial}_site_grid_power")) > 100
    totals = rig.sim.unit.site.meter_reading.totals
    start = (
        float(rig.state("sensor", f"{serial}_{IMPORT}")),
        float(rig.state("sensor", f"{serial}_{EXPORT}")),
        totals.import_kwh,
        totals.export_kwh,
    )
    for _ in range(12 * 16):  # through the night into the next afternoon
        await rig.poll()
    totals = rig.sim.unit.site.meter_reading.totals
    imported = float(rig.state("sensor", f"{serial}_{IMPORT}")) - start[0]
    exported = float(rig.state("sensor", f"{serial}_{EXPORT}")) - start[1]
    assert totals.export_kwh - start[3] > 5  # a sunny morning exported
    assert imported == pytest.approx(totals.import_kwh - start[2], abs=0.02)
    assert exported == pytest.approx(totals.export_kwh - start[3], abs=0.02)
