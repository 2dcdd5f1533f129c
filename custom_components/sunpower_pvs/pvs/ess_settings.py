"""The SunVault's owner settings on LocalAPI firmware: operating mode and backup reserve.

Both are varserver variables that the ``ssm_owner`` account may read and write (the SunStrong
app writes the same ones). They are read with one ``name=`` query per poll on a site with an
ESS; a write is ``set=NAME=VALUE`` followed by reading both back, since the ESS may ignore or
adjust what it was sent.
"""

from __future__ import annotations

from collections.abc import Mapping
import dataclasses
from enum import StrEnum
from typing import Any

from .models import EnergyStorage
from .values import number, text

CONTROL_MODE = "/ess/config/dcm/mode_param/control_mode"
BACKUP_RESERVE = "/ess/config/dcm/control_param/min_customer_soc"
SETTINGS_QUERY = f"name={CONTROL_MODE},{BACKUP_RESERVE}&fmt=obj"
RESERVE_MIN_PCT = 0.0
RESERVE_MAX_PCT = 100.0


class ControlMode(StrEnum):
    """The operating modes an owner may choose (the live ``opMode`` may read others)."""

    STANDBY = "STANDBY"
    SELF_CONSUMPTION = "SELF_CONSUMPTION"
    ENERGY_ARBITRAGE = "ENERGY_ARBITRAGE"
    BACKUP_ONLY = "BACKUP_ONLY"


@dataclasses.dataclass(frozen=True, slots=True)
class EssSettings:
    """What the PVS holds: the mode's text as read (None if absent) and the reserve in %."""

    control_mode: str | None = None
    backup_reserve_pct: float | None = None


def settings_from(values: Mapping[str, Any]) -> EssSettings:
    """The settings in a ``/vars`` answer (``fmt=obj``); the reserve is stored as a fraction."""
    mode = text(values.get(CONTROL_MODE))
    fraction = number(values.get(BACKUP_RESERVE))
    reserve = None
    if fraction is not None and 0.0 <= fraction <= 1.0:
        reserve = round(fraction * 100.0, 1)
    return EssSettings(control_mode=mode.upper() if mode else None, backup_reserve_pct=reserve)


def with_settings(
    storage: Mapping[str, EnergyStorage], settings: EssSettings
) -> dict[str, EnergyStorage]:
    """Every ESS of the site with the settings (a site has one varserver ESS)."""
    return {
        serial: dataclasses.replace(
            device,
            control_mode=settings.control_mode,
            backup_reserve_pct=settings.backup_reserve_pct,
        )
        for serial, device in storage.items()
    }


def reserve_assignment(percent: float) -> str:
    """``NAME=VALUE`` for a reserve in whole percent; ValueError outside 0-100 %."""
    if not RESERVE_MIN_PCT <= percent <= RESERVE_MAX_PCT or percent != round(percent):
        raise ValueError(f"backup reserve must be a whole percent from 0 to 100, not {percent}")
    return f"{BACKUP_RESERVE}={round(percent) / 100:.2f}"


def mode_assignment(mode: str) -> str:
    """``NAME=VALUE`` for an operating mode; ValueError for one an owner may not choose."""
    try:
        chosen = ControlMode(mode.upper())
    except ValueError:
        raise ValueError(f"not an operating mode an owner may choose: {mode!r}") from None
    return f"{CONTROL_MODE}={chosen.value}"
