"""Answers that change slowly, kept and re-read only when older than their own age limit.

The network view, the grid profile and the firmware check change over hours; reading them
with every poll would multiply the requests a fragile PVS has to serve. The ESS status is
read with every poll (age limit 0): on legacy firmware it is the only source of the battery's
power, which the site's battery energy is integrated from.
"""

from __future__ import annotations

from collections.abc import Callable
import time
from typing import Any

# Age limits in seconds, per read.
MAX_AGE_S = {
    "Get_Comm": 900.0,
    "GridProfileGet": 3600.0,
    "CheckFW": 3600.0,
    "ESS status": 0.0,
    # in steps of 10 %, over months: one poll in 72 carries this fourth request
    "flash wear": 6 * 3600.0,
}


class SlowReads:
    """The last answer of each slow read, failed ones included, with when it was read."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        """``clock`` gives seconds; monotonic by default."""
        self._clock = clock
        self._kept: dict[str, tuple[float, Any]] = {}

    def due(self, what: str) -> bool:
        """Whether ``what`` must be read now (never read, or older than its age limit)."""
        kept = self._kept.get(what)
        return kept is None or self._clock() - kept[0] >= MAX_AGE_S.get(what, 0.0)

    def keep(self, what: str, answer: Any) -> None:
        """Remember an answer (``None`` for a failed read: it is not retried until due)."""
        self._kept[what] = (self._clock(), answer)

    def last(self, what: str) -> Any:
        """The answer kept for ``what`` (``None`` when the read failed or never ran)."""
        kept = self._kept.get(what)
        return None if kept is None else kept[1]
