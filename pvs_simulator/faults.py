"""Fault specifications (the ``--fault`` grammar) and the book of faults in force.

Grammar: ``KIND[=VALUE][,OPTION=VALUE...]``, options ``count=N`` (how many matching
requests, polls or writes it affects), ``for=S`` (in force for S simulated seconds from
when it is added) and ``path=ENDPOINT`` (limit it to one endpoint name, as in
``/_sim/stats``). See the package docstring for the list of kinds.
"""

from __future__ import annotations

from dataclasses import dataclass
import math

from .clock import SimClock

# Kinds that shape one response each.
RESPONSE_KINDS = frozenset({"status", "hang", "truncate", "html"})
# Kinds that alter the data of matching polls.
GLITCH_KINDS = frozenset({"vanish", "counter_zero", "counter_drop", "counter_jump"})
# Kinds that change what a varserver write does.
WRITE_KINDS = frozenset({"write_ignored"})
# Kinds carried out once, at the moment they are added.
ACTION_KINDS = frozenset({"reboot", "upgrade", "expire", "clear", "replace"})
STANDING_KINDS = frozenset({"latency", "uploads_down"})
KINDS = RESPONSE_KINDS | GLITCH_KINDS | WRITE_KINDS | ACTION_KINDS | STANDING_KINDS
# uploads_down is integrated between requests, so a deadline inside a gap would be fuzzy.
TIMED_KINDS = RESPONSE_KINDS | GLITCH_KINDS | WRITE_KINDS | {"latency"}
COUNTED_BY_DEFAULT = RESPONSE_KINDS | WRITE_KINDS | {"counter_zero", "counter_drop", "counter_jump"}

DEFAULT_REBOOT_S = 600.0


class FaultSpecError(ValueError):
    """A fault specification that does not follow the grammar."""


@dataclass(slots=True)
class Fault:
    """One injected fault.

    ``remaining is None`` means not limited by a count; ``duration_s`` (``for=``) limits it in
    simulated time from ``until``, which the book sets when the fault is added.
    """

    kind: str
    value: str
    endpoint: str | None
    remaining: int | None
    options: dict[str, str]
    duration_s: float | None = None
    until: float | None = None

    def matches(self, endpoint: str) -> bool:
        """Whether this fault applies to ``endpoint``."""
        return self.endpoint is None or self.endpoint.lower() == endpoint.lower()

    def use(self) -> None:
        """Count one application."""
        if self.remaining is not None:
            self.remaining -= 1

    def spent(self, epoch: float) -> bool:
        """No applications left, or its time is up at ``epoch``."""
        used_up = self.remaining is not None and self.remaining <= 0
        return used_up or (self.until is not None and epoch >= self.until)

    @property
    def seconds(self) -> float:
        """The numeric part of ``latency=[ENDPOINT:]S``, ``reboot=S`` or ``upgrade=S``."""
        text = self.value.rpartition(":")[2]
        return float(text) if text else 0.0

    def describe(self, epoch: float | None = None) -> str:
        """Back to the grammar, for ``/_sim/stats``: what is left of its count and time."""
        text = self.kind + (f"={self.value}" if self.value else "")
        if self.endpoint is not None and self.kind != "latency":
            text += f",path={self.endpoint}"
        if self.remaining is not None:
            text += f",count={self.remaining}"
        seconds = self.duration_s
        if self.until is not None and epoch is not None:
            seconds = self.until - epoch
        if seconds is not None:
            text += f",for={seconds:g}"
        return text + "".join(f",{key}={value}" for key, value in self.options.items())


def parse_fault(spec: str) -> Fault:
    """Parse one specification; raise ``FaultSpecError`` with the reason."""
    head, *option_parts = [part.strip() for part in spec.strip().split(",")]
    kind, _, value = head.partition("=")
    kind = kind.strip().lower()
    if kind not in KINDS:
        raise FaultSpecError(f"unknown fault {kind!r}; known: {', '.join(sorted(KINDS))}")
    options: dict[str, str] = {}
    for part in option_parts:
        key, sep, option_value = part.partition("=")
        if not sep or not key:
            raise FaultSpecError(f"option {part!r} is not KEY=VALUE")
        options[key.strip().lower()] = option_value.strip()
    count_text = options.pop("count", None)
    endpoint = options.pop("path", None)
    duration = _duration(kind, options.pop("for", None))
    # A time-bounded fault lasts its time, however many requests come meanwhile.
    remaining = 1 if kind in COUNTED_BY_DEFAULT and duration is None else None
    if count_text is not None:
        if not count_text.isdigit() or int(count_text) < 1:
            raise FaultSpecError(f"count must be a positive integer, not {count_text!r}")
        remaining = int(count_text)
    _check_value(kind, value, options)
    if kind == "latency" and ":" in value:
        endpoint = value.partition(":")[0]
    return Fault(kind, value, endpoint, remaining, options, duration)


