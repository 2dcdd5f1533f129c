"""Fault specifications (the ``--fault`` grammar) and the book of faults in force.

Grammar: ``KIND[=VALUE][,OPTION=VALUE...]``, options ``count=N`` (how many matching
requests or polls it affects) and ``path=ENDPOINT`` (limit it to one endpoint name, as in
``/_sim/stats``). See the package docstring for the list of kinds.
"""

from __future__ import annotations

from dataclasses import dataclass

# Kinds that shape one response each.
RESPONSE_KINDS = frozenset({"status", "hang", "truncate", "html"})
# Kinds that alter the data of matching polls.
GLITCH_KINDS = frozenset({"vanish", "counter_zero", "counter_drop", "counter_jump"})
# Kinds carried out once, at the moment they are added.
ACTION_KINDS = frozenset({"reboot", "upgrade", "expire", "clear", "replace"})
STANDING_KINDS = frozenset({"latency", "uploads_down"})
KINDS = RESPONSE_KINDS | GLITCH_KINDS | ACTION_KINDS | STANDING_KINDS

DEFAULT_REBOOT_S = 600.0


class FaultSpecError(ValueError):
    """A fault specification that does not follow the grammar."""


@dataclass(slots=True)
class Fault:
    """One injected fault. ``remaining is None`` means until cleared (or reboot for glitches)."""

    kind: str
    value: str
    endpoint: str | None
    remaining: int | None
    options: dict[str, str]

    def matches(self, endpoint: str) -> bool:
        """Whether this fault applies to ``endpoint``."""
        return self.endpoint is None or self.endpoint.lower() == endpoint.lower()

    def use(self) -> None:
        """Count one application."""
        if self.remaining is not None:
            self.remaining -= 1

    @property
    def spent(self) -> bool:
        """No applications left."""
        return self.remaining is not None and self.remaining <= 0

    @property
    def seconds(self) -> float:
        """The numeric part of ``latency=[ENDPOINT:]S``, ``reboot=S`` or ``upgrade=S``."""
        text = self.value.rpartition(":")[2]
        return float(text) if text else 0.0

    def describe(self) -> str:
        """Back to the grammar, for ``/_sim/stats``."""
        text = self.kind + (f"={self.value}" if self.value else "")
        if self.endpoint is not None and self.kind != "latency":
            text += f",path={self.endpoint}"
        if self.remaining is not None:
            text += f",count={self.remaining}"
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
    remaining = _default_count(kind)
    if count_text is not None:
        if not count_text.isdigit() or int(count_text) < 1:
            raise FaultSpecError(f"count must be a positive integer, not {count_text!r}")
        remaining = int(count_text)
    _check_value(kind, value, options)
    if kind == "latency" and ":" in value:
        endpoint = value.partition(":")[0]
    return Fault(kind, value, endpoint, remaining, options)


def _default_count(kind: str) -> int | None:
    if kind in RESPONSE_KINDS or kind in {"counter_zero", "counter_drop", "counter_jump"}:
        return 1
    return None


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
    """The faults in force, consumed as requests and polls use them."""

    def __init__(self) -> None:
        """Start with no faults."""
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        """Put a response, glitch or standing fault in force."""
        if fault.kind in ACTION_KINDS:
            raise ValueError(f"{fault.kind} is an action, not a standing fault")
        self._faults.append(fault)

    def clear(self) -> None:
        """Remove every fault."""
        self._faults.clear()

    def forget_glitches(self) -> None:
        """A reboot brings vanished devices back and heals counters."""
        self._faults = [fault for fault in self._faults if fault.kind not in GLITCH_KINDS]

    def take_response_fault(self, endpoint: str) -> Fault | None:
        """The next response fault for ``endpoint``, counted as used."""
        for fault in self._faults:
            if fault.kind in RESPONSE_KINDS and fault.matches(endpoint):
                fault.use()
                self._prune()
                return fault
        return None

    def extra_latency(self, endpoint: str) -> float:
        """Injected delay for ``endpoint`` in device seconds."""
        delay = 0.0
        for fault in self._faults:
            if fault.kind == "latency" and fault.matches(endpoint):
                delay += fault.seconds
                fault.use()
        self._prune()
        return delay

    def glitches(self) -> list[Fault]:
        """Data glitches currently in force (use ``consume`` after a poll applied them)."""
        return [fault for fault in self._faults if fault.kind in GLITCH_KINDS]

    def consume(self, faults: list[Fault]) -> None:
        """Count one poll against each glitch that was applied."""
        for fault in faults:
            fault.use()
        self._prune()

    @property
    def uploads_down(self) -> bool:
        """Uploads to the cloud failing, so records pile up."""
        return any(fault.kind == "uploads_down" for fault in self._faults)

    def describe(self) -> list[str]:
        """The faults in force, in the grammar."""
        return [fault.describe() for fault in self._faults]

    def _prune(self) -> None:
        self._faults = [fault for fault in self._faults if not fault.spent]
