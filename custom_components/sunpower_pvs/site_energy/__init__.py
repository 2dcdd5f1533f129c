"""Site energy for the Energy dashboard: per-flow counters guarded by the counter rules."""

from .coordinator import EnergyCoordinator
from .ledger import SiteEnergy, SiteLedger
from .limits import BATTERY_MAX_KW, max_power_kw
from .store import async_remove_energy_store
from .track import Direction, NetTrack, Orientation, Track

__all__ = [
    "BATTERY_MAX_KW",
    "Direction",
    "EnergyCoordinator",
    "NetTrack",
    "Orientation",
    "SiteEnergy",
    "SiteLedger",
    "Track",
    "async_remove_energy_store",
    "max_power_kw",
]
