"""The simulator's own model of the site, run here: the same day the simulator runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pvs_simulator.config import SimulatorConfig
from pvs_simulator.site import Reading
from pvs_simulator.unit import PvsUnit

from .processes import SimulatorSpec

STEP_S = 60  # the model's sampling step
SKIP_S = 3600  # the step before the samples are kept


def _unit(spec: SimulatorSpec, start: datetime) -> PvsUnit:
    """A frozen-clock simulated PVS like the one spec runs, starting at start."""
    config = SimulatorConfig(
        profile=spec.profile,
        firmware="localapi" if spec.firmware == "localapi" else "legacy",
        start=start,
        speed=0.0,
        import_counter="negative" if spec.import_counter == "negative" else "positive",
    )
    return PvsUnit(config)


def inverters_reported(spec: SimulatorSpec, when: datetime) -> bool:
    """True when the PVS reports inverters at when: in daylight, or always on legacy firmware.

    On LocalAPI firmware asleep inverters leave the varserver, so at night the PVS lists none.
    """
    return spec.firmware == "legacy" or _unit(spec, when).site.device_reading.flows.pv_kw > 0


@dataclass(frozen=True, slots=True)
class Sample:
    """The model at one moment: site readings and each inverter's power (kW) by serial."""

    epoch: float
    reading: Reading
    inverters: dict[str, float]


def run_model(
    spec: SimulatorSpec, start: datetime, end: datetime, keep_from: datetime | None = None
) -> list[Sample]:
    """The simulated site from start to end as the simulator runs it; a sample every STEP_S.

    Only the samples from keep_from on are kept (the model still runs from start).
    """
    unit = _unit(spec, start)
    samples = []
    kept_from = (keep_from or start).timestamp() - STEP_S
    while unit.clock.epoch <= end.timestamp() + STEP_S:
        unit.sync()
        if unit.clock.epoch < kept_from:  # the simulator integrates in 15 s steps either way
            unit.clock.advance(max(STEP_S, min(SKIP_S, kept_from - unit.clock.epoch)))
            continue
        site = unit.site
        device_kw = site.device_reading.flows.pv_kw
        inverters = {i.serial.lower(): i.share * device_kw for i in unit.installation.inverters}
        samples.append(Sample(unit.clock.epoch, site.live, inverters))
        unit.clock.advance(STEP_S)
    return samples
