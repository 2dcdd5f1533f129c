"""Night: sleeping inverters show 0 W and keep their lifetime energy instead of vanishing.

After sunset every inverter reports STATE "error"; some drop their measurement fields, and on
LocalAPI firmware they leave the variable server altogether. That is normal, so the
coordinator fills the gap from what it last saw. An inverter silent while its neighbours
produce is not asleep, and is left as the PVS reports it.
"""

from __future__ import annotations

from dataclasses import replace

from .pvs import Inverter, PVSData

# Below this an inverter's power is noise, or a stale value kept while it sleeps.
PRODUCING_KW = 0.005
WORKING = "working"


def producing(inverter: Inverter) -> bool:
    """Working (where the PVS says) and delivering more than noise."""
    working = inverter.state is None or inverter.state.lower() == WORKING
    return working and (inverter.power_kw or 0.0) > PRODUCING_KW


def daylight(data: PVSData) -> bool:
    """Whether any inverter produces: the data's own sign of day."""
    return any(producing(inverter) for inverter in data.inverters.values())


class NightFill:
    """Remembers each inverter's last record to carry it through the night."""

    def __init__(self) -> None:
        """Nothing seen yet."""
        self._last: dict[str, Inverter] = {}

    def apply(self, data: PVSData) -> PVSData:
        """At night: 0 W for sleeping inverters, absent ones carried, energies kept."""
        if daylight(data):
            self._last.update(data.inverters)
            return data
        inverters = dict(data.inverters)
        for serial, last in self._last.items():
            current = inverters.get(serial, last)
            energy = current.lifetime_energy_kwh
            if energy is None:
                energy = last.lifetime_energy_kwh
            inverters[serial] = replace(current, power_kw=0.0, lifetime_energy_kwh=energy)
        for serial, inverter in data.inverters.items():
            if serial not in self._last:
                inverters[serial] = replace(inverter, power_kw=0.0)
        self._last.update(inverters)
        return replace(data, inverters=inverters)
