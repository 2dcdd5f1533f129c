"""The SunVault settings on the varserver (``/ess/config/...``), as text read and written."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .battery import EssControl

if TYPE_CHECKING:
    from .unit import PvsUnit

CONTROL_MODE = "/ess/config/dcm/mode_param/control_mode"
MIN_CUSTOMER_SOC = "/ess/config/dcm/control_param/min_customer_soc"
# Plain decimals only: the varserver does not URL-decode, so "0.3" arrives as sent.
_DECIMAL = re.compile(r"\d+(\.\d+)?|\.\d+")


def has_ess_config(unit: PvsUnit) -> bool:
    """Only a generated storage site has the settings; a replayed dump has what it has."""
    return unit.profile.ess and unit.replay is None


def ess_config_variables(unit: PvsUnit) -> dict[str, str]:
    """The two settings as the varserver holds them."""
    if not has_ess_config(unit):
        return {}
    control = unit.site.control
    return {CONTROL_MODE: control.mode, MIN_CUSTOMER_SOC: reserve_text(control.reserve)}


def reserve_text(reserve: float) -> str:
    """A fraction with at least two decimals, like the default "0.30"."""
    whole, _, fraction = f"{reserve:.6f}".rstrip("0").partition(".")
    return f"{whole}.{fraction.ljust(2, '0')}"


def with_setting(control: EssControl, name: str, text: str) -> EssControl | None:
    """``control`` with one variable set to ``text``; None if the name or value is refused."""
    try:
        if name == CONTROL_MODE:
            return control.changed(mode=text)
        if name == MIN_CUSTOMER_SOC and _DECIMAL.fullmatch(text):
            return control.changed(reserve=float(text))
    except ValueError:
        return None
    return None
