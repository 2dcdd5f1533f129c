"""Grid import and export from the consumption meter, as its CTs are placed.

``NET_CONSUMPTION_LOADSIDE`` (and meters without a subtype) see the grid: one register
counts import, the other export. ``GROSS_CONSUMPTION_LINESIDE`` sees the house load: the
grid flow per poll is load growth minus solar growth (minus battery discharge, plus charge),
split into import or export, and the load register is the home's consumption. A PVS5 meter
without ``pos_ltea`` gets it from net + neg. Which register is import is learnt from the
data (it grows at night) or set by the owner; until then the counters stay unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..pvs import Meter, PVSData
from ..site import LINESIDE
from .home import HomeFlow
from .limits import max_power_kw, stamp
from .track import Direction, Orientation, Track


def registers(meter: Meter) -> tuple[float | None, float | None]:
    """Positive and negative register; one missing is derived from net = pos - neg."""
    pos, neg, net = meter.positive_energy_kwh, meter.negative_energy_kwh, meter.net_energy_kwh
    if pos is None and neg is not None and net is not None:
        pos = net + neg
    if neg is None and pos is not None and net is not None:
        neg = pos - net
    return pos, neg


@dataclass(slots=True)
class GridFlow:
    """The site's import and export counters and the registers they follow."""

    imported: float | None = None
    exported: float | None = None
    positive: Track = field(default_factory=Track)
    negative: Track = field(default_factory=Track)
    direction: Direction = field(default_factory=Direction)

    def orientation(self, override: Orientation | None) -> Orientation | None:
        """Which register counts import: the owner's choice, else what was learnt."""
        return override or self.direction.decided

    def step(
        self,
        data: PVSData,
        meter: Meter,
        when: float,
        *,
        night: bool,
        override: Orientation | None,
        solar: float,
        battery_out: float,
        home: HomeFlow,
    ) -> None:
        """Import, export and home growth from the consumption meter's registers."""
        service_kw = max_power_kw(meter, data)
        reported = stamp(meter, when)
        pos, neg = registers(meter)
        grew_pos = self.positive.step(pos, reported, service_kw)
        grew_neg = self.negative.step(neg, reported, service_kw)
        self.direction.observe(grew_pos, grew_neg, evidence=night)
        orientation = self.orientation(override)
        if orientation is None:
            return
        positive_imports = orientation is Orientation.POSITIVE
        drawn_reg, other_reg = (
            (self.positive, self.negative) if positive_imports else (self.negative, self.positive)
        )
        drawn, other = (grew_pos, grew_neg) if positive_imports else (grew_neg, grew_pos)
        if meter.subtype == LINESIDE:
            self._lineside(drawn_reg, drawn, solar, battery_out, home)
            return
        if self.imported is None or self.exported is None:
            self.imported, self.exported = drawn_reg.base, other_reg.base
            return
        self.imported += drawn
        self.exported += other
        home.add(solar + drawn - other + battery_out)

    def _lineside(
        self, load_reg: Track, load: float, solar: float, battery_out: float, home: HomeFlow
    ) -> None:
        """The CTs see the house: the grid supplies what solar and battery do not."""
        if home.total is None or self.imported is None or self.exported is None:
            home.total = load_reg.base
            self.imported = self.exported = 0.0
            return
        home.total += load
        flow = load - solar - battery_out
        self.imported += max(flow, 0.0)
        self.exported += max(-flow, 0.0)
