"""What is known of an entry's PVS whatever the entry's state, for diagnostics.

Diagnostics matter most when the entry is not loaded: in setup retry, after a refused
password, during a reload. The runtime data is gone then; this keeps the last of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.core import HomeAssistant, callback
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN
from .health import PollHealth
from .pvs import UnitInfo


@dataclass(slots=True)
class EntryMemory:
    """The last polling health, unit and setup error of one config entry."""

    health: PollHealth | None = None
    unit: UnitInfo | None = None
    setup_error: str | None = None


MEMORY: HassKey[dict[str, EntryMemory]] = HassKey(f"{DOMAIN}_memory")


@callback
def entry_memory(hass: HomeAssistant, entry_id: str) -> EntryMemory:
    """The memory of one entry (empty until its first setup)."""
    return hass.data.setdefault(MEMORY, {}).setdefault(entry_id, EntryMemory())


@callback
def forget_entry(hass: HomeAssistant, entry_id: str) -> None:
    """A removed entry leaves nothing behind."""
    hass.data.get(MEMORY, {}).pop(entry_id, None)
