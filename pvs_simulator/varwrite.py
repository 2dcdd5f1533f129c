"""``/vars?set=NAME=VALUE[,NAME=VALUE...]``: the few variables a logged-in owner may write."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .essconfig import ess_config_variables, has_ess_config, with_setting
from .responses import BAD_REQUEST
from .varquery import render
from .varstore import TELEMETRY_ENABLE, gateway_variables

if TYPE_CHECKING:
    from .unit import PvsUnit


def write_variables(unit: PvsUnit, assignments: tuple[tuple[str, str], ...]) -> tuple[int, object]:
    """HTTP status and body of a write.

    All or nothing: an unknown name or a refused value answers 400 and changes nothing. A
    ``write_ignored`` fault answers 200 with the values unchanged, as a unit that dropped it.
    """
    for name, value in assignments:
        # Switching the telemetry stream on is how every client reads live data, not a setting.
        if name != TELEMETRY_ENABLE:
            unit.stats.config_command(f"set {name}={value}")
    telemetry = unit.telemetry_enabled
    control = unit.site.control if has_ess_config(unit) else None
    for name, text in assignments:
        changed = with_setting(control, name, text) if control is not None else None
        if name == TELEMETRY_ENABLE and text in {"0", "1"}:
            telemetry = text == "1"
        elif changed is not None:
            control = changed
        else:
            return 400, BAD_REQUEST
    names = [name for name, _ in assignments]
    if unit.faults.take_write_fault(names) is None:
        unit.telemetry_enabled = telemetry
        if control is not None and control != unit.site.control:
            unit.set_ess_control(control)
    current = gateway_variables(unit) | ess_config_variables(unit)
    return 200, render([(name, current[name]) for name in names], as_object=False)
