"""Device states with a known set of values: the options of enum sensors, translated.

The PVS sends them as codes (``SELF_CONSUMPTION``, ``MID_STATE_CLOSED``, ``error``). Each is
read into one of a fixed set of lower-case options; a value outside the set (a firmware
with a state of its own) shows as unknown, never breaks the entity, and is logged once.
"""

from __future__ import annotations

from functools import cache

from .const import LOGGER

# The SunVault's operating mode (ESS status ``operational_mode``, varserver ``opMode``).
OPERATING_MODES = (
    "standby",
    "self_consumption",
    "energy_arbitrage",
    "backup_only",
    "tariff_optimizer",
    "manual_charge",
    "manual_dcm",
    "dcm",
    "heco_zero_export",
    "unknown",
)
# The Hub+'s microgrid interconnect contactor, and its PV disconnect relay.
SWITCH_STATES = ("open", "closed", "unknown")
# An inverter's STATE on legacy firmware (asleep at night: "error").
INVERTER_STATES = ("working", "error")
# A consumption or production meter's CT placement.
METER_TYPES = (
    "gross_production",
    "gross_production_site",
    "net_consumption_loadside",
    "gross_consumption_lineside",
    "storage_meter",
    "not_used",
    "unknown_type",
)


def option(raw: str | None, options: tuple[str, ...], prefix: str = "") -> str | None:
    """``raw`` as one of ``options`` (without ``prefix``), or None for what is not among them."""
    if raw is None:
        return None
    value = raw.strip().lower().removeprefix(prefix)
    if value in options:
        return value
    _note_unknown(value, options)
    return None


@cache
def _note_unknown(value: str, options: tuple[str, ...]) -> None:
    """Once per value: a state this integration does not know yet."""
    LOGGER.debug("Unknown device state %r (known: %s); shown as unknown", value, options)
