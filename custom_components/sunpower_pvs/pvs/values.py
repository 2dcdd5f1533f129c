"""Conversions from the PVS's loosely typed values to floats, ints, booleans and UTC times.

The PVS sends numbers as strings, sometimes as JSON numbers, and marks absent values with
``"nan"``, ``""`` or ``"-"``. Everything absent or unreadable becomes ``None``, never 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
import functools
from math import isfinite
import re
from typing import Any

_ABSENT = frozenset({"", "-", "--", "nan", "-nan", "null", "none", "n/a", "na", "unknown"})
_LONGEST_ABSENT = max(len(marker) for marker in _ABSENT)
_TRUE = frozenset({"1", "true", "yes", "on", "up"})
_FALSE = frozenset({"0", "false", "no", "off", "down"})
_BUILD = re.compile(r"Build\s*(\d+)", re.IGNORECASE)


def text(value: Any) -> str | None:
    """A stripped string, or ``None`` for absent markers and non-scalar values."""
    result: str
    if value.__class__ is str:  # nearly every value: skip the type checks below
        result = value.strip()
    elif isinstance(value, bool) or value is None or isinstance(value, Mapping | list):
        return None
    else:
        result = str(value).strip()
    if len(result) > _LONGEST_ABSENT:
        return result
    return None if result.lower() in _ABSENT else result


def number(value: Any) -> float | None:
    """A finite float, or ``None``. Booleans are not numbers here."""
    if value is None:  # an absent field: the commonest miss, and the costliest path below
        return None
    kind = value.__class__
    if kind is str:
        # float() ignores surrounding blanks and rejects every absent marker except "nan",
        # which the finiteness check turns into None like "inf".
        try:
            result = float(value)
        except ValueError:
            return None
    elif kind is float or kind is int:
        result = float(value)
    elif isinstance(value, bool):
        return None
    elif isinstance(value, int | float):
        result = float(value)
    else:
        raw = text(value)
        if raw is None:
            return None
        try:
            result = float(raw)
        except ValueError:
            return None
    return result if isfinite(result) else None


def first_number(*values: Any) -> float | None:
    """The first of ``values`` that is a number (for fields renamed between firmware versions)."""
    for value in values:
        result = number(value)
        if result is not None:
            return result
    return None


def integer(value: Any) -> int | None:
    """An int (``"3"`` and ``"3.0"`` both give 3), or ``None``."""
    result = number(value)
    return None if result is None else int(result)


def flag(value: Any) -> bool | None:
    """A boolean from ``true``/``"1"``/``"up"`` and their opposites, or ``None``."""
    if isinstance(value, bool):
        return value
    raw = text(value)
    if raw is None:
        return None
    lowered = raw.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    return None


def fraction_to_pct(value: Any) -> float | None:
    """A 0-1 fraction (``socVal``, ``soc``) as percent."""
    result = number(value)
    return None if result is None else round(result * 100.0, 6)


def dl_time(value: Any) -> datetime | None:
    """DeviceList ``DATATIME``/``CURTIME``: ``"YYYY,MM,DD,HH,MM,SS"`` in UTC."""
    raw = text(value)
    return None if raw is None else _dl_time(raw)


@functools.lru_cache(maxsize=64)
def _dl_time(raw: str) -> datetime | None:
    # The records of one answer share a handful of stamps.
    try:
        year, month, day, hour, minute, second = (int(part) for part in raw.split(","))
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError:
        return None


def iso_time(value: Any) -> datetime | None:
    """ISO 8601 (``msmtEps``) or ``"YYYY-MM-DD HH:MM:SS"`` (ESS status); naive means UTC."""
    raw = text(value)
    if raw is None:
        return None
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def epoch_time(value: Any) -> datetime | None:
    """Seconds since the Unix epoch (``/sys/livedata/time``, Get_Comm ``ts``)."""
    seconds = number(value)
    if seconds is None or seconds <= 0:
        return None
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def build_number(value: Any) -> int | None:
    """The build of ``"2025.06, Build 61839"`` or ``"2025.06.24.61840"``."""
    raw = text(value)
    if raw is None:
        return None
    found = _BUILD.search(raw)
    if found:
        return int(found.group(1))
    last = raw.rsplit(".", 1)[-1]
    return int(last) if "." in raw and last.isdigit() else None


def supervisor_model(value: Any) -> str | None:
    """``"PV Supervisor PVS6"`` and ``"PVS6 "`` both read ``"PVS6"``; other names stay as sent."""
    raw = text(value)
    if raw is None:
        return None
    found = re.search(r"\bPVS\d\b", raw)
    return found.group(0) if found else raw
