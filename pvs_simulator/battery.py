"""The SunVault battery: its owner's settings and how it dispatches power under them."""

from __future__ import annotations

from dataclasses import dataclass
import math
from typing import Literal, cast, get_args

from .sun import local_hour

BATTERY_KWH = 13.0
BATTERY_MAX_KW = 6.8
# System state of charge at 0 % customer state of charge: the BMS keeps this much back.
SOC_FLOOR = 0.2
# Power ramps down over the last 2 % before a limit, so 15-second steps never overshoot it.
RAMP_SOC = 0.02
# How close to full or to the reserve counts as "at the limit" for opMode.
LIMIT_SOC = 0.01
# Energy arbitrage covers the house in the evening peak, site mean solar time (sun.local_hour).
PEAK_HOURS = (16.0, 21.0)

ControlMode = Literal["STANDBY", "SELF_CONSUMPTION", "ENERGY_ARBITRAGE", "BACKUP_ONLY"]
CONTROL_MODES: tuple[ControlMode, ...] = get_args(ControlMode)
DEFAULT_RESERVE = 0.30


@dataclass(frozen=True, slots=True)
class EssControl:
    """What the owner chose in the SunStrong app: the mode and the backup reserve.

    ``reserve`` is the lowest customer state of charge (fraction 0-1) the battery discharges
    to for the house; below it the charge is kept for outages.
    """

    mode: ControlMode = "SELF_CONSUMPTION"
    reserve: float = DEFAULT_RESERVE

    def __post_init__(self) -> None:
        """Refuse settings the ESS would refuse."""
        if self.mode not in CONTROL_MODES:
            raise ValueError(f"unknown mode {self.mode!r}; known: {', '.join(CONTROL_MODES)}")
        if not (math.isfinite(self.reserve) and 0.0 <= self.reserve <= 1.0):
            raise ValueError(f"reserve must be a fraction 0-1, not {self.reserve!r}")

    def changed(self, mode: str | None = None, reserve: float | None = None) -> EssControl:
        """These settings with the given ones changed (ValueError if refused)."""
        return EssControl(
            cast("ControlMode", self.mode if mode is None else mode),
            self.reserve if reserve is None else reserve,
        )

    @property
    def floor_soc(self) -> float:
        """The system state of charge the reserve corresponds to."""
        return SOC_FLOOR + (1.0 - SOC_FLOOR) * self.reserve


DEFAULT_CONTROL = EssControl()


def customer_soc(soc: float) -> float:
    """The state of charge the owner sees (0 at the BMS floor)."""
    return max(0.0, (soc - SOC_FLOOR) / (1.0 - SOC_FLOOR))


def battery_kw(
    control: EssControl, *, pv_kw: float, load_kw: float, soc: float, epoch: float
) -> float:
    """Battery power (positive discharges) under ``control``.

    Every mode but STANDBY soaks up surplus solar; only SELF_CONSUMPTION, and
    ENERGY_ARBITRAGE in the evening peak, cover the house, and never below the reserve.
    """
    if control.mode == "STANDBY":
        return 0.0
    surplus = pv_kw - load_kw
    if surplus > 0:
        headroom = _ramp(1.0 - soc)
        return -min(surplus, BATTERY_MAX_KW) * headroom
    if not _covers_house(control.mode, epoch):
        return 0.0
    return min(-surplus, BATTERY_MAX_KW) * _ramp(soc - control.floor_soc)


def op_mode(control: EssControl, soc: float) -> str:
    """The live ``opMode``: the mode, or TARIFF_OPTIMIZER while arbitrage idles at a limit."""
    at_limit = soc >= 1.0 - LIMIT_SOC or soc <= control.floor_soc + LIMIT_SOC
    if control.mode == "ENERGY_ARBITRAGE" and at_limit:
        return "TARIFF_OPTIMIZER"
    return control.mode


def _covers_house(mode: ControlMode, epoch: float) -> bool:
    if mode == "SELF_CONSUMPTION":
        return True
    start, end = PEAK_HOURS
    return mode == "ENERGY_ARBITRAGE" and start <= local_hour(epoch) < end


def _ramp(margin_soc: float) -> float:
    return min(1.0, max(0.0, margin_soc / RAMP_SOC))