def _duration(kind: str, text: str | None) -> float | None:
    if text is None:
        return None
    if kind not in TIMED_KINDS:
        raise FaultSpecError(f"{kind}: for= applies to {', '.join(sorted(TIMED_KINDS))}")
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not seconds > 0 or math.isinf(seconds):
        raise FaultSpecError(f"for must be a positive number of seconds, not {text!r}")
    return seconds


def _check_value(kind: str, value: str, options: dict[str, str]) -> None:
    def number(text: str, what: str) -> None:
        try:
            parsed = float(text)
        except ValueError:
            parsed = -1.0
        if parsed < 0:
            raise FaultSpecError(f"{kind}: {what} must be a non-negative number")

    if kind == "status" and not (value.isdigit() and 400 <= int(value) <= 599):
        raise FaultSpecError("status needs an HTTP error code, e.g. status=503")
    if kind == "html" and value and not (value.isdigit() and 200 <= int(value) <= 599):
        raise FaultSpecError("html takes an optional HTTP status, e.g. html=502")
    if kind == "latency":
        number(value.rpartition(":")[2], "the delay")
    if kind in {"reboot", "upgrade"} and value:
        number(value, "the duration")
    if (kind in GLITCH_KINDS or kind == "replace") and not value:
        raise FaultSpecError(f"{kind} needs a device serial, e.g. {kind}=E00122...")
    shifts = kind in {"counter_drop", "counter_jump"}
    if shifts and "kwh" in options:
        number(options["kwh"], "kwh")
    unknown = set(options) - ({"kwh"} if shifts else set())
    if unknown:
        raise FaultSpecError(f"{kind}: unknown options {', '.join(sorted(unknown))}")


class FaultBook:
    """The faults in force, consumed as requests and polls use them or as their time runs out."""

    def __init__(self, clock: SimClock) -> None:
        """Start with no faults; ``for=`` deadlines follow ``clock``."""
        self._clock = clock
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        """Put a response, glitch, write or standing fault in force, from now."""
        if fault.kind in ACTION_KINDS:
            raise ValueError(f"{fault.kind} is an action, not a standing fault")
        if fault.duration_s is not None:
            fault.until = self._clock.epoch + fault.duration_s
        self._faults.append(fault)

    def clear(self) -> None:
        """Remove every fault."""
        self._faults.clear()

    def forget_glitches(self) -> None:
        """A reboot brings vanished devices back and heals counters."""
        self._faults = [fault for fault in self._faults if fault.kind not in GLITCH_KINDS]

    def take_response_fault(self, endpoint: str) -> Fault | None:
        """The next response fault for ``endpoint``, counted as used."""
        for fault in self._in_force():
            if fault.kind in RESPONSE_KINDS and fault.matches(endpoint):
                return self._used(fault)
        return None

    def take_write_fault(self, names: list[str]) -> Fault | None:
        """The next ``write_ignored`` for a write of ``names``, counted as used."""
        for fault in self._in_force():
            if fault.kind in WRITE_KINDS and (not fault.value or fault.value in names):
                return self._used(fault)
        return None

    def extra_latency(self, endpoint: str) -> float:
        """Injected delay for ``endpoint`` in device seconds."""
        delay = 0.0
        for fault in self._in_force():
            if fault.kind == "latency" and fault.matches(endpoint):
                delay += fault.seconds
                fault.use()
        return delay

    def glitches(self) -> list[Fault]:
        """Data glitches currently in force (use ``consume`` after a poll applied them)."""
        return [fault for fault in self._in_force() if fault.kind in GLITCH_KINDS]

    def vanished(self, serial: str) -> bool:
        """Whether a device is missing now (without using up a poll)."""
        return any(fault.kind == "vanish" and fault.value == serial for fault in self.glitches())

    def consume(self, faults: list[Fault]) -> None:
        """Count one poll against each glitch that was applied."""
        for fault in faults:
            fault.use()

    @property
    def uploads_down(self) -> bool:
        """Uploads to the cloud failing, so records pile up."""
        return any(fault.kind == "uploads_down" for fault in self._in_force())

    def describe(self) -> list[str]:
        """The faults in force, in the grammar."""
        epoch = self._clock.epoch
        return [fault.describe(epoch) for fault in self._in_force()]

    def _used(self, fault: Fault) -> Fault:
        fault.use()
        return fault

    def _in_force(self) -> list[Fault]:
        epoch = self._clock.epoch
        self._faults = [fault for fault in self._faults if not fault.spent(epoch)]
        return list(self._faults)
