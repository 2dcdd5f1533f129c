"""Data glitches applied to a poll: devices vanish, lifetime counters read 0, drop or jump."""

from __future__ import annotations

from collections.abc import Callable

from .faults import Fault, FaultBook

DEFAULT_DROP_KWH = 5.0

Record = dict[str, object]


def apply_glitches[T](
    items: list[tuple[T, Record]],
    faults: FaultBook,
    *,
    serial_key: str,
    counter_mark: str,
    parent_of: Callable[[Record], object] | None = None,
    consume: bool = True,
) -> list[tuple[T, Record]]:
    """Apply the glitches in force to tagged device records; each applied glitch uses one poll.

    ``counter_mark`` picks the lifetime counter fields ("ltea" on dl_cgi, "Ltea" on varserver).
    A device vanishes with its parent (``parent_of``): an ESS takes its batteries along.
    """
    glitches = faults.glitches()
    if not glitches:
        return items
    applied: dict[int, Fault] = {}
    result: list[tuple[T, Record]] = []
    for tag, record in items:
        hits = [fault for fault in glitches if fault.value == record.get(serial_key)]
        parent = parent_of(record) if parent_of else None
        orphaned = [f for f in glitches if f.kind == "vanish" and parent and f.value == parent]
        applied |= {id(fault): fault for fault in hits + orphaned}
        if orphaned or any(fault.kind == "vanish" for fault in hits):
            continue
        changed = dict(record)
        for fault in hits:
            for key, value in record.items():
                if counter_mark.lower() in key.lower() and isinstance(value, str):
                    changed[key] = _glitched(fault, value, as_var=counter_mark == "Ltea")
        result.append((tag, changed))
    if consume:
        faults.consume(list(applied.values()))
    return result


def _glitched(fault: Fault, value: str, *, as_var: bool) -> str:
    if fault.kind == "counter_zero":
        return "0.000000" if as_var else "0"
    shift = float(fault.options.get("kwh", DEFAULT_DROP_KWH))
    if fault.kind == "counter_drop":
        shift = -shift
    moved = max(0.0, float(value) + shift)
    return f"{moved:.6f}" if as_var else f"{moved:.2f}"
