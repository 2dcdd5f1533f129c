"""Night: sleeping inverters show 0 W and keep their lifetime energy instead of vanishing.

After sunset every inverter reports STATE "error"; some drop their measurement fields, and on
LocalAPI firmware they leave the variable server altogether. That is normal, so the
coordinator fills the gap from what it last saw. An inverter silent while its neighbours
produce is not asleep, and is left as the PVS reports it.
"""

from __future__ import annotations

from dataclasses import replace
import weakref

from .pvs import Inverter, PVSData

# Below this an inverter's power is noise, or a stale value kept while it sleeps.
PRODUCING_KW = 0.005
WORKING = "working"


def producing(inverter: Inverter) -> bool:
    """Working (where the PVS says) and delivering more than noise."""
    working = inverter.state is None or inverter.state.lower() == WORKING
    return working and (inverter.power_kw or 0.0) > PRODUCING_KW


class _ProducingCount:
    """How many inverters of a poll produce, counted once per poll.

    Every inverter's problem sensor asks at each poll; counting for each of them is
    quadratic (90,000 checks a poll at 300 inverters through dusk and the night). The poll
    data is immutable, so the count of the last one asked about is its count. That poll is
    held weakly: an old poll (or an unloaded entry's) is not kept alive for its count.
    """

    def __init__(self) -> None:
        self._data: weakref.ref[PVSData] | None = None
        self._count = 0

    def __call__(self, data: PVSData) -> int:
        if self._data is None or self._data() is not data:
            self._count = sum(producing(inverter) for inverter in data.inverters.values())
            self._data = weakref.ref(data)
        return self._count


producing_count = _ProducingCount()


def daylight(data: PVSData) -> bool:
    """Whether any inverter produces: the data's own sign of day."""
    return any(producing(inverter) for inverter in data.inverters.values())


class NightFill:
    """Remembers each inverter's last record to carry it through the night.

    A record that did not change since the last poll is filled into the same object as then,
    so consumers still tell "unchanged" by identity through the night.
    """

    def __init__(self) -> None:
        """Nothing seen yet."""
        self._last: dict[str, Inverter] = {}
        # per serial: the record it was filled from, the energy it kept, and the result
        self._filled: dict[str, tuple[Inverter, float | None, Inverter]] = {}
        self._night: tuple[PVSData, PVSData] | None = None  # the last night poll, as filled

    def apply(self, data: PVSData) -> PVSData:
        """At night: 0 W for sleeping inverters, absent ones carried, energies kept."""
        if daylight(data):
            self._last.update(data.inverters)
            self._filled.clear()
            self._night = None
            return data
        if self._night is not None and self._night[0] is data:
            return self._night[1]  # the same answer as last time
        inverters = dict(data.inverters)
        for serial, last in self._last.items():
            inverters[serial] = self._asleep(serial, inverters.get(serial, last), last)
        for serial, inverter in data.inverters.items():
            if serial not in self._last:
                inverters[serial] = self._asleep(serial, inverter, inverter)
        self._last.update(inverters)
        filled = replace(data, inverters=inverters)
        self._night = (data, filled)
        return filled

    def _asleep(self, serial: str, current: Inverter, last: Inverter) -> Inverter:
        """``current`` at 0 W, with ``last``'s energy where it has none of its own."""
        energy = current.lifetime_energy_kwh
        if energy is None:
            energy = last.lifetime_energy_kwh
        if current.power_kw == 0.0 and current.lifetime_energy_kwh == energy:
            return current
        kept = self._filled.get(serial)
        if kept is not None and kept[0] is current and kept[1] == energy:
            return kept[2]
        asleep = replace(current, power_kw=0.0, lifetime_energy_kwh=energy)
        self._filled[serial] = (current, energy, asleep)
        return asleep
