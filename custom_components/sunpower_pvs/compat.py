"""What differs between the Home Assistant releases this integration supports, in one place.

Each difference is detected from the running release's own API (a key its types declare, a
module it ships), never from its version string, so a backport or a release in between
behaves as its API says.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, cast

from homeassistant.components.energy.data import GridSourceType, SolarSourceType
from homeassistant.config_entries import ConfigFlowResult, OptionsFlow
from homeassistant.const import UnitOfApparentPower, UnitOfReactivePower
from homeassistant.helpers import device_registry as dr

# An options flow that reloads the entry after changed options, without an update listener
# (2026.12 refuses a flow's reload of an entry that has one). 2025.4 has no such class.
if TYPE_CHECKING:

    class OptionsFlowWithReload(OptionsFlow):
        """An options flow, to the type checker whichever release it reads."""

else:
    try:
        from homeassistant.config_entries import OptionsFlowWithReload
    except ImportError:  # Home Assistant 2025.4

        class OptionsFlowWithReload(OptionsFlow):
            """Reload the entry when the options changed, as later releases' own class does."""

            def async_create_entry(self, **kwargs: Any) -> ConfigFlowResult:
                """Save the options first, so the reload reads them."""
                entry = self.config_entry
                if self.hass.config_entries.async_update_entry(entry, options=kwargs["data"]):
                    self.hass.config_entries.async_schedule_reload(entry.entry_id)
                return super().async_create_entry(**kwargs)


# The result type of repair flows' steps: its own from 2026.9, FlowResult before.
try:
    from homeassistant.components.repairs import (  # type: ignore[attr-defined, unused-ignore]
        RepairsFlowResult,
    )
except ImportError:  # Home Assistant before 2026.9
    from homeassistant.data_entry_flow import (  # type: ignore[assignment, no-redef, unused-ignore]
        FlowResult as RepairsFlowResult,
    )

# The schema library Home Assistant validates flow forms with: probatio from 2026.9 on
# (where ``voluptuous`` is an alias of it), voluptuous before.
try:
    import probatio as vol  # type: ignore[import-not-found, unused-ignore]
except ImportError:  # Home Assistant before 2026.9
    import voluptuous as vol  # type: ignore[no-redef, unused-ignore]

__all__ = [
    "FLAT_GRID_SOURCE",
    "KVAR_SCALE",
    "KVAR_UNIT",
    "KVA_SCALE",
    "KVA_UNIT",
    "POWER_IN_PREFERENCES",
    "VIA_DEVICE_ID",
    "OptionsFlowWithReload",
    "RepairsFlowResult",
    "link_to_parent",
    "vol",
]


def _keys(typed_dict: Any) -> frozenset[str]:
    return frozenset(typed_dict.__required_keys__ | typed_dict.__optional_keys__)


# 2026.8 links a device to its parent by the parent's registry id (``via_device_id``); the
# identifier tuple (``via_device``) is deprecated there and unknown to the id form before.
VIA_DEVICE_ID: Final = "via_device_id" in _keys(dr.DeviceInfo)
# 2026.3 made a grid source one flat connection (``stat_energy_from`` / ``stat_energy_to`` /
# ``stat_rate``) instead of ``flow_from`` / ``flow_to`` / ``power`` lists.
FLAT_GRID_SOURCE: Final = "stat_energy_from" in _keys(GridSourceType)
# Newer releases (2026.2 does, 2025.4 does not) take each source's power sensor, for the
# power-flow cards; older ones reject the key.
POWER_IN_PREFERENCES: Final = "stat_rate" in _keys(SolarSourceType)


# Home Assistant learnt kvar and kVA in 2025.x; on older releases the same quantity is reported
# in var / VA rather than mislabelled kilo-units (the mistake other integrations make).
if hasattr(UnitOfReactivePower, "KILO_VOLT_AMPERE_REACTIVE"):
    KVAR_UNIT, KVAR_SCALE = str(UnitOfReactivePower.KILO_VOLT_AMPERE_REACTIVE), 1.0
else:
    KVAR_UNIT, KVAR_SCALE = str(UnitOfReactivePower.VOLT_AMPERE_REACTIVE), 1000.0
if hasattr(UnitOfApparentPower, "KILO_VOLT_AMPERE"):
    KVA_UNIT, KVA_SCALE = str(UnitOfApparentPower.KILO_VOLT_AMPERE), 1.0
else:
    KVA_UNIT, KVA_SCALE = str(UnitOfApparentPower.VOLT_AMPERE), 1000.0


def link_to_parent(
    info: dr.DeviceInfo, identifier: tuple[str, str], device_id: str
) -> dr.DeviceInfo:
    """``info`` linked to its registered parent, known by identifier and registry id."""
    link = cast(dict[str, Any], info)
    if VIA_DEVICE_ID:
        link["via_device_id"] = device_id
    else:
        link["via_device"] = identifier
    return info
