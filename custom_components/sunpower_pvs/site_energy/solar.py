"""Solar energy: the production meter's register, else the sum of the inverters' counters.

The production meter counts when it has ever read above 0 (its CTs may never have been
installed: then it reads zeros). Otherwise each inverter's lifetime counter is followed on
its own, so one missing from a poll, waking at sunrise or replaced adds no jump.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..pvs import Meter, PVSData
from .limits import max_power_kw, stamp
from .track import Track


@dataclass(slots=True)
class SolarFlow:
    """The site's solar counter and the registers it follows."""

    total: float | None = None
    meter_counts: bool = False
    production: Track = field(default_factory=Track)
    inverters: dict[str, Track] = field(default_factory=dict)
    # Counted from the inverters while the production meter was missing from the list; the
    # meter's register covers that span again when it is back, so this much of it is not
    # counted twice.
    provisional: float = 0.0

    def step(self, data: PVSData, meter: Meter | None, when: float, *, started: bool) -> float:
        """Solar growth this poll; starts the counter at the first lifetime seen.

        ``started``: the site was seen before, so an inverter appearing now is new.
        """
        reading = meter.net_energy_kwh if meter else None
        from_meter = 0.0
        if meter is not None:
            from_meter = self.production.step(
                reading, stamp(meter, when), max_power_kw(meter, data)
            )
        self.meter_counts = self.meter_counts or (reading or 0.0) > 0.0
        from_inverters = 0.0
        lifetimes = 0.0
        for serial, inverter in data.inverters.items():
            lifetime = inverter.lifetime_energy_kwh
            new = started and serial not in self.inverters
            track = self.inverters.setdefault(serial, Track())
            limit = max_power_kw(inverter, data)
            from_inverters += track.step(lifetime, stamp(inverter, when), limit, new=new)
            lifetimes += lifetime or 0.0
        if self.total is None:
            if self.meter_counts:
                self.total = reading
            elif any(track.base is not None for track in self.inverters.values()):
                self.total = lifetimes
            return 0.0
        if not self.meter_counts:
            growth = from_inverters
        elif meter is None:  # the meter is missing: the inverters stand in for it
            growth = from_inverters
            self.provisional += from_inverters
        else:
            growth = max(from_meter - self.provisional, 0.0)
            self.provisional = max(self.provisional - from_meter, 0.0)
        self.total += growth
        return growth
