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


@dataclass(slots=True)
class GridFlow:
    """The site's import and export counters and the registers they follow."""

    imported: float | None = None
    exported: float | None = None
    positive: Track = field(default_factory=Track)
    negative: Track = field(default_factory=Track)
    direction: Direction = field(default_factory=Direction)
    # whether the meter has ever sent each register: one it never sends is derived from
    # net = positive - negative (a PVS5 has no pos_ltea); one missing from a single poll is not
    has_positive: bool = False
    has_negative: bool = False
    lineside: bool = False
    # growth not yet set against the site's other flows (see ``settle``)
    pending_net: float = 0.0
    pending_load: float = 0.0

    @property
    def seen(self) -> bool:
        """Whether the site's consumption meter was ever read."""
        return self.positive.base is not None or self.negative.base is not None

    def registers(self, meter: Meter) -> tuple[float | None, float | None]:
        """Positive and negative register; one the meter never sends, from the other and net."""
        pos, neg, net = meter.positive_energy_kwh, meter.negative_energy_kwh, meter.net_energy_kwh
        self.has_positive = self.has_positive or pos is not None
        self.has_negative = self.has_negative or neg is not None
        if pos is None and not self.has_positive and neg is not None and net is not None:
            pos = net + neg
        if neg is None and not self.has_negative and pos is not None and net is not None:
            neg = pos - net
        return pos, neg

    def orientation(self, override: Orientation | None) -> Orientation | None:
        """Which register counts import: the owner's choice, else what was learnt."""
        return override or self.direction.decided

    def read(
        self,
        data: PVSData,
        meter: Meter,
        when: float,
        *,
        night: bool,
        override: Orientation | None,
        home: HomeFlow,
    ) -> bool:
        """Advance the registers by a poll; False when one this needs is missing from it.

        Load side: import and export are the registers' growth. Line side: the load register
        is the home's consumption. What needs the rest of the site (load side: the home;
        line side: import and export) waits in ``pending_*`` until ``settle``.
        """
        service_kw = max_power_kw(meter, data)
        reported = stamp(meter, when)
        pos, neg = self.registers(meter)
        grew_pos = self.positive.step(pos, reported, service_kw)
        grew_neg = self.negative.step(neg, reported, service_kw)
        self.direction.observe(grew_pos, grew_neg, evidence=night)
        self.lineside = meter.subtype == LINESIDE
        orientation = self.orientation(override)
        if orientation is None:
            return True
        positive_imports = orientation is Orientation.POSITIVE
        drawn_reading, other_reading = (pos, neg) if positive_imports else (neg, pos)
        if drawn_reading is None or (other_reading is None and not self.lineside):
            return False
        drawn_reg, other_reg = (
            (self.positive, self.negative) if positive_imports else (self.negative, self.positive)
        )
        drawn, other = (grew_pos, grew_neg) if positive_imports else (grew_neg, grew_pos)
        if self.imported is None or self.exported is None:
            if self.lineside:  # the house's register goes on; the grid counts from now
                home.total = drawn_reg.base
                self.imported = self.exported = 0.0
            else:
                self.imported, self.exported = drawn_reg.base, other_reg.base
            return True
        if self.lineside:
            home.total = (home.total or 0.0) + drawn
            self.pending_load += drawn
        else:
            self.imported += drawn
            self.exported += other
            self.pending_net += drawn - other
        return True

    def settle(self, solar: float, battery_out: float, home: HomeFlow) -> None:
        """What the grid's growth since the last settle means with the site's other flows.

        ``solar`` and ``battery_out`` (discharge - charge) cover the same span as the
        registers' pending growth: the polls since the last one that read everything.
        """
        if self.imported is not None and self.exported is not None:
            if self.lineside:  # the grid supplied what solar and the battery did not
                flow = self.pending_load - solar - battery_out
                self.imported += max(flow, 0.0)
                self.exported += max(-flow, 0.0)
            else:
                home.add(solar + self.pending_net + battery_out)
        self.pending_load = self.pending_net = 0.0
